package store_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

func intp(n int) *int { return &n }

// spot is a body-chart mark placed where the region list would put it.
func spot(t *testing.T, view, region, side, kind string, intensity int, note string) assess.Mark {
	t.Helper()
	x, y, ok := assess.RegionSpot(view, region, side)
	if !ok {
		t.Fatalf("no spot for %s %s %s", view, region, side)
	}
	return assess.Mark{View: view, Region: region, Side: side, X: x, Y: y, Kind: kind, Intensity: intensity, Note: note}
}

// carpalTunnelFindings fills an evaluation the way a therapist would for
// right-sided carpal tunnel symptoms. Two motions are restricted: right
// wrist extension (45° of 70°, 64%) and right wrist flexion (55° of 80°,
// 69%); the left side and everything else is within the default thresholds.
func carpalTunnelFindings(t *testing.T, e *assess.Evaluation) {
	e.Subjective = assess.Subjective{
		ChiefComplaint: "Numbness and tingling in my right thumb and first two fingers, worse at night.",
		OnsetDate:      "2026-06-15", Mechanism: "Gradual, after a month of long days on a new laptop.",
		Aggravating: "Typing, holding my phone, driving", Easing: "Shaking my hand out, a wrist splint at night",
		PainNow: intp(3), PainBest: intp(1), PainWorst: intp(7),
		FunctionalLimits: "I wake up twice a night with my hand asleep; I can't type for more than 20 minutes.",
		PriorTreatment:   "Night splint from my doctor, ibuprofen.", ClientGoals: "Sleep through the night and work a full day.",
	}
	e.Posture = []assess.PostureFinding{{Finding: "forward_head"}, {Finding: "rounded_shoulders", Note: "more on the right"}, {Finding: "elevated_shoulder", Side: "right"}}
	e.Marks = []assess.Mark{
		spot(t, "anterior", "forearm_flexors", "right", "trigger_point", 2, "refers into the palm"),
		spot(t, "anterior", "wrist", "right", "numbness", 2, ""),
		spot(t, "anterior", "thenar", "right", "tenderness", 1, ""),
		spot(t, "anterior", "pectoralis_minor", "right", "hypertonicity", 2, ""),
		spot(t, "lateral", "scalenes", "right", "trigger_point", 1, ""),
	}
	e.ROM = []assess.ROM{
		{Motion: "wrist.extension", Side: "right", Degrees: 45, Pain: true},
		{Motion: "wrist.extension", Side: "left", Degrees: 68},
		{Motion: "wrist.flexion", Side: "right", Degrees: 55},
		{Motion: "wrist.flexion", Side: "left", Degrees: 76},
		{Motion: "wrist.flexion", Side: "right", Passive: true, Degrees: 72},
	}
	e.Tests = []assess.TestResult{
		{Test: "phalen", Side: "right", Result: "positive", Note: "tingling in digits 1-3 at 35 seconds"},
		{Test: "phalen", Side: "left", Result: "negative"},
		{Test: "tinel_wrist", Side: "right", Result: "positive"},
		{Test: "spurling", Side: "right", Result: "negative"},
	}
	e.Gait = []string{"reduced_arm_swing"}
	e.GaitNote = "Right arm held close to the body."
	e.Assessment = "Findings consistent with median nerve irritation at the right wrist; cervical screen negative."
}

// evalContent is what a reader of an evaluation sees of its content.
func evalContent(e *assess.Evaluation) []any {
	return []any{e.Kind, e.Date, e.Condition, e.PreviousID, e.Subjective, e.Posture, e.Marks, e.ROM, e.Tests, e.Gait, e.GaitNote, e.Assessment}
}

func TestAssessEvaluations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 9, 1, 15, 30, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		bob := newClient(f, "Bob", "Jones", "1980-01-02")
		create(t, db, ann)
		create(t, db, bob)
		save := func(fn func(tx *sql.Tx) error) error { return tx(t, db, fn) }
		read := func(orgID, clientID, id int64) *assess.Evaluation {
			t.Helper()
			e, err := db.Evaluation(ctx, orgID, clientID, id)
			if err != nil {
				t.Fatalf("read evaluation %d: %v", id, err)
			}
			return e
		}

		e := &assess.Evaluation{OrgID: f.org.ID, ClientID: ann.ID, Kind: assess.Initial, Date: "2026-09-01", Condition: "carpal_tunnel", TherapistID: f.therapist.ID}
		if err := save(func(tx *sql.Tx) error { return db.CreateEvaluation(ctx, tx, e, assess.DefaultThresholds) }); err != nil {
			t.Fatal(err)
		}
		if e.ID == 0 || e.Status != assess.Draft || e.Version != 1 {
			t.Fatalf("created %+v", e)
		}
		if got := read(f.org.ID, ann.ID, e.ID); got.Status != assess.Draft || got.Version != 1 || got.TherapistID != f.therapist.ID || got.Condition != "carpal_tunnel" {
			t.Fatalf("new draft read back %+v", got)
		}

		// Saved at the version read, the whole content comes back as written.
		stale := *e
		carpalTunnelFindings(t, e)
		if err := save(func(tx *sql.Tx) error { return db.UpdateEvaluation(ctx, tx, e, assess.DefaultThresholds) }); err != nil || e.Version != 2 {
			t.Fatalf("update: %v (version %d)", err, e.Version)
		}
		got := read(f.org.ID, ann.ID, e.ID)
		if !reflect.DeepEqual(evalContent(got), evalContent(e)) {
			t.Errorf("content did not round-trip:\n got %+v\nwant %+v", evalContent(got), evalContent(e))
		}
		if got.Version != 2 || got.Status != assess.Draft || !got.SignedAt.IsZero() {
			t.Errorf("after update: version %d, status %s, signed at %v", got.Version, got.Status, got.SignedAt)
		}

		// A save from a stale copy is a conflict and changes nothing.
		stale.Assessment = "Overwritten by a second tab."
		err := save(func(tx *sql.Tx) error { return db.UpdateEvaluation(ctx, tx, &stale, assess.DefaultThresholds) })
		if errs.Code(err) != errs.Conflict || strings.Contains(errs.Message(err), "signed") {
			t.Errorf("stale save: %v", err)
		}
		if err := save(func(tx *sql.Tx) error { return db.SignEvaluation(ctx, tx, f.org.ID, ann.ID, e.ID, 1, f.therapist.ID) }); errs.Code(err) != errs.Conflict {
			t.Errorf("signing a stale version: %v", err)
		}
		if now := read(f.org.ID, ann.ID, e.ID); !reflect.DeepEqual(evalContent(now), evalContent(e)) || now.Version != 2 || now.Status != assess.Draft {
			t.Errorf("a stale save or sign changed the evaluation: %+v", now)
		}

		// Signed: it reads as signed by the therapist, and nothing changes it any more.
		if err := save(func(tx *sql.Tx) error {
			return db.SignEvaluation(ctx, tx, f.org.ID, ann.ID, e.ID, e.Version, f.therapist.ID)
		}); err != nil {
			t.Fatal(err)
		}
		signed := read(f.org.ID, ann.ID, e.ID)
		if signed.Status != assess.Signed || signed.SignedBy != f.therapist.ID || signed.SignedByName != "Tess" || !signed.SignedAt.Equal(clock) {
			t.Fatalf("signed evaluation reads %s by %d (%q) at %v", signed.Status, signed.SignedBy, signed.SignedByName, signed.SignedAt)
		}
		edit := *signed
		edit.Assessment = "Changed after signing."
		for name, fn := range map[string]func(tx *sql.Tx) error{
			"update": func(tx *sql.Tx) error { return db.UpdateEvaluation(ctx, tx, &edit, assess.DefaultThresholds) },
			"sign": func(tx *sql.Tx) error {
				return db.SignEvaluation(ctx, tx, f.org.ID, ann.ID, e.ID, e.Version, f.therapist.ID)
			},
		} {
			if err := save(fn); errs.Code(err) != errs.Conflict || !strings.Contains(errs.Message(err), "signed") {
				t.Errorf("%s of a signed evaluation: %v", name, err)
			}
		}
		// Below the code too: a change by hand in the database is refused.
		for _, q := range []string{
			"UPDATE evaluations SET body = '{}' WHERE id = $1",
			"UPDATE evaluations SET status = 'draft' WHERE id = $1",
			"UPDATE evaluations SET service_date = '2026-08-01', mark_count = 0 WHERE id = $1",
			"DELETE FROM evaluations WHERE id = $1",
			"INSERT INTO evaluations (id, org_id, client_id, kind, service_date, body, status, therapist_id, created_at, updated_at) SELECT id, org_id, client_id, kind, service_date, '{}', 'draft', therapist_id, 0, 0 FROM evaluations WHERE id = $1 ON CONFLICT (id) DO UPDATE SET body = excluded.body, status = excluded.status",
		} {
			if _, err := db.ExecForTest(ctx, q, e.ID); err == nil {
				t.Errorf("%q succeeded on a signed evaluation", q)
			}
		}
		if db.Engine == store.SQLite {
			if _, err := db.ExecForTest(ctx, "INSERT OR REPLACE INTO evaluations (id, org_id, client_id, kind, service_date, body, status, therapist_id, created_at, updated_at) VALUES ($1, $2, $3, 'initial', '2026-09-01', '{}', 'draft', $4, 0, 0)", e.ID, f.org.ID, ann.ID, f.therapist.ID); err == nil {
				t.Error("INSERT OR REPLACE replaced a signed evaluation")
			}
		}
		if now := read(f.org.ID, ann.ID, e.ID); !reflect.DeepEqual(now, signed) {
			t.Errorf("the signed evaluation changed:\n got %+v\nwant %+v", now, signed)
		}
		if got, err := db.LatestSignedEvaluation(ctx, f.org.ID, ann.ID); err != nil || got.ID != e.ID {
			t.Errorf("latest signed: %v, %v", got, err)
		}
		if _, err := db.LatestSignedEvaluation(ctx, f.org.ID, bob.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("latest signed of a client without one: %v", err)
		}

		// A re-evaluation starts from a signed evaluation of the same client.
		clock = clock.Add(21 * 24 * time.Hour)
		re := assess.StartReeval(signed, "2026-09-22")
		re.OrgID, re.TherapistID = f.org.ID, f.therapist.ID
		re.Subjective.PainWorst = intp(4)
		re.ROM[0].Degrees, re.ROM[2].Degrees = 62, 70 // both within 75% of normal and 15% of the left now
		re.Marks = re.Marks[:3]
		re.Assessment = "Night waking down to once a week; wrist range nearly full."
		if err := save(func(tx *sql.Tx) error { return db.CreateEvaluation(ctx, tx, re, assess.DefaultThresholds) }); err != nil {
			t.Fatal(err)
		}
		for name, prev := range map[string]int64{"a draft": re.ID, "another client's": 0} {
			bad := &assess.Evaluation{OrgID: f.org.ID, ClientID: bob.ID, Kind: assess.Reeval, PreviousID: prev, Date: "2026-09-23", TherapistID: f.therapist.ID}
			if prev == 0 {
				bad.PreviousID = e.ID
			} else {
				bad.ClientID = ann.ID
			}
			if err := save(func(tx *sql.Tx) error { return db.CreateEvaluation(ctx, tx, bad, assess.DefaultThresholds) }); errs.Code(err) != errs.Invalid {
				t.Errorf("re-evaluation from %s evaluation: %v", name, err)
			}
		}

		// The client's list: newest first, with the counts a chart shows.
		list, err := db.Evaluations(ctx, f.org.ID, ann.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %+v, %v", list, err)
		}
		first, second := list[0], list[1]
		if first.ID != re.ID || first.Kind != assess.Reeval || first.PreviousID != e.ID || first.Date != "2026-09-22" || first.Status != assess.Draft ||
			first.Marks != 3 || first.Flags != 0 || first.TherapistName != "Tess" || first.SignedAt != 0 {
			t.Errorf("newest: %+v", first)
		}
		if second.ID != e.ID || second.Kind != assess.Initial || second.Condition != "carpal_tunnel" || second.Status != assess.Signed ||
			second.Marks != 5 || second.Flags != 2 || second.SignedAt != signed.SignedAt.UnixMilli() {
			t.Errorf("initial: %+v", second)
		}
		if l, err := db.Evaluations(ctx, f.org.ID, bob.ID); err != nil || len(l) != 0 {
			t.Errorf("another client's list: %+v, %v", l, err)
		}

		// A statement that would empty the table stops at the signed row
		// and removes nothing, not even the draft.
		if _, err := db.ExecForTest(ctx, "DELETE FROM evaluations"); err == nil {
			t.Error("DELETE FROM evaluations succeeded")
		}
		if db.Engine == store.Postgres {
			if _, err := db.ExecForTest(ctx, "TRUNCATE evaluations CASCADE"); err == nil {
				t.Error("TRUNCATE evaluations succeeded")
			}
		}
		if l, _ := db.Evaluations(ctx, f.org.ID, ann.ID); len(l) != 2 {
			t.Errorf("%d evaluations left after a refused delete", len(l))
		}

		// Another organisation, or another client's address, finds nothing and changes nothing.
		if _, err := db.Evaluation(ctx, f.otherOrg.ID, ann.ID, e.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation read it: %v", err)
		}
		if _, err := db.Evaluation(ctx, f.org.ID, bob.ID, e.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("read under another client: %v", err)
		}
		if l, err := db.Evaluations(ctx, f.otherOrg.ID, ann.ID); err != nil || len(l) != 0 {
			t.Errorf("another organisation's list: %+v, %v", l, err)
		}
		if _, err := db.LatestSignedEvaluation(ctx, f.otherOrg.ID, ann.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation's latest: %v", err)
		}
		theirs := *re
		theirs.OrgID, theirs.Assessment = f.otherOrg.ID, "Taken over."
		if err := save(func(tx *sql.Tx) error { return db.UpdateEvaluation(ctx, tx, &theirs, assess.DefaultThresholds) }); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation's update: %v", err)
		}
		if err := save(func(tx *sql.Tx) error {
			return db.SignEvaluation(ctx, tx, f.otherOrg.ID, ann.ID, re.ID, re.Version, f.therapist.ID)
		}); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation's sign: %v", err)
		}
		intruder := &assess.Evaluation{OrgID: f.otherOrg.ID, ClientID: ann.ID, Kind: assess.Initial, Date: "2026-09-22", TherapistID: f.therapist.ID}
		if err := save(func(tx *sql.Tx) error { return db.CreateEvaluation(ctx, tx, intruder, assess.DefaultThresholds) }); errs.Code(err) != errs.NotFound {
			t.Errorf("an evaluation of another organisation's client: %v", err)
		}
		if now := read(f.org.ID, ann.ID, re.ID); now.Assessment != re.Assessment || now.Status != assess.Draft || now.Version != re.Version {
			t.Errorf("the draft changed: %+v", now)
		}
	})
}

// planContent is what a reader of a plan sees of its content.
func planContent(p *assess.Plan) []any {
	return []any{p.ClientID, p.Series, p.Version, p.EvaluationID, p.Condition, p.StartDate, p.Diagnoses, p.PrescriptionID, p.Goals, p.Techniques,
		p.PerWeek, p.Weeks, p.ReevalVisits, p.ReevalDays, p.Precautions, p.HomeCare, p.PhysicianID}
}

func TestAssessPlans(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 9, 2, 14, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return clock }
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		bob := newClient(f, "Bob", "Jones", "1980-01-02")
		create(t, db, ann)
		create(t, db, bob)
		kim := &clinic.Physician{OrgID: f.org.ID, Name: "Sarah Kim", Credentials: "MD"}
		elsewhere := &clinic.Physician{OrgID: f.otherOrg.ID, Name: "Elsewhere Doctor"}
		addPhysician(t, db, kim)
		addPhysician(t, db, elsewhere)
		save := func(fn func(tx *sql.Tx) error) error { return tx(t, db, fn) }
		read := func(id int64) *assess.Plan {
			t.Helper()
			p, err := db.Plan(ctx, f.org.ID, ann.ID, id)
			if err != nil {
				t.Fatalf("read plan %d: %v", id, err)
			}
			return p
		}
		ev := &assess.Evaluation{OrgID: f.org.ID, ClientID: ann.ID, Kind: assess.Initial, Date: "2026-09-01", Condition: "carpal_tunnel", TherapistID: f.therapist.ID}
		bobEv := &assess.Evaluation{OrgID: f.org.ID, ClientID: bob.ID, Kind: assess.Initial, Date: "2026-09-01", TherapistID: f.therapist.ID}
		annDoc := &clinic.Document{OrgID: f.org.ID, ClientID: ann.ID, Kind: "plan_of_care", Filename: "cosigned.pdf", UploadedBy: f.therapist.ID}
		bobDoc := &clinic.Document{OrgID: f.org.ID, ClientID: bob.ID, Kind: "plan_of_care", Filename: "cosigned.pdf", UploadedBy: f.therapist.ID}
		err := save(func(tx *sql.Tx) error {
			carpalTunnelFindings(t, ev)
			for _, e := range []*assess.Evaluation{ev, bobEv} {
				if err := db.CreateEvaluation(ctx, tx, e, assess.DefaultThresholds); err != nil {
					return err
				}
			}
			if err := db.SignEvaluation(ctx, tx, f.org.ID, ann.ID, ev.ID, ev.Version, f.therapist.ID); err != nil {
				return err
			}
			for _, d := range []*clinic.Document{annDoc, bobDoc} {
				if err := db.CreateDocument(ctx, tx, d, []byte(tinyPDF)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		p := &assess.Plan{OrgID: f.org.ID, ClientID: ann.ID, EvaluationID: ev.ID, Condition: "carpal_tunnel", StartDate: "2026-09-02",
			Diagnoses: []string{"G56.01"}, PrescriptionID: 0, TherapistID: f.therapist.ID, PhysicianID: kim.ID,
			Goals: []assess.Goal{
				{Term: "short", Measure: assess.MeasurePain, What: "hand and wrist pain at worst", Baseline: 7, Target: 5, Unit: "/10", TargetDate: "2026-09-30"},
				{Term: "short", Measure: assess.MeasureROM, What: "wrist.extension", Side: "right", Baseline: 45, Target: 58, Unit: "degrees", TargetDate: "2026-09-30"},
				{Term: "long", Measure: assess.MeasureOutcome, What: "Boston CTQ", Baseline: 2.8, Target: 1.9, Unit: "points", TargetDate: "2026-10-28"},
			},
			Techniques: []assess.PlannedTechnique{
				{Technique: "myofascial_release", Regions: []string{"forearm_flexors", "wrist"}},
				{Technique: "trigger_point", Regions: []string{"forearm_flexors", "scalenes", "pectoralis_minor"}},
			},
			PerWeek: 2, Weeks: 8, ReevalVisits: 6, ReevalDays: 30,
			Precautions: []string{"No sustained pressure over the carpal tunnel."}, HomeCare: "Median nerve glides twice a day."}
		if err := save(func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, p) }); err != nil {
			t.Fatal(err)
		}
		if p.ID == 0 || p.Series != p.ID || p.Version != 1 || p.Status != assess.Draft || p.RowVersion != 1 {
			t.Fatalf("new plan: id %d series %d version %d status %s row version %d", p.ID, p.Series, p.Version, p.Status, p.RowVersion)
		}
		if got := read(p.ID); !reflect.DeepEqual(planContent(got), planContent(p)) || got.Status != assess.Draft {
			t.Errorf("plan did not round-trip:\n got %+v\nwant %+v", planContent(got), planContent(p))
		}
		for name, bad := range map[string]assess.Plan{
			"another client's evaluation":   {OrgID: f.org.ID, ClientID: ann.ID, EvaluationID: bobEv.ID, StartDate: "2026-09-02", TherapistID: f.therapist.ID},
			"another organisation's client": {OrgID: f.otherOrg.ID, ClientID: ann.ID, StartDate: "2026-09-02", TherapistID: f.therapist.ID},
			"a series that does not exist":  {OrgID: f.org.ID, ClientID: ann.ID, Series: p.ID + 1000, StartDate: "2026-09-02", TherapistID: f.therapist.ID},
			"another client's series":       {OrgID: f.org.ID, ClientID: bob.ID, Series: p.Series, StartDate: "2026-09-02", TherapistID: f.therapist.ID},
		} {
			if err := save(func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, &bad) }); err == nil {
				t.Errorf("a plan with %s was stored", name)
			}
		}

		// Drafts save at the version read; a stale copy is a conflict.
		stale := *p
		p.Goals[2].Target, p.HomeCare = 1.5, "Median nerve glides twice a day; splint at night."
		if err := save(func(tx *sql.Tx) error { return db.UpdatePlan(ctx, tx, p) }); err != nil || p.RowVersion != 2 {
			t.Fatalf("update: %v (row version %d)", err, p.RowVersion)
		}
		stale.PerWeek = 5
		if err := save(func(tx *sql.Tx) error { return db.UpdatePlan(ctx, tx, &stale) }); errs.Code(err) != errs.Conflict || strings.Contains(errs.Message(err), "signed") {
			t.Errorf("stale update: %v", err)
		}
		if err := save(func(tx *sql.Tx) error { return db.SignPlan(ctx, tx, f.org.ID, ann.ID, p.ID, 1, f.therapist.ID) }); errs.Code(err) != errs.Conflict {
			t.Errorf("signing a stale version: %v", err)
		}
		if got := read(p.ID); !reflect.DeepEqual(planContent(got), planContent(p)) || got.RowVersion != 2 || got.Status != assess.Draft {
			t.Errorf("after a stale save: %+v", got)
		}
		// Only a signed plan is sent or co-signed.
		if err := save(func(tx *sql.Tx) error { return db.MarkPlanSent(ctx, tx, f.org.ID, ann.ID, p.ID, kim.ID) }); errs.Code(err) != errs.Conflict {
			t.Errorf("sending a draft: %v", err)
		}
		if err := save(func(tx *sql.Tx) error {
			return db.RecordCosign(ctx, tx, f.org.ID, ann.ID, p.ID, "2026-09-03", "Sarah Kim, MD", 0)
		}); errs.Code(err) != errs.Conflict {
			t.Errorf("co-signing a draft: %v", err)
		}

		// Signed: read back as signed, and neither the code nor a hand in the database changes its content.
		if err := save(func(tx *sql.Tx) error {
			return db.SignPlan(ctx, tx, f.org.ID, ann.ID, p.ID, p.RowVersion, f.therapist.ID)
		}); err != nil {
			t.Fatal(err)
		}
		v1 := read(p.ID)
		if v1.Status != assess.Signed || v1.SignedBy != f.therapist.ID || v1.SignedByName != "Tess" || !v1.SignedAt.Equal(clock) || !reflect.DeepEqual(planContent(v1), planContent(p)) {
			t.Fatalf("signed plan reads %+v", v1)
		}
		edit := *v1
		edit.PerWeek = 3
		if err := save(func(tx *sql.Tx) error { return db.UpdatePlan(ctx, tx, &edit) }); errs.Code(err) != errs.Conflict || !strings.Contains(errs.Message(err), "signed") {
			t.Errorf("update of a signed plan: %v", err)
		}
		if err := save(func(tx *sql.Tx) error {
			return db.SignPlan(ctx, tx, f.org.ID, ann.ID, p.ID, v1.RowVersion, f.therapist.ID)
		}); errs.Code(err) != errs.Conflict {
			t.Errorf("signing a signed plan again: %v", err)
		}
		for _, q := range []string{
			"UPDATE treatment_plans SET body = '{}' WHERE id = $1",
			"UPDATE treatment_plans SET start_date = '2026-08-01' WHERE id = $1",
			"UPDATE treatment_plans SET status = 'draft' WHERE id = $1",
			"UPDATE treatment_plans SET plan_version = 7 WHERE id = $1",
			"UPDATE treatment_plans SET signed_at = 0, signed_by = NULL WHERE id = $1",
			"DELETE FROM treatment_plans WHERE id = $1",
		} {
			if _, err := db.ExecForTest(ctx, q, p.ID); err == nil {
				t.Errorf("%q succeeded on a signed plan", q)
			}
		}
		if got := read(p.ID); !reflect.DeepEqual(got, v1) {
			t.Errorf("the signed plan changed:\n got %+v\nwant %+v", got, v1)
		}

		// What may still happen to a signed plan: sent to the physician, the co-signature recorded.
		if err := save(func(tx *sql.Tx) error { return db.MarkPlanSent(ctx, tx, f.org.ID, ann.ID, p.ID, elsewhere.ID) }); errs.Code(err) != errs.Invalid {
			t.Errorf("sent to another organisation's physician: %v", err)
		}
		clock = clock.Add(time.Hour)
		if err := save(func(tx *sql.Tx) error { return db.MarkPlanSent(ctx, tx, f.org.ID, ann.ID, p.ID, kim.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := save(func(tx *sql.Tx) error {
			return db.RecordCosign(ctx, tx, f.org.ID, ann.ID, p.ID, "2026-09-09", "Sarah Kim, MD", bobDoc.ID)
		}); errs.Code(err) != errs.Invalid || errs.FieldsOf(err)["document"] == "" {
			t.Errorf("co-signed copy filed under another client: %v", err)
		}
		if err := save(func(tx *sql.Tx) error {
			return db.RecordCosign(ctx, tx, f.org.ID, ann.ID, p.ID, "2026-09-09", "Sarah Kim, MD", annDoc.ID)
		}); err != nil {
			t.Fatal(err)
		}
		got := read(p.ID)
		if got.PhysicianID != kim.ID || !got.SentAt.Equal(clock) || got.CosignedOn != "2026-09-09" || got.CosignedBy != "Sarah Kim, MD" ||
			got.CosignDocument != annDoc.ID || got.Status != assess.Signed || !reflect.DeepEqual(planContent(got), planContent(v1)) {
			t.Errorf("after sending and co-signing: %+v", got)
		}

		// A new version continues the series as a draft; only one at a time.
		clock = clock.Add(20 * 24 * time.Hour)
		v2 := *got
		v2.ID, v2.StartDate, v2.PerWeek, v2.Weeks = 0, "2026-09-23", 1, 4
		v2.Goals = []assess.Goal{
			{Term: "short", Measure: assess.MeasurePain, What: "hand and wrist pain at worst", Baseline: 4, Target: 2, Unit: "/10", TargetDate: "2026-10-07"},
			{Term: "long", Measure: assess.MeasureOutcome, What: "Boston CTQ", Baseline: 2.1, Target: 1.5, Unit: "points", TargetDate: "2026-10-21"},
		}
		v2.SentAt, v2.CosignedOn, v2.CosignedBy, v2.CosignDocument = time.Time{}, "", "", 0
		if err := save(func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, &v2) }); err != nil {
			t.Fatal(err)
		}
		if v2.ID == p.ID || v2.Series != p.Series || v2.Version != 2 || v2.Status != assess.Draft {
			t.Fatalf("second version: id %d series %d version %d status %s", v2.ID, v2.Series, v2.Version, v2.Status)
		}
		another := v2
		another.ID = 0
		if err := save(func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, &another) }); errs.Code(err) != errs.Conflict {
			t.Errorf("a second draft of the series: %v", err)
		}
		for name, fn := range map[string]func(tx *sql.Tx) error{
			"sent": func(tx *sql.Tx) error { return db.MarkPlanSent(ctx, tx, f.org.ID, ann.ID, v2.ID, kim.ID) },
			"co-signed": func(tx *sql.Tx) error {
				return db.RecordCosign(ctx, tx, f.org.ID, ann.ID, v2.ID, "2026-09-23", "Sarah Kim, MD", 0)
			},
		} {
			if err := save(fn); errs.Code(err) != errs.Conflict {
				t.Errorf("draft version 2 %s: %v", name, err)
			}
		}
		if got := read(p.ID); got.Status != assess.Signed {
			t.Errorf("version 1 is %s while version 2 is a draft", got.Status)
		}

		// Signing version 2 supersedes version 1.
		if err := save(func(tx *sql.Tx) error {
			return db.SignPlan(ctx, tx, f.org.ID, ann.ID, v2.ID, v2.RowVersion, f.therapist.ID)
		}); err != nil {
			t.Fatal(err)
		}
		plans, err := db.Plans(ctx, f.org.ID, ann.ID)
		if err != nil || len(plans) != 2 {
			t.Fatalf("plans: %d, %v", len(plans), err)
		}
		if plans[0].ID != v2.ID || plans[0].Status != assess.Signed || plans[0].Version != 2 || plans[1].ID != p.ID || plans[1].Status != assess.Superseded {
			t.Errorf("after signing version 2: v%d %s, v%d %s", plans[0].Version, plans[0].Status, plans[1].Version, plans[1].Status)
		}
		if plans[1].CosignedBy != "Sarah Kim, MD" || !reflect.DeepEqual(planContent(&plans[1]), planContent(v1)) {
			t.Errorf("the superseded version lost its content or co-signature: %+v", plans[1])
		}
		if err := save(func(tx *sql.Tx) error { return db.MarkPlanSent(ctx, tx, f.org.ID, ann.ID, p.ID, kim.ID) }); errs.Code(err) != errs.Conflict {
			t.Errorf("sending a superseded plan: %v", err)
		}
		for _, q := range []string{
			"UPDATE treatment_plans SET status = 'signed' WHERE id = $1",
			"UPDATE treatment_plans SET status = 'draft' WHERE id = $1",
			"DELETE FROM treatment_plans WHERE id = $1",
		} {
			if _, err := db.ExecForTest(ctx, q, p.ID); err == nil {
				t.Errorf("%q succeeded on a superseded plan", q)
			}
		}
		if got := read(p.ID); got.Status != assess.Superseded {
			t.Errorf("version 1 is %s", got.Status)
		}
		// With version 2 signed, version 3 may be started.
		v3 := *read(v2.ID)
		v3.ID = 0
		if err := save(func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, &v3) }); err != nil || v3.Version != 3 {
			t.Errorf("third version: %v (version %d)", err, v3.Version)
		}
		if _, err := db.ExecForTest(ctx, "DELETE FROM treatment_plans"); err == nil {
			t.Error("DELETE FROM treatment_plans succeeded")
		}
		if db.Engine == store.Postgres {
			if _, err := db.ExecForTest(ctx, "TRUNCATE treatment_plans"); err == nil {
				t.Error("TRUNCATE treatment_plans succeeded")
			}
		}
		if ps, _ := db.Plans(ctx, f.org.ID, ann.ID); len(ps) != 3 {
			t.Errorf("%d plans left after a refused delete", len(ps))
		}

		// Another organisation finds nothing and changes nothing.
		if _, err := db.Plan(ctx, f.otherOrg.ID, ann.ID, v2.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation read the plan: %v", err)
		}
		if _, err := db.Plan(ctx, f.org.ID, bob.ID, v2.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("read under another client: %v", err)
		}
		if ps, err := db.Plans(ctx, f.otherOrg.ID, ann.ID); err != nil || len(ps) != 0 {
			t.Errorf("another organisation's list: %d, %v", len(ps), err)
		}
		theirs := v3
		theirs.OrgID, theirs.HomeCare, theirs.PhysicianID = f.otherOrg.ID, "Taken over.", 0
		if err := save(func(tx *sql.Tx) error { return db.UpdatePlan(ctx, tx, &theirs) }); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation's update: %v", err)
		}
		if err := save(func(tx *sql.Tx) error {
			return db.SignPlan(ctx, tx, f.otherOrg.ID, ann.ID, v3.ID, v3.RowVersion, f.therapist.ID)
		}); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation's sign: %v", err)
		}
		if err := save(func(tx *sql.Tx) error {
			return db.RecordCosign(ctx, tx, f.otherOrg.ID, ann.ID, v2.ID, "2026-09-24", "Olga Other", 0)
		}); err == nil {
			t.Error("another organisation recorded a co-signature")
		}
		if got := read(v2.ID); got.CosignedBy != "" || got.Status != assess.Signed {
			t.Errorf("version 2 changed: %+v", got)
		}
		if got := read(v3.ID); got.HomeCare != v3.HomeCare || got.Status != assess.Draft {
			t.Errorf("version 3 changed: %+v", got)
		}
	})
}

// TestAssessPlanPhysicianOfOrganisation: a plan of care names a physician
// of the organisation's own directory, never another organisation's (the
// plan page and its PDF would show that practice's name and fax).
func TestAssessPlanPhysicianOfOrganisation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, ann)
		kim := &clinic.Physician{OrgID: f.org.ID, Name: "Sarah Kim", Credentials: "MD"}
		elsewhere := &clinic.Physician{OrgID: f.otherOrg.ID, Name: "Elsewhere Doctor"}
		addPhysician(t, db, kim)
		addPhysician(t, db, elsewhere)
		bad := &assess.Plan{OrgID: f.org.ID, ClientID: ann.ID, StartDate: "2026-09-02", TherapistID: f.therapist.ID, PhysicianID: elsewhere.ID}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, bad) }); errs.Code(err) != errs.Invalid {
			t.Errorf("a new plan naming another organisation's physician: %v", err)
		}
		p := &assess.Plan{OrgID: f.org.ID, ClientID: ann.ID, StartDate: "2026-09-02", TherapistID: f.therapist.ID, PhysicianID: kim.ID}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, p) }); err != nil {
			t.Fatal(err)
		}
		p.PhysicianID = elsewhere.ID
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdatePlan(ctx, tx, p) }); errs.Code(err) != errs.Invalid {
			t.Errorf("a draft changed to another organisation's physician: %v", err)
		}
		if ps, _ := db.Plans(ctx, f.org.ID, ann.ID); len(ps) != 1 || ps[0].PhysicianID != kim.ID {
			t.Errorf("%d plans stored; the first names physician %d", len(ps), ps[0].PhysicianID)
		}
	})
}

// TestAssessSignedRowsCannotBeReplaced: a signed evaluation or plan cannot
// be got rid of by moving a draft onto its ID (SQLite's UPDATE OR REPLACE
// deletes the row in the way without firing its delete trigger), and a
// signed plan's status only ever moves on to superseded.
func TestAssessSignedRowsCannotBeReplaced(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, ann)
		signedEv := &assess.Evaluation{OrgID: f.org.ID, ClientID: ann.ID, Kind: assess.Initial, Date: "2026-09-01", TherapistID: f.therapist.ID, Assessment: "Signed."}
		draftEv := &assess.Evaluation{OrgID: f.org.ID, ClientID: ann.ID, Kind: assess.Initial, Date: "2026-09-02", TherapistID: f.therapist.ID}
		signedPlan := &assess.Plan{OrgID: f.org.ID, ClientID: ann.ID, StartDate: "2026-09-02", TherapistID: f.therapist.ID, HomeCare: "Signed."}
		draftPlan := &assess.Plan{OrgID: f.org.ID, ClientID: ann.ID, StartDate: "2026-09-02", TherapistID: f.therapist.ID}
		err := tx(t, db, func(tx *sql.Tx) error {
			for _, e := range []*assess.Evaluation{signedEv, draftEv} {
				if err := db.CreateEvaluation(ctx, tx, e, assess.DefaultThresholds); err != nil {
					return err
				}
			}
			for _, p := range []*assess.Plan{signedPlan, draftPlan} {
				if err := db.CreatePlan(ctx, tx, p); err != nil {
					return err
				}
			}
			if err := db.SignPlan(ctx, tx, f.org.ID, ann.ID, signedPlan.ID, signedPlan.RowVersion, f.therapist.ID); err != nil {
				return err
			}
			return db.SignEvaluation(ctx, tx, f.org.ID, ann.ID, signedEv.ID, signedEv.Version, f.therapist.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		if db.Engine == store.SQLite {
			if _, err := db.ExecForTest(ctx, "UPDATE OR REPLACE evaluations SET id = $1 WHERE id = $2", signedEv.ID, draftEv.ID); err == nil {
				t.Error("a draft evaluation replaced a signed one")
			}
			if _, err := db.ExecForTest(ctx, "UPDATE OR REPLACE treatment_plans SET id = $1 WHERE id = $2", signedPlan.ID, draftPlan.ID); err == nil {
				t.Error("a draft plan replaced a signed one")
			}
		}
		for _, status := range []string{"void", ""} {
			if _, err := db.ExecForTest(ctx, "UPDATE treatment_plans SET status = $1 WHERE id = $2", status, signedPlan.ID); err == nil {
				t.Errorf("a signed plan's status was set to %q", status)
			}
		}
		if e, err := db.Evaluation(ctx, f.org.ID, ann.ID, signedEv.ID); err != nil || e.Status != assess.Signed || e.Assessment != "Signed." {
			t.Errorf("the signed evaluation is now %s (%q), %v", e.Status, e.Assessment, err)
		}
		if p, err := db.Plan(ctx, f.org.ID, ann.ID, signedPlan.ID); err != nil || p.Status != assess.Signed || p.HomeCare != "Signed." {
			t.Errorf("the signed plan is now %q (%q), %v", p.Status, p.HomeCare, err)
		}
	})
}

// TestAssessOneDraftPerSeriesConcurrently: two people starting the next
// version of the same plan at the same moment get one draft between them,
// not two drafts with the same version number.
func TestAssessOneDraftPerSeriesConcurrently(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, ann)
		v1 := &assess.Plan{OrgID: f.org.ID, ClientID: ann.ID, StartDate: "2026-09-02", TherapistID: f.therapist.ID}
		if err := tx(t, db, func(tx *sql.Tx) error {
			if err := db.CreatePlan(ctx, tx, v1); err != nil {
				return err
			}
			return db.SignPlan(ctx, tx, f.org.ID, ann.ID, v1.ID, v1.RowVersion, f.therapist.ID)
		}); err != nil {
			t.Fatal(err)
		}
		next := func() *assess.Plan {
			return &assess.Plan{OrgID: f.org.ID, ClientID: ann.ID, Series: v1.Series, StartDate: "2026-09-23", TherapistID: f.therapist.ID}
		}
		// The first writer has checked and inserted but not committed when
		// the second begins.
		inserted, release := make(chan struct{}), make(chan struct{})
		firstDone, secondDone := make(chan error, 1), make(chan error, 1)
		go func() {
			firstDone <- db.Tx(ctx, func(tx *sql.Tx) error {
				err := db.CreatePlan(ctx, tx, next())
				close(inserted)
				<-release
				return err
			})
		}()
		<-inserted
		go func() { secondDone <- db.Tx(ctx, func(tx *sql.Tx) error { return db.CreatePlan(ctx, tx, next()) }) }()
		time.Sleep(200 * time.Millisecond) // let the second reach its check or its insert
		close(release)
		errA, errB := <-firstDone, <-secondDone
		if errA != nil {
			t.Errorf("first writer: %v", errA)
		}
		if errs.Code(errB) != errs.Conflict {
			t.Errorf("second writer: %v, want a conflict", errB)
		}
		ps, err := db.Plans(ctx, f.org.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		drafts := 0
		for _, p := range ps {
			if p.Status == assess.Draft {
				drafts++
			}
		}
		if drafts != 1 {
			t.Errorf("%d drafts of the series", drafts)
		}
	})
}
