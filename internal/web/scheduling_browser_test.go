package web_test

// The owner's scheduling settings in Chromium: on a tablet every page fits
// the screen and every field has a label; the week is entered from the
// keyboard; a testimonial is linked to a client found as the name is typed.

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fascia-health/fascia/internal/testsrv"
)

func TestBrowserSchedulingSettings(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		tb := newBrowserTab(t, s, 768, 1024)
		tb.signIn(testsrv.Owner)

		const noHScroll = `document.documentElement.scrollWidth <= window.innerWidth`
		const widths = `document.documentElement.scrollWidth + " > " + window.innerWidth`
		const unlabelled = `[...document.querySelectorAll("input, select, textarea")]
			.filter(el => el.type !== "hidden" && el.labels.length === 0)
			.map(el => el.id || el.name || el.outerHTML)`
		const fields = `document.querySelectorAll("main input:not([type=hidden]), main select, main textarea").length`
		for _, p := range []struct {
			path string
			min  int
		}{
			{"/admin/scheduling", 0}, {"/admin/scheduling/services", 0}, {"/admin/scheduling/services/new", 20},
			{"/admin/scheduling/packages", 6}, {"/admin/scheduling/rooms", 3}, {"/admin/scheduling/hours", 30},
			{"/admin/scheduling/time-off", 12}, {"/admin/scheduling/public", 8}, {"/admin/scheduling/policy", 8},
			{"/admin/scheduling/email", 7}, {"/admin/scheduling/jobs", 0},
		} {
			tb.open(p.path)
			tb.waitPath(p.path)
			if !browserEval[bool](tb, noHScroll) {
				t.Errorf("%s scrolls sideways at 768 px: %s", p.path, browserEval[string](tb, widths))
			}
			if n := browserEval[int](tb, fields); n < p.min {
				t.Errorf("%s: %d fields, want at least %d", p.path, n, p.min)
			}
			if bad := browserEval[[]string](tb, unlabelled); len(bad) > 0 {
				t.Errorf("%s: fields without a label: %v", p.path, bad)
			}
		}

		// Maria's Tuesday from the keyboard: type, Tab to the end, type, Enter.
		maria := userID(t, s, testsrv.TherapistA)
		hours := fmt.Sprintf("/admin/scheduling/hours?location=%d&therapist=%d", s.Downtown.ID, maria)
		tb.open(hours)
		tb.waitPath("/admin/scheduling/hours")
		tb.do(
			chromedp.Focus(chromedp.CSS("#d2s0")),
			chromedp.Evaluate[chromedp.Void](`document.querySelector("#d2s0").select()`),
			chromedp.KeyEvent("07:30"),
			chromedp.KeyEvent(kb.Tab),
		)
		if id := browserEval[string](tb, `document.activeElement.id`); id != "d2e0" {
			t.Fatalf("Tab from Tuesday's start goes to %q, want its end", id)
		}
		tb.do(
			chromedp.Evaluate[chromedp.Void](`document.activeElement.select()`),
			chromedp.KeyEvent("11:15"),
			chromedp.KeyEvent(kb.Enter),
		)
		tb.waitJS(`location.search.includes("saved=1") && document.readyState === "complete"`, "the week saved")
		if v := browserEval[string](tb, `document.querySelector("#d2s0").value + "-" + document.querySelector("#d2e0").value`); v != "07:30-11:15" {
			t.Errorf("Tuesday after saving: %s", v)
		}
		hs, err := s.DB.WeeklyHours(ctx, s.Org.ID, s.Downtown.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range hs {
			found = found || h.TherapistID == maria && h.Weekday == time.Tuesday && h.Start == 7*60+30 && h.End == 11*60+15
		}
		if !found {
			t.Errorf("Tuesday 07:30–11:15 was not stored: %+v", hs)
		}

		// A testimonial from a client found by typing their name.
		c := s.ClientAt(t, s.Downtown.ID)
		tb.open("/admin/scheduling/public")
		tb.waitPath("/admin/scheduling/public")
		tb.do(
			chromedp.SendKeys(chromedp.CSS("#display_name"), "J. R."),
			chromedp.SendKeys(chromedp.CSS("#body"), "Kind and careful."),
			chromedp.SetValue(chromedp.CSS("#consent_on"), s.App.ClinicDate(ownerActor(s))),
			chromedp.Focus(chromedp.CSS("#client_q")),
			chromedp.KeyEvent(c.LastName),
		)
		opt := fmt.Sprintf(`#client_id option[value="%d"]`, c.ID)
		tb.waitJS(fmt.Sprintf(`!!document.querySelector(%q)`, opt), "the client among the choices")
		tb.do(
			chromedp.SetValue(chromedp.CSS("#client_id"), fmt.Sprint(c.ID)),
			chromedp.Click(chromedp.CSS(`#add-testimonial button.primary`)),
		)
		tb.waitJS(`location.search.includes("added=1") && document.readyState === "complete"`, "the testimonial added")
		tms, err := s.DB.Testimonials(ctx, s.Org.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(tms) == 0 || tms[0].DisplayName != "J. R." || tms[0].ClientID != c.ID || tms[0].Published {
			t.Errorf("the newest testimonial %+v, want J. R. from client %d, hidden", tms[0], c.ID)
		}
		if !strings.Contains(tb.bodyText(), "Kind and careful.") {
			t.Errorf("the new testimonial is not listed")
		}
	})
}
