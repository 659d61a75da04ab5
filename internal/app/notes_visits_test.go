package app

import (
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/care"
)

// Visits towards a re-evaluation are counted per plan of care: signed daily
// notes under that plan since its last signed progress note (or its
// start); drafts and another plan's notes do not count.
func TestPlanVisitsPerPlan(t *testing.T) {
	first := &assess.Plan{ID: 1, StartDate: "2030-03-01"}
	second := &assess.Plan{ID: 2, StartDate: "2030-03-05"}
	note := func(plan int64, date, kind, status string) care.SOAPNote {
		return care.SOAPNote{PlanID: plan, ServiceDate: date, Kind: kind, Status: status}
	}
	// Newest first, as the store lists them.
	notes := []care.SOAPNote{
		note(1, "2030-03-20", care.NoteDaily, care.NoteDraft),
		note(2, "2030-03-18", care.NoteDaily, care.NoteSigned),
		note(1, "2030-03-14", care.NoteDaily, care.NoteSigned),
		note(1, "2030-03-11", care.NoteDaily, care.NoteSigned),
		note(1, "2030-03-10", care.NoteProgress, care.NoteSigned),
		note(2, "2030-03-07", care.NoteDaily, care.NoteSigned),
		note(1, "2030-03-04", care.NoteDaily, care.NoteSigned),
	}
	for _, c := range []struct {
		plan  *assess.Plan
		count int
		since string
	}{{first, 2, "2030-03-10"}, {second, 2, "2030-03-05"}} {
		if got := planVisits(c.plan, notes); got.Count != c.count || got.Since != c.since {
			t.Errorf("plan %d: %+v, want %d visits since %s", c.plan.ID, got, c.count, c.since)
		}
	}
	if got := planVisits(&assess.Plan{ID: 3, StartDate: "2030-04-01"}, notes); got.Count != 0 || got.Since != "2030-04-01" {
		t.Errorf("a plan without notes: %+v", got)
	}
}
