package api

import (
	"net/http"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/conditions", h.auth(h.conditions))
		m.HandleFunc("GET /api/v1/conditions/{key}", h.auth(h.condition))
	})
	endpoints = append(endpoints, "GET /api/v1/conditions", "GET /api/v1/conditions/{key}")
}

// ConditionSummaryJSON is a condition in the library's list. The first five
// fields are the contract of issue #4.
type ConditionSummaryJSON struct {
	Key             string   `json:"key"`
	Name            string   `json:"name"`
	ICD10           []string `json:"icd10"`
	OutcomeMeasures []string `json:"outcome_measures"`
	SpecialTests    []string `json:"special_tests"`
	Summary         string   `json:"summary"`
	Motions         []string `json:"motions"`
	Techniques      []string `json:"techniques"`
}

// GoalTemplateJSON is a goal a condition suggests.
type GoalTemplateJSON struct {
	Term    string `json:"term"`
	Measure string `json:"measure"`
	What    string `json:"what"`
	Unit    string `json:"unit"`
	Weeks   int    `json:"weeks"`
	Better  string `json:"better"`
}

// ConditionJSON is one whole library entry.
type ConditionJSON struct {
	ConditionSummaryJSON
	RedFlags   []string           `json:"red_flags"`
	Regions    []string           `json:"regions"`
	Avoid      []string           `json:"avoid"`
	Goals      []GoalTemplateJSON `json:"goals"`
	References []string           `json:"references"`
}

// conditionList makes a nil list an empty one, so JSON never says null for a list.
func conditionList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func conditionSummaryJSON(c assess.Condition) ConditionSummaryJSON {
	return ConditionSummaryJSON{Key: c.Key, Name: c.Name, ICD10: conditionList(c.ICD10), OutcomeMeasures: conditionList(c.OutcomeMeasures),
		SpecialTests: conditionList(c.Tests), Summary: c.Summary, Motions: conditionList(c.Motions), Techniques: conditionList(c.Techniques)}
}

// conditions answers GET /api/v1/conditions with the whole library, in
// the library's order. Any signed-in role may read it: it is reference
// data, not client data, so reading it is not audited.
func (h *API) conditions(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	out := make([]ConditionSummaryJSON, 0, len(assess.Library))
	for _, c := range assess.Library {
		out = append(out, conditionSummaryJSON(c))
	}
	writeJSON(w, http.StatusOK, struct {
		Conditions []ConditionSummaryJSON `json:"conditions"`
	}{out})
}

// condition answers GET /api/v1/conditions/{key} with one whole entry.
func (h *API) condition(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	c, ok := assess.ConditionByKey(r.PathValue("key"))
	if !ok {
		h.fail(w, r, errs.E(errs.NotFound, "No such condition in the library. GET /api/v1/conditions lists the keys."))
		return
	}
	goals := make([]GoalTemplateJSON, 0, len(c.Goals))
	for _, g := range c.Goals {
		goals = append(goals, GoalTemplateJSON(g))
	}
	writeJSON(w, http.StatusOK, ConditionJSON{ConditionSummaryJSON: conditionSummaryJSON(c),
		RedFlags: conditionList(c.RedFlags), Regions: conditionList(c.Regions), Avoid: conditionList(c.Avoid), Goals: goals, References: conditionList(c.References)})
}
