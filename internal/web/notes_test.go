package web_test

// The SOAP note pages through the real server: a session started from an
// appointment, drafts saved as the script saves them (JSON with the version
// and the units), a stale save refused with the stored note, signing
// refused with what is missing and then done (a late entry), the signed
// note read-only with an addendum, and who may reach which route.

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// noteClientAndAppointment finds a Downtown client whose screening does
// not stop a session today and books them with Maria an hour ago, straight
// in the store.
func noteClientAndAppointment(t *testing.T, s *testsrv.Server, ago time.Duration) (clinic.Client, *schedule.Appointment) {
	t.Helper()
	owner := ownerActor(s)
	cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{s.Downtown.ID}, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var c *clinic.Client
	for i := range cs {
		// A client with no note yet (the demo's have some), so what a test
		// sees copied forward is its own.
		if ns, err := s.DB.Notes(ctx, s.Org.ID, cs[i].ID, "", ""); err != nil || len(ns) > 0 {
			continue
		}
		if ok, _, err := s.App.CanStartSession(ctx, owner, cs[i].ID); err == nil && ok {
			c = &cs[i]
			break
		}
	}
	if c == nil {
		t.Fatal("no Downtown client without notes or a blocking finding")
	}
	maria := userID(t, s, testsrv.TherapistA)
	zone := app.LocationZone(s.Org, &s.Downtown)
	// The demo's schedule fills Maria's day: the first free 50 minutes
	// going back from ago (then forward), on today's date.
	base := time.Now().Add(-ago).Truncate(15 * time.Minute).In(zone)
	today := time.Now().In(zone).Format(clinic.DateLayout)
	var a *schedule.Appointment
	for k := range 192 {
		step := time.Duration(k/2+1) * 15 * time.Minute
		if k%2 == 0 {
			step = -step + 15*time.Minute // base, base-15m, …
		}
		start := base.Add(step)
		if start.Format(clinic.DateLayout) != today {
			continue
		}
		a = &schedule.Appointment{OrgID: s.Org.ID, LocationID: s.Downtown.ID, TherapistID: maria, ClientID: c.ID,
			Start: start.UTC(), End: start.Add(50 * time.Minute).UTC(), Status: schedule.Booked, Source: schedule.SourceStaff}
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			sv := &schedule.Service{OrgID: s.Org.ID, Name: "Note test massage", Minutes: 50, PriceCents: 9000, Active: true}
			if err := s.DB.CreateService(ctx, tx, sv); err != nil {
				return err
			}
			a.ServiceID = sv.ID
			return s.DB.BookAppointment(ctx, tx, a)
		})
		if !errs.Is(err, errs.Conflict) {
			break
		}
	}
	if err != nil {
		t.Fatalf("book the appointment: %v", err)
	}
	return *c, a
}

// noteJSONPost posts form as note.js does and decodes the JSON answer.
func noteJSONPost(t *testing.T, c *http.Client, u string, form url.Values) (int, map[string]any) {
	t.Helper()
	r := do(t, c, http.MethodPost, u, form.Encode(), "Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json")
	var out map[string]any
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("POST %s: %d, not JSON: %.300s", u, r.status, r.body)
	}
	return r.status, out
}

func noteStored(t *testing.T, s *testsrv.Server, id int64) *care.SOAPNote {
	t.Helper()
	n, _, err := s.DB.Note(ctx, s.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNotePages(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c, appt := noteClientAndAppointment(t, s, time.Hour)
		mc := s.SignIn(t, testsrv.TherapistA)

		// The chart offers the session of today's appointment.
		r := get(t, mc, s.URL+"/clients/"+id(c.ID))
		planWantIn(t, "the chart", r.body, "Session notes", "Start a session (walk-in)", `action="/appointments/`+id(appt.ID)+`/session"`, "Start session for")

		r = post(t, mc, s.URL+"/appointments/"+id(appt.ID)+"/session", url.Values{})
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/notes/") {
			t.Fatalf("start the session: %s", r)
		}
		noteURL := s.URL + strings.TrimSuffix(loc, "?started=1")
		nid := planID(t, strings.TrimPrefix(strings.TrimSuffix(loc, "?started=1"), "/notes/"))
		// Starting again opens the same note.
		if r2 := post(t, mc, s.URL+"/appointments/"+id(appt.ID)+"/session", url.Values{}); r2.header.Get("Location") != loc {
			t.Errorf("starting the same appointment again went to %q, want %q", r2.header.Get("Location"), loc)
		}
		r = get(t, mc, noteURL)
		if r.status != http.StatusOK {
			t.Fatalf("the editor: %s", r)
		}
		planWantIn(t, "the editor", r.body, "Daily note", "Safety screening", "I have reviewed the safety screening", `id="note-form"`,
			"S — Subjective", "Pain before, 0–10", "O — Objective", "Techniques performed", "A — Assessment", "Tolerance", "P — Plan", "Home care",
			"Next visit", "Pressure, 0 (none) to 5 (deepest)", "Save draft", "Sign note", `data-target="subjective"`)
		f := planFormValues(t, r.body, "note-form")
		if f.Get("version") != "1" {
			t.Fatalf("new draft at version %q, want 1", f.Get("version"))
		}

		// The acknowledgement, then a draft saved as the script saves it.
		r = post(t, mc, noteURL+"/acknowledge", url.Values{"version": {"1"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("acknowledge: %s", r)
		}
		if !noteStored(t, s, nid).ScreeningAcknowledged {
			t.Fatal("the acknowledgement was not recorded")
		}
		f = planFormValues(t, get(t, mc, noteURL).body, "note-form")
		f.Set("subjective", "Client reports less stiffness since last session.")
		f.Set("pain_before", "6")
		f.Set("technique.0.technique", "myofascial_release")
		f.Set("technique.0.minutes", "25")
		f["technique.0.regions"] = []string{"upper_trapezius", "levator_scapulae"}
		f.Set("technique.1.technique", "swedish")
		f.Set("technique.1.minutes", "15")
		st, js := noteJSONPost(t, mc, noteURL+"/draft", f)
		if st != http.StatusOK {
			t.Fatalf("save the draft: %d %v", st, js)
		}
		if js["version"] != float64(3) || js["saved_at"] == "" {
			t.Errorf("draft answer %v, want version 3 and saved_at", js)
		}
		u, _ := js["units"].(map[string]any)
		if u["explanation"] != "40 timed minutes → 3 units: 2 × 97140, 1 × 97124" || u["total"] != float64(3) {
			t.Errorf("units after the save %v, want 40 timed minutes → 3 units: 2 × 97140, 1 × 97124", u)
		}
		stored := noteStored(t, s, nid)
		if stored.Subjective != f.Get("subjective") || len(stored.Techniques) != 2 || stored.Techniques[0].Regions[1] != "levator_scapulae" || *stored.PainBefore != 6 {
			t.Errorf("stored draft %+v", stored)
		}
		// The live units, from the rows alone.
		r = get(t, mc, noteURL+"/units?technique.0.technique=swedish&technique.0.minutes=38&modality.0.kind=hot_pack&modality.0.minutes=10")
		var live map[string]any
		if err := json.Unmarshal([]byte(r.body), &live); err != nil || live["total"] != float64(4) ||
			!strings.Contains(live["explanation"].(string), "38 timed minutes") {
			t.Errorf("live units: %s", r)
		}

		// A second device saves at the old version: 409 with the stored note.
		stale := planCloneValues(f)
		stale.Set("version", "2")
		stale.Set("subjective", "Typed on the tablet")
		st, js = noteJSONPost(t, mc, noteURL+"/draft", stale)
		theirs, _ := js["theirs"].(map[string]any)
		if st != http.StatusConflict || theirs["subjective"] != f.Get("subjective") || theirs["version"] != float64(3) || js["error"] == "" {
			t.Errorf("stale save: %d %v, want 409 with the stored note", st, js)
		}
		if got := noteStored(t, s, nid); got.Subjective != f.Get("subjective") || got.Version != 3 {
			t.Errorf("the stale save changed the note: %q v%d", got.Subjective, got.Version)
		}
		// Without the script: the page again, the stored note in the form and what was sent beside it.
		r = post(t, mc, noteURL+"/draft", stale)
		if r.status != http.StatusConflict || !strings.Contains(r.body, "What you sent (not saved)") || !strings.Contains(r.body, "Typed on the tablet") {
			t.Errorf("stale save without the script: %d", r.status)
		}

		// Signing an incomplete note: 422, what is missing next to each field.
		r = post(t, mc, noteURL+"/sign", url.Values{"version": {"3"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("sign an incomplete note: %s", r)
		}
		planWantIn(t, "the refused signature", r.body, "not ready to sign", `id="assessment-error"`, "Write the response to treatment (A) before signing.",
			`id="pain_after-error"`, "Record the pain after treatment", `id="plan-error"`)
		if noteStored(t, s, nid).Status != care.NoteDraft {
			t.Fatal("an incomplete note was signed")
		}

		// Complete, and signed more than a day after the session: a late entry.
		f.Set("version", "3")
		f.Set("objective", "Hypertonicity in bilateral upper trapezius.")
		f.Set("assessment", "Tolerated treatment well; no adverse response.")
		f.Set("pain_after", "3")
		f.Set("tolerance", "good")
		f.Set("plan", "Continue plan of care.")
		f.Set("pressure", "3")
		s.Advance(26 * time.Hour)
		mc = s.SignIn(t, testsrv.TherapistA)
		r = post(t, mc, noteURL+"/sign", f)
		if r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "?signed=1") {
			t.Fatalf("sign: %s", r)
		}
		signed := noteStored(t, s, nid)
		if signed.Status != care.NoteSigned || !signed.LateEntry || signed.Objective != f.Get("objective") {
			t.Errorf("signed note: status %s late %v objective %q", signed.Status, signed.LateEntry, signed.Objective)
		}
		r = get(t, mc, noteURL)
		planWantIn(t, "the signed note", r.body, "Late entry", `signed</span> by Maria Lopez, LMT`, "Hypertonicity in bilateral upper trapezius.", "Myofascial release", "Addenda", "Sign the addendum",
			"40 timed minutes → 3 units: 2 × 97140, 1 × 97124")
		if strings.Contains(r.body, `id="note-form"`) || strings.Contains(r.body, "I have reviewed") {
			t.Error("the signed note shows the editor")
		}
		// A save after signing is refused, and nothing changes.
		f.Set("subjective", "Changed after signing")
		st, js = noteJSONPost(t, mc, noteURL+"/draft", f)
		if st != http.StatusConflict || js["signed"] != true {
			t.Errorf("save after signing: %d %v", st, js)
		}
		if noteStored(t, s, nid).Subjective == "Changed after signing" {
			t.Error("a signed note changed")
		}

		// Addenda: a reason is required.
		r = post(t, mc, noteURL+"/addenda", url.Values{"reason": {"typo"}, "text": {"Pain after was 4, not 3."}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-error"`) || !strings.Contains(r.body, "Pain after was 4, not 3.") {
			t.Errorf("addendum without a reason: %d", r.status)
		}
		r = post(t, mc, noteURL+"/addenda", url.Values{"reason": {"Pain after was recorded wrongly"}, "text": {"Pain after was 4, not 3."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("addendum: %s", r)
		}
		r = get(t, mc, noteURL)
		planWantIn(t, "the note with its addendum", r.body, "Pain after was recorded wrongly", "Pain after was 4, not 3.")

		// The chart lists the note, signed, late, with its units.
		r = get(t, mc, s.URL+"/clients/"+id(c.ID))
		planWantIn(t, "the chart's notes", r.body, `href="/notes/`+id(nid)+`"`, "late entry")

		// Without the script, Save draft posts the form and comes back.
		walk := post(t, mc, s.URL+"/clients/"+id(c.ID)+"/session", url.Values{})
		wloc := walk.header.Get("Location")
		if walk.status != http.StatusSeeOther || wloc == loc {
			t.Fatalf("walk-in: %s", walk)
		}
		wurl := s.URL + strings.TrimSuffix(wloc, "?started=1")
		wf := planFormValues(t, get(t, mc, wurl).body, "note-form")
		if len(wf["technique.0.technique"]) == 0 || wf.Get("technique.0.technique") != "myofascial_release" || wf.Get("objective") != f.Get("objective") {
			t.Errorf("the walk-in's note did not copy forward the last note: %v", wf)
		}
		if wf.Get("subjective") != "" || wf.Get("pain_before") != "" {
			t.Errorf("copied forward today's report or pain: %q %q", wf.Get("subjective"), wf.Get("pain_before"))
		}
		wf.Set("subjective", "Walk-in report")
		r = post(t, mc, wurl+"/draft", wf)
		if r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "?saved=1") {
			t.Errorf("save without the script: %s", r)
		}
		wf.Set("pain_before", "11")
		r = post(t, mc, wurl+"/draft", wf)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="pain_before-error"`) {
			t.Errorf("pain 11 without the script: %d", r.status)
		}
	})
}

func TestNoteAccess(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c, appt := noteClientAndAppointment(t, s, time.Hour)
		maria := s.SignIn(t, testsrv.TherapistA)
		r := post(t, maria, s.URL+"/appointments/"+id(appt.ID)+"/session", url.Values{})
		base := strings.TrimSuffix(r.header.Get("Location"), "?started=1")
		if !strings.HasPrefix(base, "/notes/") {
			t.Fatalf("start: %s", r)
		}
		nid := planID(t, strings.TrimPrefix(base, "/notes/"))
		before := noteStored(t, s, nid)

		fd := s.SignIn(t, testsrv.FrontDesk)
		for _, g := range []string{base, base + "/units?technique.0.technique=swedish&technique.0.minutes=30"} {
			if r := get(t, fd, s.URL+g); r.status != http.StatusForbidden {
				t.Errorf("front desk GET %s: %d, want 403", g, r.status)
			}
		}
		posts := map[string]url.Values{
			"/appointments/" + id(appt.ID) + "/session": {},
			"/clients/" + id(c.ID) + "/session":         {},
			base + "/draft":                             {"version": {"1"}, "service_date": {before.ServiceDate}, "kind": {"daily"}, "subjective": {"Front desk writes"}},
			base + "/acknowledge":                       {"version": {"1"}},
			base + "/sign":                              {"version": {"1"}},
			base + "/addenda":                           {"reason": {"Front desk correction"}, "text": {"Front desk text"}},
		}
		for p, form := range posts {
			if r := post(t, fd, s.URL+p, form); r.status != http.StatusForbidden {
				t.Errorf("front desk POST %s: %d, want 403", p, r.status)
			}
		}
		if r := get(t, fd, s.URL+"/clients/"+id(c.ID)); strings.Contains(r.body, "Session notes") {
			t.Error("the front desk's chart shows the session notes")
		}

		bc := s.SignIn(t, testsrv.Biller)
		r = get(t, bc, s.URL+base)
		if r.status != http.StatusOK {
			t.Fatalf("billing reads the note: %d", r.status)
		}
		for _, form := range []string{`id="note-form"`, "I have reviewed", "Sign the addendum"} {
			if strings.Contains(r.body, form) {
				t.Errorf("billing is offered %q", form)
			}
		}
		if r := post(t, bc, s.URL+base+"/draft", posts[base+"/draft"]); r.status != http.StatusForbidden {
			t.Errorf("billing saves a draft: %d", r.status)
		}
		// James works at Round Rock: the Downtown client's note is not his to see.
		jc := s.SignIn(t, testsrv.TherapistB)
		if r := get(t, jc, s.URL+base); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("another location's therapist GET the note: %d", r.status)
		}
		if after := noteStored(t, s, nid); after.Version != before.Version || after.Subjective != before.Subjective {
			t.Errorf("refused requests changed the note: v%d → v%d", before.Version, after.Version)
		}
		for _, p := range []string{"/notes/abc", "/notes/-1", "/notes/99999999"} {
			if r := get(t, maria, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.status)
			}
		}
	})
}

// TestAppointmentPageStartsTheNote: the appointment page offers the session
// note to a therapist, not to the front desk, and the button opens it.
func TestAppointmentPageStartsTheNote(t *testing.T) {
	s := testsrv.Start(t, store.SQLite)
	maria := userID(t, s, testsrv.TherapistA)
	list, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: s.Org.ID, TherapistID: maria, From: time.Now(), To: time.Now().AddDate(0, 0, 7)})
	if err != nil || len(list) == 0 {
		t.Fatalf("no appointment of Maria's: %v", err)
	}
	path := "/appointments/" + id(list[0].ID)
	if r := get(t, s.SignIn(t, testsrv.FrontDesk), s.URL+path); r.status != http.StatusOK || strings.Contains(r.body, path+"/session") {
		t.Errorf("front desk: %d, note button shown: %v", r.status, strings.Contains(r.body, path+"/session"))
	}
	c := s.SignIn(t, testsrv.TherapistA)
	if r := get(t, c, s.URL+path); !strings.Contains(r.body, `action="`+path+`/session"`) {
		t.Fatalf("no note button for the therapist")
	}
	r := post(t, c, s.URL+path+"/session", nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/notes/") {
		i := strings.Index(r.body, "<main")
		t.Errorf("start: %d %s", r.status, r.body[i:min(len(r.body), i+1500)])
	}
}
