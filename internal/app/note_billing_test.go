package app_test

import (
	"maps"
	"testing"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestNoteBillingSettings: the owner's code map and rules are what notes
// bill by, at once; payers are matched however their name is typed; other
// roles may read but not change them, and refusals are audited.
func TestNoteBillingSettings(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const addr = "203.0.113.7"
		owner, _ := signIn(t, s, testsrv.Owner, addr)
		maria, _ := signIn(t, s, testsrv.TherapistA, addr)
		desk, _ := signIn(t, s, testsrv.FrontDesk, addr)
		other, _ := signIn(t, s, testsrv.OtherOwner, addr)

		m, rule, err := s.App.NoteBilling(ctx, maria)
		if err != nil || !maps.Equal(m, care.DefaultCodeMap()) || rule != units.CMS {
			t.Fatalf("before any setting: %v %q %v", m, rule, err)
		}

		ns := store.NoteSettings{
			CodeMap:    care.CodeMap{"deep_tissue": "97140", "breathing_relaxation": "97112"},
			Rule:       units.AMA,
			PayerRules: map[string]units.Rule{"Medicare": units.CMS, " Blue Cross ": units.AMA},
		}
		es := audited(t, s, func() {
			if err := s.App.SaveNoteSettings(ctx, owner, ns); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "save", es, audit.Entry{Action: audit.OrgUpdate, OrgID: s.Org.ID, UserID: owner.User.ID, Actor: testsrv.Owner,
			RecordType: "org", RecordID: s.Org.ID, SourceIP: addr, Result: audit.OK, Detail: "changed note billing settings"})

		// The therapist's next note bills by the new map and rule.
		m, rule, err = s.App.NoteBilling(ctx, maria)
		if err != nil || m["deep_tissue"] != "97140" || m["breathing_relaxation"] != "97112" || m["swedish"] != "97124" || rule != units.AMA {
			t.Errorf("after saving: %v %q %v", m, rule, err)
		}
		techs := []care.PerformedTechnique{{Technique: "deep_tissue", Minutes: 10}, {Technique: "swedish", Minutes: 10}}
		res, _, err := care.NoteUnits(techs, nil, m, rule)
		if err != nil || res.TotalUnits != 2 {
			// AMA: 10 minutes of 97140 and 10 of 97124 each pass the midpoint.
			t.Errorf("units under the saved settings: %+v %v", res, err)
		}

		got, err := s.App.NoteSettings(ctx, maria)
		if err != nil {
			t.Fatal(err)
		}
		for payer, want := range map[string]units.Rule{"medicare": units.CMS, "  MEDICARE ": units.CMS, "Blue Cross": units.AMA, "Aetna": units.AMA, "": units.AMA} {
			if r := got.RuleFor(payer); r != want {
				t.Errorf("RuleFor(%q) = %q; want %q", payer, r, want)
			}
		}
		if got, _ := s.App.NoteSettings(ctx, owner); got.PayerRules["Blue Cross"] != units.AMA {
			t.Errorf("the payer's name is not stored trimmed: %v", got.PayerRules)
		}

		// Another organisation's notes are untouched.
		if m, rule, _ := s.App.NoteBilling(ctx, other); m["deep_tissue"] != "97124" || rule != units.CMS {
			t.Errorf("other organisation bills by %v %q", m, rule)
		}

		// A therapist may read but not change; the front desk does not read notes.
		for _, a := range []struct {
			who  string
			call func() error
		}{
			{"therapist saves", func() error { return s.App.SaveNoteSettings(ctx, maria, store.DefaultNoteSettings()) }},
			{"front desk reads", func() error { _, err := s.App.NoteSettings(ctx, desk); return err }},
			{"front desk saves", func() error { return s.App.SaveNoteSettings(ctx, desk, store.DefaultNoteSettings()) }},
		} {
			es := audited(t, s, func() {
				if err := a.call(); errs.Code(err) != errs.Forbidden {
					t.Errorf("%s: %v, want forbidden", a.who, err)
				}
			})
			if len(es) != 1 || es[0].Action != audit.Denied {
				t.Errorf("%s: audit %+v, want one denial", a.who, es)
			}
		}

		// A bad code is refused with its field and changes nothing.
		bad := ns
		bad.CodeMap = care.CodeMap{"swedish": "12345"}
		es = audited(t, s, func() {
			err := s.App.SaveNoteSettings(ctx, owner, bad)
			if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)["code.swedish"] == "" {
				t.Errorf("bad code: %v", err)
			}
		})
		if len(es) != 0 {
			t.Errorf("a refused save was audited as a change: %+v", es)
		}
		if m, _, _ := s.App.NoteBilling(ctx, maria); m["swedish"] != "97124" {
			t.Errorf("a refused save changed the map: %v", m)
		}
	})
}

// TestClientNoteBilling: a session's units follow the rule of the payer
// the client's authorization on that date names, else the clinic's
// default, and say which.
func TestClientNoteBilling(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const addr = "203.0.113.7"
		owner, _ := signIn(t, s, testsrv.Owner, addr)
		maria, _ := signIn(t, s, testsrv.TherapistA, addr)
		james, _ := signIn(t, s, testsrv.TherapistB, addr)
		desk, _ := signIn(t, s, testsrv.FrontDesk, addr)
		c := freshClient(t, s, s.Downtown.ID)
		ns := store.DefaultNoteSettings()
		ns.PayerRules = map[string]units.Rule{"Blue Cross": units.AMA}
		if err := s.App.SaveNoteSettings(ctx, owner, ns); err != nil {
			t.Fatal(err)
		}
		for _, au := range []*care.Authorization{
			{ClientID: c.ID, Payer: "blue cross ", Number: "BC-1", VisitsAuthorized: 8, StartOn: "2026-03-01", EndOn: "2026-04-30"},
			{ClientID: c.ID, Payer: "Medicare", Number: "MC-2", VisitsAuthorized: 8, StartOn: "2026-06-01", EndOn: "2026-06-30"},
		} {
			if err := s.App.CreateAuthorization(ctx, owner, au); err != nil {
				t.Fatal(err)
			}
		}
		b, err := s.App.ClientNoteBilling(ctx, maria, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// 10 minutes each of 97140 and 97124: 2 units by the AMA rule, 1 by CMS (20 minutes).
		techs := []care.PerformedTechnique{{Technique: "myofascial_release", Minutes: 10}, {Technique: "swedish", Minutes: 10}}
		for _, c := range []struct {
			date, why string
			units     int
		}{
			{"2026-02-15", "CMS 8-minute rule: the clinic's default (no payer on file for this date)", 1},
			{"2026-03-01", "AMA substantial-portion rule: blue cross (authorization BC-1) bills by it", 2},
			{"2026-04-30", "AMA substantial-portion rule: blue cross (authorization BC-1) bills by it", 2},
			{"2026-05-20", "AMA substantial-portion rule: blue cross (authorization BC-1) bills by it", 2}, // lapsed: still that payer
			{"2026-06-10", "CMS 8-minute rule: the clinic's default, billed to Medicare (authorization MC-2)", 1},
		} {
			rule, why := b.Rule(c.date)
			res, _, err := care.NoteUnits(techs, nil, b.Codes, rule)
			if why != c.why || err != nil || res.TotalUnits != c.units {
				t.Errorf("%s: %q, %d units (%v); want %q, %d", c.date, why, res.TotalUnits, err, c.why, c.units)
			}
		}
		// Only who may read the client's notes.
		for _, who := range []*auth.Actor{james, desk} {
			if _, err := s.App.ClientNoteBilling(ctx, who, c.ID); errs.Code(err) != errs.Forbidden {
				t.Errorf("%s: %v, want forbidden", who.User.Email, err)
			}
		}
	})
}
