package web_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestBrowserEvaluationAndPlan: a therapist writes a full initial
// evaluation — body-chart marks with the mouse and with the keyboard, range
// of motion that flags a restriction, two special tests — signs it, writes
// a plan of care prefilled from the carpal tunnel library entry, signs it,
// and the evaluation's PDF holds the marks and the values.
func TestBrowserEvaluationAndPlan(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		// A new Downtown client with an active prescription for carpal tunnel syndrome.
		owner := s.SignIn(t, testsrv.Owner)
		r := post(t, owner, s.URL+"/clients", newClientForm(s.Downtown.ID, "Nadia", browserUniqueName(), "1979-06-14"))
		if r.status != http.StatusSeeOther {
			t.Fatalf("new client: %s", r)
		}
		chart := strings.Split(r.header.Get("Location"), "?")[0]
		kim, err := s.DB.SearchPhysicians(ctx, s.Org.ID, clinic.PhysicianFilter{Query: "sarah kim"})
		if err != nil || len(kim) != 1 {
			t.Fatalf("demo physician: %v", err)
		}
		rx := rxForm(kim[0].ID)
		rx.Set("diagnoses", "G56.01")
		if r := post(t, owner, s.URL+chart+"/prescriptions", rx); r.status != http.StatusSeeOther {
			t.Fatalf("prescription: %s", r)
		}

		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open(chart)
		tb.waitPath(chart)
		tb.do(
			chromedp.SetValue(chromedp.CSS("#new-condition"), "carpal_tunnel"),
			chromedp.Click(chromedp.CSS(`#evaluations button[value="initial"]`)),
		)
		tb.waitJS(`/\/evaluations\/\d+$/.test(location.pathname) && document.readyState === "complete"`, "the new evaluation")
		evalPath := tb.path()

		// Subjective.
		tb.do(
			chromedp.SendKeys(chromedp.CSS("#chief_complaint"), "Numbness in my right thumb and fingers, worse at night and when typing"),
			chromedp.SendKeys(chromedp.CSS("#pain_now"), "3"),
			chromedp.SendKeys(chromedp.CSS("#pain_best"), "1"),
			chromedp.SendKeys(chromedp.CSS("#pain_worst"), "7"),
		)
		// A trigger point with the mouse: click the right forearm flexors on the front figure.
		x, y, ok := assess.RegionSpot("anterior", "forearm_flexors", "right")
		if !ok {
			t.Fatal("no spot for the forearm flexors")
		}
		tb.do(chromedp.Click(chromedp.CSS(`input[name="marks-kind"][value="trigger_point"]`)))
		pt := browserEval[[]float64](tb, fmt.Sprintf(`(() => {
			const r = document.querySelector('.bc-view[data-view="anterior"] rect.bc-hit');
			r.scrollIntoView({block: "center"});
			const b = r.getBoundingClientRect();
			return [b.left + %f * b.width, b.top + %f * b.height];
		})()`, x, y))
		tb.do(chromedp.MouseClickXY(pt[0], pt[1]))
		tb.waitJS(`document.querySelectorAll("ol.bc-marks li").length === 1`, "the clicked mark in the list")
		if got := browserRun(tb, chromedp.Text(chromedp.CSS("ol.bc-marks li"))); !strings.Contains(got, "Trigger point, moderate — forearm flexors, right") {
			t.Errorf("the clicked mark reads %q", got)
		}
		// Numbness with the keyboard only: region list, side, Add mark.
		tb.do(
			chromedp.Focus(chromedp.CSS(`input[name="marks-kind"][value="numbness"]`)),
			chromedp.KeyEvent(" "),
			chromedp.Focus(chromedp.CSS(`input[name="marks-intensity"][value="3"]`)),
			chromedp.KeyEvent(" "),
			chromedp.SetValue(chromedp.CSS("#marks-region"), "thenar"),
			chromedp.Focus(chromedp.CSS("#marks-region")),
			chromedp.Focus(chromedp.CSS("button.bc-add")),
			chromedp.KeyEvent("\r"),
		)
		tb.waitJS(`document.querySelectorAll("ol.bc-marks li").length === 2`, "the keyboard mark in the list")
		if got := browserRun(tb, chromedp.Text(chromedp.CSS("ol.bc-marks li:nth-child(2)"))); !strings.Contains(got, "Numbness or tingling, severe — thenar eminence, right") {
			t.Errorf("the keyboard mark reads %q", got)
		}
		if tb.path() != evalPath {
			t.Fatalf("pressing Add mark left the page: %s", tb.path())
		}
		// Range of motion: the prefilled rows are right then left wrist flexion, then extension.
		tb.do(
			chromedp.SendKeys(chromedp.CSS("#rom_deg_0"), "45"),
			chromedp.SendKeys(chromedp.CSS("#rom_deg_1"), "80"),
			chromedp.SendKeys(chromedp.CSS("#rom_deg_2"), "55"),
			chromedp.SendKeys(chromedp.CSS("#rom_deg_3"), "70"),
			chromedp.SetValue(chromedp.CSS("#rom_pain_0"), "yes"),
		)
		// Two special tests, prefilled: Phalen and Tinel at the wrist.
		if v := browserRun(tb, chromedp.Value(chromedp.CSS("#test_key_0"))); v != "phalen" {
			t.Fatalf("first test row %q, want phalen", v)
		}
		if v := browserRun(tb, chromedp.Value(chromedp.CSS("#test_key_1"))); v != "tinel_wrist" {
			t.Fatalf("second test row %q, want tinel_wrist", v)
		}
		tb.do(
			chromedp.SetValue(chromedp.CSS("#test_side_0"), "right"),
			chromedp.SetValue(chromedp.CSS("#test_result_0"), "positive"),
			chromedp.SendKeys(chromedp.CSS("#test_note_0"), "tingling within 30 s"),
			chromedp.SetValue(chromedp.CSS("#test_side_1"), "right"),
			chromedp.SetValue(chromedp.CSS("#test_result_1"), "positive"),
			chromedp.SendKeys(chromedp.CSS("#assessment"), "Median nerve irritation at the right wrist with restricted flexion."),
			chromedp.Click(chromedp.CSS(`button[name="save"]`)),
		)
		tb.waitJS(`location.search === "?saved=1" && document.readyState === "complete"`, "the saved draft")
		body := tb.bodyText()
		for _, want := range []string{"RESTRICTED", "56.3% of normal", "Numbness or tingling, severe — thenar eminence, right"} {
			if !strings.Contains(body, want) {
				t.Errorf("the saved draft does not show %q", want)
			}
		}
		tb.do(chromedp.Click(chromedp.CSS(`button[name="sign"]`)))
		tb.waitJS(`location.search === "?saved=1" && !document.querySelector('button[name="sign"]')`, "the signed evaluation")
		body = tb.bodyText()
		for _, want := range []string{"signed by Maria Lopez", "Phalen", "positive", "RESTRICTED", "Trigger point, moderate — forearm flexors, right"} {
			if !strings.Contains(body, want) {
				t.Errorf("the signed evaluation does not show %q", want)
			}
		}
		tb.shot("evaluation-signed.png")

		// Its PDF holds the marks and the values.
		pdfText := browserPDFText(t, tb, evalPath+"/pdf")
		for _, want := range []string{"Trigger point", "forearm flexors", "thenar eminence", "45°", "RESTRICTED", "Phalen", "POSITIVE", "Electronically signed by Maria Lopez"} {
			if !strings.Contains(pdfText, want) {
				t.Errorf("the evaluation PDF lacks %q", want)
			}
		}

		// A plan of care prefilled from the carpal tunnel library entry.
		tb.open(chart)
		tb.waitPath(chart)
		tb.do(
			chromedp.SetValue(chromedp.CSS("#new-condition"), "carpal_tunnel"),
			chromedp.Click(chromedp.CSS(`#evaluations button[formaction$="/plans"]`)),
		)
		tb.waitJS(`/\/plans\/\d+$/.test(location.pathname) && document.readyState === "complete"`, "the new plan")
		planPath := strings.Split(tb.path(), "?")[0]
		html := tb.html()
		for _, want := range []string{`value="myofascial_release" selected`, "G56.01", `value="Boston CTQ"`} {
			if !strings.Contains(html, want) {
				t.Errorf("the plan form is not prefilled with %q", want)
			}
		}
		if v := browserRun(tb, chromedp.Value(chromedp.CSS("#goal-0-baseline"))); v != "7" {
			t.Errorf("the pain goal's baseline is %q, want the evaluation's worst pain 7", v)
		}
		// The outcome and function goals need their baselines and targets.
		for i, bt := range [][2]string{{"32", "20"}, {"45", "25"}, {"10", "45"}} {
			n := i + 2
			tb.do(
				chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#goal-%d-baseline", n)), bt[0]),
				chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#goal-%d-target", n)), bt[1]),
			)
		}
		tb.do(chromedp.Click(chromedp.CSS(`button[name="sign"]`)))
		tb.waitJS(`!document.querySelector('button[name="sign"]') && document.readyState === "complete"`, "the signed plan")
		body = tb.bodyText()
		for _, want := range []string{"Signed by Maria Lopez", "Myofascial release", "G56.01"} {
			if !strings.Contains(body, want) {
				t.Errorf("the signed plan does not show %q", want)
			}
		}
		tb.shot("plan-signed.png")
		if !strings.HasPrefix(tb.path(), planPath) {
			t.Errorf("after signing the plan the page is %s", tb.path())
		}
		planText := browserPDFText(t, tb, planPath+"/pdf")
		for _, want := range []string{"Plan of care", "G56.01", "Boston CTQ", "Electronically signed by Maria Lopez"} {
			if !strings.Contains(planText, want) {
				t.Errorf("the plan PDF lacks %q", want)
			}
		}
	})
}

// browserPDFText fetches a PDF as the tab's user (the page's own fetch,
// with its session) and returns its text (pdftotext).
func browserPDFText(t *testing.T, tb *browserTab, path string) string {
	t.Helper()
	js := fmt.Sprintf(`fetch(%q).then(async r => {
		if (r.status !== 200 || r.headers.get("Content-Type") !== "application/pdf") return "status " + r.status + " " + r.headers.get("Content-Type");
		const b = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192));
		return "pdf:" + btoa(s);
	})`, path)
	got := browserRun(tb, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	b64, ok := strings.CutPrefix(got, "pdf:")
	if !ok {
		t.Fatalf("GET %s: %s", path, got)
	}
	b, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return regexp.MustCompile(`[ \t]+`).ReplaceAllString(string(out), " ")
}
