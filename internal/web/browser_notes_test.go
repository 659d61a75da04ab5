package web_test

// The SOAP note in Chromium: a routine follow-up from copy-forward to
// signature, with its interactions counted; a page closed after autosave
// and reopened in a new tab with its draft; tablet width.

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func actorFor(t *testing.T, s *testsrv.Server, email string) *auth.Actor {
	t.Helper()
	res, err := s.App.SignIn(ctx, email, testsrv.Password, "127.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// signedNoteOf writes and signs a walk-in note for client as a, the note a
// follow-up copies forward from.
func signedNoteOf(t *testing.T, s *testsrv.Server, a *auth.Actor, clientID int64) *care.SOAPNote {
	t.Helper()
	st, err := s.App.StartSession(ctx, a, clientID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.App.AcknowledgeScreening(ctx, a, st.Note.ID, st.Note.Version)
	if err != nil {
		t.Fatal(err)
	}
	four, two, three := 4, 2, 3
	n.Subjective, n.PainBefore = "Neck stiff after long days at the desk.", &four
	n.Objective = "Hypertonicity in bilateral upper trapezius."
	n.Assessment, n.PainAfter, n.Tolerance = "Tolerated treatment well.", &two, "good"
	n.Plan, n.Pressure, n.HomeCare = "Continue weekly.", &three, []string{"chin_tucks"}
	n.Techniques = []care.PerformedTechnique{
		{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}, Minutes: 25},
		{Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 15},
	}
	v := n.Version
	if n, err = s.App.SaveNoteDraft(ctx, a, n, v); err != nil {
		t.Fatal(err)
	}
	if n, err = s.App.SignNote(ctx, a, n.ID, n.Version); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBrowserNoteFollowUp(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		c, appt := noteClientAndAppointment(t, s, 30*time.Minute)
		signedNoteOf(t, s, actorFor(t, s, testsrv.TherapistA), c.ID)

		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open("/clients/" + id(c.ID))
		tb.waitJS(`!!document.querySelector("#session-notes")`, "the chart's session notes")

		// From here every click and every field filled is counted (and the
		// time the browser took, for docs/benchmarks.md; never asserted).
		n := 0
		began := time.Now()
		click := func(sel string) {
			t.Helper()
			n++
			tb.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
		}
		fill := func(sel, text string) {
			t.Helper()
			n++
			tb.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Evaluate[chromedp.Void](`document.querySelector("`+sel+`").value = ""`), chromedp.SendKeys(chromedp.CSS(sel), text))
		}
		choose := func(sel, value string) {
			t.Helper()
			n++
			tb.do(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.SetValue(chromedp.CSS(sel), value),
				chromedp.Evaluate[chromedp.Void](`document.querySelector("`+sel+`").dispatchEvent(new Event("change", {bubbles: true}))`))
		}

		click(`form[action="/appointments/` + id(appt.ID) + `/session"] button`)
		tb.waitJS(`location.pathname.startsWith("/notes/") && document.readyState === "complete"`, "the note")
		body := tb.bodyText()
		for _, want := range []string{"follows the note of", "Copied forward from the last note", "Last time 4"} {
			if !strings.Contains(body, want) {
				t.Errorf("the follow-up does not show %q", want)
			}
		}
		// Copied forward: the findings and the techniques with their minutes.
		if got := browserEval[string](tb, `document.getElementById("objective").value`); got != "Hypertonicity in bilateral upper trapezius." {
			t.Errorf("findings copied forward %q", got)
		}
		if got := browserEval[string](tb, `document.getElementById("technique-0-minutes").value`); got != "25" {
			t.Errorf("minutes copied forward %q", got)
		}
		if got := browserEval[string](tb, `document.getElementById("units-explanation").textContent`); got != "40 timed minutes → 3 units: 2 × 97140, 1 × 97124" {
			t.Errorf("units on opening %q", got)
		}
		// Nothing differs from the copied-forward note yet.
		if got := browserEval[string](tb, `document.getElementById("changes").textContent`); !strings.Contains(got, ": nothing changed yet; as last time — findings, pressure, body chart, techniques, modalities, home care.") {
			t.Errorf("changes line on opening %q", got)
		}
		if browserEval[bool](tb, `!!document.getElementById("acknowledge")`) {
			click("#acknowledge")
			tb.waitJS(`location.search.includes("acknowledged=1") && document.readyState === "complete"`, "the acknowledgement")
		}
		fill("#subjective", "Client reports less stiffness; desk days still hard.")
		fill("#pain_before", "3")
		fill("#technique-0-minutes", "30")
		tb.waitJS(`document.getElementById("units-explanation").textContent === "45 timed minutes → 3 units: 2 × 97140, 1 × 97124"`, "the live units after the minutes changed")
		// The minutes changed: the techniques are marked, the findings not.
		tb.waitJS(`document.getElementById("changes").textContent.includes("changed — techniques;")`, "the techniques marked as changed")
		if got := browserEval[string](tb, `document.querySelector("#techniques .change-tag").textContent + "/" + document.querySelector("#objective").closest(".field").querySelector(".change-tag").textContent`); got != "changed/as last time" {
			t.Errorf("change tags %q", got)
		}
		click(`#sec-a button.phrase`) // the first A phrase
		fill("#pain_after", "1")
		choose("#tolerance", "good")
		click(`#sec-p button.phrase`)
		tb.waitJS(`document.getElementById("save-status").textContent.startsWith("Saved")`, "the autosave")
		click("#sign")
		tb.waitJS(`location.search.includes("signed=1") && document.readyState === "complete"`, "the signed note")
		t.Logf("follow-up note: %d interactions, %v in the browser", n, time.Since(began).Round(time.Millisecond))

		body = tb.bodyText()
		for _, want := range []string{"signed", "Client reports less stiffness; desk days still hard.", "45 timed minutes → 3 units", "Addenda"} {
			if !strings.Contains(body, want) {
				t.Errorf("the signed note does not show %q", want)
			}
		}
		if browserEval[bool](tb, `!!document.getElementById("note-form")`) {
			t.Error("the signed note still shows the editor")
		}
		if browserEval[bool](tb, `localStorage.getItem("fascia-note-" + location.pathname.split("/")[2]) !== null`) {
			t.Error("the signed note's draft copy stays on the device")
		}
		// An addendum after signing.
		tb.do(chromedp.SendKeys(chromedp.CSS("#reason"), "Pain after recorded wrongly"), chromedp.SendKeys(chromedp.CSS("#text"), "Pain after was 2."),
			chromedp.Click(chromedp.CSS(`form[action$="/addenda"] button`)))
		tb.waitJS(`location.search.includes("addendum=1") && document.readyState === "complete"`, "the addendum")
		if !strings.Contains(tb.bodyText(), "Pain after was 2.") {
			t.Error("the addendum is not shown")
		}
	})
}

func TestBrowserNoteKilledPage(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		c, _ := noteClientAndAppointment(t, s, 30*time.Minute)
		st, err := s.App.StartSession(ctx, actorFor(t, s, testsrv.TherapistA), c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		path := "/notes/" + id(st.Note.ID)

		tb := newBrowserTab(t, s, 768, 1024)
		tb.signIn(testsrv.TherapistA)
		tb.open(path)
		tb.waitJS(`!!document.getElementById("subjective") && document.getElementById("save-status").textContent !== ""`, "the editor")
		tb.do(chromedp.Click(chromedp.CSS("#subjective")), chromedp.SendKeys(chromedp.CSS("#subjective"), "Words that must survive the crash."))
		// No blur: the timer saves it.
		tb.waitJS(`document.getElementById("save-status").textContent.startsWith("Saved")`, "the autosave")
		if w := browserEval[float64](tb, `document.documentElement.scrollWidth`); w > 768 {
			t.Errorf("the editor is %v px wide at 768", w)
		}
		tb.shot("note-editor-768.png")
		// The tab is killed: no unload handler gets to run.
		tb.do(chromedp.Evaluate[chromedp.Void](`0`))
		chromedp.Cancel(tb.ctx)

		tb2 := newBrowserTab(t, s, 1280, 900)
		tb2.signIn(testsrv.TherapistA)
		tb2.open(path)
		tb2.waitJS(`!!document.getElementById("subjective")`, "the editor again")
		if got := browserEval[string](tb2, `document.getElementById("subjective").value`); got != "Words that must survive the crash." {
			t.Errorf("reopened draft has %q", got)
		}
		tb2.shot("note-editor-1280.png")
	})
}

// A dropped network: the saves fail and retry, the words stay on the
// device, and the page opened again restores and saves them.
func TestBrowserNoteDroppedNetwork(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		c, _ := noteClientAndAppointment(t, s, 30*time.Minute)
		st, err := s.App.StartSession(ctx, actorFor(t, s, testsrv.TherapistA), c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		path := "/notes/" + id(st.Note.ID)
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open(path)
		tb.waitJS(`!!document.getElementById("subjective") && document.getElementById("save-status").textContent !== ""`, "the editor")
		// The network goes: every request of the page fails.
		tb.do(chromedp.Evaluate[chromedp.Void](`window.fetch = function () { return Promise.reject(new TypeError("offline")); }; 0`),
			chromedp.Click(chromedp.CSS("#subjective")), chromedp.SendKeys(chromedp.CSS("#subjective"), "Typed while the network was down."),
			chromedp.Click(chromedp.CSS("#pain_before")))
		tb.waitJS(`document.getElementById("save-status").textContent === "Not saved — retrying"`, "the failed save")
		if n := noteStored(t, s, st.Note.ID); n.Subjective != "" {
			t.Fatalf("saved while offline: %q", n.Subjective)
		}

		// The page is reloaded (the beacon of the closing page lost too): the
		// words come back from the device and are saved.
		tb.do(chromedp.Evaluate[chromedp.Void](`navigator.sendBeacon = function () { return false; }; 0`))
		tb.open(path)
		tb.waitJS(`!!document.getElementById("subjective") && document.getElementById("save-status").textContent.startsWith("Saved")`, "the restored draft saved")
		if got := browserEval[string](tb, `document.getElementById("subjective").value`); got != "Typed while the network was down." {
			t.Errorf("restored %q", got)
		}
		if n := noteStored(t, s, st.Note.ID); n.Subjective != "Typed while the network was down." {
			t.Errorf("the server has %q after the restore", n.Subjective)
		}
	})
}

// Two devices: the other saves first; this page shows both versions side by
// side, and "Keep mine" saves this one over it, knowingly.
func TestBrowserNoteConflict(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		c, _ := noteClientAndAppointment(t, s, 30*time.Minute)
		maria := actorFor(t, s, testsrv.TherapistA)
		st, err := s.App.StartSession(ctx, maria, c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		path := "/notes/" + id(st.Note.ID)
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open(path)
		tb.waitJS(`!!document.getElementById("subjective") && document.getElementById("save-status").textContent !== ""`, "the editor")

		other := *st.Note
		other.Subjective = "Written on the tablet."
		if _, err := s.App.SaveNoteDraft(ctx, maria, &other, st.Note.Version); err != nil {
			t.Fatal(err)
		}
		tb.do(chromedp.Click(chromedp.CSS("#subjective")), chromedp.SendKeys(chromedp.CSS("#subjective"), "Written on the desktop."),
			chromedp.Click(chromedp.CSS("#pain_before")))
		tb.waitJS(`!document.getElementById("conflict").hidden`, "the conflict panel")
		panel := browserEval[string](tb, `document.getElementById("conflict").innerText`)
		for _, want := range []string{"Written on the desktop.", "Written on the tablet.", "Keep mine", "Take theirs"} {
			if !strings.Contains(panel, want) {
				t.Errorf("the conflict panel does not show %q:\n%s", want, panel)
			}
		}
		if got := noteStored(t, s, st.Note.ID).Subjective; got != "Written on the tablet." {
			t.Fatalf("the stale page overwrote the other device's draft: %q", got)
		}
		tb.do(chromedp.Click(chromedp.CSS("#keep-mine")))
		tb.waitJS(`document.getElementById("save-status").textContent.startsWith("Saved")`, "the kept version saved")
		if got := noteStored(t, s, st.Note.ID).Subjective; got != "Written on the desktop." {
			t.Errorf("after Keep mine the server has %q", got)
		}
	})
}

// A template from the condition library fills a first note; signing out
// saves the last words and leaves no copy of the note on the device.
func TestBrowserNoteTemplateAndSignOut(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		c, _ := noteClientAndAppointment(t, s, 30*time.Minute)
		st, err := s.App.StartSession(ctx, actorFor(t, s, testsrv.TherapistA), c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		path := "/notes/" + id(st.Note.ID)
		tb := newBrowserTab(t, s, 768, 1024)
		tb.signIn(testsrv.TherapistA)
		tb.open(path)
		tb.waitJS(`!!document.getElementById("template") && document.getElementById("save-status").textContent !== ""`, "the editor")
		if browserEval[bool](tb, `!!document.getElementById("changes")`) {
			t.Error("a first note shows changes since a note it does not follow")
		}
		tb.do(chromedp.SetValue(chromedp.CSS("#template"), "chronic_neck_pain"), chromedp.Click(chromedp.CSS("#apply-template")))
		tb.waitJS(`location.search.includes("template=chronic_neck_pain") && document.readyState === "complete"`, "the template")
		body := tb.bodyText()
		for _, want := range []string{"Template for Chronic neck pain added", "Chronic neck pain — avoid:", "Thrusts or forceful end-range movements of the neck",
			"40 timed minutes → 3 units: 1 × 97124, 2 × 97140"} {
			if !strings.Contains(body, want) {
				t.Errorf("after the template the page lacks %q", want)
			}
		}
		if got := browserEval[string](tb, `document.getElementById("technique-1-key").value + " " + document.getElementById("technique-1-minutes").value`); got != "myofascial_release 15" {
			t.Errorf("second technique row %q", got)
		}
		if !browserEval[bool](tb, `document.getElementById("hc-chin_tucks").checked`) {
			t.Error("the template's home care is not chosen")
		}
		if w := browserEval[float64](tb, `document.documentElement.scrollWidth`); w > 768 {
			t.Errorf("the editor is %v px wide at 768", w)
		}
		tb.shot("note-template-768.png")
		n := noteStored(t, s, st.Note.ID)
		if !strings.HasPrefix(n.Objective, "Palpation (upper trapezius, levator scapulae, suboccipitals): ") || len(n.Techniques) != 3 || len(n.Modalities) != 1 {
			t.Errorf("stored after the template: %q %+v %+v", n.Objective, n.Techniques, n.Modalities)
		}

		// Words typed, and at once Sign out: they are saved first, and the
		// device keeps no copy of the note.
		tb.do(chromedp.Click(chromedp.CSS("#subjective")), chromedp.SendKeys(chromedp.CSS("#subjective"), "Typed just before signing out."))
		if !browserEval[bool](tb, `localStorage.getItem("fascia-note-`+id(st.Note.ID)+`") !== null`) {
			t.Error("no local copy while the words are unsaved")
		}
		// And a copy left on the device by an earlier page.
		tb.do(chromedp.Evaluate[chromedp.Void](`localStorage.setItem("fascia-note-999999", JSON.stringify({version: "1", at: 1, data: "subjective=left+behind"})); 0`))
		tb.do(chromedp.Click(chromedp.CSS(`#signout button`)))
		tb.waitJS(`location.pathname === "/signin" && document.readyState === "complete"`, "the sign-in page")
		if got := browserEval[float64](tb, `Object.keys(localStorage).filter(function (k) { return k.indexOf("fascia-note-") === 0; }).length`); got != 0 {
			t.Errorf("%v note copies left on the device after sign-out", got)
		}
		if n := noteStored(t, s, st.Note.ID); n.Subjective != "Typed just before signing out." {
			t.Errorf("the server has %q after sign-out", n.Subjective)
		}
	})
}

// The idle sign-out: a saved note leaves no copy on the device; words that
// could not be saved stay on it, to be restored at the next sign-in.
func TestBrowserNoteIdleSignOut(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		c, _ := noteClientAndAppointment(t, s, 30*time.Minute)
		st, err := s.App.StartSession(ctx, actorFor(t, s, testsrv.TherapistA), c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		path := "/notes/" + id(st.Note.ID)
		copies := `Object.keys(localStorage).filter(function (k) { return k.indexOf("fascia-note-") === 0; }).length`
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open(path)
		tb.waitJS(`!!document.getElementById("subjective") && document.getElementById("save-status").textContent !== ""`, "the editor")
		tb.do(chromedp.Click(chromedp.CSS("#subjective")), chromedp.SendKeys(chromedp.CSS("#subjective"), "Saved before the idle time."), chromedp.Click(chromedp.CSS("#pain_before")))
		tb.waitJS(`document.getElementById("save-status").textContent.startsWith("Saved")`, "the save")
		// A copy left on the device by an earlier page (a crash, another note).
		tb.do(chromedp.Evaluate[chromedp.Void](`localStorage.setItem("fascia-note-999999", JSON.stringify({version: "1", at: 1, data: "subjective=left+behind"})); 0`))
		tb.do(chromedp.Evaluate[chromedp.Void](`window.fasciaIdleOut(); 0`))
		tb.waitJS(`location.pathname === "/signin" && document.readyState === "complete"`, "the sign-in page")
		if n := browserEval[float64](tb, copies); n != 0 {
			t.Errorf("%v note copies left after an idle sign-out with everything saved", n)
		}

		// Offline: the words cannot be saved, so they stay on the device.
		tb.signIn(testsrv.TherapistA)
		tb.open(path)
		tb.waitJS(`!!document.getElementById("subjective") && document.getElementById("save-status").textContent !== ""`, "the editor again")
		tb.do(chromedp.Evaluate[chromedp.Void](`window.fetch = function () { return Promise.reject(new TypeError("offline")); }; 0`),
			chromedp.Click(chromedp.CSS("#assessment")), chromedp.SendKeys(chromedp.CSS("#assessment"), "Typed offline."), chromedp.Click(chromedp.CSS("#pain_after")))
		tb.waitJS(`document.getElementById("save-status").textContent === "Not saved — retrying"`, "the failed save")
		tb.do(chromedp.Evaluate[chromedp.Void](`window.fasciaIdleOut(); 0`))
		tb.waitJS(`location.pathname === "/signin" && document.readyState === "complete"`, "the sign-in page")
		if n := browserEval[float64](tb, copies); n != 1 {
			t.Errorf("%v note copies after an idle sign-out with unsaved words; want the one", n)
		}
	})
}
