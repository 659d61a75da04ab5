package store_test

import (
	"context"
	"database/sql"
	"maps"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

func TestNoteSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		save := func(orgID int64, s store.NoteSettings) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SaveNoteSettings(ctx, tx, orgID, s) })
		}
		read := func(orgID int64) store.NoteSettings {
			t.Helper()
			s, err := db.NoteSettings(ctx, orgID)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}

		// Before the owner saves: the built-in map and the 8-minute rule.
		s := read(f.org.ID)
		if !maps.Equal(s.CodeMap, care.DefaultCodeMap()) || s.Rule != units.CMS || len(s.PayerRules) != 0 || !s.UpdatedAt.IsZero() {
			t.Fatalf("settings before saving = %+v", s)
		}

		// A partial map: the lines given change, the others keep their default.
		mine := store.NoteSettings{
			CodeMap:    care.CodeMap{"swedish": "97140", "breathing_relaxation": "97112", "hot_pack": ""},
			Rule:       units.AMA,
			PayerRules: map[string]units.Rule{"  Blue Cross  ": units.CMS, "Aetna": units.AMA},
		}
		if err := save(f.org.ID, mine); err != nil {
			t.Fatal(err)
		}
		got := read(f.org.ID)
		want := care.DefaultCodeMap()
		want["swedish"], want["breathing_relaxation"], want["hot_pack"] = "97140", "97112", ""
		if !maps.Equal(got.CodeMap, want) {
			t.Errorf("saved map reads %v, want %v", got.CodeMap, want)
		}
		if got.Rule != units.AMA || got.UpdatedAt.IsZero() {
			t.Errorf("saved rule %q, updated %v", got.Rule, got.UpdatedAt)
		}
		if !maps.Equal(got.PayerRules, map[string]units.Rule{"Blue Cross": units.CMS, "Aetna": units.AMA}) {
			t.Errorf("payer rules read %v (names should be trimmed)", got.PayerRules)
		}
		for payer, r := range map[string]units.Rule{"blue cross": units.CMS, " AETNA ": units.AMA, "Cigna": units.AMA, "": units.AMA} {
			if g := got.RuleFor(payer); g != r {
				t.Errorf("RuleFor(%q) = %s, want %s", payer, g, r)
			}
		}
		if names := got.PayerNames(); strings.Join(names, "|") != "Aetna|Blue Cross" {
			t.Errorf("payer names %v", names)
		}
		if o := read(f.otherOrg.ID); o.Rule != units.CMS || !maps.Equal(o.CodeMap, care.DefaultCodeMap()) {
			t.Errorf("another organisation's settings changed: %+v", o)
		}

		// A map stored before a technique existed: the technique gets its
		// default, and a key the catalogue dropped is ignored.
		if _, err := db.ExecForTest(ctx, "UPDATE note_settings SET code_map = $1 WHERE org_id = $2",
			`{"swedish": "97110", "retired_technique": "97124"}`, f.org.ID); err != nil {
			t.Fatal(err)
		}
		got = read(f.org.ID)
		if got.CodeMap["swedish"] != "97110" || got.CodeMap["trigger_point"] != "97140" || got.CodeMap["hot_pack"] != "97010" {
			t.Errorf("stored map not merged over the defaults: %v", got.CodeMap)
		}
		if _, ok := got.CodeMap["retired_technique"]; ok {
			t.Errorf("a key the catalogue does not have is kept")
		}

		// Refused, with the field named, and nothing changed.
		before := read(f.org.ID)
		long := strings.Repeat("é", store.MaxPayerNameRunes+1)
		many := map[string]units.Rule{}
		for i := range store.MaxPayerRules + 1 {
			many["Payer "+strings.Repeat("x", i)] = units.AMA
		}
		for _, c := range []struct {
			what  string
			s     store.NoteSettings
			field string
		}{
			{"unknown code", store.NoteSettings{CodeMap: care.CodeMap{"swedish": "99999"}, Rule: units.CMS}, "code.swedish"},
			{"unknown technique", store.NoteSettings{CodeMap: care.CodeMap{"reiki": "97124"}, Rule: units.CMS}, "code.reiki"},
			{"unknown rule", store.NoteSettings{Rule: "medicaid"}, "rule"},
			{"no rule", store.NoteSettings{}, "rule"},
			{"payer rule unknown", store.NoteSettings{Rule: units.CMS, PayerRules: map[string]units.Rule{"Aetna": "midpoint"}}, "payer.Aetna"},
			{"payer name too long", store.NoteSettings{Rule: units.CMS, PayerRules: map[string]units.Rule{long: units.AMA}}, "payer." + long},
			{"payer name empty", store.NoteSettings{Rule: units.CMS, PayerRules: map[string]units.Rule{"  ": units.AMA}}, "payers"},
			{"payer name with a newline", store.NoteSettings{Rule: units.CMS, PayerRules: map[string]units.Rule{"Aet\nna": units.AMA}}, "payer.Aet\nna"},
			{"payer name not text", store.NoteSettings{Rule: units.CMS, PayerRules: map[string]units.Rule{"Aet\xffna": units.AMA}}, "payer.Aet\xffna"},
			{"same payer twice", store.NoteSettings{Rule: units.CMS, PayerRules: map[string]units.Rule{"Aetna": units.AMA, "AETNA ": units.CMS}}, "payer.AETNA"},
			{"too many payers", store.NoteSettings{Rule: units.CMS, PayerRules: many}, "payers"},
		} {
			err := save(f.org.ID, c.s)
			wantCode(t, c.what, err, errs.Invalid)
			if _, ok := errs.FieldsOf(err)[c.field]; !ok {
				t.Errorf("%s: fields %v, want %q", c.what, errs.FieldsOf(err), c.field)
			}
		}
		if after := read(f.org.ID); !maps.Equal(after.CodeMap, before.CodeMap) || after.Rule != before.Rule || !maps.Equal(after.PayerRules, before.PayerRules) {
			t.Errorf("a refused save changed the settings: %+v", after)
		}

		// Exactly at the limits is fine.
		atLimit := map[string]units.Rule{strings.Repeat("é", store.MaxPayerNameRunes): units.AMA}
		for i := range store.MaxPayerRules - 1 {
			atLimit["Payer "+strings.Repeat("x", i)] = units.CMS
		}
		if err := save(f.org.ID, store.NoteSettings{CodeMap: care.DefaultCodeMap(), Rule: units.CMS, PayerRules: atLimit}); err != nil {
			t.Errorf("50 payers, a 100-character name: %v", err)
		}
		if got := read(f.org.ID); len(got.PayerRules) != store.MaxPayerRules {
			t.Errorf("%d payers read back", len(got.PayerRules))
		}
	})
}
