package app_test

import (
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/testsrv"
)

const screenIP = "198.51.100.77"

var tinyPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// newScreeningClient adds a client at Downtown Austin with no health history.
func newScreeningClient(t *testing.T, s *testsrv.Server, owner *auth.Actor, last string) *clinic.Client {
	t.Helper()
	c := &clinic.Client{FirstName: "Screen", LastName: last, DOB: "1970-03-04", Sex: clinic.SexFemale, PreferredLocationID: s.Downtown.ID, Status: clinic.StatusActive}
	if err := s.App.CreateClient(ctx, owner, c); err != nil {
		t.Fatal(err)
	}
	return c
}

// sign records a signed health history for the client the way the front
// desk imports a paper one; the intake area then runs Rescreen.
func sign(t *testing.T, s *testsrv.Server, owner *auth.Actor, clientID int64, in care.Intake) {
	t.Helper()
	in.ReasonForVisit = "Neck and shoulder pain"
	if _, err := s.App.ImportIntake(ctx, owner, clientID, in, care.Signature{Kind: "typed", Name: "Screen Client"}, time.Now().Add(-time.Hour)); err != nil {
		t.Fatalf("import intake: %v", err)
	}
}

func keys(sc *care.Screening) []string {
	var out []string
	for _, f := range sc.Findings {
		out = append(out, f.RuleKey)
	}
	return out
}

func findings(t *testing.T, s *testsrv.Server, a *auth.Actor, clientID int64) *care.Screening {
	t.Helper()
	sc, err := s.App.Findings(ctx, a, clientID)
	if err != nil {
		t.Fatalf("findings: %v", err)
	}
	return sc
}

func actions(es []audit.Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

// noHealthInfo checks screening audit entries name no rule, condition or medication.
func noHealthInfo(t *testing.T, es []audit.Entry, words ...string) {
	t.Helper()
	for _, e := range es {
		for _, w := range append(words, "default.", "fever", "anticoagulant", "Eliquis") {
			if strings.Contains(strings.ToLower(e.Detail), strings.ToLower(w)) {
				t.Errorf("audit entry %s carries %q: %q", e.Action, w, e.Detail)
			}
		}
	}
}

func TestScreeningRescreenReplacesFindings(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, screenIP)
		maria, _ := signIn(t, s, testsrv.TherapistA, screenIP)
		c := newScreeningClient(t, s, owner, "Rescreen")

		// No health history yet: nothing found, screening says so.
		var sc *care.Screening
		es := audited(t, s, func() { sc = findings(t, s, maria, c.ID) })
		if sc.HasIntake || len(sc.Findings) != 0 || !sc.CanStartSession() {
			t.Errorf("without an intake: %+v", sc)
		}
		// With nothing to screen, the reading stores nothing (no screening.run).
		if got := actions(es); !slices.Equal(got, []string{app.AuditScreeningRead}) {
			t.Errorf("first reading audits %v", got)
		}
		one(t, "read", es, audit.Entry{Action: app.AuditScreeningRead, OrgID: s.Org.ID, UserID: maria.User.ID, Actor: maria.User.Email,
			RecordType: "client", RecordID: c.ID, SourceIP: screenIP, Result: audit.OK, Detail: "findings 0"})

		// Signing an intake runs the screening (the intake area calls Rescreen).
		es = audited(t, s, func() {
			sign(t, s, owner, c.ID, care.Intake{Conditions: []string{"fever"}, Medications: []care.Medication{{Name: "Eliquis", Class: "anticoagulant", Dose: "5 mg"}}})
		})
		run := es[len(es)-1]
		if run.Action != app.AuditScreeningRun || run.RecordType != "client" || run.RecordID != c.ID || run.OrgID != s.Org.ID || run.Detail != "findings 2, intake version 1" {
			t.Errorf("screening.run entry %+v (all: %v)", run, actions(es))
		}
		noHealthInfo(t, es)
		es = audited(t, s, func() { sc = findings(t, s, maria, c.ID) })
		if !slices.Equal(keys(sc), []string{"default.fever", "default.anticoagulant"}) || !sc.HasIntake || sc.IntakeVersion != 1 {
			t.Fatalf("findings %v (intake %v, version %d)", keys(sc), sc.HasIntake, sc.IntakeVersion)
		}
		if got := actions(es); !slices.Equal(got, []string{app.AuditScreeningRead}) {
			t.Errorf("a current screening is read without running again: %v", got)
		}
		if f := sc.Findings[1]; f.Level != care.LevelModify || !strings.HasPrefix(f.Modification, "light pressure") || f.Evidence != "medication: Eliquis (anticoagulant)" {
			t.Errorf("anticoagulant finding %+v", f)
		}
		ok, blocking, err := s.App.CanStartSession(ctx, maria, c.ID)
		if err != nil || ok || len(blocking) != 1 || blocking[0].RuleKey != "default.fever" {
			t.Errorf("can start: %v %+v %v", ok, blocking, err)
		}

		// A new version replaces the findings.
		sign(t, s, owner, c.ID, care.Intake{Medications: []care.Medication{{Name: "Eliquis", Class: "anticoagulant"}}})
		sc = findings(t, s, maria, c.ID)
		if !slices.Equal(keys(sc), []string{"default.anticoagulant"}) || sc.IntakeVersion != 2 {
			t.Errorf("after version 2: %v", keys(sc))
		}
		if ok, _, _ := s.App.CanStartSession(ctx, maria, c.ID); !ok {
			t.Error("no blocking finding, yet the session cannot start")
		}
		// Rescreen itself (what the intake and prescription areas call).
		es = audited(t, s, func() {
			if err := s.App.Rescreen(ctx, s.Org.ID, c.ID); err != nil {
				t.Fatal(err)
			}
		})
		if got := actions(es); !slices.Equal(got, []string{app.AuditScreeningRun}) {
			t.Errorf("Rescreen audits %v", got)
		}

		// The precautions of a prescription in force show as they are written; an expired one's do not.
		kim := &clinic.Physician{OrgID: s.Org.ID, Name: "Sarah Kim", Credentials: "MD"}
		today := time.Now().Format(clinic.DateLayout)
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			if err := s.DB.CreatePhysician(ctx, tx, kim); err != nil {
				return err
			}
			for _, p := range []*care.Prescription{
				{WrittenOn: "2026-01-05", StartOn: "2026-01-05", ExpiresOn: "2026-02-05", Precautions: "Old precaution, expired"},
				{WrittenOn: today, StartOn: today, ExpiresOn: time.Now().AddDate(0, 2, 0).Format(clinic.DateLayout), Precautions: "No prone positioning"},
			} {
				p.OrgID, p.ClientID, p.PhysicianID, p.Diagnoses, p.OrderedTreatment, p.Visits, p.CreatedBy = s.Org.ID, c.ID, kim.ID, []string{"M54.2"}, "Medical massage", 8, owner.User.ID
				if err := s.DB.CreatePrescription(ctx, tx, p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.App.Rescreen(ctx, s.Org.ID, c.ID); err != nil {
			t.Fatal(err)
		}
		sc = findings(t, s, maria, c.ID)
		if !slices.Equal(keys(sc), []string{"default.anticoagulant", care.PrecautionKey}) || sc.Findings[1].Modification != "No prone positioning" {
			t.Errorf("with prescriptions: %+v", sc.Findings)
		}
	})
}

func TestScreeningPermissions(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, screenIP)
		james, _ := signIn(t, s, testsrv.TherapistB, screenIP) // Round Rock only
		desk, _ := signIn(t, s, testsrv.FrontDesk, screenIP)
		biller, _ := signIn(t, s, testsrv.Biller, screenIP)
		other, _ := signIn(t, s, testsrv.OtherOwner, screenIP)
		c := newScreeningClient(t, s, owner, "Permissions")
		sign(t, s, owner, c.ID, care.Intake{Conditions: []string{"fever", "dvt_history"}})

		refused := func(what string, code string, a *auth.Actor, fn func() error) {
			t.Helper()
			var err error
			es := audited(t, s, func() { err = fn() })
			if !errs.Is(err, code) {
				t.Errorf("%s: %v, want %s", what, err, code)
			}
			if len(es) != 1 || es[0].Action != audit.Denied || es[0].UserID != a.User.ID {
				t.Errorf("%s: audit %v, want one auth.denied", what, actions(es))
			}
		}
		refused("another location's therapist reads", errs.Forbidden, james, func() error { _, err := s.App.Findings(ctx, james, c.ID); return err })
		refused("another location's therapist checks a session", errs.Forbidden, james, func() error { _, _, err := s.App.CanStartSession(ctx, james, c.ID); return err })
		refused("another organisation reads", errs.NotFound, other, func() error { _, err := s.App.Findings(ctx, other, c.ID); return err })
		refused("front desk overrides", errs.Forbidden, desk, func() error {
			_, err := s.App.Override(ctx, desk, c.ID, "default.fever", "Front desk thinks it is fine")
			return err
		})
		refused("biller overrides", errs.Forbidden, biller, func() error {
			_, err := s.App.Override(ctx, biller, c.ID, "default.fever", "Billing thinks it is fine")
			return err
		})
		refused("biller records a clearance", errs.Forbidden, biller, func() error {
			_, err := s.App.RecordClearance(ctx, biller, c.ID, app.ClearanceInput{RuleKey: "default.dvt_history", Physician: "Dr. X", Date: "2026-01-02", Upload: &app.Upload{Filename: "x.pdf", Data: tinyPDF}})
			return err
		})
		refused("another organisation overrides", errs.NotFound, other, func() error {
			_, err := s.App.Override(ctx, other, c.ID, "default.fever", "Another clinic overriding")
			return err
		})
		refused("biller reads the rules", errs.Forbidden, biller, func() error { _, err := s.App.ScreeningRules(ctx, biller); return err })
		refused("therapist changes a rule", errs.Forbidden, james, func() error {
			return s.App.SaveRule(ctx, james, &care.Rule{Trigger: care.Trigger{Kind: care.TriggerCondition, Value: "epilepsy"}, Level: care.LevelAvoid, Reason: "r", Source: "s"})
		})
		refused("front desk restores the rules", errs.Forbidden, desk, func() error { return s.App.RestoreRules(ctx, desk, 0) })
		refused("front desk disables a rule", errs.Forbidden, desk, func() error { return s.App.SetRuleEnabled(ctx, desk, 1, false) })
		refused("front desk deletes a rule", errs.Forbidden, desk, func() error { return s.App.DeleteRule(ctx, desk, 1) })

		// What they may do: everyone who opens the chart reads the findings;
		// front desk and therapists read the rules.
		for _, a := range []*auth.Actor{desk, biller, owner} {
			if sc := findings(t, s, a, c.ID); len(sc.Findings) != 3 {
				t.Errorf("%s reads %v", a.User.Email, keys(sc))
			}
		}
		for _, a := range []*auth.Actor{desk, james, owner} {
			if rules, err := s.App.ScreeningRules(ctx, a); err != nil || len(rules) != len(care.DefaultRules()) {
				t.Errorf("%s reads %d rules: %v", a.User.Email, len(rules), err)
			}
		}
		// The other organisation has its own rules.
		if rules, err := s.App.ScreeningRules(ctx, other); err != nil || len(rules) != len(care.DefaultRules()) {
			t.Errorf("other organisation's rules: %d %v", len(rules), err)
		}
	})
}

func TestScreeningOverrideLifecycle(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, screenIP)
		maria, _ := signIn(t, s, testsrv.TherapistA, screenIP)
		c := newScreeningClient(t, s, owner, "Override")
		sign(t, s, owner, c.ID, care.Intake{Conditions: []string{"suspected_dvt"}, Medications: []care.Medication{{Name: "Eliquis", Class: "anticoagulant"}}})

		ok, blocking, _ := s.App.CanStartSession(ctx, maria, c.ID)
		if ok || len(blocking) != 2 {
			t.Fatalf("suspected DVT: can start %v, blocking %+v", ok, blocking)
		}
		for _, bad := range []struct{ rule, reason, field string }{
			{"default.suspected_dvt", "too short", "reason"},
			{"default.suspected_dvt", "          x", "reason"},
			{"default.anticoagulant", "A modify finding does not block", "rule"},
			{"default.nothing", "No such finding for this client", "rule"},
			{"", "No rule named at all here", "rule"},
		} {
			if _, err := s.App.Override(ctx, maria, c.ID, bad.rule, bad.reason); !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[bad.field] == "" {
				t.Errorf("override %q %q: %v, want an error on %s", bad.rule, bad.reason, err, bad.field)
			}
		}
		var o *care.Override
		es := audited(t, s, func() {
			var err error
			if o, err = s.App.Override(ctx, maria, c.ID, "default.suspected_dvt", "  Ultrasound yesterday ruled out a clot; letter on file.  "); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "override", es, audit.Entry{Action: app.AuditScreeningOverride, OrgID: s.Org.ID, UserID: maria.User.ID, Actor: maria.User.Email,
			RecordType: "client", RecordID: c.ID, SourceIP: screenIP, Result: audit.OK, Detail: "override " + strconv.FormatInt(o.ID, 10)})
		noHealthInfo(t, es, "ultrasound", "clot")
		ok, blocking, _ = s.App.CanStartSession(ctx, maria, c.ID)
		if ok || len(blocking) != 1 || blocking[0].RuleKey != "default.suspected_dvt.refer" {
			t.Errorf("one of two overridden: %v %+v", ok, blocking)
		}
		if _, err := s.App.Override(ctx, owner, c.ID, "default.suspected_dvt.refer", "Seen by her physician this morning."); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := s.App.CanStartSession(ctx, maria, c.ID); !ok {
			t.Error("both overridden, yet the session cannot start")
		}
		sc := findings(t, s, maria, c.ID)
		if f := sc.Findings[1]; f.RuleKey != "default.suspected_dvt" || f.Override == nil || f.Override.ByName != maria.User.Name ||
			f.Override.Reason != "Ultrasound yesterday ruled out a clot; letter on file." || f.Open() {
			t.Errorf("overridden finding %+v", f)
		}
		if len(sc.Overrides) != 2 {
			t.Errorf("history has %d overrides", len(sc.Overrides))
		}
		// Tomorrow the override no longer holds: one session, one day.
		s.Advance(24 * time.Hour)
		ok, blocking, _ = s.App.CanStartSession(ctx, maria, c.ID)
		if ok || len(blocking) != 2 {
			t.Errorf("the next day: can start %v, blocking %d", ok, len(blocking))
		}
	})
}

func TestScreeningClearanceLifecycle(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, screenIP)
		desk, _ := signIn(t, s, testsrv.FrontDesk, screenIP)
		c := newScreeningClient(t, s, owner, "Clearance")
		sign(t, s, owner, c.ID, care.Intake{Conditions: []string{"dvt_history", "fever"}})
		today := time.Now().Format(clinic.DateLayout)
		good := app.ClearanceInput{RuleKey: "default.dvt_history", Physician: "Dr. Ana Ruiz", Date: today, Note: "Light work on the arms only.",
			Upload: &app.Upload{Filename: "../../clearance ruiz.pdf", Data: tinyPDF}}

		for _, bad := range []struct {
			field string
			edit  func(in *app.ClearanceInput)
		}{
			{"document", func(in *app.ClearanceInput) { in.Upload = nil }},
			{"document", func(in *app.ClearanceInput) {
				in.Upload = &app.Upload{Filename: "x.pdf", Data: []byte("<html>not a pdf</html>")}
			}},
			{"date", func(in *app.ClearanceInput) { in.Date = time.Now().AddDate(0, 0, 2).Format(clinic.DateLayout) }},
			{"date", func(in *app.ClearanceInput) { in.Date = "last week" }},
			{"physician", func(in *app.ClearanceInput) { in.Physician = "  " }},
			{"rule", func(in *app.ClearanceInput) { in.RuleKey = "default.fever" }}, // an avoid, not a clearance finding
			{"rule", func(in *app.ClearanceInput) { in.RuleKey = "" }},
			{"document_id", func(in *app.ClearanceInput) { in.Upload, in.DocumentID = nil, 99999999 }},
		} {
			in := good
			bad.edit(&in)
			_, err := s.App.RecordClearance(ctx, desk, c.ID, in)
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[bad.field] == "" {
				t.Errorf("clearance with bad %s: %v (fields %v)", bad.field, err, errs.FieldsOf(err))
			}
		}
		if cs, _ := s.DB.Clearances(ctx, s.Org.ID, c.ID); len(cs) != 0 {
			t.Fatalf("refused clearances were stored: %+v", cs)
		}
		if docs, _ := s.DB.ClientDocuments(ctx, s.Org.ID, c.ID); len(docs) != 0 {
			t.Fatalf("a refused clearance left a document: %+v", docs)
		}

		var cl *care.Clearance
		es := audited(t, s, func() {
			var err error
			if cl, err = s.App.RecordClearance(ctx, desk, c.ID, good); err != nil {
				t.Fatal(err)
			}
		})
		if got := actions(es); !slices.Equal(got, []string{app.AuditDocumentCreate, app.AuditScreeningClearance}) {
			t.Errorf("clearance audits %v", got)
		}
		noHealthInfo(t, es, "ruiz", "arms")
		doc, err := s.DB.DocumentInfo(ctx, s.Org.ID, cl.DocumentID)
		if err != nil || doc.Kind != clinic.DocumentClearance || doc.ClientID != c.ID || doc.Filename != "clearance ruiz.pdf" {
			t.Errorf("document %+v %v", doc, err)
		}
		sc := findings(t, s, desk, c.ID)
		var dvt care.ClientFinding
		for _, f := range sc.Findings {
			if f.RuleKey == "default.dvt_history" {
				dvt = f
			}
		}
		if dvt.Clearance == nil || dvt.Clearance.Physician != "Dr. Ana Ruiz" || dvt.Open() || dvt.Clearance.IntakeVersion != 1 {
			t.Errorf("cleared finding %+v", dvt)
		}
		// A clearance does not let a session start past an "avoid".
		if ok, _, _ := s.App.CanStartSession(ctx, owner, c.ID); ok {
			t.Error("the fever finding should still block")
		}

		// A newer health history reopens it; a clearance citing the document on file closes it again.
		sign(t, s, owner, c.ID, care.Intake{Conditions: []string{"dvt_history"}})
		sc = findings(t, s, desk, c.ID)
		if f := sc.Findings[0]; f.RuleKey != "default.dvt_history" || f.Clearance != nil || !f.Open() {
			t.Errorf("after a new intake: %+v", f)
		}
		again := good
		again.Upload, again.DocumentID = nil, cl.DocumentID
		if _, err := s.App.RecordClearance(ctx, owner, c.ID, again); err != nil {
			t.Fatal(err)
		}
		if f := findings(t, s, desk, c.ID).Findings[0]; f.Clearance == nil || f.Clearance.DocumentID != cl.DocumentID || f.Clearance.IntakeVersion != 2 {
			t.Errorf("cleared again: %+v", f)
		}
	})
}

func TestScreeningRuleChanges(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, screenIP)
		maria, _ := signIn(t, s, testsrv.TherapistA, screenIP)
		c := newScreeningClient(t, s, owner, "Rules")
		sign(t, s, owner, c.ID, care.Intake{Medications: []care.Medication{{Name: "Eliquis", Class: "anticoagulant"}, {Name: "Prednisone", Class: "corticosteroid"}}, BPSystolic: 172, BPDiastolic: 88})
		if got := keys(findings(t, s, maria, c.ID)); !slices.Equal(got, []string{"default.bp_high.systolic", "default.anticoagulant"}) {
			t.Fatalf("before: %v", got)
		}
		rules, _ := s.App.ScreeningRules(ctx, owner)
		byKey := map[string]care.Rule{}
		for _, r := range rules {
			byKey[r.Key] = r
		}
		ruleEntry := func(id int64, detail string) audit.Entry {
			return audit.Entry{Action: app.AuditRuleUpdate, OrgID: s.Org.ID, UserID: owner.User.ID, Actor: owner.User.Email, RecordType: "screening_rule", RecordID: id,
				SourceIP: screenIP, Result: audit.OK, Detail: detail}
		}

		// Disable a default: the client's findings follow at the next reading.
		anti := byKey["default.anticoagulant"]
		es := audited(t, s, func() {
			if err := s.App.SetRuleEnabled(ctx, owner, anti.ID, false); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "disable", es, ruleEntry(anti.ID, "disabled default.anticoagulant"))
		if got := keys(findings(t, s, maria, c.ID)); !slices.Equal(got, []string{"default.bp_high.systolic"}) {
			t.Errorf("after disabling: %v", got)
		}

		// Edit a default's threshold and level; its trigger kind stays.
		bp := byKey["default.bp_crisis.systolic"]
		bp.Trigger = care.Trigger{Kind: care.TriggerCondition, Value: "fever", N: 170}
		bp.Level = care.LevelAvoid
		es = audited(t, s, func() {
			if err := s.App.SaveRule(ctx, owner, &bp); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "edit", es, ruleEntry(bp.ID, "changed trigger, level of default.bp_crisis.systolic"))
		if got, _ := s.App.ScreeningRule(ctx, owner, bp.ID); got.Trigger != (care.Trigger{Kind: care.TriggerSystolicAtLeast, N: 170}) || got.Level != care.LevelAvoid {
			t.Errorf("edited default %+v", got.Trigger)
		}
		sc := findings(t, s, maria, c.ID)
		if got := keys(sc); !slices.Equal(got, []string{"default.bp_crisis.systolic", "default.bp_high.systolic"}) || sc.CanStartSession() {
			t.Errorf("after lowering the crisis threshold to 170: %v", got)
		}
		// A stale edit is a conflict.
		stale := byKey["default.bp_crisis.systolic"]
		stale.Reason = "stale"
		if err := s.App.SaveRule(ctx, owner, &stale); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale edit: %v", err)
		}
		// An invalid rule names its fields.
		if err := s.App.SaveRule(ctx, owner, &care.Rule{Trigger: care.Trigger{Kind: care.TriggerSurgeryWithin, N: 0}, Level: care.LevelAvoidLocal}); !errs.Is(err, errs.Invalid) ||
			errs.FieldsOf(err)["n"] == "" || errs.FieldsOf(err)["region"] == "" || errs.FieldsOf(err)["reason"] == "" {
			t.Errorf("invalid rule: %v", err)
		}

		// The clinic's own rule.
		own := care.Rule{Trigger: care.Trigger{Kind: care.TriggerMedicationClass, Value: "corticosteroid"}, Level: care.LevelModify, Modification: "light pressure; skin tears easily",
			Reason: "Long-term steroids thin the skin.", Source: "Clinic policy", Enabled: true}
		es = audited(t, s, func() {
			if err := s.App.SaveRule(ctx, owner, &own); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "create", es, ruleEntry(own.ID, "created "+own.Key))
		if got := keys(findings(t, s, maria, c.ID)); !slices.Contains(got, own.Key) {
			t.Errorf("own rule did not match: %v", got)
		}
		es = audited(t, s, func() {
			if err := s.App.DeleteRule(ctx, owner, own.ID); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "delete", es, ruleEntry(own.ID, "deleted "+own.Key))
		if err := s.App.DeleteRule(ctx, owner, bp.ID); !errs.Is(err, errs.Invalid) {
			t.Errorf("deleting a default: %v", err)
		}

		// Restore all: the defaults are back as written, enabled.
		es = audited(t, s, func() {
			if err := s.App.RestoreRules(ctx, owner, 0); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "restore", es, ruleEntry(0, ""))
		if got := keys(findings(t, s, maria, c.ID)); !slices.Equal(got, []string{"default.bp_high.systolic", "default.anticoagulant"}) {
			t.Errorf("after restoring: %v", got)
		}
	})
}
