package api

import (
	"net/http"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// The intake area's endpoints: a client's health-history versions, and new intake links.

func init() {
	endpoints = append(endpoints, "GET /api/v1/clients/{id}/intakes", "GET /api/v1/clients/{id}/intakes/latest", "POST /api/v1/clients/{id}/intake-links")
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/clients/{id}/intakes", h.auth(h.intakes))
		m.HandleFunc("GET /api/v1/clients/{id}/intakes/latest", h.auth(h.latestIntake))
		m.HandleFunc("POST /api/v1/clients/{id}/intake-links", h.auth(h.createIntakeLink))
	})
}

// MarkJSON is a mark on the body outline.
type MarkJSON struct {
	View      string  `json:"view"`
	Region    string  `json:"region"`
	Side      string  `json:"side"`
	X         float64 `json:"x"`
	Y         float64 `json:"y"`
	Kind      string  `json:"kind"`
	Intensity int     `json:"intensity"`
	Note      string  `json:"note"`
}

// MedicationJSON is a medication.
type MedicationJSON struct {
	Name  string `json:"name"`
	Class string `json:"class"`
	Dose  string `json:"dose"`
}

// DatedJSON is a surgery or an injury.
type DatedJSON struct {
	What   string `json:"what"`
	Date   string `json:"date"`
	Region string `json:"region"`
	Side   string `json:"side"`
}

// AreaJSON is a body region and side.
type AreaJSON struct {
	Region string `json:"region"`
	Side   string `json:"side"`
}

// ConsentRefJSON names a consent version signed.
type ConsentRefJSON struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Version int    `json:"version"`
}

// IntakeJSON is one signed version of a client's health history.
type IntakeJSON struct {
	ID                 int64            `json:"id"`
	ClientID           int64            `json:"client_id"`
	Version            int              `json:"version"`
	ReasonForVisit     string           `json:"reason_for_visit"`
	Goals              string           `json:"goals"`
	PainAreas          []MarkJSON       `json:"pain_areas"`
	Conditions         []string         `json:"conditions"`
	ConditionNotes     string           `json:"condition_notes"`
	Medications        []MedicationJSON `json:"medications"`
	Surgeries          []DatedJSON      `json:"surgeries"`
	Allergies          []string         `json:"allergies"`
	AllergyNotes       string           `json:"allergy_notes"`
	Pregnant           bool             `json:"pregnant"`
	PregnancyWeeks     int              `json:"pregnancy_weeks"`
	ImplantedDevices   string           `json:"implanted_devices"`
	RecentInjuries     []DatedJSON      `json:"recent_injuries"`
	PriorMassage       bool             `json:"prior_massage"`
	PriorMassageNotes  string           `json:"prior_massage_notes"`
	PressurePreference string           `json:"pressure_preference"`
	DoNotTreat         []AreaJSON       `json:"do_not_treat"`
	PhysicianName      string           `json:"physician_name"`
	PhysicianPhone     string           `json:"physician_phone"`
	BPSystolic         int              `json:"bp_systolic"`
	BPDiastolic        int              `json:"bp_diastolic"`
	SignedAt           string           `json:"signed_at"`
	SignedBy           string           `json:"signed_by"`
	SignatureKind      string           `json:"signature_kind"`
	SignedFrom         string           `json:"signed_from"`
	Source             string           `json:"source"`
	ContentHash        string           `json:"content_hash"`
	Consents           []ConsentRefJSON `json:"consents"`
	ReviewedAt         *string          `json:"reviewed_at"`
	ReviewedBy         *int64           `json:"reviewed_by"`
}

func intakeJSON(in *care.Intake) IntakeJSON {
	j := IntakeJSON{ID: in.ID, ClientID: in.ClientID, Version: in.Version, ReasonForVisit: in.ReasonForVisit, Goals: in.Goals,
		PainAreas: []MarkJSON{}, Conditions: append([]string{}, in.Conditions...), ConditionNotes: in.ConditionNotes,
		Medications: []MedicationJSON{}, Surgeries: []DatedJSON{}, Allergies: append([]string{}, in.Allergies...), AllergyNotes: in.AllergyNotes,
		Pregnant: in.Pregnant, PregnancyWeeks: in.PregnancyWeeks, ImplantedDevices: in.ImplantedDevices, RecentInjuries: []DatedJSON{},
		PriorMassage: in.PriorMassage, PriorMassageNotes: in.PriorMassageNotes, PressurePreference: in.PressurePreference, DoNotTreat: []AreaJSON{},
		PhysicianName: in.PhysicianName, PhysicianPhone: in.PhysicianPhone, BPSystolic: in.BPSystolic, BPDiastolic: in.BPDiastolic,
		SignedAt: in.SignedAt.UTC().Format(time.RFC3339), SignedBy: in.SignedBy, SignatureKind: in.SignatureKind, SignedFrom: in.SignedFrom,
		Source: in.Source, ContentHash: in.ContentHash, Consents: []ConsentRefJSON{}}
	for _, m := range in.PainAreas {
		j.PainAreas = append(j.PainAreas, MarkJSON{m.View, m.Region, m.Side, m.X, m.Y, m.Kind, m.Intensity, m.Note})
	}
	for _, m := range in.Medications {
		j.Medications = append(j.Medications, MedicationJSON{m.Name, m.Class, m.Dose})
	}
	for _, s := range in.Surgeries {
		j.Surgeries = append(j.Surgeries, DatedJSON{s.What, s.Date, s.Region, s.Side})
	}
	for _, s := range in.RecentInjuries {
		j.RecentInjuries = append(j.RecentInjuries, DatedJSON{s.What, s.Date, s.Region, s.Side})
	}
	for _, a := range in.DoNotTreat {
		j.DoNotTreat = append(j.DoNotTreat, AreaJSON{a.Region, a.Side})
	}
	for _, c := range in.Consents {
		j.Consents = append(j.Consents, ConsentRefJSON{c.ID, c.Kind, c.Version})
	}
	if !in.ReviewedAt.IsZero() {
		at, by := in.ReviewedAt.UTC().Format(time.RFC3339), in.ReviewedBy
		j.ReviewedAt, j.ReviewedBy = &at, &by
	}
	return j
}

func (h *API) intakes(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	all, err := h.App.Intakes(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []IntakeJSON{}
	for i := range all {
		out = append(out, intakeJSON(&all[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"intakes": out})
}

func (h *API) latestIntake(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in, err := h.App.LatestIntake(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, intakeJSON(in))
}

func (h *API) createIntakeLink(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The body is optional; when sent it must be an empty JSON object.
	if r.ContentLength != 0 {
		var in struct{}
		if err := decode(r, &in); err != nil && !isEmptyBody(err) {
			h.fail(w, r, err)
			return
		}
	}
	l, err := h.App.CreateIntakeLink(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	writeJSON(w, http.StatusCreated, map[string]any{"url": scheme + "://" + r.Host + "/intake/" + l.Token, "expires_at": l.Link.ExpiresAt.UTC().Format(time.RFC3339)})
}

func isEmptyBody(err error) bool {
	return errs.Is(err, errs.Invalid) && errs.Message(err) == "The request body is empty; send a JSON object."
}
