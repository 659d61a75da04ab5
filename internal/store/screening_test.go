package store_test

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

func stx(t *testing.T, db *store.DB, fn func(tx *sql.Tx) error) error {
	t.Helper()
	return db.Tx(context.Background(), fn)
}

func ruleByKey(t *testing.T, rules []care.Rule, key string) care.Rule {
	t.Helper()
	for _, r := range rules {
		if r.Key == key {
			return r
		}
	}
	t.Fatalf("no rule %s", key)
	return care.Rule{}
}

func TestScreeningRulesLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		uid := f.therapist.ID

		// Seeded when first needed, once, in the defaults' order.
		rules, err := db.ScreeningRules(ctx, f.org.ID)
		if err != nil {
			t.Fatal(err)
		}
		defs := care.DefaultRules()
		if len(rules) != len(defs) {
			t.Fatalf("%d rules, want the %d defaults", len(rules), len(defs))
		}
		for i, r := range rules {
			d := defs[i]
			d.ID, d.Version = r.ID, 1
			if !reflect.DeepEqual(r, d) {
				t.Fatalf("rule %d stored as %+v, want %+v", i, r, d)
			}
		}
		gen, _ := db.RulesGeneration(ctx, f.org.ID)
		again, _ := db.ScreeningRules(ctx, f.org.ID)
		if len(again) != len(defs) {
			t.Errorf("second read has %d rules", len(again))
		}
		if g, _ := db.RulesGeneration(ctx, f.org.ID); g != gen {
			t.Errorf("reading changed the generation %d → %d", gen, g)
		}
		if _, err := db.ScreeningRules(ctx, 999999); !errs.Is(err, errs.NotFound) {
			t.Errorf("rules of no organisation: %v", err)
		}
		// Another organisation's rule is not found.
		fever := ruleByKey(t, rules, "default.fever")
		if _, err := db.ScreeningRule(ctx, f.otherOrg.ID, fever.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organisation read a rule: %v", err)
		}

		// Editing a default keeps its trigger's kind and value.
		bp := ruleByKey(t, rules, "default.bp_crisis.systolic")
		edit := bp
		edit.Trigger = care.Trigger{Kind: care.TriggerCondition, Value: "epilepsy", N: 175}
		edit.Level, edit.Reason = care.LevelAvoid, "Clinic policy: 175 or more, no session."
		if err := stx(t, db, func(tx *sql.Tx) error { return db.UpdateScreeningRule(ctx, tx, f.org.ID, uid, &edit) }); err != nil {
			t.Fatal(err)
		}
		got, _ := db.ScreeningRule(ctx, f.org.ID, bp.ID)
		if got.Trigger != (care.Trigger{Kind: care.TriggerSystolicAtLeast, N: 175}) || got.Level != care.LevelAvoid || got.Version != 2 || !got.Builtin {
			t.Errorf("edited default: %+v", got)
		}
		g2, _ := db.RulesGeneration(ctx, f.org.ID)
		if g2 <= gen {
			t.Errorf("an edit did not move the generation (%d → %d)", gen, g2)
		}
		// A stale version changes nothing.
		stale := bp // version 1
		stale.Reason = "stale"
		if err := stx(t, db, func(tx *sql.Tx) error { return db.UpdateScreeningRule(ctx, tx, f.org.ID, uid, &stale) }); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale update: %v", err)
		}
		// Invalid or unstorable text is refused with the field named.
		bad := *got
		bad.Reason = "a\x00b"
		if err := stx(t, db, func(tx *sql.Tx) error { return db.UpdateScreeningRule(ctx, tx, f.org.ID, uid, &bad) }); !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)["reason"] == "" {
			t.Errorf("NUL in a reason: %v", err)
		}

		// An organisation's own rule.
		own := care.Rule{Trigger: care.Trigger{Kind: care.TriggerMedicationClass, Value: "corticosteroid"}, Level: care.LevelModify,
			Modification: "light pressure", Reason: "Long-term steroids thin the skin.", Source: "Clinic policy", Enabled: true}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.CreateScreeningRule(ctx, tx, f.org.ID, uid, &own) }); err != nil {
			t.Fatal(err)
		}
		if own.ID == 0 || len(own.Key) != len("custom.")+10 || own.Builtin {
			t.Errorf("own rule %+v", own)
		}
		if err := stx(t, db, func(tx *sql.Tx) error {
			return db.CreateScreeningRule(ctx, tx, f.org.ID, uid, &care.Rule{Trigger: care.Trigger{Kind: care.TriggerCondition, Value: "nope"}, Level: care.LevelModify})
		}); !errs.Is(err, errs.Invalid) {
			t.Errorf("invalid own rule: %v", err)
		}

		// Disable, delete, restore.
		if err := stx(t, db, func(tx *sql.Tx) error { return db.SetScreeningRuleEnabled(ctx, tx, f.org.ID, uid, fever.ID, false) }); err != nil {
			t.Fatal(err)
		}
		if err := stx(t, db, func(tx *sql.Tx) error {
			return db.SetScreeningRuleEnabled(ctx, tx, f.otherOrg.ID, uid, fever.ID, false)
		}); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organisation disabled a rule: %v", err)
		}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.DeleteScreeningRule(ctx, tx, f.org.ID, fever.ID) }); !errs.Is(err, errs.Invalid) {
			t.Errorf("deleting a default: %v", err)
		}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.DeleteScreeningRule(ctx, tx, f.org.ID, own.ID) }); err != nil {
			t.Errorf("deleting an own rule: %v", err)
		}
		if _, err := db.ScreeningRule(ctx, f.org.ID, own.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("deleted rule still there: %v", err)
		}
		var keys []string
		if err := stx(t, db, func(tx *sql.Tx) error {
			var err error
			keys, err = db.RestoreDefaultRules(ctx, tx, f.org.ID, uid, bp.ID)
			return err
		}); err != nil || !reflect.DeepEqual(keys, []string{"default.bp_crisis.systolic"}) {
			t.Fatalf("restore one: %v %v", keys, err)
		}
		if got, _ := db.ScreeningRule(ctx, f.org.ID, bp.ID); got.Trigger.N != 180 || got.Level != care.LevelReferUrgent {
			t.Errorf("restored rule %+v", got)
		}
		if f2, _ := db.ScreeningRule(ctx, f.org.ID, fever.ID); f2.Enabled {
			t.Errorf("restoring one rule touched another")
		}
		if err := stx(t, db, func(tx *sql.Tx) error { _, err := db.RestoreDefaultRules(ctx, tx, f.org.ID, uid, 0); return err }); err != nil {
			t.Fatal(err)
		}
		if f2, _ := db.ScreeningRule(ctx, f.org.ID, fever.ID); !f2.Enabled {
			t.Errorf("restore all left the fever rule disabled")
		}

		// A release with new defaults: the missing one comes back, edits stay.
		edit2, _ := db.ScreeningRule(ctx, f.org.ID, bp.ID)
		edit2.Reason = "Our own words."
		if err := stx(t, db, func(tx *sql.Tx) error { return db.UpdateScreeningRule(ctx, tx, f.org.ID, uid, edit2) }); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecForTest(ctx, "DELETE FROM screening_rules WHERE org_id = $1 AND rule_key = 'default.fever'", f.org.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecForTest(ctx, "UPDATE screening_rule_sets SET defaults_hash = 'previous release' WHERE org_id = $1", f.org.ID); err != nil {
			t.Fatal(err)
		}
		rules, _ = db.ScreeningRules(ctx, f.org.ID)
		if len(rules) != len(defs) || ruleByKey(t, rules, "default.bp_crisis.systolic").Reason != "Our own words." {
			t.Errorf("after a new release: %d rules, bp reason %q", len(rules), ruleByKey(t, rules, "default.bp_crisis.systolic").Reason)
		}
		ruleByKey(t, rules, "default.fever")
		// The other organisation gets its own copy when it first needs one.
		other, _ := db.ScreeningRules(ctx, f.otherOrg.ID)
		if ruleByKey(t, other, "default.bp_crisis.systolic").Reason == "Our own words." {
			t.Errorf("one organisation's edit shows in another's rules")
		}
	})
}

func TestScreeningFindingsOverridesClearances(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		c := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, c)
		other := &clinic.Client{OrgID: f.otherOrg.ID, FirstName: "Olga", LastName: "Other", DOB: "1960-01-01", PreferredLocationID: f.otherOrgLoc.ID}
		create(t, db, other)

		if _, _, err := db.Screening(ctx, f.org.ID, c.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("never screened: %v", err)
		}
		if v, err := db.LatestIntakeVersion(ctx, f.org.ID, c.ID); err != nil || v != 0 {
			t.Errorf("intake version without intakes: %d %v", v, err)
		}
		signed := time.Date(2026, 11, 20, 15, 0, 0, 0, time.UTC)
		run := &store.ScreeningRun{IntakeID: 7, IntakeVersion: 2, IntakeSigned: signed, RulesGeneration: 3, Day: "2026-11-27"}
		three := []care.Finding{
			{RuleKey: "default.fever", Level: care.LevelAvoid, Reason: "r1", Source: "s1", Evidence: "condition: fever"},
			{RuleKey: "default.surgery.site", Level: care.LevelAvoidLocal, Region: "knee", Side: "left", Modification: "m", Reason: "r2", Source: "s2", Evidence: "surgery: x"},
			{RuleKey: "default.anticoagulant", Level: care.LevelModify, Modification: "light", Reason: "r3", Source: "s3", Evidence: "medication: Eliquis \xff (anticoagulant)"},
		}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.SaveScreening(ctx, tx, f.org.ID, c.ID, run, three) }); err != nil {
			t.Fatal(err)
		}
		got, fs, err := db.Screening(ctx, f.org.ID, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.IntakeID != 7 || got.IntakeVersion != 2 || !got.IntakeSigned.Equal(signed) || got.RulesGeneration != 3 || got.Day != "2026-11-27" || got.ComputedAt.IsZero() {
			t.Errorf("run %+v", got)
		}
		three[2].Evidence = "medication: Eliquis \uFFFD (anticoagulant)" // odd bytes are stored cleaned
		if !reflect.DeepEqual(fs, three) {
			t.Errorf("findings\n%+v\nwant\n%+v", fs, three)
		}
		// Replaced, not added to.
		one := three[:1]
		run.Day = "2026-11-28"
		if err := stx(t, db, func(tx *sql.Tx) error { return db.SaveScreening(ctx, tx, f.org.ID, c.ID, run, one) }); err != nil {
			t.Fatal(err)
		}
		if got, fs, _ := db.Screening(ctx, f.org.ID, c.ID); len(fs) != 1 || got.Day != "2026-11-28" {
			t.Errorf("after replacing: %d findings, day %s", len(fs), got.Day)
		}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.SaveScreening(ctx, tx, f.org.ID, c.ID, run, nil) }); err != nil {
			t.Fatal(err)
		}
		if _, fs, _ := db.Screening(ctx, f.org.ID, c.ID); len(fs) != 0 {
			t.Errorf("no findings stored as %d", len(fs))
		}
		// Another organisation can neither read nor write them.
		if _, _, err := db.Screening(ctx, f.otherOrg.ID, c.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("other org reads findings: %v", err)
		}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.SaveScreening(ctx, tx, f.otherOrg.ID, c.ID, run, three) }); !errs.Is(err, errs.NotFound) {
			t.Errorf("other org writes findings: %v", err)
		}

		// Overrides.
		o := &care.Override{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "default.fever", Reason: "  Fever gone for three days.  ", Day: "2026-11-28", ByUserID: f.therapist.ID}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.CreateOverride(ctx, tx, o) }); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []care.Override{
			{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "default.fever", Reason: "too short", Day: "2026-11-28", ByUserID: f.therapist.ID},
			{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "default.fever", Reason: "long enough but \x00", Day: "2026-11-28", ByUserID: f.therapist.ID},
			{OrgID: f.otherOrg.ID, ClientID: c.ID, RuleKey: "default.fever", Reason: "long enough reason", Day: "2026-11-28", ByUserID: f.therapist.ID},
		} {
			if err := stx(t, db, func(tx *sql.Tx) error { return db.CreateOverride(ctx, tx, &bad) }); err == nil || errs.HTTPStatus(err) >= 500 {
				t.Errorf("override %+v: %v", bad, err)
			}
		}
		os, err := db.Overrides(ctx, f.org.ID, c.ID, "2026-11-28")
		if err != nil || len(os) != 1 || os[0].Reason != "Fever gone for three days." || os[0].ByName != "Tess" || os[0].ID != o.ID || os[0].At.IsZero() {
			t.Errorf("overrides of the day: %+v %v", os, err)
		}
		if os, _ := db.Overrides(ctx, f.org.ID, c.ID, "2026-11-29"); len(os) != 0 {
			t.Errorf("an override shows on another day")
		}
		if os, _ := db.Overrides(ctx, f.otherOrg.ID, c.ID, ""); len(os) != 0 {
			t.Errorf("another organisation lists the overrides")
		}

		// Clearances, with a document of the client and not of another.
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		doc := &clinic.Document{OrgID: f.org.ID, ClientID: c.ID, Kind: clinic.DocumentClearance, Filename: "clearance.pdf", UploadedBy: f.therapist.ID}
		otherDoc := &clinic.Document{OrgID: f.otherOrg.ID, ClientID: other.ID, Kind: clinic.DocumentClearance, Filename: "x.pdf", UploadedBy: f.therapist.ID}
		if err := stx(t, db, func(tx *sql.Tx) error {
			if err := db.CreateDocument(ctx, tx, doc, pdf); err != nil {
				return err
			}
			return db.CreateDocument(ctx, tx, otherDoc, pdf)
		}); err != nil {
			t.Fatal(err)
		}
		cl := &care.Clearance{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "default.dvt_history", Physician: " Dr. Ana Ruiz ", Date: "2026-11-20", Note: "Cleared for light work.",
			DocumentID: doc.ID, IntakeVersion: 2, ByUserID: f.therapist.ID}
		if err := stx(t, db, func(tx *sql.Tx) error { return db.CreateClearance(ctx, tx, cl) }); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []care.Clearance{
			{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "k", Physician: "Dr. X", Date: "2026-11-20", DocumentID: otherDoc.ID, ByUserID: f.therapist.ID},
			{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "k", Physician: "", Date: "2026-11-20", ByUserID: f.therapist.ID},
			{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "k", Physician: "Dr. X", Date: "2999-01-01", ByUserID: f.therapist.ID},
			{OrgID: f.org.ID, ClientID: c.ID, RuleKey: "k", Physician: "Dr. \xff", Date: "2026-11-20", ByUserID: f.therapist.ID},
			{OrgID: f.otherOrg.ID, ClientID: c.ID, RuleKey: "k", Physician: "Dr. X", Date: "2026-11-20", ByUserID: f.therapist.ID},
		} {
			if err := stx(t, db, func(tx *sql.Tx) error { return db.CreateClearance(ctx, tx, &bad) }); err == nil || errs.HTTPStatus(err) >= 500 {
				t.Errorf("clearance %+v: %v", bad, err)
			}
		}
		cs, err := db.Clearances(ctx, f.org.ID, c.ID)
		if err != nil || len(cs) != 1 {
			t.Fatalf("clearances %+v %v", cs, err)
		}
		want := *cl
		want.Physician, want.ByName = "Dr. Ana Ruiz", "Tess"
		if !reflect.DeepEqual(cs[0], want) {
			t.Errorf("clearance\n%+v\nwant\n%+v", cs[0], want)
		}
		if cs, _ := db.Clearances(ctx, f.otherOrg.ID, c.ID); len(cs) != 0 {
			t.Errorf("another organisation lists the clearances")
		}
	})
}
