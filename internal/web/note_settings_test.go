package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestNoteSettingsPage: the owner maps a technique to another code, changes
// the default rule and adds payers, and the next note bills by it; a bad
// code or payer rule is shown next to its field and saves nothing; other
// roles may not open or post the page.
func TestNoteSettingsPage(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		{
			s := start(t, e)
			owner := s.SignIn(t, testsrv.Owner)
			page := s.URL + "/admin/note-settings"

			r := get(t, owner, page)
			if r.status != http.StatusOK {
				t.Fatalf("open: %s", r)
			}
			for _, want := range []string{`<label for="code.swedish">Swedish massage</label>`, `<label for="code.hot_pack">Hot pack</label>`,
				`<option value="97124" selected>`, `id="rule-cms" name="rule" value="cms" checked`, `name="payer_name.0"`, `value="Blue Cross and Blue Shield of Texas"`} {
				if !strings.Contains(r.body, want) {
					t.Errorf("page lacks %q", want)
				}
			}

			form := url.Values{"rule": {"ama"}, "code.deep_tissue": {"97140"}, "code.breathing_relaxation": {"97112"}, "code.hot_pack": {""},
				"payer_name.0": {"  Medicare "}, "payer_rule.0": {"cms"}, "payer_name.1": {""}, "payer_rule.1": {"ama"}, "payer_name.4": {"Blue Cross"}, "payer_rule.4": {"ama"}}
			if r := post(t, owner, page, form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/note-settings?saved=1" {
				t.Fatalf("save: %s", r)
			}

			// The therapist's next note bills by it.
			maria := bookActor(t, s, testsrv.TherapistA)
			m, rule, err := s.App.NoteBilling(ctx, maria)
			if err != nil {
				t.Fatal(err)
			}
			if m["deep_tissue"] != "97140" || m["breathing_relaxation"] != "97112" || m["hot_pack"] != "" || m["swedish"] != "97124" || rule != units.AMA {
				t.Errorf("NoteBilling after saving: %v %q", m, rule)
			}
			ns, _ := s.App.NoteSettings(ctx, maria)
			for payer, want := range map[string]units.Rule{"MEDICARE": units.CMS, "blue cross": units.AMA, "Cigna": units.AMA} {
				if got := ns.RuleFor(payer); got != want {
					t.Errorf("rule for %s: %s, want %s", payer, got, want)
				}
			}
			r = get(t, owner, page+"?saved=1")
			for _, want := range []string{"Saved.", `value="Medicare"`, `value="Blue Cross"`, `id="rule-ama" name="rule" value="ama" checked`} {
				if !strings.Contains(r.body, want) {
					t.Errorf("after saving, the page lacks %q", want)
				}
			}

			// Refused: an unknown code, a payer without a rule, the same payer twice.
			before, _ := s.DB.NoteSettings(ctx, s.Org.ID)
			for _, c := range []struct {
				what, field string
				form        url.Values
			}{
				{"unknown code", "code.swedish", url.Values{"rule": {"cms"}, "code.swedish": {"99999"}}},
				{"payer rule", "payer_rule.2", url.Values{"rule": {"cms"}, "payer_name.2": {"Aetna"}, "payer_rule.2": {"midpoint"}}},
				{"same payer twice", "payer_name.3", url.Values{"rule": {"cms"}, "payer_name.0": {"Aetna"}, "payer_rule.0": {"ama"}, "payer_name.3": {"AETNA"}, "payer_rule.3": {"cms"}}},
				{"payer name too long", "payer_name.0", url.Values{"rule": {"cms"}, "payer_name.0": {strings.Repeat("x", 101)}, "payer_rule.0": {"ama"}}},
				{"no rule", "rule", url.Values{"code.swedish": {"97140"}}},
			} {
				r := post(t, owner, page, c.form)
				if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="`+c.field+`-error"`) {
					t.Errorf("%s: want 422 with the error at %s, got %s", c.what, c.field, r)
				}
			}
			after, _ := s.DB.NoteSettings(ctx, s.Org.ID)
			if after.Rule != before.Rule || after.CodeMap["swedish"] != before.CodeMap["swedish"] || len(after.PayerRules) != len(before.PayerRules) || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("a refused save changed the settings: %+v", after)
			}

			// Clearing a payer's name removes it.
			if r := post(t, owner, page, url.Values{"rule": {"ama"}, "payer_name.0": {""}, "payer_rule.0": {"cms"}, "payer_name.1": {"Blue Cross"}, "payer_rule.1": {"ama"}}); r.status != http.StatusSeeOther {
				t.Fatalf("remove a payer: %s", r)
			}
			if ns, _ := s.DB.NoteSettings(ctx, s.Org.ID); len(ns.PayerRules) != 1 || ns.PayerRules["Blue Cross"] != units.AMA {
				t.Errorf("after removing Medicare: %v", ns.PayerRules)
			}

			for _, who := range []string{testsrv.TherapistA, testsrv.Biller, testsrv.FrontDesk} {
				c := s.SignIn(t, who)
				if r := get(t, c, page); r.status != http.StatusForbidden {
					t.Errorf("%s opens the page: %d", who, r.status)
				}
				if r := post(t, c, page, url.Values{"rule": {"cms"}, "code.swedish": {"97010"}}); r.status != http.StatusForbidden {
					t.Errorf("%s saves: %d", who, r.status)
				}
			}
			if ns, _ := s.DB.NoteSettings(ctx, s.Org.ID); ns.CodeMap["swedish"] != "97124" {
				t.Errorf("a refused role changed the map: %v", ns.CodeMap["swedish"])
			}
			if ns, _ := s.DB.NoteSettings(ctx, s.OtherOrg.ID); ns.Rule != units.CMS || ns.CodeMap["deep_tissue"] != "97124" {
				t.Errorf("another organisation's settings changed: %+v", ns)
			}
		}
	})
}
