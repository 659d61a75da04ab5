package api

import (
	"net/http"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/store"
)

// Evaluations and plans of care, read-only: who may read them is the
// pages' rule (auth.ClinicalRead), and every read is audited by the app.

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/clients/{id}/evaluations", h.auth(h.evaluations))
		m.HandleFunc("GET /api/v1/clients/{id}/evaluations/{eid}", h.auth(h.evaluation))
		m.HandleFunc("GET /api/v1/clients/{id}/plans", h.auth(h.plans))
		m.HandleFunc("GET /api/v1/clients/{id}/plans/{pid}", h.auth(h.plan))
	})
	endpoints = append(endpoints, "GET /api/v1/clients/{id}/evaluations", "GET /api/v1/clients/{id}/evaluations/{eid}",
		"GET /api/v1/clients/{id}/plans", "GET /api/v1/clients/{id}/plans/{pid}")
}

// EvaluationSummaryJSON is a row of a client's list of evaluations.
type EvaluationSummaryJSON struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	PreviousID int64  `json:"previous_id,omitempty"`
	Date       string `json:"date"`
	Status     string `json:"status"`
	Condition  string `json:"condition,omitempty"`
	Marks      int    `json:"marks"`
	Restricted int    `json:"restricted_motions"`
	Therapist  string `json:"therapist"`
}

// ROMResultJSON is a measurement compared with normal and the other side,
// under the organisation's flags.
type ROMResultJSON struct {
	Motion     string  `json:"motion"`
	Side       string  `json:"side,omitempty"`
	Passive    bool    `json:"passive,omitempty"`
	Degrees    int     `json:"degrees"`
	Normal     int     `json:"normal"`
	Percent    float64 `json:"percent_of_normal"`
	SideDiff   float64 `json:"side_difference,omitempty"`
	Restricted bool    `json:"restricted"`
	Why        string  `json:"why,omitempty"`
}

// EvaluationJSON is a whole evaluation with its range-of-motion results.
type EvaluationJSON struct {
	*assess.Evaluation
	ROMResults []ROMResultJSON `json:"rom_results"`
}

func (h *API) evaluations(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rec, err := h.App.ClientClinicalRecord(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []EvaluationSummaryJSON{}
	for _, e := range rec.Evaluations {
		out = append(out, evaluationSummaryJSON(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"evaluations": out})
}

func evaluationSummaryJSON(e store.EvaluationSummary) EvaluationSummaryJSON {
	return EvaluationSummaryJSON{ID: e.ID, Kind: e.Kind, PreviousID: e.PreviousID, Date: e.Date, Status: e.Status, Condition: e.Condition,
		Marks: e.Marks, Restricted: e.Flags, Therapist: e.TherapistName}
}

func (h *API) evaluation(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	eid, err := pathInt(r, "eid", "evaluation")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	e, err := h.App.Evaluation(r.Context(), a, id, eid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	th, err := h.App.ROMThresholds(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := EvaluationJSON{Evaluation: e, ROMResults: []ROMResultJSON{}}
	for _, x := range assess.EvaluateROM(e.ROM, th) {
		out.ROMResults = append(out.ROMResults, ROMResultJSON{Motion: x.ROM.Motion, Side: x.Side, Passive: x.Passive, Degrees: x.Degrees,
			Normal: x.Motion.Normal, Percent: x.Percent, SideDiff: x.SideDiff, Restricted: x.Restricted, Why: x.Why})
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *API) plans(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rec, err := h.App.ClientClinicalRecord(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := rec.Plans
	if out == nil {
		out = []assess.Plan{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"plans": out})
}

func (h *API) plan(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pid, err := pathInt(r, "pid", "plan")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.App.Plan(r.Context(), a, id, pid)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
