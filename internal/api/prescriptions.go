package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/clients/{id}/prescriptions", h.auth(h.prescriptions))
		m.HandleFunc("POST /api/v1/clients/{id}/prescriptions", h.auth(h.createPrescription))
	})
	endpoints = append(endpoints, "GET /api/v1/clients/{id}/prescriptions", "POST /api/v1/clients/{id}/prescriptions")
}

// DiagnosisJSON is one diagnosis of a prescription.
type DiagnosisJSON struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// PrescriptionJSON is a prescription in the API. The scan itself is
// fetched on the page (/documents/{document_id}), not through the API.
type PrescriptionJSON struct {
	ID               int64           `json:"id"`
	ClientID         int64           `json:"client_id"`
	PhysicianID      int64           `json:"physician_id"`
	PhysicianName    string          `json:"physician_name"`
	WrittenOn        string          `json:"written_on"`
	Diagnoses        []DiagnosisJSON `json:"diagnoses"`
	OrderedTreatment string          `json:"ordered_treatment"`
	FrequencyPerWeek int             `json:"frequency_per_week"`
	DurationWeeks    int             `json:"duration_weeks"`
	Visits           int             `json:"visits"`
	StartOn          string          `json:"start_on"`
	ExpiresOn        string          `json:"expires_on"`
	Precautions      string          `json:"precautions"`
	DocumentID       *int64          `json:"document_id"`
	Version          int64           `json:"version"`
	CreatedAt        string          `json:"created_at"`
}

func prescriptionJSON(p *care.Prescription, titles map[string]string) PrescriptionJSON {
	out := PrescriptionJSON{ID: p.ID, ClientID: p.ClientID, PhysicianID: p.PhysicianID, PhysicianName: p.PhysicianName, WrittenOn: p.WrittenOn,
		Diagnoses: []DiagnosisJSON{}, OrderedTreatment: p.OrderedTreatment, FrequencyPerWeek: p.FrequencyPerWeek, DurationWeeks: p.DurationWeeks,
		Visits: p.Visits, StartOn: p.StartOn, ExpiresOn: p.ExpiresOn, Precautions: p.Precautions, Version: p.Version, CreatedAt: p.CreatedAt.Format(time.RFC3339)}
	for _, c := range p.Diagnoses {
		out.Diagnoses = append(out.Diagnoses, DiagnosisJSON{c, titles[c]})
	}
	if p.DocumentID != 0 {
		id := p.DocumentID
		out.DocumentID = &id
	}
	return out
}

// pathInt is a positive number in the path's {name}, or NotFound ("No such what.").
func pathInt(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "No such %s.", what)
	}
	return id, nil
}

// clientPathID is the {id} of a client's path.
func clientPathID(r *http.Request) (int64, error) { return pathInt(r, "id", "client") }

func (h *API) prescriptions(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ps, titles, err := h.App.Prescriptions(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []PrescriptionJSON{}
	for i := range ps {
		out = append(out, prescriptionJSON(&ps[i], titles))
	}
	writeJSON(w, http.StatusOK, map[string]any{"prescriptions": out})
}

func (h *API) createPrescription(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		PhysicianID      int64    `json:"physician_id"`
		WrittenOn        string   `json:"written_on"`
		Diagnoses        []string `json:"diagnoses"`
		OrderedTreatment string   `json:"ordered_treatment"`
		FrequencyPerWeek int      `json:"frequency_per_week"`
		DurationWeeks    int      `json:"duration_weeks"`
		Visits           int      `json:"visits"`
		StartOn          string   `json:"start_on"`
		ExpiresOn        string   `json:"expires_on"`
		Precautions      string   `json:"precautions"`
	}
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := care.Prescription{ClientID: id, PhysicianID: in.PhysicianID, WrittenOn: in.WrittenOn, Diagnoses: in.Diagnoses, OrderedTreatment: in.OrderedTreatment,
		FrequencyPerWeek: in.FrequencyPerWeek, DurationWeeks: in.DurationWeeks, Visits: in.Visits, StartOn: in.StartOn, ExpiresOn: in.ExpiresOn, Precautions: in.Precautions}
	if err := h.App.CreatePrescription(r.Context(), a, &p, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	titles, err := h.App.DiagnosisTitles(r.Context(), p.WrittenOn, p.Diagnoses)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/clients/"+strconv.FormatInt(id, 10)+"/prescriptions")
	writeJSON(w, http.StatusCreated, prescriptionJSON(&p, titles))
}
