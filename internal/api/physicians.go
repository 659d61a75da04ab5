package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/physicians", h.auth(h.searchPhysicians))
		m.HandleFunc("POST /api/v1/physicians", h.auth(h.createPhysician))
	})
	endpoints = append(endpoints, "GET /api/v1/physicians?q=&kind=", "POST /api/v1/physicians")
}

// PhysicianJSON is an entry of the directory of physicians and referral sources.
type PhysicianJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Credentials string `json:"credentials"`
	Specialty   string `json:"specialty"`
	NPI         string `json:"npi"`
	Practice    string `json:"practice"`
	Phone       string `json:"phone"`
	Fax         string `json:"fax"`
	Address1    string `json:"address1"`
	City        string `json:"city"`
	State       string `json:"state"`
	Zip         string `json:"zip"`
	Version     int64  `json:"version"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

func physicianJSON(p *clinic.Physician) PhysicianJSON {
	return PhysicianJSON{p.ID, string(p.Kind), p.Name, p.Credentials, p.Specialty, p.NPI, p.Practice, p.Phone, p.Fax, p.Address1, p.City, p.State, p.Zip,
		p.Version, p.CreatedAt.Format(time.RFC3339), p.UpdatedAt.Format(time.RFC3339)}
}

func (h *API) searchPhysicians(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := r.URL.Query()
	f := clinic.PhysicianFilter{Query: q.Get("q"), Kind: clinic.PhysicianKind(q.Get("kind")), Limit: 200}
	bad := errs.FieldErrors{}
	if f.Kind != "" && !f.Kind.Valid() {
		bad.Add("kind", "Use physician, chiropractor, physical_therapist or other.")
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			bad.Add("limit", "Use a number from 1 to 500.")
		}
		f.Limit = n
	}
	if err := bad.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	ps, err := h.App.SearchPhysicians(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []PhysicianJSON{}
	for i := range ps {
		out = append(out, physicianJSON(&ps[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"physicians": out})
}

func (h *API) createPhysician(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var in struct {
		Kind        string `json:"kind"`
		Name        string `json:"name"`
		Credentials string `json:"credentials"`
		Specialty   string `json:"specialty"`
		NPI         string `json:"npi"`
		Practice    string `json:"practice"`
		Phone       string `json:"phone"`
		Fax         string `json:"fax"`
		Address1    string `json:"address1"`
		City        string `json:"city"`
		State       string `json:"state"`
		Zip         string `json:"zip"`
	}
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := clinic.Physician{Kind: clinic.PhysicianKind(in.Kind), Name: in.Name, Credentials: in.Credentials, Specialty: in.Specialty, NPI: in.NPI,
		Practice: in.Practice, Phone: in.Phone, Fax: in.Fax, Address1: in.Address1, City: in.City, State: in.State, Zip: in.Zip}
	if err := h.App.CreatePhysician(r.Context(), a, &p); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, physicianJSON(&p))
}
