package demo_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/demo"
	"github.com/fascia-health/fascia/internal/testdb"
)

// TestDemoAssessments: the demo clinic shows what evaluations and plans of
// care are for, whatever day it is started: signed initial evaluations
// three to eight weeks old with body-chart marks and restricted motions,
// re-evaluations in the last two weeks that show the client better,
// signed plans sent to the physician (one co-signed, with the returned
// copy filed), a plan superseded by its second version, and one
// evaluation and one plan still in draft. A second start adds nothing.
func TestDemoAssessments(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			db := testdb.Open(t, e)
			a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if _, err := demo.Seed(ctx, a, "demo password", time.Now()); err != nil {
				t.Fatalf("seed: %v", err)
			}
			org, err := db.OrgBySlug(ctx, demo.Slug)
			if err != nil {
				t.Fatal(err)
			}
			us, err := db.Users(ctx, org.ID)
			if err != nil {
				t.Fatal(err)
			}
			roles := map[int64]clinic.Role{}
			var owner *auth.Actor
			for i, u := range us {
				roles[u.ID] = u.Role
				if u.Role == clinic.RoleOwner {
					owner = &auth.Actor{User: &us[i], Org: org, IP: "127.0.0.1", Via: "test"}
				}
			}
			today, _ := time.Parse(clinic.DateLayout, a.ClinicDate(owner))
			daysAgo := func(date string) int {
				d, err := time.Parse(clinic.DateLayout, date)
				if err != nil {
					t.Fatalf("date %q: %v", date, err)
				}
				return int(today.Sub(d).Hours() / 24)
			}
			cs, err := db.SearchClients(ctx, org.ID, clinic.ClientFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}

			type tally struct{ initial, reevals, improved, draftEvals, signedPlans, sent, cosigned, superseded, draftPlans int }
			count := func() tally {
				var n tally
				for _, c := range cs {
					rec, err := a.ClientClinicalRecord(ctx, owner, c.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, s := range rec.Evaluations {
						ev, err := a.Evaluation(ctx, owner, c.ID, s.ID)
						if err != nil {
							t.Fatal(err)
						}
						cond, ok := assess.ConditionByKey(ev.Condition)
						if !ok {
							t.Errorf("evaluation %d: condition %q is not in the library", ev.ID, ev.Condition)
						}
						for _, r := range ev.ROM {
							if !slices.Contains(cond.Motions, r.Motion) {
								t.Errorf("evaluation %d (%s) measures %s", ev.ID, cond.Key, r.Motion)
							}
						}
						for _, x := range ev.Tests {
							if !slices.Contains(cond.Tests, x.Test) {
								t.Errorf("evaluation %d (%s) performs %s", ev.ID, cond.Key, x.Test)
							}
						}
						if s.Status == assess.Draft {
							n.draftEvals++
							continue
						}
						if roles[ev.SignedBy] != clinic.RoleTherapist {
							t.Errorf("evaluation %d signed by a %s", ev.ID, roles[ev.SignedBy])
						}
						switch s.Kind {
						case assess.Initial:
							if d := daysAgo(s.Date); d < 21 || d > 56 {
								t.Errorf("initial evaluation %d is %d days old", s.ID, d)
							}
							if s.Marks < 4 || s.Marks > 12 || s.Flags == 0 || ev.Subjective.PainWorst == nil {
								t.Errorf("initial evaluation %d: %d marks, %d restricted motions, worst pain %v", s.ID, s.Marks, s.Flags, ev.Subjective.PainWorst)
							}
							n.initial++
						case assess.Reeval:
							if d := daysAgo(s.Date); d < 7 || d > 14 {
								t.Errorf("re-evaluation %d is %d days old", s.ID, d)
							}
							prev, err := a.PreviousEvaluation(ctx, owner, ev)
							if err != nil {
								t.Fatal(err)
							}
							if *ev.Subjective.PainWorst < *prev.Subjective.PainWorst && s.Flags < restricted(prev) && len(ev.Marks) <= len(prev.Marks) {
								n.improved++
							}
							n.reevals++
						}
					}
					evalDates := map[int64]string{}
					for _, s := range rec.Evaluations {
						evalDates[s.ID] = s.Date
					}
					for _, p := range rec.Plans {
						if d, ok := evalDates[p.EvaluationID]; !ok || p.StartDate < d {
							t.Errorf("plan %d starts %s, after no evaluation of the client (%q)", p.ID, p.StartDate, d)
						}
						if daysAgo(p.StartDate) < 0 || len(p.Diagnoses) == 0 {
							t.Errorf("plan %d starts %s with diagnoses %v", p.ID, p.StartDate, p.Diagnoses)
						}
						switch p.Status {
						case assess.Draft:
							n.draftPlans++
							continue
						case assess.Superseded:
							n.superseded++
						case assess.Signed:
							n.signedPlans++
							if p.Version > 1 {
								for _, q := range rec.Plans {
									if q.Series == p.Series && q.Version == p.Version-1 && q.Status != assess.Superseded {
										t.Errorf("plan %d is version %d but version %d is %s", p.ID, p.Version, q.Version, q.Status)
									}
								}
							}
						}
						if err := p.ReadyToSign(); err != nil {
							t.Errorf("plan %d was signed incomplete: %v", p.ID, err)
						}
						if !p.SentAt.IsZero() && p.PhysicianID != 0 {
							n.sent++
						}
						if p.CosignedBy != "" {
							if _, data, err := a.Document(ctx, owner, p.CosignDocument); err != nil || len(data) == 0 || daysAgo(p.CosignedOn) < 0 || p.CosignedOn < p.StartDate {
								t.Errorf("plan %d co-signed on %s, copy %d: %v", p.ID, p.CosignedOn, p.CosignDocument, err)
							}
							n.cosigned++
						}
					}
				}
				return n
			}
			got := count()
			if got.initial < 6 || got.reevals < 3 || got.improved < 3 || got.draftEvals != 1 {
				t.Errorf("evaluations: %d signed initial, %d re-evaluations (%d better), %d drafts", got.initial, got.reevals, got.improved, got.draftEvals)
			}
			if got.signedPlans < 5 || got.sent < got.signedPlans+got.superseded || got.cosigned < 1 || got.superseded < 1 || got.draftPlans != 1 {
				t.Errorf("plans: %d signed (%d sent, %d co-signed), %d superseded, %d drafts", got.signedPlans, got.sent, got.cosigned, got.superseded, got.draftPlans)
			}

			// A second start on the same database adds nothing.
			created, err := demo.Seed(ctx, a, "demo password", time.Now())
			if err != nil || created {
				t.Fatalf("second start: created %v, %v", created, err)
			}
			if again := count(); again != got {
				t.Errorf("after a second start: %+v, before %+v", again, got)
			}
		})
	}
}

func restricted(e *assess.Evaluation) int {
	n := 0
	for _, r := range assess.EvaluateROM(e.ROM, assess.DefaultThresholds) {
		if r.Restricted {
			n++
		}
	}
	return n
}
