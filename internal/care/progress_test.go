package care

import (
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
)

func TestProgressDue(t *testing.T) {
	rx := []Prescription{{ID: 7, StartOn: "2026-09-01", ExpiresOn: "2026-12-31"}}
	expired := []Prescription{{ID: 7, StartOn: "2026-06-01", ExpiresOn: "2026-10-31"}}
	renewed := []Prescription{{ID: 8, StartOn: "2026-11-01", ExpiresOn: "2027-02-28"}, {ID: 7, StartOn: "2026-06-01", ExpiresOn: "2026-10-31"}}
	plan := func(visits, days int, rxID int64) *assess.Plan {
		return &assess.Plan{ReevalVisits: visits, ReevalDays: days, PrescriptionID: rxID}
	}
	cases := []struct {
		name  string
		p     *assess.Plan
		v     PlanVisits
		today string
		ps    []Prescription
		due   bool
		says  string
	}{
		{"defaults: 9 visits in 20 days", plan(0, 0, 0), PlanVisits{"2026-11-01", 9}, "2026-11-21", nil, false, ""},
		{"defaults: the 10th visit is reached", plan(0, 0, 0), PlanVisits{"2026-11-01", 10}, "2026-11-21", nil, true, "every 10 visits"},
		{"defaults: 30 days have passed", plan(0, 0, 0), PlanVisits{"2026-10-01", 3}, "2026-10-31", nil, true, "30 days since 10/01/2026"},
		{"29 days have not", plan(0, 0, 0), PlanVisits{"2026-10-01", 3}, "2026-10-30", nil, false, ""},
		{"the plan's own interval: 6 visits", plan(6, 0, 0), PlanVisits{"2026-10-01", 6}, "2026-10-20", nil, true, "every 6 visits"},
		{"visits only: days do not count", plan(6, 0, 0), PlanVisits{"2026-01-01", 2}, "2026-10-20", nil, false, ""},
		{"days only", plan(0, 14, 0), PlanVisits{"2026-10-01", 40}, "2026-10-14", nil, false, ""},
		{"prescription in force", plan(0, 0, 7), PlanVisits{"2026-11-01", 1}, "2026-11-20", rx, false, ""},
		{"prescription expired", plan(0, 0, 7), PlanVisits{"2026-11-01", 1}, "2026-11-20", expired, true, "expired on 10/31/2026"},
		{"expired but renewed", plan(0, 0, 7), PlanVisits{"2026-11-01", 1}, "2026-11-20", renewed, false, ""},
		{"prescription not on file", plan(0, 0, 9), PlanVisits{"2026-11-01", 1}, "2026-11-20", rx, true, "not on file"},
	}
	for _, c := range cases {
		due, why := ProgressDue(c.p, c.v, c.today, c.ps)
		if due != c.due || !strings.Contains(why, c.says) {
			t.Errorf("%s: due %v %q; want %v saying %q", c.name, due, why, c.due, c.says)
		}
	}
}
