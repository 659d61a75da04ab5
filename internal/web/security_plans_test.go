package web_test

// The plan of care routes in the security route tables.

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "POST /clients/{id}/plans", path: "/clients/{client}/plans", access: session, body: func(f *fixture) string {
			return formBody("condition", "carpal_tunnel")
		}},
		route{pattern: "GET /clients/{id}/plans/{pid}", path: "/clients/{client}/plans/{plan}", access: session},
		route{pattern: "POST /clients/{id}/plans/{pid}", path: "/clients/{client}/plans/{plan}", access: session, body: func(f *fixture) string {
			p := planFixtureOf(f).current(f, planFixtureOf(f).draft(f))
			return formBody("row_version", id(p.RowVersion), "start_date", p.StartDate, "home_care", "Hijacked home care", "per_week", "2", "weeks", "6")
		}},
		route{pattern: "POST /clients/{id}/plans/{pid}/revise", path: "/clients/{client}/plans/{signedplan}/revise", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /clients/{id}/plans/{pid}/sent", path: "/clients/{client}/plans/{signedplan}/sent", access: session, body: func(f *fixture) string {
			return formBody("physician_id", id(rxFixtureOf(f).physician(f).ID))
		}},
		route{pattern: "POST /clients/{id}/plans/{pid}/cosign", path: "/clients/{client}/plans/{signedplan}/cosign", access: session, body: func(f *fixture) string {
			return formBody("cosigned_on", time.Now().AddDate(0, 0, -2).Format(clinic.DateLayout), "cosigned_by", "Dr. Forged")
		}},
		route{pattern: "GET /clients/{id}/plans/{pid}/pdf", path: "/clients/{client}/plans/{signedplan}/pdf", access: session},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		x := planFixtureOf(f)
		return []string{"{plan}", id(x.draft(f)), "{signedplan}", id(x.signed(f))}
	})
}

// planFixture holds, per route-table fixture, a draft plan and a signed
// plan of the fixture's client (two series), made straight in the store so
// that making them writes nothing to the audit trail.
type planFixture struct {
	mu              sync.Mutex
	draftID, signID int64
}

var planFixtures sync.Map // *fixture → *planFixture

func planFixtureOf(f *fixture) *planFixture {
	v, _ := planFixtures.LoadOrStore(f, &planFixture{})
	return v.(*planFixture)
}

// make stores a new plan of the fixture's client, signed if sign is set.
func (x *planFixture) make(f *fixture, sign bool) int64 {
	cred, err := f.s.DB.CredentialsByEmail(ctx, testsrv.Owner)
	if err != nil {
		panic(err)
	}
	p := &assess.Plan{OrgID: f.s.Org.ID, ClientID: f.client.ID, StartDate: time.Now().Format(clinic.DateLayout), TherapistID: cred.UserID,
		Diagnoses: []string{"G56.01"}, PerWeek: 2, Weeks: 6, ReevalVisits: 6, ReevalDays: 30,
		Goals:      []assess.Goal{{Term: "short", Measure: assess.MeasurePain, What: "wrist pain at worst", Baseline: 7, Target: 5, Unit: "/10", TargetDate: time.Now().AddDate(0, 0, 28).Format(clinic.DateLayout)}},
		Techniques: []assess.PlannedTechnique{{Technique: "myofascial_release", Regions: []string{"wrist"}}}}
	err = f.s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := f.s.DB.CreatePlan(ctx, tx, p); err != nil {
			return err
		}
		if sign {
			return f.s.DB.SignPlan(ctx, tx, p.OrgID, p.ClientID, p.ID, p.RowVersion, cred.UserID)
		}
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("plan fixture: %v", err))
	}
	return p.ID
}

func (x *planFixture) draft(f *fixture) int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.draftID == 0 {
		x.draftID = x.make(f, false)
	}
	return x.draftID
}

func (x *planFixture) signed(f *fixture) int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.signID == 0 {
		x.signID = x.make(f, true)
	}
	return x.signID
}

// current is plan id as stored now (its row version changes).
func (x *planFixture) current(f *fixture, planID int64) *assess.Plan {
	p, err := f.s.DB.Plan(ctx, f.s.Org.ID, f.client.ID, planID)
	if err != nil {
		panic(err)
	}
	return p
}

// TestSecurityPlanMarkupAndBadInput: what people type into a plan shows as
// text on its pages, and hostile input to every plan form is a 4xx that
// changes nothing.
func TestSecurityPlanMarkupAndBadInput(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "alert(1)")
		owner := ownerActor(s)
		c := s.ClientAt(t, s.Downtown.ID)
		kim := planDemoPhysician(t, s)
		ev := signedCarpalTunnelEvaluation(t, s, owner, c, kim.ID)
		oc := s.SignIn(t, testsrv.Owner)
		cid := id(c.ID)

		// Markup in every free-text field of the plan, signed, co-signed.
		r := post(t, oc, s.URL+"/clients/"+cid+"/plans", url.Values{"condition": {"carpal_tunnel"}, "evaluation_id": {id(ev.ID)}})
		pid := planIDFromRedirect(t, "start a plan", r)
		base := s.URL + "/clients/" + cid + "/plans/" + pid
		f := planFormValues(t, get(t, oc, base).body, "plan-form")
		for i := range 5 {
			p := "goal." + id(int64(i)) + "."
			if f.Get(p+"baseline") == f.Get(p+"target") {
				f.Set(p+"target", "1")
			}
			f.Set(p+"unit", markup[i%len(markup)])
		}
		f.Set("goal.4.what", markup[0])
		f.Set("home_care", strings.Join(markup, "\n"))
		f.Set("precautions", strings.Join(markup, "\n"))
		if r := post(t, oc, base, f); r.status != http.StatusSeeOther {
			t.Fatalf("save a plan with markup: %s", r)
		}
		wantEscaped(t, "the draft", get(t, oc, base).body)
		f = planFormValues(t, get(t, oc, base).body, "plan-form")
		f.Set("sign", "1")
		if r := post(t, oc, base, f); r.status != http.StatusSeeOther {
			t.Fatalf("sign a plan with markup: %s", r)
		}
		if r := post(t, oc, base+"/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {markup[0]}}); r.status != http.StatusSeeOther {
			t.Fatalf("co-signature with markup: %s", r)
		}
		wantEscaped(t, "the signed plan", get(t, oc, base).body)
		r = post(t, oc, base+"/cosign", url.Values{"cosigned_on": {"yesterday"}, "cosigned_by": {markup[1] + markup[0]}})
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("co-signature on a date that is not one: %d", r.status)
		}
		wantEscaped(t, "the co-signature form sent back", r.body)
		if r := get(t, oc, base+"/pdf"); r.status != http.StatusOK || !strings.HasPrefix(r.body, "%PDF-") {
			t.Errorf("PDF of a plan with markup: %d", r.status)
		}

		// Hostile input to the draft form: a 4xx, never a 5xx, nothing saved.
		r = post(t, oc, s.URL+"/clients/"+cid+"/plans", url.Values{"condition": {"carpal_tunnel"}})
		draft := planIDFromRedirect(t, "start a second plan", r)
		dbase := s.URL + "/clients/" + cid + "/plans/" + draft
		valid := planFormValues(t, get(t, oc, dbase).body, "plan-form")
		before := planStored(t, s, c.ID, planID(t, draft))
		plansBefore := len(planVersionsOf(t, s, c.ID))
		other := s.OtherClient
		big := strings.Repeat("x", 100<<10)
		huge := "99999999999999999999"
		hostile := map[string][]string{
			"row_version":           {"", "abc", "0", "-1", "999", huge},
			"start_date":            {"", "abc", "2026-13-45", "\x00", big},
			"physician_id":          {"abc", "-1", "99999999", huge},
			"diagnoses":             {"<b>", "M54", "Q99.99", "\xff\xfe", "a\x00b", big, strings.Repeat("G56.01 ", 13)},
			"goal.0.term":           {"medium", "\x00"},
			"goal.0.measure":        {"bogus", "\xff"},
			"goal.0.what":           {"\x00", "\xff\xfe", big},
			"goal.0.baseline":       {"abc", "NaN", "Inf", "-Inf", "1e400", "0x10p", big},
			"goal.0.target":         {"abc", "NaN", "1e999"},
			"goal.0.unit":           {"\x00", big},
			"goal.0.target_date":    {"", "abc", "1999-01-01", big},
			"goal.1.motion":         {"", "bogus", "\x00"},
			"goal.1.side":           {"up", "midline"},
			"goal.9999.measure":     {"bogus"},
			"technique.0.technique": {"bogus", "\x00"},
			"technique.0.regions":   {"bogus", "\xff"},
			"technique.7.regions":   {"wrist"},
			"per_week":              {"abc", "-1", "15", huge, "1.5"},
			"weeks":                 {"abc", "-1", "105", huge},
			"reeval_visits":         {"abc", "-1", "101", huge},
			"reeval_days":           {"abc", "-1", "366", huge},
			"precautions":           {"a\x00b", "\xff\xfe", big},
			"home_care":             {"a\x00b", "\xff\xfe", big},
		}
		for field, values := range hostile {
			for _, v := range values {
				form := planCloneValues(valid)
				form.Set(field, v)
				if field == "goal.1.motion" || field == "goal.1.side" {
					form.Set("goal.1.measure", "rom")
				}
				if r := post(t, oc, dbase, form); r.status < 400 || r.status > 499 {
					t.Errorf("POST draft with %s=%.20q: %d, want 4xx", field, v, r.status)
				}
			}
		}
		if r := do(t, oc, http.MethodPost, dbase, "%zz=%%&&=;", "Content-Type", "application/x-www-form-urlencoded"); r.status < 400 || r.status > 499 {
			t.Errorf("a malformed form body: %d, want 4xx", r.status)
		}
		if now := planStored(t, s, c.ID, before.ID); now.RowVersion != before.RowVersion || now.Status != assess.Draft {
			t.Errorf("hostile input changed the draft: row version %d → %d", before.RowVersion, now.RowVersion)
		}

		// The other forms.
		signed := planStored(t, s, c.ID, planID(t, pid))
		otherDoc := &clinic.Document{ClientID: s.ClientAt(t, s.RoundRock.ID).ID, Kind: clinic.DocumentOther, Filename: "someone-else.pdf"}
		if err := s.App.SaveDocument(ctx, owner, otherDoc, []byte(tinyPDF)); err != nil {
			t.Fatal(err)
		}
		for _, k := range []struct {
			path string
			form url.Values
		}{
			{"/clients/" + cid + "/plans", url.Values{"condition": {"bogus"}}},
			{"/clients/" + cid + "/plans", url.Values{"condition": {"\x00"}}},
			{"/clients/" + cid + "/plans", url.Values{"evaluation_id": {"abc"}}},
			{"/clients/" + cid + "/plans", url.Values{"evaluation_id": {"-1"}}},
			{"/clients/" + cid + "/plans", url.Values{"evaluation_id": {"99999999"}}},
			{"/clients/" + cid + "/plans", url.Values{"evaluation_id": {huge}}},
			{"/clients/" + id(other.ID) + "/plans", url.Values{"condition": {"carpal_tunnel"}}},
			{"/clients/" + cid + "/plans/" + pid + "/sent", url.Values{"physician_id": {""}}},
			{"/clients/" + cid + "/plans/" + pid + "/sent", url.Values{"physician_id": {"abc"}}},
			{"/clients/" + cid + "/plans/" + pid + "/sent", url.Values{"physician_id": {"-1"}}},
			{"/clients/" + cid + "/plans/" + pid + "/sent", url.Values{"physician_id": {huge}}},
			{"/clients/" + cid + "/plans/" + draft + "/sent", url.Values{"physician_id": {id(kim.ID)}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {""}, "cosigned_by": {"Dr A"}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {"2026-13-45"}, "cosigned_by": {"Dr A"}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {"2999-01-01"}, "cosigned_by": {"Dr A"}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {""}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {"a\x00b"}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {big}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {"Dr A"}, "document_id": {"abc"}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {"Dr A"}, "document_id": {"99999999"}}},
			{"/clients/" + cid + "/plans/" + pid + "/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {"Dr A"}, "document_id": {id(otherDoc.ID)}}},
			{"/clients/" + cid + "/plans/" + draft + "/cosign", url.Values{"cosigned_on": {s.App.ClinicDate(owner)}, "cosigned_by": {"Dr A"}}},
			{"/clients/" + cid + "/plans/" + draft + "/revise", url.Values{}},
		} {
			if r := post(t, oc, s.URL+k.path, k.form); r.status < 400 || r.status > 499 {
				t.Errorf("POST %s with %v: %d, want 4xx", k.path, k.form, r.status)
			}
		}
		for _, p := range []string{"/clients/" + cid + "/plans/abc", "/clients/" + cid + "/plans/-1", "/clients/" + cid + "/plans/" + huge,
			"/clients/abc/plans/" + pid, "/clients/" + id(s.ClientAt(t, s.RoundRock.ID).ID) + "/plans/" + pid, "/clients/" + cid + "/plans/99999999/pdf"} {
			if r := get(t, oc, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.status)
			}
		}
		now := planStored(t, s, c.ID, signed.ID)
		if now.RowVersion != signed.RowVersion || now.CosignedBy != signed.CosignedBy || !now.SentAt.IsZero() {
			t.Errorf("hostile input changed the signed plan")
		}
		if n := len(planVersionsOf(t, s, c.ID)); n != plansBefore {
			t.Errorf("hostile input added plans: %d → %d", plansBefore, n)
		}
	})
}
