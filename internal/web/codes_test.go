package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func TestCodesPage(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c := s.SignIn(t, testsrv.TherapistA)

		// Before a search: the form, labelled.
		r := get(t, c, s.URL+"/codes/icd10")
		if r.status != http.StatusOK {
			t.Fatalf("GET /codes/icd10: %s", r)
		}
		for _, want := range []string{`<h1>Diagnosis codes</h1>`, `<label for="q">`, `<label for="date">`, `id="q"`, `id="date"`, `type="date"`,
			`hx-get="/codes/icd10"`, "built-in FY2027 list", "Type part of a code"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("the lookup page lacks %q", want)
			}
		}

		// A search shows code, title and billable, best first.
		r = get(t, c, s.URL+"/codes/icd10?q="+url.QueryEscape("low back pain"))
		rows := regexp.MustCompile(`<td><code>([^<]+)</code></td>`).FindAllStringSubmatch(r.body, -1)
		if r.status != http.StatusOK || len(rows) < 4 || rows[0][1] != "M54.50" {
			t.Fatalf("low back pain: %d, rows %v", r.status, rows)
		}
		if !strings.Contains(r.body, "Low back pain, unspecified") || !strings.Contains(r.body, "Billable") {
			t.Errorf("the results lack the title or the billable mark")
		}
		// A category says to choose a code beneath, and links to them.
		r = get(t, c, s.URL+"/codes/icd10?q=M54.5&date=2026-11-27")
		if !strings.Contains(r.body, `<a href="/codes/icd10?q=M54.5&amp;date=2026-11-27">Category — choose a code beneath</a>`) {
			t.Errorf("the category M54.5 is not marked as one:\n%s", r.body)
		}
		// htmx gets only the results.
		r = get(t, c, s.URL+"/codes/icd10?q=whiplash", "HX-Request", "true")
		if r.status != http.StatusOK || strings.Contains(r.body, "<html") || !strings.Contains(r.body, `id="results"`) || !strings.Contains(r.body, "S13.4XXA") {
			t.Errorf("htmx results: %s", r)
		}
		// Nothing found says what to try.
		r = get(t, c, s.URL+"/codes/icd10?q=zzzzqx")
		if !strings.Contains(r.body, "No code matches") || !strings.Contains(r.body, "fascia codes import") {
			t.Errorf("no match: %s", r)
		}
		// A bad date is shown next to the field.
		r = get(t, c, s.URL+"/codes/icd10?q=neck&date=2026-02-31")
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="date-error"`) {
			t.Errorf("bad date: %s", r)
		}

		// The date of service picks the code set.
		if err := s.App.ImportCodesCLI(ctx, 2022, "small_2022.txt", icd10test.Small()); err != nil {
			t.Fatal(err)
		}
		r = get(t, c, s.URL+"/codes/icd10?q=G35&date=2022-03-01")
		if !strings.Contains(r.body, "FY2022 ICD-10-CM release (13 codes, from small_2022.txt)") || !strings.Contains(r.body, `<td><code>G35</code></td>
    <td>Multiple sclerosis</td>
    <td><span class="badge active">Billable</span>`) {
			t.Errorf("FY2022 G35:\n%s", r.body)
		}
		r = get(t, c, s.URL+"/codes/icd10?q=G35&date=2026-11-27")
		if !strings.Contains(r.body, "built-in FY2027 list") || !strings.Contains(r.body, "G35.D") {
			t.Errorf("FY2027 G35:\n%s", r.body)
		}
	})
}

func TestCodeOptions(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c := s.SignIn(t, testsrv.FrontDesk)
		r := get(t, c, s.URL+"/codes/icd10/options?q=m54", "HX-Request", "true")
		if r.status != http.StatusOK || strings.Contains(r.body, "<html") || !strings.HasPrefix(r.body, `<ul class="code-options"`) {
			t.Fatalf("options: %s", r)
		}
		buttons := regexp.MustCompile(`<li><button type="button" data-code="([^"]+)" data-title="([^"]*)" data-billable="(true|false)">`).FindAllStringSubmatch(r.body, -1)
		if len(buttons) != 10 || buttons[0][1] != "M54" || buttons[0][3] != "false" || buttons[1][1] != "M54.2" || buttons[1][2] != "Cervicalgia" || buttons[1][3] != "true" {
			t.Errorf("option buttons: %v", buttons)
		}
		if strings.Count(r.body, "<button") != 10 {
			t.Errorf("%d buttons, want 10", strings.Count(r.body, "<button"))
		}
		// Titles with quotes or ampersands stay inside their attribute.
		r = get(t, c, s.URL+"/codes/icd10/options?q="+url.QueryEscape("golfer"))
		if !strings.Contains(r.body, `data-code="M77.0`) {
			t.Errorf("golfer's elbow: %s", r)
		}
		r = get(t, c, s.URL+"/codes/icd10/options?q=zzzzqx")
		if r.status != http.StatusOK || !strings.Contains(r.body, `<p class="code-options-empty" role="status">No code matches “zzzzqx”.</p>`) {
			t.Errorf("no match: %s", r)
		}
		r = get(t, c, s.URL+"/codes/icd10/options?q=ne%00ck")
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `<p class="field-error" role="alert">`) || strings.Contains(r.body, "<ul") {
			t.Errorf("bad query: %s", r)
		}
		// Without a session, htmx is told to sign in.
		r = get(t, s.Client(), s.URL+"/codes/icd10/options?q=neck", "HX-Request", "true")
		if r.status != http.StatusUnauthorized || r.header.Get("HX-Redirect") != "/signin" {
			t.Errorf("no session: %d %q", r.status, r.header.Get("HX-Redirect"))
		}
	})
}

// TestBrowserCodesLookup: a therapist looks a code up from the keyboard alone.
func TestBrowserCodesLookup(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open("/codes/icd10")
		tb.waitPath("/codes/icd10")
		const unlabelled = `[...document.querySelectorAll("input, select, textarea")].filter(el => el.type !== "hidden" && el.labels.length === 0).length`
		if n := browserEval[int](tb, unlabelled); n != 0 {
			t.Errorf("%d fields without a label", n)
		}
		// Type into the search box: results come live, best first.
		tb.do(chromedp.Focus(chromedp.CSS("#q")), chromedp.KeyEvent("carpal tunnel right"))
		tb.waitJS(`document.querySelector("#results td code") && document.querySelector("#results td code").textContent === "G56.01"`, "live results for carpal tunnel right")
		if !browserEval[bool](tb, `new URLSearchParams(location.search).get("q") === "carpal tunnel right"`) {
			t.Errorf("the address does not keep the search: %s", tb.path())
		}
		// A category's link is reached with Tab and followed with Enter.
		tb.do(chromedp.Focus(chromedp.CSS("#q")), chromedp.Evaluate[chromedp.Void](`document.querySelector("#q").select()`), chromedp.KeyEvent("M54"))
		tb.waitJS(`document.querySelector("#results td code") && document.querySelector("#results td code").textContent === "M54"`, "results for M54")
		// Tab past the date (its parts) and the button to the first result's link.
		reached := false
		for range 10 {
			tb.do(chromedp.KeyEvent(kb.Tab))
			if browserEval[string](tb, `document.activeElement ? document.activeElement.textContent : ""`) == "Category — choose a code beneath" {
				reached = true
				break
			}
		}
		if !reached {
			t.Fatalf("Tab from the search box does not reach the category's link")
		}
		tb.do(chromedp.KeyEvent(kb.Enter))
		tb.waitJS(`location.search.startsWith("?q=M54&")`, "the category's codes")
		if text := tb.bodyText(); !strings.Contains(text, "Cervicalgia") || !strings.Contains(text, "Billable") {
			t.Errorf("the category page: %s", text)
		}
		tb.shot("codes-lookup.png")
	})
}
