package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// A demo client's evaluations and plans, read through the API as a
// therapist and as billing; the front desk and other organisations see none.
func TestAPIEvaluationsAndPlans(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		// A demo client with a signed evaluation and a signed plan.
		var clientID, evalID, planID int64
		cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinicFilterAll())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			ps, _ := s.DB.Plans(ctx, s.Org.ID, c.ID)
			es, _ := s.DB.Evaluations(ctx, s.Org.ID, c.ID)
			for _, p := range ps {
				if p.Status == assess.Signed {
					planID = p.ID
				}
			}
			for _, x := range es {
				if x.Status == assess.Signed && x.Flags > 0 {
					evalID = x.ID
				}
			}
			if planID != 0 && evalID != 0 {
				clientID = c.ID
				break
			}
			planID, evalID = 0, 0
		}
		if clientID == 0 {
			t.Fatal("no demo client with a signed evaluation with a restriction and a signed plan")
		}
		base := "/api/v1/clients/" + strconv.FormatInt(clientID, 10)
		owner := s.Token(t, testsrv.Owner)

		r := callS(t, s, owner, http.MethodGet, base+"/evaluations", "")
		var list struct {
			Evaluations []struct {
				ID         int64  `json:"id"`
				Status     string `json:"status"`
				Restricted int    `json:"restricted_motions"`
			} `json:"evaluations"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &list) != nil || len(list.Evaluations) == 0 {
			t.Fatalf("list: %s", r)
		}
		r = callS(t, s, owner, http.MethodGet, base+"/evaluations/"+strconv.FormatInt(evalID, 10), "")
		var one struct {
			ID         int64  `json:"id"`
			Status     string `json:"status"`
			Marks      []assess.Mark
			ROMResults []struct {
				Motion     string  `json:"motion"`
				Percent    float64 `json:"percent_of_normal"`
				Restricted bool    `json:"restricted"`
				Why        string  `json:"why"`
			} `json:"rom_results"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &one) != nil || one.ID != evalID || one.Status != assess.Signed || len(one.Marks) == 0 {
			t.Fatalf("one evaluation: %s", r)
		}
		restricted := false
		for _, x := range one.ROMResults {
			restricted = restricted || (x.Restricted && x.Why != "" && x.Percent > 0)
		}
		if !restricted {
			t.Errorf("the evaluation's results show no restriction: %+v", one.ROMResults)
		}
		biller := s.Token(t, testsrv.Biller)
		r = callS(t, s, biller, http.MethodGet, base+"/plans/"+strconv.FormatInt(planID, 10), "")
		var plan assess.Plan
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &plan) != nil || plan.ID != planID || len(plan.Goals) == 0 || len(plan.Diagnoses) == 0 {
			t.Fatalf("billing reading the plan: %s", r)
		}
		if r := callS(t, s, biller, http.MethodGet, base+"/plans", ""); r.status != http.StatusOK {
			t.Errorf("billing listing plans: %s", r)
		}
		desk := s.Token(t, testsrv.FrontDesk)
		for _, p := range []string{base + "/evaluations", base + "/plans", base + "/plans/" + strconv.FormatInt(planID, 10)} {
			if r := callS(t, s, desk, http.MethodGet, p, ""); r.status != http.StatusForbidden {
				t.Errorf("front desk GET %s: %d", p, r.status)
			}
		}
		other := s.Token(t, testsrv.OtherOwner)
		if r := callS(t, s, other, http.MethodGet, base+"/evaluations/"+strconv.FormatInt(evalID, 10), ""); r.status != http.StatusNotFound {
			t.Errorf("another organisation: %d", r.status)
		}
		if r := callS(t, s, owner, http.MethodGet, base+"/evaluations/0", ""); r.status != http.StatusNotFound {
			t.Errorf("evaluation 0: %d", r.status)
		}
	})
}

func clinicFilterAll() clinic.ClientFilter { return clinic.ClientFilter{Limit: 200, Brief: true} }
