package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// A condition's template is added to the draft with what the form held;
// a bad choice or a stale version changes nothing; the front desk cannot.
func TestNoteTemplateForm(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c, _ := noteClientAndAppointment(t, s, time.Hour)
		st, err := s.App.StartSession(ctx, actorFor(t, s, testsrv.TherapistA), c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		nid := st.Note.ID
		mc := s.SignIn(t, testsrv.TherapistA)
		u := s.URL + "/notes/" + id(nid) + "/template"
		form := func(version int64, key string) url.Values {
			return url.Values{"version": {id(version)}, "service_date": {st.Note.ServiceDate}, "kind": {"daily"},
				"subjective": {"Stiff neck since the weekend."}, "template": {key}}
		}

		for _, bad := range []struct {
			what string
			form url.Values
			want string
		}{
			{"no condition", form(st.Note.Version, ""), "Choose a condition."},
			{"unknown condition", form(st.Note.Version, "gout"), "Choose a condition."},
			{"stale version", form(st.Note.Version+5, "chronic_neck_pain"), "Someone else saved"},
		} {
			r := post(t, mc, u, bad.form)
			if r.status != http.StatusUnprocessableEntity && r.status != http.StatusConflict || !strings.Contains(r.body, bad.want) {
				t.Errorf("%s: %d %.200q", bad.what, r.status, r.body)
			}
			if n := noteStored(t, s, nid); n.Version != st.Note.Version || len(n.Techniques) != 0 {
				t.Errorf("%s changed the draft: version %d, %+v", bad.what, n.Version, n.Techniques)
			}
		}
		if r := post(t, s.SignIn(t, testsrv.FrontDesk), u, form(st.Note.Version, "chronic_neck_pain")); r.status != http.StatusForbidden {
			t.Errorf("front desk: %s", r)
		}

		r := post(t, mc, u, form(st.Note.Version, "chronic_neck_pain"))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/notes/"+id(nid)+"?template=chronic_neck_pain#note-form" {
			t.Fatalf("apply: %s", r)
		}
		n := noteStored(t, s, nid)
		if n.Subjective != "Stiff neck since the weekend." || len(n.Techniques) != 3 || n.Techniques[0].Technique != "swedish" || !strings.Contains(n.Objective, "Cervical rotation R __° L __°") {
			t.Errorf("stored after the template: %+v", n)
		}
		page := get(t, mc, s.URL+"/notes/"+id(nid)+"?template=chronic_neck_pain")
		planWantIn(t, "the note after the template", page.body, "Template for Chronic neck pain added", "Chronic neck pain — avoid:", "where the carotid artery runs")
	})
}

// The units follow the rule of the payer on the client's authorization.
func TestNoteUnitsByPayer(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		owner := ownerActor(s)
		c, _ := noteClientAndAppointment(t, s, time.Hour)
		ns := store.DefaultNoteSettings()
		ns.PayerRules = map[string]units.Rule{"Blue Cross": units.AMA}
		if err := s.App.SaveNoteSettings(ctx, owner, ns); err != nil {
			t.Fatal(err)
		}
		maria := actorFor(t, s, testsrv.TherapistA)
		st, err := s.App.StartSession(ctx, maria, c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := st.Note
		// 10 minutes of each: 1 unit by the CMS rule, 2 by the AMA rule.
		n.Techniques = []care.PerformedTechnique{{Technique: "myofascial_release", Minutes: 10}, {Technique: "swedish", Minutes: 10}}
		if n, err = s.App.SaveNoteDraft(ctx, maria, n, n.Version); err != nil {
			t.Fatal(err)
		}
		mc := s.SignIn(t, testsrv.TherapistA)
		page := get(t, mc, s.URL+"/notes/"+id(n.ID))
		// The demo client's payer follows the clinic's default.
		planWantIn(t, "before", page.body, "20 timed minutes → 1 unit", "By the CMS 8-minute rule: the clinic&#39;s default", `data-rule="cms"`)

		au := &care.Authorization{ClientID: c.ID, Payer: "Blue Cross", Number: "BC-9", VisitsAuthorized: 6, StartOn: n.ServiceDate, EndOn: n.ServiceDate}
		if err := s.App.CreateAuthorization(ctx, owner, au); err != nil {
			t.Fatal(err)
		}
		page = get(t, mc, s.URL+"/notes/"+id(n.ID))
		planWantIn(t, "Blue Cross", page.body, "→ 2 units: 1 × 97140, 1 × 97124", "By the AMA substantial-portion rule: Blue Cross (authorization BC-9) bills by it.", `data-rule="ama"`)
		// The live calculation takes the page's rule.
		r := get(t, mc, s.URL+"/notes/"+id(n.ID)+"/units?technique.0.technique=swedish&technique.0.minutes=10&technique.1.technique=myofascial_release&technique.1.minutes=10&rule=ama")
		if !strings.Contains(r.body, `"total":2`) || !strings.Contains(r.body, `"rule":"ama"`) {
			t.Errorf("live units by the AMA rule: %s", r.body)
		}
		// A save answers with the payer's rule and why.
		status, out := noteJSONPost(t, mc, s.URL+"/notes/"+id(n.ID)+"/draft", url.Values{"version": {id(n.Version)}, "service_date": {n.ServiceDate}, "kind": {"daily"},
			"technique.0.technique": {"swedish"}, "technique.0.minutes": {"10"}, "technique.1.technique": {"myofascial_release"}, "technique.1.minutes": {"10"}})
		u, _ := out["units"].(map[string]any)
		if status != http.StatusOK || u["rule"] != "ama" || u["total"] != float64(2) || !strings.Contains(u["rule_why"].(string), "Blue Cross") {
			t.Errorf("save: %d %v", status, out)
		}
	})
}
