package web_test

// Browser tests: a real Chromium drives the pages the way a therapist or the
// front desk would, on both database engines. They need a Chromium binary:
// FASCIA_CHROMIUM names it, else "chromium" is looked up in PATH. Without
// one the tests are skipped, unless FASCIA_TEST_REQUIRE_BROWSER=1.
//
// One browser serves every test of the file (started on first use, stopped
// in TestMain); each test gets its own tab in its own browser context, so
// cookies never leak from one test server to the next (cookies ignore the
// port, and every test server listens on 127.0.0.1).

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// browserShared is the one browser of the file.
var browserShared struct {
	once    sync.Once
	path    string          // the Chromium binary, "" if none
	dir     string          // the profile directory
	ctx     context.Context // the browser's chromedp context
	cancel  []context.CancelFunc
	started bool
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}

func stopBrowser() {
	if !browserShared.started {
		return
	}
	for i := len(browserShared.cancel) - 1; i >= 0; i-- {
		browserShared.cancel[i]()
	}
	if browserShared.dir != "" {
		os.RemoveAll(browserShared.dir)
	}
}

func chromiumPath() string {
	if p := os.Getenv("FASCIA_CHROMIUM"); p != "" {
		return p
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// startBrowser starts Chromium headless on a fresh profile with exactly the
// flags below (chromedp adds only the debugging pipe, the profile directory
// and about:blank).
func startBrowser() {
	browserShared.path = chromiumPath()
	if browserShared.path == "" {
		return
	}
	browserShared.started = true
	dir, err := os.MkdirTemp("", "fascia-chromium-")
	if err != nil {
		browserShared.err = err
		return
	}
	browserShared.dir = dir
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browserShared.path),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	browserShared.cancel = append(browserShared.cancel, acancel, bcancel)
	// The first Do binds the browser's life to bctx, so it gets no timeout
	// of its own; a start that hangs is cut off from the side.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(bctx) }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		bcancel()
		err = fmt.Errorf("chromium did not start within 30s")
	}
	if err != nil {
		browserShared.err = fmt.Errorf("start %s: %w", browserShared.path, err)
		return
	}
	browserShared.ctx = bctx
}

// browserTab is one test's browser tab.
type browserTab struct {
	t   *testing.T
	ctx context.Context
	s   *testsrv.Server
}

// newBrowserTab opens a tab in a fresh browser context with a w×h viewport.
func newBrowserTab(t *testing.T, s *testsrv.Server, w, h int64) *browserTab {
	t.Helper()
	browserShared.once.Do(startBrowser)
	if browserShared.path == "" {
		if os.Getenv("FASCIA_TEST_REQUIRE_BROWSER") == "1" {
			t.Fatal("no Chromium (set FASCIA_CHROMIUM or put chromium in PATH) but FASCIA_TEST_REQUIRE_BROWSER=1")
		}
		t.Skip("no Chromium (set FASCIA_CHROMIUM or put chromium in PATH)")
	}
	if browserShared.err != nil {
		t.Fatal(browserShared.err)
	}
	tctx, tcancel := context.WithTimeout(browserShared.ctx, 90*time.Second)
	ctx, cancel := chromedp.NewContext(tctx, chromedp.WithNewBrowserContext())
	t.Cleanup(tcancel)
	t.Cleanup(cancel)
	tb := &browserTab{t: t, ctx: ctx, s: s}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	// Script errors and Content-Security-Policy refusals fail the test;
	// error statuses (a 403 page, a 401 to htmx) are expected and ignored.
	var mu sync.Mutex
	var problems []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Source == "security" || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused to") {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	// Runs before the tab closes (cleanups run last-in, first-out).
	t.Cleanup(func() {
		mu.Lock()
		for _, p := range problems {
			t.Errorf("browser console: %s", p)
		}
		mu.Unlock()
		if !t.Failed() {
			return
		}
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		defer cancel()
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		if len(text) > 1500 {
			text = text[:1500] + "…"
		}
		t.Logf("page at failure: %s\n%s", loc, text)
		if b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			name := "fail-" + strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()) + ".png"
			if p, err := saveBrowserShot(name, b); err == nil {
				t.Logf("screenshot: %s", p)
			}
		}
	})
	return tb
}

// do runs steps with a time limit per call, so a wrong wait fails fast.
func (tb *browserTab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

func browserRun[T any](tb *browserTab, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func browserEval[T any](tb *browserTab, js string) T {
	tb.t.Helper()
	return browserRun(tb, chromedp.Evaluate[T](js))
}

// waitJS waits until js is true in the page. It survives navigations,
// which a poll inside the page would not.
func (tb *browserTab) waitJS(js, what string) {
	tb.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			cancel()
			tb.t.Fatalf("timed out waiting for %s (at %s, last error %v)", what, loc, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitPath waits until a page at path has loaded.
func (tb *browserTab) waitPath(path string) {
	tb.t.Helper()
	tb.waitJS(fmt.Sprintf(`location.pathname === %q && document.readyState === "complete"`, path), "page "+path)
}

// path is the current page's path and query.
func (tb *browserTab) path() string {
	tb.t.Helper()
	return browserEval[string](tb, `location.pathname + location.search`)
}

func (tb *browserTab) bodyText() string {
	tb.t.Helper()
	return browserEval[string](tb, `document.body.innerText`)
}

func (tb *browserTab) html() string {
	tb.t.Helper()
	return browserEval[string](tb, `document.documentElement.outerHTML`)
}

func (tb *browserTab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(tb.s.URL + path))
}

// signIn signs email in through the form and waits for the clients page.
func (tb *browserTab) signIn(email string) {
	tb.t.Helper()
	tb.open("/signin")
	tb.do(
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testsrv.Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
	)
	tb.waitPath("/clients")
}

func saveBrowserShot(name string, b []byte) (string, error) {
	dir := filepath.Join(os.TempDir(), "fascia-shots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	p := filepath.Join(dir, name)
	return p, os.WriteFile(p, b, 0o644)
}

func (tb *browserTab) shot(name string) {
	tb.t.Helper()
	b := browserRun(tb, chromedp.FullScreenshot(100)) // 100: PNG
	p, err := saveBrowserShot(name, b)
	if err != nil {
		tb.t.Logf("screenshot %s: %v", name, err)
		return
	}
	tb.t.Logf("screenshot: %s", p)
}

// browserUniqueName is a last name no demo client has, sorting after all of them.
func browserUniqueName() string {
	b := make([]byte, 5)
	rand.Read(b)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return "Zzorbek" + string(b)
}

func browserEachEngine(t *testing.T, fn func(t *testing.T, s *testsrv.Server)) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			if chromiumPath() == "" && os.Getenv("FASCIA_TEST_REQUIRE_BROWSER") != "1" {
				t.Skip("no Chromium (set FASCIA_CHROMIUM or put chromium in PATH)")
			}
			fn(t, testsrv.Start(t, e))
		})
	}
}

func TestBrowserClientJourney(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		tb := newBrowserTab(t, s, 1280, 900)
		ctx := context.Background()
		tb.signIn(testsrv.Owner)

		// A missing last name is shown next to the field, and nothing is created.
		before, err := s.DB.CountClients(ctx, s.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		tb.open("/clients/new")
		downtown := strconv.FormatInt(s.Downtown.ID, 10)
		tb.do(
			chromedp.WaitVisible(chromedp.CSS("#first_name")),
			chromedp.SendKeys(chromedp.CSS("#first_name"), "Brigitta"),
			chromedp.SendKeys(chromedp.CSS("#dob"), "03/14/1985"),
			chromedp.SetValue(chromedp.CSS("#preferred_location_id"), downtown),
			chromedp.Click(chromedp.CSS(`form.grid-form button[type=submit]`)),
		)
		tb.waitJS(`!!document.querySelector("#last_name-error")`, "the last-name error")
		got := browserEval[string](tb, `(() => {
			const f = document.getElementById("last_name").closest(".field");
			const e = f && f.querySelector(".field-error");
			return e ? e.textContent.trim() : "";
		})()`)
		if got != "Enter the client's legal last name." {
			t.Errorf("error next to the last name = %q", got)
		}
		if v := browserEval[string](tb, `document.getElementById("last_name").getAttribute("aria-invalid") || ""`); v != "true" {
			t.Errorf("last name aria-invalid = %q, want true", v)
		}
		if v := browserRun(tb, chromedp.Value(chromedp.CSS("#first_name"))); v != "Brigitta" {
			t.Errorf("first name not kept after the error: %q", v)
		}
		if n := browserEval[int](tb, `document.querySelectorAll(".field-error").length`); n != 1 {
			t.Errorf("%d field errors shown, want 1 (last name only)", n)
		}
		after, err := s.DB.CountClients(ctx, s.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Fatalf("a form with an error created a client: %d → %d", before, after)
		}

		// Create the client for real.
		last := browserUniqueName()
		tb.open("/clients/new")
		tb.do(
			chromedp.WaitVisible(chromedp.CSS("#first_name")),
			chromedp.SendKeys(chromedp.CSS("#first_name"), "Brigitta"),
			chromedp.SendKeys(chromedp.CSS("#last_name"), last),
			chromedp.SendKeys(chromedp.CSS("#dob"), "03/14/1985"),
			chromedp.SendKeys(chromedp.CSS("#phone"), "512 555 0199"),
			chromedp.SetValue(chromedp.CSS("#preferred_location_id"), downtown),
			chromedp.Click(chromedp.CSS(`form.grid-form button[type=submit]`)),
		)
		tb.waitJS(`/^\/clients\/\d+$/.test(location.pathname) && document.readyState === "complete"`, "the new chart")
		chartPath := browserEval[string](tb, `location.pathname`)
		if h1 := browserRun(tb, chromedp.Text(chromedp.CSS("h1"))); h1 != "Brigitta "+last {
			t.Errorf("chart heading = %q, want %q", h1, "Brigitta "+last)
		}
		text := tb.bodyText()
		for _, want := range []string{"born 03/14/1985", last + ", Brigitta", "(512) 555-0199", "Downtown Austin", "Saved."} {
			if !strings.Contains(text, want) {
				t.Errorf("chart does not show %q", want)
			}
		}
		if n, _ := s.DB.CountClients(ctx, s.Org.ID); n != before+1 {
			t.Errorf("clients: %d → %d, want one more", before, n)
		}

		// Live search: typing the start of the last name shows the client
		// without Enter and without loading a new page.
		tb.open("/clients")
		link := fmt.Sprintf(`#results a[href=%q]`, chartPath)
		if browserEval[bool](tb, fmt.Sprintf(`!!document.querySelector(%q)`, link)) {
			t.Fatalf("the new client is on the first page before any search; the live search would not be tested")
		}
		tb.do(chromedp.Evaluate[chromedp.Void](`window.fasciaNoReload = true`))
		tb.do(chromedp.SendKeys(chromedp.CSS("#q"), last[:9]))
		tb.waitJS(fmt.Sprintf(`!!document.querySelector(%q)`, link), "the client in the live results")
		if !browserEval[bool](tb, `window.fasciaNoReload === true`) {
			t.Errorf("the search reloaded the page; want a live (htmx) update")
		}
		if n := browserEval[int](tb, `document.querySelectorAll("#results tbody tr").length`); n != 1 {
			t.Errorf("%d rows for %q, want 1", n, last[:9])
		}
		if p := tb.path(); !strings.Contains(p, "q="+last[:9]) {
			t.Errorf("the address does not carry the search: %s", p)
		}
		tb.do(chromedp.Click(chromedp.CSS(link)))
		tb.waitPath(chartPath)
		if h1 := browserRun(tb, chromedp.Text(chromedp.CSS("h1"))); h1 != "Brigitta "+last {
			t.Errorf("chart from the results: heading %q", h1)
		}

		// Sign out with the button.
		tb.do(chromedp.Click(chromedp.CSS(`header .who form[action="/signout"] button`)))
		tb.waitPath("/signin")
		if text := tb.bodyText(); !strings.Contains(text, "You are signed out") {
			t.Errorf("sign-in page after sign-out does not say so:\n%s", text)
		}
		tb.open("/clients")
		tb.waitPath("/signin")
		tb.open(chartPath)
		tb.waitPath("/signin")
		if strings.Contains(tb.html(), last) {
			t.Errorf("the client's name is on the page after sign-out")
		}
	})
}

func TestBrowserIdleSignOut(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.Owner)
		c := s.ClientAt(t, s.Downtown.ID)
		chart := "/clients/" + strconv.FormatInt(c.ID, 10)
		tb.open(chart)
		tb.waitPath(chart)
		if h1 := browserRun(tb, chromedp.Text(chromedp.CSS("h1"))); h1 != c.DisplayName() {
			t.Fatalf("chart heading %q, want %q", h1, c.DisplayName())
		}
		if v := browserEval[string](tb, `document.body.getAttribute("data-idle-seconds") || ""`); v != "900" {
			t.Errorf("body data-idle-seconds = %q, want 900", v)
		}

		s.Advance(16 * time.Minute)
		tb.do(chromedp.Click(chromedp.CSS(`header.top nav a[href="/clients"]`)))
		tb.waitPath("/signin")
		if p := tb.path(); p != "/signin?reason=idle" {
			t.Errorf("after the idle time a click lands on %s, want /signin?reason=idle", p)
		}
		if text := tb.bodyText(); !strings.Contains(text, "You were signed out after a period without activity") {
			t.Errorf("no idle notice on the sign-in page:\n%s", text)
		}
		if v := browserEval[string](tb, `document.body.getAttribute("data-idle-seconds") || ""`); v != "" {
			t.Errorf("the sign-in page arms the idle timer (%q)", v)
		}
		tb.open(chart)
		tb.waitPath("/signin")
		if html := tb.html(); strings.Contains(html, c.LastName+", "+c.FirstName) || strings.Contains(html, c.DisplayName()) {
			t.Errorf("the chart is still reachable after the idle sign-out")
		}

		// The live search meets the idle sign-out too: htmx gets a 401 with
		// HX-Redirect, and the whole page goes to the sign-in notice.
		tb.signIn(testsrv.Owner)
		s.Advance(16 * time.Minute)
		tb.do(chromedp.SendKeys(chromedp.CSS("#q"), "a"))
		tb.waitPath("/signin")
		if p := tb.path(); p != "/signin?reason=idle" {
			t.Errorf("after the idle time the live search lands on %s, want /signin?reason=idle", p)
		}
		if text := tb.bodyText(); !strings.Contains(text, "You were signed out after a period without activity") {
			t.Errorf("no idle notice after the live search:\n%s", text)
		}
	})
}

func TestBrowserTherapistOtherLocation(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		rr := s.ClientAt(t, s.RoundRock.ID)
		dt := s.ClientAt(t, s.Downtown.ID)

		res := browserRun(tb, chromedp.NavigateResponse(s.URL+"/clients/"+strconv.FormatInt(rr.ID, 10)))
		if res.Status != 403 {
			t.Errorf("Round Rock chart: status %d, want 403", res.Status)
		}
		if h1 := browserRun(tb, chromedp.Text(chromedp.CSS("h1"))); h1 != "Forbidden" {
			t.Errorf("Round Rock chart: heading %q, want Forbidden", h1)
		}
		html := tb.html()
		staff := "Maria Lopez, LMT" // her own name is in the menu
		for _, name := range []string{rr.LastName, rr.DisplayName(), rr.LegalName(), rr.FirstName + " " + rr.LastName} {
			if strings.Contains(html, name) && !strings.Contains(staff, name) {
				t.Errorf("the forbidden page shows the client's name %q", name)
			}
		}

		res = browserRun(tb, chromedp.NavigateResponse(s.URL+"/clients/"+strconv.FormatInt(dt.ID, 10)))
		if res.Status != 200 {
			t.Errorf("Downtown chart: status %d, want 200", res.Status)
		}
		if h1 := browserRun(tb, chromedp.Text(chromedp.CSS("h1"))); h1 != dt.DisplayName() {
			t.Errorf("Downtown chart: heading %q, want %q", h1, dt.DisplayName())
		}

		tb.open("/clients")
		locs := browserEval[[]string](tb, `[...document.querySelectorAll("#results tbody tr td:nth-child(4)")].map(td => td.textContent.trim())`)
		if len(locs) == 0 {
			t.Fatal("her client list is empty")
		}
		for _, l := range locs {
			if l != "Downtown Austin" {
				t.Errorf("her client list has a client at %q", l)
			}
		}
		rrLink := fmt.Sprintf(`a[href="/clients/%d"]`, rr.ID)
		tb.open("/clients?q=" + rr.LastName)
		if browserEval[bool](tb, fmt.Sprintf(`!!document.querySelector(%q)`, rrLink)) {
			t.Errorf("searching %q lists the Round Rock client", rr.LastName)
		}
	})
}

func TestBrowserKeyboardAndLabels(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		tb := newBrowserTab(t, s, 1280, 900)

		// Sign in from the keyboard alone.
		tb.open("/signin")
		tb.do(
			chromedp.WaitVisible(chromedp.CSS("#email")),
			chromedp.Focus(chromedp.CSS("#email")),
			chromedp.KeyEvent(testsrv.Owner),
			chromedp.KeyEvent(kb.Tab),
		)
		if id := browserEval[string](tb, `document.activeElement ? document.activeElement.id : ""`); id != "password" {
			t.Fatalf("Tab from the email goes to %q, want password", id)
		}
		tb.do(chromedp.KeyEvent(testsrv.Password), chromedp.KeyEvent(kb.Enter))
		tb.waitPath("/clients")

		// Every visible field has a label.
		const unlabelled = `[...document.querySelectorAll("input, select, textarea")]
			.filter(el => el.type !== "hidden" && el.labels.length === 0)
			.map(el => el.id || el.name || el.outerHTML)`
		const fields = `document.querySelectorAll("input:not([type=hidden]), select, textarea").length`
		for _, p := range []struct {
			path string
			min  int
		}{{"/clients/new", 15}, {"/clients", 2}} {
			tb.open(p.path)
			tb.waitPath(p.path)
			if n := browserEval[int](tb, fields); n < p.min {
				t.Errorf("%s: only %d fields found, want at least %d", p.path, n, p.min)
			}
			if bad := browserEval[[]string](tb, unlabelled); len(bad) > 0 {
				t.Errorf("%s: fields without a label: %v", p.path, bad)
			}
		}
		tb.do(chromedp.Click(chromedp.CSS(`header .who form[action="/signout"] button`)))
		tb.waitPath("/signin")
		if bad := browserEval[[]string](tb, unlabelled); len(bad) > 0 {
			t.Errorf("/signin: fields without a label: %v", bad)
		}
	})
}

func TestBrowserTabletLayout(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		tb := newBrowserTab(t, s, 768, 1024)
		tb.signIn(testsrv.Owner)
		if w := browserEval[int](tb, `window.innerWidth`); w != 768 {
			t.Fatalf("window.innerWidth = %d, want 768", w)
		}
		c := s.ClientAt(t, s.Downtown.ID)
		chart := "/clients/" + strconv.FormatInt(c.ID, 10)
		const noHScroll = `document.documentElement.scrollWidth <= window.innerWidth`
		const widths = `document.documentElement.scrollWidth + " > " + window.innerWidth`
		for _, p := range []string{"/clients", chart, "/clients/new"} {
			tb.open(p)
			tb.waitPath(p)
			if !browserEval[bool](tb, noHScroll) {
				t.Errorf("%s scrolls sideways at 768×1024: %s", p, browserEval[string](tb, widths))
			}
		}

		// Screenshots for people (not asserted).
		tb.open(chart)
		tb.shot("chart-768.png")
		tb.do(chromedp.EmulateViewport(1280, 900))
		tb.open(chart)
		if !browserEval[bool](tb, noHScroll) {
			t.Errorf("the chart scrolls sideways at 1280×900: %s", browserEval[string](tb, widths))
		}
		tb.shot("chart-1280.png")
	})
}
