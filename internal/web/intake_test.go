package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
	"github.com/fascia-health/fascia/internal/web"
)

var intakeURLRE = regexp.MustCompile(`value="(https?://[^"]+(/intake/intake_[a-z0-9]+))"`)

// newIntakeLink creates a link from the chart as c and returns its path.
func newIntakeLink(t *testing.T, s *testsrv.Server, c *http.Client, clientID int64) string {
	t.Helper()
	r := post(t, c, s.URL+"/clients/"+id(clientID)+"/intake-links", nil)
	m := intakeURLRE.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("create intake link: %s", r)
	}
	if !strings.HasPrefix(m[1], s.URL+"/intake/") {
		t.Errorf("the link shown is %q, want the full address", m[1])
	}
	return m[2]
}

var consentRE = regexp.MustCompile(`name="(consent_[a-z_]+)" value="(\d+)"`)

// filledIntake is a valid intake form for the link page page, with every
// consent shown ticked.
func filledIntake(page string) url.Values {
	v := web.IntakeFormValues(care.Intake{
		ReasonForVisit: "Stiff neck after a long drive", Goals: "Turn my head freely",
		PainAreas:   []care.Mark{{View: "posterior", X: 0.5, Y: 0.15, Region: "neck (posterior)", Side: "midline", Kind: "pain", Intensity: 6}},
		Conditions:  []string{"hypertension"},
		Medications: []care.Medication{{Name: "Lisinopril", Class: "antihypertensive", Dose: "10 mg"}},
		Surgeries:   []care.Surgery{{What: "Appendectomy", Date: "2015-06-01", Region: "abdomen", Side: "right"}},
		Allergies:   []string{"latex"}, PressurePreference: "medium", BPSystolic: 128, BPDiastolic: 82,
	})
	for _, m := range consentRE.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], m[2])
	}
	v.Set(care.FieldSignatureName, "Test Client")
	return v
}

// noneOf fails when body shows any of the client's details.
func noneOf(t *testing.T, what, body string, c clinic.Client, more ...string) {
	t.Helper()
	for _, sec := range append([]string{c.FirstName, c.LastName, c.DOB, c.Phone, c.Email, c.PreferredName}, more...) {
		if sec != "" && strings.Contains(body, sec) {
			t.Errorf("%s shows %q", what, sec)
		}
	}
}

func intakeCount(t *testing.T, s *testsrv.Server, clientID int64) int {
	t.Helper()
	all, err := s.DB.Intakes(ctx, s.Org.ID, clientID)
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func TestIntakeLinkLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		cl := s.ClientAt(t, s.RoundRock.ID)
		before := intakeCount(t, s, cl.ID)
		fd := s.SignIn(t, testsrv.FrontDesk)
		link := newIntakeLink(t, s, fd, cl.ID)
		anon := s.Client()

		// The live link: the clinic's name and the client's first name, nothing else of them.
		r := get(t, anon, s.URL+link)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Riverside Medical Massage") {
			t.Fatalf("live link: %s", r)
		}
		first := cl.PreferredName
		if first == "" {
			first = cl.FirstName
		}
		if !strings.Contains(r.body, "Hello "+first+".") {
			t.Errorf("the link page does not greet the client by first name")
		}
		c2 := cl
		c2.FirstName, c2.PreferredName = "", ""
		noneOf(t, "the live link page", r.body, c2)
		if strings.Contains(r.body, `href="/clients`) || strings.Contains(r.body, "/signout") {
			t.Errorf("the link page has the staff menu")
		}
		page := r.body

		// A form with errors shows them beside the fields, keeps what was typed, and saves nothing.
		bad := filledIntake(page)
		bad.Set("reason", "")
		bad.Set("goals", "Keep this text")
		bad.Set("med_0_class", "")
		bad.Del("consent_privacy")
		r = post(t, anon, s.URL+link, bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("form with errors: %s", r)
		}
		for _, want := range []string{`id="reason-error"`, `id="med_0_class-error"`, `id="consent_privacy-error"`, "Keep this text", `value="Lisinopril"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the form with errors lacks %s", want)
			}
		}
		if n := intakeCount(t, s, cl.ID); n != before {
			t.Fatalf("a form with errors saved an intake")
		}

		// Signed: thanks; stored once; the link is used up.
		r = post(t, anon, s.URL+link, filledIntake(page))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Thank you") {
			t.Fatalf("signing: %s", r)
		}
		if n := intakeCount(t, s, cl.ID); n != before+1 {
			t.Fatalf("intakes %d → %d", before, n)
		}
		in, err := s.DB.LatestIntake(ctx, s.Org.ID, cl.ID)
		if err != nil || in.ReasonForVisit != "Stiff neck after a long drive" || in.SignedBy != "Test Client" || in.SignatureKind != "typed" ||
			in.SignedFrom != "127.0.0.1" || in.Source != "link" || len(in.Consents) != 3 {
			t.Fatalf("stored %+v %v", in, err)
		}
		es, _ := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: s.Org.ID, Action: app.AuditIntakeSign, RecordID: cl.ID, Limit: 1})
		if len(es) != 1 || es[0].UserID != 0 || es[0].SourceIP != "127.0.0.1" || es[0].Actor != "client (link)" {
			t.Errorf("intake.sign audit entries: %+v", es)
		}

		// Used: the neutral page, nothing of the client or the clinic, 410.
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			r = do(t, anon, m, s.URL+link, filledIntake(page).Encode())
			if r.status != http.StatusGone || !strings.Contains(r.body, "This link is no longer valid.") || !strings.Contains(r.body, "Please contact the clinic.") {
				t.Errorf("%s used link: %s", m, r)
			}
			noneOf(t, m+" used link", r.body, cl, "Riverside", "Hello")
		}
		if n := intakeCount(t, s, cl.ID); n != before+1 {
			t.Errorf("a used link signed again")
		}
		// Unknown: the same words, 404.
		r = get(t, anon, s.URL+"/intake/intake_"+strings.Repeat("a", 52))
		if r.status != http.StatusNotFound || !strings.Contains(r.body, "This link is no longer valid.") {
			t.Errorf("unknown link: %s", r)
		}
		// Expired.
		expired := newIntakeLink(t, s, fd, cl.ID)
		s.Advance(7*24*time.Hour + time.Minute)
		fd = s.SignIn(t, testsrv.FrontDesk)
		r = get(t, anon, s.URL+expired)
		if r.status != http.StatusGone {
			t.Errorf("expired link: %d", r.status)
		}
		noneOf(t, "expired link", r.body, cl, "Riverside")
		// Revoked.
		revoked := newIntakeLink(t, s, fd, cl.ID)
		chart := get(t, fd, s.URL+"/clients/"+id(cl.ID))
		m := regexp.MustCompile(`action="(/clients/\d+/intake-links/\d+/revoke)"`).FindStringSubmatch(chart.body)
		if m == nil {
			t.Fatalf("no revoke button on the chart")
		}
		if r := post(t, fd, s.URL+m[1], nil); r.status != http.StatusSeeOther {
			t.Fatalf("revoke: %s", r)
		}
		r = get(t, anon, s.URL+revoked)
		if r.status != http.StatusGone {
			t.Errorf("revoked link: %d", r.status)
		}
		noneOf(t, "revoked link", r.body, cl, "Riverside")

		// The token never reaches the log.
		for _, l := range []string{link, expired, revoked} {
			if strings.Contains(s.Log.String(), strings.TrimPrefix(l, "/intake/")) {
				t.Errorf("the log contains a link token")
			}
		}
	})
}

func TestIntakeReviewAndConsents(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		cl := s.ClientAt(t, s.Downtown.ID)
		owner := s.SignIn(t, testsrv.Owner)
		n0 := intakeCount(t, s, cl.ID)
		for i, reason := range []string{"First reason", "Second reason"} {
			link := newIntakeLink(t, s, owner, cl.ID)
			page := get(t, s.Client(), s.URL+link).body
			v := filledIntake(page)
			v.Set("reason", reason)
			if i == 1 {
				v.Set("med_1_name", "Warfarin")
				v.Set("med_1_class", "anticoagulant")
			}
			if r := post(t, s.Client(), s.URL+link, v); r.status != http.StatusOK {
				t.Fatalf("sign %d: %s", i, r)
			}
		}
		latest := n0 + 2
		maria := s.SignIn(t, testsrv.TherapistA)
		chart := get(t, maria, s.URL+"/clients/"+id(cl.ID))
		review := "/clients/" + id(cl.ID) + "/intakes/" + id(int64(latest)) + "/review"
		for _, want := range []string{"Health history", "Second reason", "Health history changed", `href="` + review + `"`} {
			if !strings.Contains(chart.body, want) {
				t.Errorf("the chart lacks %q", want)
			}
		}
		r := get(t, maria, s.URL+review)
		for _, want := range []string{"First reason", "Second reason", "Warfarin (Blood thinner)", "Mark reviewed"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the review page lacks %q", want)
			}
		}
		// Front desk reads but does not review.
		fd := s.SignIn(t, testsrv.FrontDesk)
		if r := post(t, fd, s.URL+review, nil); r.status != http.StatusForbidden {
			t.Errorf("front desk marking reviewed: %d", r.status)
		}
		reviews := auditCount(t, s, s.Org.ID, userID(t, s, testsrv.TherapistA), app.AuditIntakeReview)
		if r := post(t, maria, s.URL+review, nil); r.status != http.StatusSeeOther {
			t.Fatalf("mark reviewed: %s", r)
		}
		chart = get(t, maria, s.URL+"/clients/"+id(cl.ID))
		if strings.Contains(chart.body, "Health history changed") || !strings.Contains(chart.body, "Reviewed") {
			t.Errorf("the chart still asks for a review")
		}
		if n := auditCount(t, s, s.Org.ID, userID(t, s, testsrv.TherapistA), app.AuditIntakeReview); n != reviews+1 {
			t.Errorf("intake.review entries %d → %d", reviews, n)
		}

		// The owner changes a consent text: what was signed, and its hash, stay.
		in, _ := s.DB.LatestIntake(ctx, s.Org.ID, cl.ID)
		r = post(t, owner, s.URL+"/admin/consents/treatment", url.Values{"title": {"Consent to treatment"}, "body": {"A new text the client never saw, long enough."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("save consent: %s", r)
		}
		after, _ := s.DB.LatestIntake(ctx, s.Org.ID, cl.ID)
		if after.ContentHash != in.ContentHash {
			t.Errorf("the stored hash changed with the consent text")
		}
		a := &authActor{s: s, email: testsrv.Owner}
		if ok, err := s.App.IntakeIntact(ctx, a.get(t), after); err != nil || !ok {
			t.Errorf("recomputed hash: %v %v", ok, err)
		}
		view := get(t, owner, s.URL+"/clients/"+id(cl.ID)+"/intakes/"+id(int64(latest)))
		if !strings.Contains(view.body, "Matches the stored answers") || !strings.Contains(view.body, after.ContentHash) {
			t.Errorf("the version page does not show the hash check")
		}
		cons := get(t, owner, s.URL+"/admin/consents")
		if !strings.Contains(cons.body, "Version 2: Consent to treatment") || !strings.Contains(cons.body, "A new text the client never saw") {
			t.Errorf("the consents page does not show both versions")
		}
		// Bad consent input is shown beside the field and saves nothing.
		r = post(t, owner, s.URL+"/admin/consents/treatment", url.Values{"title": {""}, "body": {"short"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="treatment-title-error"`) || !strings.Contains(r.body, `id="treatment-body-error"`) {
			t.Errorf("bad consent: %d", r.status)
		}
		if cur, _ := s.DB.CurrentConsents(ctx, s.Org.ID); cur[0].Version != 2 {
			t.Errorf("a bad consent was saved")
		}
		if n := auditCount(t, s, s.Org.ID, userID(t, s, testsrv.Owner), app.AuditConsentUpdate); n != 4 { // the demo's three and this one
			t.Errorf("%d consent.update entries", n)
		}

		// Yearly updates: a health history older than a year is flagged.
		if r := post(t, owner, s.URL+"/admin/consents/settings", url.Values{"link_days": {"7"}, "yearly_update": {"1"}}); r.status != http.StatusSeeOther {
			t.Fatalf("settings: %s", r)
		}
		s.Advance(366 * 24 * time.Hour)
		owner = s.SignIn(t, testsrv.Owner)
		if c := get(t, owner, s.URL+"/clients/"+id(cl.ID)); !strings.Contains(c.body, "Health history is more than a year old — send an update link") {
			t.Errorf("the chart does not ask for a yearly update")
		}
		if r := post(t, owner, s.URL+"/admin/consents/settings", url.Values{"link_days": {"0"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="link_days-error"`) {
			t.Errorf("0 link days: %d", r.status)
		}
	})
}

func TestIntakeHandToClient(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		cl := s.ClientAt(t, s.Downtown.ID)
		fd := s.SignIn(t, testsrv.FrontDesk)
		r := post(t, fd, s.URL+"/clients/"+id(cl.ID)+"/hand-to-client", nil)
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/intake/intake_") {
			t.Fatalf("hand to client: %d %q", r.status, loc)
		}
		if ck := setCookie(r); ck == nil || ck.MaxAge >= 0 {
			t.Errorf("the staff cookie is not cleared")
		}
		// The staff session is over on the server too.
		wantRedirectToSignIn(t, "the chart after handing over", get(t, fd, s.URL+"/clients/"+id(cl.ID)))
		page := get(t, fd, s.URL+loc)
		if page.status != http.StatusOK || strings.Contains(page.body, "/signout") || strings.Contains(page.body, `<a href="/`) || strings.Contains(page.body, `<header class="top"`) {
			t.Errorf("the kiosk page offers a way out: %d", page.status)
		}
		r = post(t, fd, s.URL+loc, filledIntake(page.body))
		if r.status != http.StatusOK || !strings.Contains(r.body, "Thank you — please hand the device back.") {
			t.Fatalf("kiosk signing: %s", r)
		}
		noneOf(t, "the kiosk thanks", r.body, cl, "Riverside")
		if strings.Contains(r.body, `<a href="/`) || strings.Contains(r.body, "<form") {
			t.Errorf("the kiosk thanks page has links or forms")
		}
		if in, _ := s.DB.LatestIntake(ctx, s.Org.ID, cl.ID); in == nil || in.Source != "kiosk" {
			t.Errorf("the kiosk intake: %+v", in)
		}
		if r := get(t, fd, s.URL+loc); r.status != http.StatusGone {
			t.Errorf("the kiosk link after signing: %d", r.status)
		}
	})
}

func TestIntakePermissions(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		dt := s.ClientAt(t, s.Downtown.ID)
		biller := s.SignIn(t, testsrv.Biller)
		chart := get(t, biller, s.URL+"/clients/"+id(dt.ID))
		if chart.status != http.StatusOK || strings.Contains(chart.body, "Health history") {
			t.Errorf("the biller's chart: %d, shows the health history section", chart.status)
		}
		for _, p := range []string{"/clients/" + id(dt.ID) + "/intakes", "/clients/" + id(dt.ID) + "/intakes/1", "/admin/consents"} {
			if r := get(t, biller, s.URL+p); r.status != http.StatusForbidden {
				t.Errorf("biller GET %s: %d", p, r.status)
			}
		}
		for _, p := range []string{"/intake-links", "/hand-to-client"} {
			if r := post(t, biller, s.URL+"/clients/"+id(dt.ID)+p, nil); r.status != http.StatusForbidden {
				t.Errorf("biller POST %s: %d", p, r.status)
			}
		}
		james := s.SignIn(t, testsrv.TherapistB) // Round Rock only
		for _, p := range []string{"/clients/" + id(dt.ID) + "/intakes", "/clients/" + id(dt.ID) + "/intakes/1/review"} {
			if r := get(t, james, s.URL+p); r.status != http.StatusForbidden {
				t.Errorf("therapist of another location GET %s: %d", p, r.status)
			}
		}
		if r := post(t, james, s.URL+"/clients/"+id(dt.ID)+"/intake-links", nil); r.status != http.StatusForbidden || intakeURLRE.MatchString(r.body) {
			t.Errorf("therapist of another location made a link: %d", r.status)
		}
		other := s.SignIn(t, testsrv.OtherOwner)
		for _, p := range []string{"/clients/" + id(dt.ID) + "/intakes", "/clients/" + id(dt.ID) + "/intakes/1"} {
			if r := get(t, other, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("another organisation GET %s: %d", p, r.status)
			}
		}
		if r := post(t, other, s.URL+"/clients/"+id(dt.ID)+"/intake-links", nil); r.status != http.StatusNotFound {
			t.Errorf("another organisation made a link: %d", r.status)
		}
		maria := s.SignIn(t, testsrv.TherapistA)
		for _, p := range []string{"/admin/consents"} {
			if r := get(t, maria, s.URL+p); r.status != http.StatusForbidden {
				t.Errorf("therapist GET %s: %d", p, r.status)
			}
		}
		if r := post(t, maria, s.URL+"/admin/consents/treatment", url.Values{"title": {"Mine"}, "body": {"A text of the therapist's own making."}}); r.status != http.StatusForbidden {
			t.Errorf("therapist saving a consent: %d", r.status)
		}
		if r := get(t, maria, s.URL+"/clients/"+id(dt.ID)); !strings.Contains(r.body, "Health history") {
			t.Errorf("the therapist's chart has no health history section")
		}
		// Every read of a health history is audited: on the chart, within
		// the view's one client.read entry.
		es, err := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: s.Org.ID, UserID: userID(t, s, testsrv.TherapistA), Action: "client.read"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) == 0 || es[0].RecordID != dt.ID || !strings.Contains(es[0].Detail, app.AuditIntakeRead+": ") {
			t.Errorf("the chart view's audit entries %+v do not name the health history", es)
		}
	})
}

// authActor builds the actor of a signed-in user, for calling the app directly.
type authActor struct {
	s     *testsrv.Server
	email string
}

func (a *authActor) get(t *testing.T) *auth.Actor {
	t.Helper()
	res, err := a.s.App.SignIn(ctx, a.email, testsrv.Password, "127.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	act, err := a.s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return act
}

// Hostile posts to a live link: a clear 4xx, nothing stored, the link still usable.
func TestIntakeBadInput(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		cl := s.ClientAt(t, s.Downtown.ID)
		before := intakeCount(t, s, cl.ID)
		link := newIntakeLink(t, s, s.SignIn(t, testsrv.Owner), cl.ID)
		anon := s.Client()
		page := get(t, anon, s.URL+link).body
		big := strings.Repeat("x", 2<<20)
		for name, mutate := range map[string]func(v url.Values){
			"2 MB body":            func(v url.Values) { v.Set("goals", big) },
			"NUL in the reason":    func(v url.Values) { v.Set("reason", "neck\x00pain") },
			"invalid UTF-8":        func(v url.Values) { v.Set("physician_name", "\xff\xfe") },
			"garbage signature":    func(v url.Values) { v.Set("signature_png", "data:image/png;base64,AAAA") },
			"script as signature":  func(v url.Values) { v.Set("signature_png", "javascript:alert(1)") },
			"unknown consent id":   func(v url.Values) { v.Set("consent_treatment", "99999999") },
			"consent id as text":   func(v url.Values) { v.Set("consent_privacy", "yes") },
			"mark at infinity":     func(v url.Values) { v.Set("mark_0_x", "Inf") },
			"row number too large": func(v url.Values) { v.Set("med_99999_name", "x") },
			"a huge intensity":     func(v url.Values) { v.Set("mark_0_intensity", "99999999999999999999") },
		} {
			v := filledIntake(page)
			mutate(v)
			r := post(t, anon, s.URL+link, v)
			if r.status < 400 || r.status > 499 {
				t.Errorf("%s: %d, want 4xx", name, r.status)
			}
		}
		if r := do(t, anon, http.MethodPost, s.URL+link, "%zz=%%&&=;"); r.status < 400 || r.status > 499 {
			t.Errorf("malformed body: %d", r.status)
		}
		if n := intakeCount(t, s, cl.ID); n != before {
			t.Fatalf("bad input stored an intake")
		}
		if r := post(t, anon, s.URL+link, filledIntake(page)); r.status != http.StatusOK {
			t.Errorf("the link no longer works after bad input: %d", r.status)
		}
	})
}
