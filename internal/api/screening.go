package api

import (
	"net/http"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
)

// Contraindication screening: a client's current findings and the
// organisation's rules, read only (overrides and clearances are recorded
// on the pages, where the person sees the finding they act on).

func init() {
	endpoints = append(endpoints, "GET /api/v1/clients/{id}/screening", "GET /api/v1/screening/rules")
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/clients/{id}/screening", h.auth(h.screening))
		m.HandleFunc("GET /api/v1/screening/rules", h.auth(h.screeningRules))
	})
}

// FindingJSON is one screening finding in the API.
type FindingJSON struct {
	Rule         string `json:"rule"`
	Level        string `json:"level"`
	Region       string `json:"region"`
	Side         string `json:"side"`
	Modification string `json:"modification"`
	Reason       string `json:"reason"`
	Source       string `json:"source"`
	Evidence     string `json:"evidence"`
	// Open is true while the finding still asks for something: a blocking
	// finding without today's override, a clearance finding without a clearance.
	Open                bool  `json:"open"`
	Overridden          bool  `json:"overridden"`
	Cleared             bool  `json:"cleared"`
	Blocks              bool  `json:"blocks_session"`
	ClearanceDocumentID int64 `json:"clearance_document_id,omitempty"`
}

func (h *API) screening(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	sc, err := h.App.Findings(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []FindingJSON{}
	for _, f := range sc.Findings {
		j := FindingJSON{Rule: f.RuleKey, Level: string(f.Level), Region: f.Region, Side: f.Side, Modification: f.Modification, Reason: f.Reason,
			Source: f.Source, Evidence: f.Evidence, Open: f.Open(), Overridden: f.Override != nil, Cleared: f.Clearance != nil, Blocks: f.Level.Blocks()}
		if f.Clearance != nil {
			j.ClearanceDocumentID = f.Clearance.DocumentID
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"client_id": sc.ClientID, "findings": out, "can_start_session": sc.CanStartSession(),
		"intake_version": sc.IntakeVersion, "day": sc.Today, "computed_at": sc.ComputedAt.Format(time.RFC3339),
	})
}

// RuleJSON is one screening rule in the API.
type RuleJSON struct {
	ID           int64  `json:"id"`
	Key          string `json:"key"`
	Trigger      string `json:"trigger"`
	Value        string `json:"value"`
	N            int    `json:"n"`
	Describe     string `json:"trigger_text"`
	Level        string `json:"level"`
	LevelLabel   string `json:"level_label"`
	Region       string `json:"region"`
	Modification string `json:"modification"`
	Reason       string `json:"reason"`
	Source       string `json:"source"`
	Enabled      bool   `json:"enabled"`
	Builtin      bool   `json:"builtin"`
	Version      int64  `json:"version"`
}

func ruleJSON(r *care.Rule) RuleJSON {
	return RuleJSON{r.ID, r.Key, string(r.Trigger.Kind), r.Trigger.Value, r.Trigger.N, r.Trigger.Describe(), string(r.Level), r.Level.Label(),
		r.Region, r.Modification, r.Reason, r.Source, r.Enabled, r.Builtin, r.Version}
}

func (h *API) screeningRules(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	rules, err := h.App.ScreeningRules(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []RuleJSON{}
	for i := range rules {
		out = append(out, ruleJSON(&rules[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"rules": out})
}
