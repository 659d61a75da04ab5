package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestBrowserScreening: the therapist opens the chart of a client on a blood
// thinner with a fever, sees the banner above everything ("Modify: light
// pressure" and "No session today"), and overrides the fever for today
// through the form, a too-short reason first.
func TestBrowserScreening(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		c := screenedClient(t, s, browserUniqueName(), care.Intake{Conditions: []string{"fever"}, Medications: []care.Medication{{Name: "Eliquis", Class: "anticoagulant"}}})
		chart := "/clients/" + strconv.FormatInt(c.ID, 10)
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open(chart)
		tb.waitPath(chart)
		text := tb.bodyText()
		for _, want := range []string{"Modify: light pressure only", "Avoid — reschedule:", "No session today"} {
			if !strings.Contains(text, want) {
				t.Errorf("the chart does not show %q", want)
			}
		}
		// The banner is above the chart's cards, and coloured by level (CSS loaded under the CSP).
		if !browserEval[bool](tb, `document.querySelector("#screening").getBoundingClientRect().top < document.querySelector("#contact-h").getBoundingClientRect().top`) {
			t.Errorf("the banner is not above the contact card")
		}
		if colour := browserEval[string](tb, `getComputedStyle(document.querySelector(".finding.level-avoid")).borderLeftColor`); colour != "rgb(164, 38, 44)" {
			t.Errorf("the avoid finding's border is %s: is screening.css applied?", colour)
		}

		tb.do(chromedp.Click(chromedp.CSS(".finding.level-avoid details summary")),
			chromedp.SendKeys(chromedp.CSS("#ov-reason-0"), "fine"),
			chromedp.Click(chromedp.CSS(".finding.level-avoid form button[type=submit]")))
		// The refused form comes back open, with the error next to the field.
		tb.waitJS(`document.body.innerText.includes("Give the reason in at least 10 characters")`, "the error next to the reason")
		if focused := browserEval[bool](tb, `document.querySelector("#ov-reason-0").getAttribute("aria-invalid") === "true"`); !focused {
			t.Errorf("the reason is not marked invalid")
		}
		tb.do(chromedp.SendKeys(chromedp.CSS("#ov-reason-0"), " — no fever for two days, she feels well"),
			chromedp.Click(chromedp.CSS(".finding.level-avoid form button[type=submit]")))
		tb.waitJS(`location.search === "?saved=override"`, "the saved screening page")
		text = tb.bodyText()
		if !strings.Contains(text, "Overridden for today by Maria Lopez") || strings.Contains(text, "No session today") {
			t.Errorf("after the override: %s", text)
		}
	})
}
