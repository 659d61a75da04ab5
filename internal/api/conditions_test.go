package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// conditionContract is the shape issue #4 fixes for GET /api/v1/conditions.
type conditionContract struct {
	Key             string   `json:"key"`
	Name            string   `json:"name"`
	ICD10           []string `json:"icd10"`
	OutcomeMeasures []string `json:"outcome_measures"`
	SpecialTests    []string `json:"special_tests"`
}

func TestAPIConditionsContract(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		tok := s.Token(t, testsrv.TherapistA)

		r := callS(t, s, tok, http.MethodGet, "/api/v1/conditions", "")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Fatalf("GET /api/v1/conditions: %s", r)
		}
		if !strings.HasPrefix(r.body, `{"conditions":[{"key":"`) {
			t.Errorf("the body does not start in the contract's shape: %.80s", r.body)
		}
		// One top-level key, conditions, a list.
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.body), &top); err != nil || len(top) != 1 || top["conditions"] == nil {
			t.Fatalf("top level: %v %v", err, top)
		}
		var out struct {
			Conditions []conditionContract `json:"conditions"`
		}
		if err := json.Unmarshal([]byte(r.body), &out); err != nil {
			t.Fatal(err)
		}
		// Every entry has the contract's keys with lists, never null.
		var raw struct {
			Conditions []map[string]json.RawMessage `json:"conditions"`
		}
		json.Unmarshal([]byte(r.body), &raw)
		for _, c := range raw.Conditions {
			for _, k := range []string{"icd10", "outcome_measures", "special_tests", "motions", "techniques"} {
				if v := string(c[k]); !strings.HasPrefix(v, "[") {
					t.Errorf("%s: %s is %q, want a list", c["key"], k, v)
				}
			}
			for _, k := range []string{"key", "name", "summary"} {
				if v := string(c[k]); !strings.HasPrefix(v, `"`) || len(v) < 3 {
					t.Errorf("%s: %s is %q", c["key"], k, v)
				}
			}
		}

		if len(out.Conditions) != 28 || len(out.Conditions) != len(assess.Library) {
			t.Errorf("%d conditions, want 28", len(out.Conditions))
		}
		codes := icd10.Builtin()
		seen := map[string]bool{}
		for i, c := range out.Conditions {
			if c.Key != assess.Library[i].Key || c.Name != assess.Library[i].Name {
				t.Errorf("entry %d is %s (%s), want the library's order", i, c.Key, c.Name)
			}
			if seen[c.Key] {
				t.Errorf("%s listed twice", c.Key)
			}
			seen[c.Key] = true
			if len(c.ICD10) == 0 || len(c.OutcomeMeasures) == 0 {
				t.Errorf("%s: codes %v measures %v", c.Key, c.ICD10, c.OutcomeMeasures)
			}
			// The contract: every code listed is billable in the built-in code set.
			for _, code := range c.ICD10 {
				if got, ok := codes.Lookup(code); !ok || !got.Billable || got.Code != code {
					t.Errorf("%s: %s is not a billable code of the built-in set (%+v)", c.Key, code, got)
				}
			}
			for _, k := range c.SpecialTests {
				if _, ok := assess.TestByKey(k); !ok {
					t.Errorf("%s: unknown special test %q", c.Key, k)
				}
			}
		}
		var ct conditionContract
		for _, c := range out.Conditions {
			if c.Key == "carpal_tunnel" {
				ct = c
			}
		}
		if ct.Name != "Carpal tunnel syndrome" || !slices.Contains(ct.ICD10, "G56.01") || !slices.Contains(ct.SpecialTests, "phalen") ||
			!slices.Contains(ct.SpecialTests, "tinel_wrist") || !slices.Contains(ct.OutcomeMeasures, "Boston CTQ") {
			t.Errorf("carpal tunnel: %+v", ct)
		}

		// One whole entry.
		r = callS(t, s, tok, http.MethodGet, "/api/v1/conditions/carpal_tunnel", "")
		if r.status != http.StatusOK {
			t.Fatalf("GET carpal_tunnel: %s", r)
		}
		var one struct {
			conditionContract
			Summary    string   `json:"summary"`
			Motions    []string `json:"motions"`
			Techniques []string `json:"techniques"`
			RedFlags   []string `json:"red_flags"`
			Regions    []string `json:"regions"`
			Avoid      []string `json:"avoid"`
			Goals      []struct {
				Term, Measure, What, Unit, Better string
				Weeks                             int
			} `json:"goals"`
			References []string `json:"references"`
		}
		dec := json.NewDecoder(strings.NewReader(r.body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&one); err != nil {
			t.Fatalf("entry: %v (%s)", err, r)
		}
		want, _ := assess.ConditionByKey("carpal_tunnel")
		if one.Key != want.Key || one.Summary != want.Summary || !slices.Equal(one.Motions, want.Motions) || !slices.Equal(one.Techniques, want.Techniques) ||
			!slices.Equal(one.RedFlags, want.RedFlags) || !slices.Equal(one.Regions, want.Regions) || !slices.Equal(one.Avoid, want.Avoid) ||
			!slices.Equal(one.References, want.References) || len(one.Goals) != len(want.Goals) {
			t.Errorf("entry differs from the library: %+v", one)
		}
		for i, g := range one.Goals {
			w := want.Goals[i]
			if g.Term != w.Term || g.Measure != w.Measure || g.What != w.What || g.Unit != w.Unit || g.Weeks != w.Weeks || g.Better != w.Better {
				t.Errorf("goal %d: %+v, want %+v", i, g, w)
			}
		}
		// Fibromyalgia has no special test: an empty list, not null.
		r = callS(t, s, tok, http.MethodGet, "/api/v1/conditions/fibromyalgia", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"special_tests":[]`) {
			t.Errorf("fibromyalgia: %s", r)
		}

		// Unknown keys, no token.
		for _, k := range []string{"no_such", "CARPAL_TUNNEL", "carpal_tunnel%20", "%3Cscript%3E"} {
			e := wantError(t, "GET "+k, callS(t, s, tok, http.MethodGet, "/api/v1/conditions/"+k, ""), http.StatusNotFound, "not_found")
			if strings.ContainsAny(e.Error.Message, "<>") {
				t.Errorf("%s: message %q", k, e.Error.Message)
			}
		}
		wantError(t, "no token", callS(t, s, "", http.MethodGet, "/api/v1/conditions", ""), http.StatusUnauthorized, "unauthorized")
		wantError(t, "no token", callS(t, s, "", http.MethodGet, "/api/v1/conditions/carpal_tunnel", ""), http.StatusUnauthorized, "unauthorized")
		wantError(t, "POST", callS(t, s, tok, http.MethodPost, "/api/v1/conditions", `{}`), http.StatusNotFound, "not_found")

		// Every role of either organisation may read it.
		for _, who := range []string{testsrv.Owner, testsrv.FrontDesk, testsrv.Biller, testsrv.OtherTherapist} {
			r := callS(t, s, s.Token(t, who), http.MethodGet, "/api/v1/conditions/low_back_pain", "")
			if r.status != http.StatusOK || !strings.Contains(r.body, `"M54.50"`) {
				t.Errorf("%s: %s", who, r)
			}
		}
	})
}
