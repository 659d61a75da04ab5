package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/testsrv"
)

// A client opens an intake link in a fresh browser, fills in every
// section (a tap on the body outline, a signature drawn with the mouse),
// signs, and sees the thanks; the link then shows only the neutral page,
// and the therapist finds the health history on the chart.
func TestBrowserIntake(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		cl := s.ClientAt(t, s.Downtown.ID)
		before := intakeCount(t, s, cl.ID)
		link := newIntakeLink(t, s, s.SignIn(t, testsrv.FrontDesk), cl.ID)

		tb := newBrowserTab(t, s, 1280, 900)
		tb.open(link)
		tb.do(chromedp.WaitVisible(chromedp.CSS("#reason")))
		first := cl.PreferredName
		if first == "" {
			first = cl.FirstName
		}
		if text := tb.bodyText(); !strings.Contains(text, "Hello "+first+".") || strings.Contains(text, cl.LastName) {
			t.Errorf("the form greets wrongly or shows the last name:\n%.300s", text)
		}
		tb.do(
			chromedp.SendKeys(chromedp.CSS("#reason"), "Low back pain since moving house"),
			chromedp.SendKeys(chromedp.CSS("#goals"), "Lift my children without pain"),
		)

		// One tap on the back figure, at the low back, left of its spine as the viewer sees it.
		tb.do(chromedp.ScrollIntoView(chromedp.CSS(`.figure[data-view="posterior"]`)))
		xy := browserEval[[]float64](tb, `(() => {
			const svg = document.querySelector("svg.bodychart");
			const g = svg.querySelector('.figure[data-view="posterior"]');
			const p = svg.createSVGPoint(); p.x = 88; p.y = 192;
			const q = p.matrixTransform(g.getScreenCTM());
			return [q.x, q.y];
		})()`)
		tb.do(chromedp.MouseClickXY(xy[0], xy[1]))
		tb.waitJS(`document.getElementById("mark_0_region").value === "low back"`, "the tapped mark in the list")
		if side := browserRun(tb, chromedp.Value(chromedp.CSS("#mark_0_side"))); side != "left" {
			t.Errorf("a tap left of the spine on the back figure is on the %q side, want left", side)
		}
		if n := browserEval[int](tb, `document.querySelectorAll('.figure[data-view="posterior"] .marks circle').length`); n != 1 {
			t.Errorf("%d marks drawn on the back figure, want 1", n)
		}
		tb.do(
			chromedp.SetValue(chromedp.CSS("#mark_0_intensity"), "6"),
			chromedp.Click(chromedp.CSS("#cond-hypertension")),
			chromedp.SendKeys(chromedp.CSS("#med_0_name"), "Lisinopril"),
			chromedp.SetValue(chromedp.CSS("#med_0_class"), "antihypertensive"),
			chromedp.SendKeys(chromedp.CSS("#med_0_dose"), "10 mg"),
			chromedp.Click(chromedp.CSS(`button.add-row[data-for="med"]`)),
			chromedp.SendKeys(chromedp.CSS("#surgery_0_what"), "Appendectomy"),
			chromedp.SendKeys(chromedp.CSS("#surgery_0_date"), "06/2015"),
			chromedp.Click(chromedp.CSS("#allergy-latex")),
			chromedp.SendKeys(chromedp.CSS("#implanted_devices"), "None"),
			chromedp.SendKeys(chromedp.CSS("#injury_0_what"), "Fell off a ladder"),
			chromedp.SendKeys(chromedp.CSS("#injury_0_date"), "01/2026"),
			chromedp.Click(chromedp.CSS("#prior-yes")),
			chromedp.Click(chromedp.CSS("#pressure-medium")),
			chromedp.SetValue(chromedp.CSS("#dnt_0_region"), "foot"),
			chromedp.SetValue(chromedp.CSS("#dnt_0_side"), "both"),
			chromedp.SendKeys(chromedp.CSS("#physician_name"), "Dr. Helen Okafor"),
			chromedp.SendKeys(chromedp.CSS("#physician_phone"), "512-555-0182"),
			chromedp.SendKeys(chromedp.CSS("#bp_systolic"), "128"),
			chromedp.SendKeys(chromedp.CSS("#bp_diastolic"), "82"),
		)
		if n := browserEval[int](tb, `document.querySelectorAll('.rows[data-prefix="med"] .row').length`); n != 7 {
			t.Errorf("%d medication rows after adding one, want 7", n)
		}
		for _, k := range []string{"treatment", "privacy", "cancellation_financial"} {
			tb.do(chromedp.Click(chromedp.CSS("#consent_" + k)))
		}

		// Sign on the canvas with the mouse.
		tb.do(chromedp.ScrollIntoView(chromedp.CSS("#signature-pad")))
		box := browserEval[[]float64](tb, `(() => { const r = document.getElementById("signature-pad").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
		x0, y0 := box[0]+box[2]*0.15, box[1]+box[3]*0.6
		steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, x0, y0, chromedp.ButtonLeft, chromedp.ClickCount(1))}
		for i := 1; i <= 20; i++ {
			x := x0 + box[2]*0.6*float64(i)/20
			y := y0 - box[3]*0.3*float64(i%5)/5
			steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, x, y, chromedp.ButtonLeft))
		}
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, x0+box[2]*0.6, y0, chromedp.ButtonLeft, chromedp.ClickCount(1)))
		tb.do(steps...)
		tb.waitJS(`document.getElementById("signature_png").value.startsWith("data:image/png;base64,")`, "the drawn signature in the form")
		tb.do(
			chromedp.SendKeys(chromedp.CSS("#signed_name"), cl.FirstName+" "+cl.LastName),
			chromedp.Click(chromedp.CSS("#intake-submit")),
		)
		tb.waitJS(`!!document.querySelector(".intake-done h1")`, "the thank-you page")
		if h1 := browserRun(tb, chromedp.Text(chromedp.CSS("h1"))); !strings.HasPrefix(h1, "Thank you") {
			t.Fatalf("after signing: %q\n%s", h1, tb.bodyText())
		}

		in, err := s.DB.LatestIntake(ctx, s.Org.ID, cl.ID)
		if err != nil || intakeCount(t, s, cl.ID) != before+1 {
			t.Fatalf("nothing stored: %v", err)
		}
		if in.ReasonForVisit != "Low back pain since moving house" || in.SignatureKind != "drawn" || len(in.SignaturePNG) == 0 ||
			len(in.PainAreas) != 1 || in.PainAreas[0].View != "posterior" || in.PainAreas[0].Intensity != 6 ||
			len(in.Medications) != 1 || in.Medications[0].Dose != "10 mg" || in.Surgeries[0].Date != "2015-06-01" ||
			!in.HasCondition("hypertension") || !in.HasAllergy("latex") || !in.PriorMassage || in.PressurePreference != "medium" ||
			len(in.DoNotTreat) != 1 || in.BPSystolic != 128 || len(in.Consents) != 3 || len(in.RecentInjuries) != 1 {
			t.Errorf("stored intake: %+v", in)
		}

		// Opening the link again shows only the neutral page.
		res := browserRun(tb, chromedp.NavigateResponse(s.URL+link))
		if res.Status != 410 {
			t.Errorf("reopened link: status %d, want 410", res.Status)
		}
		if text := tb.bodyText(); !strings.Contains(text, "This link is no longer valid.") || strings.Contains(text, first) || strings.Contains(text, "Riverside") {
			t.Errorf("reopened link shows:\n%s", text)
		}

		// The therapist sees it on the chart, with a review to do, and the
		// screening banner its answers trigger (blood pressure medication).
		tt := newBrowserTab(t, s, 1280, 900)
		tt.signIn(testsrv.TherapistA)
		chart := "/clients/" + strconv.FormatInt(cl.ID, 10)
		tt.open(chart)
		tt.waitPath(chart)
		text := tt.bodyText()
		for _, want := range []string{"Health history", "Version " + strconv.Itoa(in.Version), "Low back pain since moving house", "Lisinopril 10 mg (Blood pressure medication)", "Pain: low back (left), 6/10", "Review changes", "Safety screening", "Modify: let the client rise slowly"} {
			if !strings.Contains(text, want) {
				t.Errorf("the chart does not show %q", want)
			}
		}
		tt.do(chromedp.Click(chromedp.CSS(`a[href$="/review"]`)))
		tt.waitJS(`location.pathname.endsWith("/review") && document.readyState === "complete"`, "the review page")
		tt.do(chromedp.Click(chromedp.CSS(`form[action$="/review"] button`)))
		tt.waitPath(chart)
		if text := tt.bodyText(); strings.Contains(text, "not yet reviewed") || !strings.Contains(text, "Reviewed") {
			t.Errorf("after review the chart still asks for one")
		}
	})
}
