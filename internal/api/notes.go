package api

import (
	"net/http"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
)

// Session notes, read-only: the pages write and sign them. Who may read
// them is the pages' rule (auth.ClinicalRead); every read is audited.

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/clients/{id}/notes", h.auth(h.clientNotes))
		m.HandleFunc("GET /api/v1/notes/{id}", h.auth(h.note))
	})
	endpoints = append(endpoints, "GET /api/v1/clients/{id}/notes", "GET /api/v1/notes/{id}")
}

// NoteJSON is a session note with its addenda and the units its minutes
// give under the organisation's code map and rule.
type NoteJSON struct {
	*care.SOAPNote
	Addenda  []care.Addendum `json:"addenda"`
	Units    *units.Result   `json:"units,omitempty"`
	Unbilled []care.Unbilled `json:"unbilled,omitempty"`
	UnitsWhy string          `json:"units_explanation,omitempty"`
	// UnitsRule says which rule gave the units and why (the payer's own, or the clinic's default).
	UnitsRule string `json:"units_rule,omitempty"`
}

func (h *API) clientNotes(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ns, err := h.App.ClientNotes(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ns == nil {
		ns = []care.SOAPNote{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"notes": ns})
}

func (h *API) note(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathInt(r, "id", "note")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, adds, err := h.App.Note(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := NoteJSON{SOAPNote: n, Addenda: adds}
	if out.Addenda == nil {
		out.Addenda = []care.Addendum{}
	}
	b, err := h.App.ClientNoteBilling(r.Context(), a, n.ClientID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rule, why := b.Rule(n.ServiceDate)
	if res, unbilled, err := care.NoteUnits(n.Techniques, n.Modalities, b.Codes, rule); err == nil {
		out.Units, out.Unbilled, out.UnitsWhy, out.UnitsRule = res, unbilled, res.Explanation, why
	}
	writeJSON(w, http.StatusOK, out)
}
