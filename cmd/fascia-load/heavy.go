package main

import (
	"context"
	"fmt"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
)

// Issue 4's figure: a chart with 50 evaluations and 500 body-chart marks.
const (
	heavyEvaluations = 50
	heavyMarks       = 10 // per evaluation: 500 in all
)

// heavyClient gives clientID a history of heavyEvaluations signed
// evaluations (the first initial, the others re-evaluations, a week apart),
// each with heavyMarks body-chart marks, the carpal tunnel library entry's
// motions measured and its special tests performed, and a signed plan of
// care, all written through the app as a therapist would. It returns the
// newest evaluation's ID (the PDF the harness fetches).
func heavyClient(ctx context.Context, a *app.App, clientID int64) (int64, error) {
	res, err := a.SignIn(ctx, owner, password, "127.0.0.1", "")
	if err != nil {
		return 0, err
	}
	actor, err := a.Authenticate(ctx, res.SessionID, "127.0.0.1")
	if err != nil {
		return 0, err
	}
	cond, ok := assess.ConditionByKey("carpal_tunnel")
	if !ok {
		return 0, fmt.Errorf("no carpal_tunnel in the library")
	}
	// Marks on regions of the anterior and posterior figures, spread over the body.
	var spots []assess.Mark
	for _, r := range assess.Regions {
		for _, v := range r.Views {
			side := ""
			if r.Sided {
				side = "right"
			}
			if x, y, ok := assess.RegionSpot(v, r.Key, side); ok {
				spots = append(spots, assess.Mark{View: v, Region: r.Key, Side: side, X: x, Y: y})
			}
		}
	}
	if len(spots) == 0 {
		return 0, fmt.Errorf("no region spots")
	}
	today := a.ClinicDate(actor)
	var last int64
	for i := 0; i < heavyEvaluations; i++ {
		kind := assess.Initial
		if i > 0 {
			kind = assess.Reeval
		}
		date := shiftDate(today, -7*(heavyEvaluations-i))
		e, err := a.StartEvaluation(ctx, actor, clientID, kind, cond.Key, date)
		if err != nil {
			return 0, fmt.Errorf("evaluation %d: %w", i+1, err)
		}
		pain := 7 - i%5
		e.Subjective.ChiefComplaint = "Numbness and tingling in the right hand at night"
		e.Subjective.PainNow, e.Subjective.PainWorst = &pain, &pain
		e.Marks = nil
		for m := 0; m < heavyMarks; m++ {
			mk := spots[(i*heavyMarks+m)%len(spots)]
			mk.Kind = assess.MarkKinds[m%len(assess.MarkKinds)].Key
			mk.Intensity = 1 + m%3
			mk.Note = "noted on palpation"
			e.Marks = append(e.Marks, mk)
		}
		e.ROM = nil
		for j, r := range cond.SuggestedROM() {
			m, _ := assess.MotionByKey(r.Motion)
			r.Degrees = m.Normal - (j*7+i)%(m.Normal/2+1)
			e.ROM = append(e.ROM, r)
		}
		e.Tests = nil
		for j, t := range cond.SuggestedTests() {
			def, _ := assess.TestByKey(t.Test)
			if def.Sided {
				t.Side = "right"
			}
			t.Result = assess.Results[(i+j)%len(assess.Results)]
			e.Tests = append(e.Tests, t)
		}
		e.Assessment = "Median nerve irritation at the right wrist, improving with treatment."
		if err := a.SaveEvaluation(ctx, actor, e, true); err != nil {
			return 0, fmt.Errorf("evaluation %d: %w", i+1, err)
		}
		last = e.ID
	}
	return last, nil
}

func shiftDate(day string, days int) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, days).Format("2006-01-02")
}
