package web_test

// Security tests over every route of the server: pages (server.go) and the
// JSON API (api.go). The route tables below must list every pattern those
// files register; TestSecurityRouteTableComplete fails when a route is added
// without being classified here.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/testsrv"
	"github.com/fascia-health/fascia/internal/web"
)

var ctx = context.Background()

// ---------------------------------------------------------------------------
// Route tables

type access int

const (
	public   access = iota // anyone
	session                // a signed-in page: no session → /signin
	token                  // an API route: no token → 401
	fallback               // the catch-all "not found"
)

// route is one registered pattern and a request that exercises it.
type route struct {
	pattern string // exactly as registered in server.go or api.go
	path    string // request path; {client}, {user}, {token}, {static} are filled in
	access  access
	// body builds a body that would succeed if the request were allowed
	// (state-changing routes only): a form for pages, JSON for the API.
	body func(f *fixture) string
}

func (r route) method() string {
	if m, _, ok := strings.Cut(r.pattern, " "); ok {
		return m
	}
	return http.MethodGet
}

func (r route) changesState() bool {
	switch r.method() {
	case http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodPut:
		return true
	}
	return false
}

func (r route) isAPI() bool { return strings.HasPrefix(r.path, "/api/") }

// fixture holds the records the route paths and bodies refer to.
type fixture struct {
	s       *testsrv.Server
	client  clinic.Client // a Downtown Austin client of the demo organisation
	userID  int64         // Maria Lopez, a therapist of the demo organisation
	tokenID int64         // one of the demo owner's API tokens
	static  string        // the URL path of a real static file
}

// placeholders lets an area's security test file fill its own path
// placeholders ({prescription}, …): each func returns old, new pairs.
var placeholders []func(f *fixture) []string

func (f *fixture) url(r route) string {
	pairs := []string{
		"{client}", strconv.FormatInt(f.client.ID, 10),
		"{user}", strconv.FormatInt(f.userID, 10),
		"{token}", strconv.FormatInt(f.tokenID, 10),
		"{static}", f.static,
	}
	for _, ph := range placeholders {
		pairs = append(pairs, ph(f)...)
	}
	return f.s.URL + strings.NewReplacer(pairs...).Replace(r.path)
}

func (f *fixture) bodyOf(r route) string {
	if r.body == nil {
		return ""
	}
	return r.body(f)
}

func formBody(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// clientForm is the whole edit form of c, as the page would post it.
func clientForm(c clinic.Client) url.Values {
	return url.Values{
		"first_name": {c.FirstName}, "middle_name": {c.MiddleName}, "last_name": {c.LastName}, "suffix": {c.Suffix},
		"preferred_name": {c.PreferredName}, "dob": {c.DOB}, "sex": {string(c.Sex)},
		"address1": {c.Address1}, "address2": {c.Address2}, "city": {c.City}, "state": {c.State}, "zip": {c.Zip},
		"phone": {c.Phone}, "email": {c.Email},
		"emergency_name": {c.EmergencyName}, "emergency_phone": {c.EmergencyPhone}, "emergency_relation": {c.EmergencyRelation},
		"preferred_location_id": {id(c.PreferredLocationID)}, "preferred_therapist_id": {id(c.PreferredTherapistID)},
		"status": {string(c.Status)}, "version": {id(c.Version)},
	}
}

func newClientForm(loc int64, first, last, dob string) url.Values {
	return url.Values{"first_name": {first}, "last_name": {last}, "dob": {dob}, "sex": {"F"},
		"preferred_location_id": {id(loc)}, "preferred_therapist_id": {"0"}, "status": {"active"}}
}

// pageRoutes classifies every route of server.go.
var pageRoutes = []route{
	{pattern: "GET /static/{hash}/{name}", path: "{static}", access: public},
	{pattern: "GET /healthz", path: "/healthz", access: public},
	{pattern: "GET /readyz", path: "/readyz", access: public},
	{pattern: "GET /{$}", path: "/", access: session},
	{pattern: "GET /signin", path: "/signin", access: public},
	{pattern: "POST /signin", path: "/signin", access: public, body: func(f *fixture) string {
		return formBody("email", testsrv.Owner, "password", testsrv.Password)
	}},
	{pattern: "GET /signin/code", path: "/signin/code", access: session},
	{pattern: "POST /signin/code", path: "/signin/code", access: session, body: func(f *fixture) string { return formBody("code", "123456") }},
	{pattern: "POST /signout", path: "/signout", access: session, body: func(f *fixture) string { return "" }},

	{pattern: "GET /clients", path: "/clients", access: session},
	{pattern: "GET /clients/new", path: "/clients/new", access: session},
	{pattern: "POST /clients", path: "/clients", access: session, body: func(f *fixture) string {
		return newClientForm(f.s.Downtown.ID, "Crossite", "Forgery", "1980-01-02").Encode()
	}},
	{pattern: "GET /clients/{id}", path: "/clients/{client}", access: session},
	{pattern: "GET /clients/{id}/edit", path: "/clients/{client}/edit", access: session},
	{pattern: "POST /clients/{id}", path: "/clients/{client}", access: session, body: func(f *fixture) string {
		c := f.current()
		c.FirstName = "Hijacked"
		return clientForm(c).Encode()
	}},

	{pattern: "GET /account/password", path: "/account/password", access: session},
	{pattern: "POST /account/password", path: "/account/password", access: session, body: func(f *fixture) string {
		return formBody("current", testsrv.Password, "password", "attacker chosen password", "confirm", "attacker chosen password")
	}},
	{pattern: "GET /account/security", path: "/account/security", access: session},
	{pattern: "POST /account/security/totp", path: "/account/security/totp", access: session, body: func(f *fixture) string { return "" }},
	{pattern: "POST /account/security/totp/confirm", path: "/account/security/totp/confirm", access: session, body: func(f *fixture) string { return formBody("code", "123456") }},
	{pattern: "GET /account/tokens", path: "/account/tokens", access: session},
	{pattern: "POST /account/tokens", path: "/account/tokens", access: session, body: func(f *fixture) string { return formBody("name", "attacker token") }},
	{pattern: "POST /account/tokens/{id}/revoke", path: "/account/tokens/{token}/revoke", access: session, body: func(f *fixture) string { return "" }},

	{pattern: "GET /admin/users", path: "/admin/users", access: session},
	{pattern: "POST /admin/users", path: "/admin/users", access: session, body: func(f *fixture) string {
		return formBody("name", "Eve Intruder", "email", "eve@demo.test", "role", "owner", "password", "attacker chosen password", "locations", id(f.s.Downtown.ID))
	}},
	{pattern: "GET /admin/users/{id}", path: "/admin/users/{user}", access: session},
	{pattern: "POST /admin/users/{id}", path: "/admin/users/{user}", access: session, body: func(f *fixture) string {
		return formBody("name", "Maria Promoted", "email", testsrv.TherapistA, "role", "owner", "active", "1", "locations", id(f.s.Downtown.ID))
	}},
	{pattern: "POST /admin/users/{id}/password", path: "/admin/users/{user}/password", access: session, body: func(f *fixture) string {
		return formBody("password", "attacker chosen password")
	}},
	{pattern: "GET /admin/settings", path: "/admin/settings", access: session},
	{pattern: "POST /admin/settings", path: "/admin/settings", access: session, body: func(f *fixture) string {
		return formBody("idle_minutes", "720", "require_mfa", "0")
	}},
	{pattern: "GET /admin/audit", path: "/admin/audit", access: session},
	{pattern: "GET /admin/audit.csv", path: "/admin/audit.csv", access: session},

	{pattern: "/", path: "/no-such-page", access: fallback},
}

// apiRoutes classifies every route of api.go.
var apiRoutes = []route{
	{pattern: "GET /api/v1/{$}", path: "/api/v1/", access: public},
	{pattern: "GET /api/v1/me", path: "/api/v1/me", access: token},
	{pattern: "GET /api/v1/locations", path: "/api/v1/locations", access: token},
	{pattern: "GET /api/v1/clients", path: "/api/v1/clients?q=a", access: token},
	{pattern: "POST /api/v1/clients", path: "/api/v1/clients", access: token, body: func(f *fixture) string {
		return fmt.Sprintf(`{"first_name":"Crossite","last_name":"Apiforgery","dob":"1980-01-03","preferred_location_id":%d}`, f.s.Downtown.ID)
	}},
	{pattern: "GET /api/v1/clients/{id}", path: "/api/v1/clients/{client}", access: token},
	{pattern: "PATCH /api/v1/clients/{id}", path: "/api/v1/clients/{client}", access: token, body: func(f *fixture) string {
		return fmt.Sprintf(`{"first_name":"Hijacked","version":%d}`, f.current().Version)
	}},
	{pattern: "GET /api/v1/users", path: "/api/v1/users", access: token},
	{pattern: "GET /api/v1/tokens", path: "/api/v1/tokens", access: token},
	{pattern: "POST /api/v1/tokens", path: "/api/v1/tokens", access: token, body: func(f *fixture) string { return `{"name":"attacker token"}` }},
	{pattern: "DELETE /api/v1/tokens/{id}", path: "/api/v1/tokens/{token}", access: token, body: func(f *fixture) string { return "" }},
	{pattern: "GET /api/v1/audit", path: "/api/v1/audit", access: token},
	{pattern: "/api/v1/", path: "/api/v1/no-such-endpoint", access: fallback},
}

func allRoutes() []route { return append(slices.Clone(pageRoutes), apiRoutes...) }

var handleFuncRE = regexp.MustCompile(`\bm\.HandleFunc\(\s*"([^"]+)"`)

// registered lists the route patterns of every non-test Go file in dir
// (areas register their routes from their own files).
func registered(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range handleFuncRE.FindAllStringSubmatch(string(b), -1) {
			out = append(out, m[1])
		}
	}
	if len(out) < 5 {
		t.Fatalf("found only %d routes in %s: has the way routes are registered changed?", len(out), dir)
	}
	return out
}

// TestSecurityRouteTableComplete fails when server.go or api.go registers a
// route the security tables do not know, or the tables list one that is gone.
func TestSecurityRouteTableComplete(t *testing.T) {
	for _, c := range []struct {
		file  string
		table []route
	}{{".", pageRoutes}, {"../api", apiRoutes}} {
		got := registered(t, c.file)
		var want []string
		for _, r := range c.table {
			want = append(want, r.pattern)
		}
		for _, p := range got {
			if !slices.Contains(want, p) {
				t.Errorf("%s registers %q, which the security route table does not list: add it to pageRoutes/apiRoutes in security_test.go with its access class", c.file, p)
			}
		}
		for _, p := range want {
			if !slices.Contains(got, p) {
				t.Errorf("security route table lists %q, which %s no longer registers", p, c.file)
			}
		}
		seen := map[string]bool{}
		for _, p := range got {
			if seen[p] {
				t.Errorf("%s registers %q twice", c.file, p)
			}
			seen[p] = true
		}
	}
}

// ---------------------------------------------------------------------------
// Helpers

type resp struct {
	status int
	header http.Header
	body   string
}

func (r resp) String() string {
	b := r.body
	if len(b) > 400 {
		b = b[:400] + "…"
	}
	return fmt.Sprintf("%d %s", r.status, b)
}

// do sends one request; hdr is pairs of header name and value.
func do(t testing.TB, c *http.Client, method, u, body string, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	if body != "" || method == http.MethodPost || method == http.MethodPatch {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	if rd != nil {
		if strings.Contains(u, "/api/") {
			req.Header.Set("Content-Type", "application/json")
		} else {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	return resp{res.StatusCode, res.Header, string(b)}
}

func get(t testing.TB, c *http.Client, u string, hdr ...string) resp {
	t.Helper()
	return do(t, c, http.MethodGet, u, "", hdr...)
}

func post(t testing.TB, c *http.Client, u string, form url.Values, hdr ...string) resp {
	t.Helper()
	return do(t, c, http.MethodPost, u, form.Encode(), hdr...)
}

// api sends an API request with a bearer token (none if tok is "").
func api(t testing.TB, s *testsrv.Server, tok, method, path, body string, hdr ...string) resp {
	t.Helper()
	if tok != "" {
		hdr = append(hdr, "Authorization", "Bearer "+tok)
	}
	return do(t, s.Client(), method, s.URL+path, body, hdr...)
}

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// wantAPIError checks an API answer is status with a JSON error of code.
func wantAPIError(t testing.TB, what string, r resp, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d (%s)", what, r.status, status, r)
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want JSON", what, ct)
	}
	var e apiError
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Errorf("%s: body is not a JSON error: %v (%s)", what, err, r)
		return
	}
	if e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("%s: error %+v, want code %q with a message", what, e.Error, code)
	}
}

type clientJSON struct {
	ID                  int64  `json:"id"`
	FirstName           string `json:"first_name"`
	LastName            string `json:"last_name"`
	DOB                 string `json:"dob"`
	PreferredLocationID int64  `json:"preferred_location_id"`
	Version             int64  `json:"version"`
}

func apiSearch(t testing.TB, s *testsrv.Server, tok, q string) []clientJSON {
	t.Helper()
	r := api(t, s, tok, http.MethodGet, "/api/v1/clients?limit=200&q="+url.QueryEscape(q), "")
	if r.status != http.StatusOK {
		t.Fatalf("API search %q: %s", q, r)
	}
	var out struct {
		Clients []clientJSON `json:"clients"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("API search %q: %v", q, err)
	}
	return out.Clients
}

// start starts a server for one test and, when the test ends, checks that
// nothing the test did put a client's name, birth date or a query string in the log.
func start(t *testing.T, e store.Engine, extraSecrets ...string) *testsrv.Server {
	t.Helper()
	s := testsrv.Start(t, e)
	t.Cleanup(func() { checkLog(t, s, extraSecrets...) })
	return s
}

func allClients(t testing.TB, s *testsrv.Server, orgID int64) []clinic.Client {
	t.Helper()
	var out []clinic.Client
	for off := 0; ; off += 200 {
		cs, err := s.DB.SearchClients(ctx, orgID, clinic.ClientFilter{Limit: 200, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cs...)
		if len(cs) < 200 {
			return out
		}
	}
}

func checkLog(t *testing.T, s *testsrv.Server, extra ...string) {
	t.Helper()
	log := s.Log.String()
	if log == "" {
		t.Errorf("the server logged nothing: is the log sink wired?")
	}
	if strings.Contains(log, "q=") {
		t.Errorf("the log contains a query string (q=)")
	}
	secrets := slices.Clone(extra)
	for _, org := range []int64{s.Org.ID, s.OtherOrg.ID} {
		for _, c := range allClients(t, s, org) {
			secrets = append(secrets, c.DOB, c.FirstName+" "+c.LastName, c.LastName+", "+c.FirstName)
			for _, n := range []string{c.FirstName, c.LastName, c.PreferredName, c.Address1} {
				if len(n) >= 4 {
					secrets = append(secrets, n)
				}
			}
		}
	}
	for _, sec := range secrets {
		if sec != "" && strings.Contains(log, sec) {
			i := strings.Index(log, sec)
			lo, hi := max(0, i-120), min(len(log), i+len(sec)+40)
			t.Errorf("the log contains %q: …%s…", sec, log[lo:hi])
		}
	}
}

// newFixture prepares the records the route table refers to.
func newFixture(t *testing.T, s *testsrv.Server, ownerTok string) *fixture {
	t.Helper()
	f := &fixture{s: s, client: s.ClientAt(t, s.Downtown.ID)}
	cred, err := s.DB.CredentialsByEmail(ctx, testsrv.TherapistA)
	if err != nil {
		t.Fatal(err)
	}
	f.userID = cred.UserID
	// A second owner token, so revoking it breaks nothing else.
	r := api(t, s, ownerTok, http.MethodPost, "/api/v1/tokens", `{"name":"fixture"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create fixture token: %s", r)
	}
	var tk struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal([]byte(r.body), &tk)
	f.tokenID = tk.ID
	// A real static URL, from the sign-in page's stylesheet link.
	page := get(t, s.Client(), s.URL+"/signin")
	m := regexp.MustCompile(`href="(/static/[0-9a-f]+/app\.css)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no stylesheet link on the sign-in page")
	}
	f.static = m[1]
	return f
}

// current reads the fixture client as stored now.
func (f *fixture) current() clinic.Client {
	c, err := f.s.DB.Client(ctx, f.s.Org.ID, f.client.ID)
	if err != nil {
		panic(err)
	}
	return *c
}

func userID(t testing.TB, s *testsrv.Server, email string) int64 {
	t.Helper()
	cred, err := s.DB.CredentialsByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	return cred.UserID
}

func auditCount(t testing.TB, s *testsrv.Server, orgID, userID int64, action string) int {
	t.Helper()
	es, err := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: orgID, UserID: userID, Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func sessionCookie(t testing.TB, s *testsrv.Server, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(s.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == web.SessionCookie {
			return ck.Value
		}
	}
	t.Fatal("no session cookie in the jar")
	return ""
}

func setCookie(r resp) *http.Cookie {
	for _, ck := range (&http.Response{Header: r.header}).Cookies() {
		if ck.Name == web.SessionCookie {
			return ck
		}
	}
	return nil
}

func wantRedirectToSignIn(t testing.TB, what string, r resp) {
	t.Helper()
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin" {
		t.Errorf("%s: %d Location %q, want 303 to /signin", what, r.status, r.header.Get("Location"))
	}
}

func each(t *testing.T, fn func(t *testing.T, e store.Engine)) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// ---------------------------------------------------------------------------
// No session, no token

func TestSecurityNoSession(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		ownerTok := s.Token(t, testsrv.Owner)
		f := newFixture(t, s, ownerTok)

		for _, r := range pageRoutes {
			u, m, body := f.url(r), r.method(), f.bodyOf(r)
			what := m + " " + u[len(s.URL):]
			switch r.access {
			case session:
				wantRedirectToSignIn(t, what+" without a session", do(t, s.Client(), m, u, body))
				wantRedirectToSignIn(t, what+" with an unknown session", do(t, s.Client(), m, u, body, "Cookie", web.SessionCookie+"=forged-session-id"))
				res := do(t, s.Client(), m, u, body, "HX-Request", "true")
				if res.status != http.StatusUnauthorized || res.header.Get("HX-Redirect") != "/signin" {
					t.Errorf("%s (htmx) without a session: %d HX-Redirect %q, want 401 with HX-Redirect /signin", what, res.status, res.header.Get("HX-Redirect"))
				}
			case public:
				res := do(t, s.Client(), m, u, body)
				want := http.StatusOK
				if r.pattern == "POST /signin" {
					want = http.StatusSeeOther // the right password signs in
				}
				if res.status != want {
					t.Errorf("%s (public): %s, want %d", what, res, want)
				}
			case fallback:
				if res := do(t, s.Client(), m, u, body); res.status != http.StatusNotFound {
					t.Errorf("%s: %s, want 404", what, res)
				}
			default:
				t.Fatalf("page route %q has access %d", r.pattern, r.access)
			}
		}
		// A wrong static hash is not served.
		if res := get(t, s.Client(), s.URL+"/static/000000000000/app.css"); res.status != http.StatusNotFound {
			t.Errorf("static file with a wrong hash: %d", res.status)
		}

		// The API: no token, a malformed one, another scheme, a revoked one.
		r := api(t, s, ownerTok, http.MethodPost, "/api/v1/tokens", `{"name":"soon revoked"}`)
		var tk struct {
			ID    int64  `json:"id"`
			Token string `json:"token"`
		}
		if err := json.Unmarshal([]byte(r.body), &tk); err != nil || r.status != http.StatusCreated || tk.Token == "" {
			t.Fatalf("create token: %s", r)
		}
		if r := api(t, s, tk.Token, http.MethodDelete, "/api/v1/tokens/"+id(tk.ID), ""); r.status != http.StatusNoContent {
			t.Fatalf("revoke token: %s", r)
		}
		signedIn := s.SignIn(t, testsrv.Owner)
		for _, r := range apiRoutes {
			u, m, body := f.url(r), r.method(), f.bodyOf(r)
			what := m + " " + u[len(s.URL):]
			switch r.access {
			case token:
				for _, c := range []struct{ name, auth string }{
					{"no token", ""},
					{"empty bearer", "Bearer "},
					{"malformed token", "Bearer not-a-token"},
					{"basic auth", "Basic b3duZXJAZGVtby50ZXN0OmNvcnJlY3QgaG9yc2UgYmF0dGVyeSBzdGFwbGU="},
					{"a session cookie instead", ""},
					{"revoked token", "Bearer " + tk.Token},
				} {
					hdr := []string{}
					if c.auth != "" {
						hdr = append(hdr, "Authorization", c.auth)
					}
					cl := s.Client()
					if c.name == "a session cookie instead" {
						cl = signedIn
					}
					res := do(t, cl, m, u, body, hdr...)
					wantAPIError(t, what+" with "+c.name, res, http.StatusUnauthorized, "unauthorized")
				}
			case public:
				if res := do(t, s.Client(), m, u, body); res.status != http.StatusOK {
					t.Errorf("%s (public): %s", what, res)
				}
			case fallback:
				wantAPIError(t, what, do(t, s.Client(), m, u, body), http.StatusNotFound, "not_found")
			default:
				t.Fatalf("API route %q has access %d", r.pattern, r.access)
			}
		}
		if f.current().Version != f.client.Version {
			t.Errorf("the client changed through unauthenticated requests")
		}
	})
}

// ---------------------------------------------------------------------------
// Another organisation

func TestSecurityOtherOrganisation(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		demoC := s.ClientAt(t, s.Downtown.ID)
		other := *s.OtherClient
		demoSecrets := []string{demoC.FirstName, demoC.LastName, demoC.DOB}
		otherSecrets := []string{other.FirstName, other.LastName, other.DOB}
		reveals := func(what string, r resp, secrets []string) {
			t.Helper()
			for _, sec := range secrets {
				if strings.Contains(r.body, sec) {
					t.Errorf("%s reveals %q: %s", what, sec, r)
				}
			}
		}

		otherOwner := userID(t, s, testsrv.OtherOwner)
		deniedBefore := auditCount(t, s, s.OtherOrg.ID, otherOwner, audit.Denied)

		// The other organisation's owner and a demo client.
		oc := s.SignIn(t, testsrv.OtherOwner)
		otok := s.Token(t, testsrv.OtherOwner)
		cid := id(demoC.ID)
		for _, p := range []string{"/clients/" + cid, "/clients/" + cid + "/edit"} {
			r := get(t, oc, s.URL+p)
			if r.status != http.StatusNotFound {
				t.Errorf("other org GET %s: %d, want 404", p, r.status)
			}
			reveals("other org GET "+p, r, demoSecrets)
		}
		stolen := clientForm(demoC)
		stolen.Set("first_name", "Stolen")
		for _, loc := range []int64{demoC.PreferredLocationID, s.OtherLoc.ID} {
			stolen.Set("preferred_location_id", id(loc))
			r := post(t, oc, s.URL+"/clients/"+cid, stolen)
			if r.status != http.StatusNotFound {
				t.Errorf("other org POST /clients/%s: %d, want 404", cid, r.status)
			}
			reveals("other org POST /clients/"+cid, r, demoSecrets)
		}
		r := api(t, s, otok, http.MethodGet, "/api/v1/clients/"+cid, "")
		wantAPIError(t, "other org API GET client", r, http.StatusNotFound, "not_found")
		reveals("other org API GET client", r, demoSecrets)
		r = api(t, s, otok, http.MethodPatch, "/api/v1/clients/"+cid, fmt.Sprintf(`{"first_name":"Stolen","version":%d}`, demoC.Version))
		wantAPIError(t, "other org API PATCH client", r, http.StatusNotFound, "not_found")
		reveals("other org API PATCH client", r, demoSecrets)
		r = api(t, s, otok, http.MethodPatch, "/api/v1/clients/"+cid, fmt.Sprintf(`{"preferred_location_id":%d,"version":%d}`, s.OtherLoc.ID, demoC.Version))
		wantAPIError(t, "other org API PATCH client's location", r, http.StatusNotFound, "not_found")
		if now, _ := s.DB.Client(ctx, s.Org.ID, demoC.ID); now.Version != demoC.Version || now.FirstName != demoC.FirstName {
			t.Errorf("another organisation changed a demo client: %+v", now)
		}
		if got := auditCount(t, s, s.OtherOrg.ID, otherOwner, audit.Denied); got < deniedBefore+6 {
			t.Errorf("auth.denied entries for the other owner: %d → %d, want one per refused request", deniedBefore, got)
		}

		// Their searches find only their own client.
		for _, q := range []string{"", demoC.LastName, demoC.FirstName, demoC.DOB, "a"} {
			r := get(t, oc, s.URL+"/clients?q="+url.QueryEscape(q))
			if r.status != http.StatusOK {
				t.Errorf("other org search %q: %d", q, r.status)
			}
			reveals("other org search page", r, []string{demoC.LastName + ", " + demoC.FirstName})
			for _, c := range apiSearch(t, s, otok, q) {
				if c.ID != other.ID {
					t.Errorf("other org API search %q found client %d of another organisation", q, c.ID)
				}
			}
		}
		if cs := apiSearch(t, s, otok, ""); len(cs) != 1 {
			t.Errorf("other org sees %d clients, want its 1", len(cs))
		}

		// The demo owner and the other organisation's client.
		dc := s.SignIn(t, testsrv.Owner)
		dtok := s.Token(t, testsrv.Owner)
		oid := id(other.ID)
		for _, p := range []string{"/clients/" + oid, "/clients/" + oid + "/edit"} {
			r := get(t, dc, s.URL+p)
			if r.status != http.StatusNotFound {
				t.Errorf("demo owner GET %s: %d, want 404", p, r.status)
			}
			reveals("demo owner GET "+p, r, otherSecrets)
		}
		f := clientForm(other)
		f.Set("first_name", "Stolen")
		f.Set("preferred_location_id", id(s.Downtown.ID))
		r = post(t, dc, s.URL+"/clients/"+oid, f)
		if r.status != http.StatusNotFound {
			t.Errorf("demo owner POST /clients/%s: %d, want 404", oid, r.status)
		}
		reveals("demo owner POST other client", r, otherSecrets)
		r = api(t, s, dtok, http.MethodGet, "/api/v1/clients/"+oid, "")
		wantAPIError(t, "demo owner API GET other client", r, http.StatusNotFound, "not_found")
		reveals("demo owner API GET other client", r, otherSecrets)
		r = api(t, s, dtok, http.MethodPatch, "/api/v1/clients/"+oid, `{"first_name":"Stolen","version":1}`)
		wantAPIError(t, "demo owner API PATCH other client", r, http.StatusNotFound, "not_found")
		if now, _ := s.DB.Client(ctx, s.OtherOrg.ID, other.ID); now.FirstName != other.FirstName || now.Version != other.Version {
			t.Errorf("the demo owner changed the other organisation's client: %+v", now)
		}
		for _, q := range []string{"", other.LastName, other.FirstName, "secret", "otherclient", other.DOB, "02/03/1960"} {
			// The page echoes the words searched for; it must not list the client.
			r := get(t, dc, s.URL+"/clients?q="+url.QueryEscape(q))
			reveals("demo search page "+q, r, []string{"/clients/" + oid + `"`, other.LastName + ", " + other.FirstName})
			for _, c := range apiSearch(t, s, dtok, q) {
				if c.ID == other.ID {
					t.Errorf("demo API search %q found the other organisation's client", q)
				}
			}
		}
		// A client of the demo org with the same name and birth date is not
		// told apart from one of the other org's (no cross-org duplicate hint).
		dup := newClientForm(s.Downtown.ID, other.FirstName, other.LastName, other.DOB)
		if r := post(t, dc, s.URL+"/clients", dup); r.status != http.StatusSeeOther {
			t.Errorf("creating a demo client named like the other org's: %s (a duplicate warning would reveal the other org's client)", r)
		}

		// Staff, tokens, audit and locations of the other organisation.
		if r := get(t, dc, s.URL+"/admin/users/"+id(otherOwner)); r.status != http.StatusNotFound || strings.Contains(r.body, testsrv.OtherOwner) {
			t.Errorf("demo owner GET /admin/users/<other org user>: %d, want 404", r.status)
		}
		credBefore, _ := s.DB.CredentialsByID(ctx, otherOwner)
		r = post(t, dc, s.URL+"/admin/users/"+id(otherOwner), url.Values{"name": {"Taken Over"}, "email": {testsrv.OtherOwner}, "role": {"therapist"}, "active": {"0"}, "locations": {id(s.Downtown.ID)}})
		if r.status != http.StatusNotFound {
			t.Errorf("demo owner POST /admin/users/<other org user>: %d, want 404", r.status)
		}
		r = post(t, dc, s.URL+"/admin/users/"+id(otherOwner)+"/password", url.Values{"password": {"attacker chosen password"}})
		if r.status != http.StatusNotFound {
			t.Errorf("demo owner POST /admin/users/<other org user>/password: %d, want 404", r.status)
		}
		credAfter, _ := s.DB.CredentialsByID(ctx, otherOwner)
		if fmt.Sprintf("%+v", credBefore) != fmt.Sprintf("%+v", credAfter) {
			t.Errorf("the demo owner changed the other org's owner: %+v → %+v", credBefore, credAfter)
		}
		if u, _ := s.DB.User(ctx, s.OtherOrg.ID, otherOwner); u == nil || u.Name != "Olga Other" || !u.Active || u.Role != clinic.RoleOwner {
			t.Errorf("the other org's owner changed: %+v", u)
		}
		var toks struct {
			Tokens []struct {
				ID int64 `json:"id"`
			} `json:"tokens"`
		}
		json.Unmarshal([]byte(api(t, s, otok, http.MethodGet, "/api/v1/tokens", "").body), &toks)
		if len(toks.Tokens) == 0 {
			t.Fatal("the other owner has no token listed")
		}
		otid := id(toks.Tokens[0].ID)
		if r := post(t, dc, s.URL+"/account/tokens/"+otid+"/revoke", nil); r.status != http.StatusNotFound {
			t.Errorf("demo owner revoking another org's token (page): %d, want 404", r.status)
		}
		wantAPIError(t, "demo owner revoking another org's token (API)", api(t, s, dtok, http.MethodDelete, "/api/v1/tokens/"+otid, ""), http.StatusNotFound, "not_found")
		if r := api(t, s, otok, http.MethodGet, "/api/v1/me", ""); r.status != http.StatusOK {
			t.Errorf("the other org's token stopped working: %s", r)
		}
		for _, p := range []string{"/admin/users", "/admin/audit", "/admin/audit.csv", "/account/tokens"} {
			if r := get(t, dc, s.URL+p); r.status != http.StatusOK || strings.Contains(r.body, "other.test") || strings.Contains(r.body, "Olga Other") {
				t.Errorf("demo owner %s: %d, or it shows the other organisation's staff", p, r.status)
			}
		}
		for _, p := range []string{"/api/v1/users", "/api/v1/audit?limit=1000", "/api/v1/tokens", "/api/v1/locations"} {
			if r := api(t, s, dtok, http.MethodGet, p, ""); r.status != http.StatusOK || strings.Contains(r.body, "other.test") || strings.Contains(r.body, "Elsewhere") {
				t.Errorf("demo owner API %s: %d, or it shows the other organisation's records", p, r.status)
			}
		}
	})
}

// ---------------------------------------------------------------------------
// Roles

func TestSecurityRoles(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		dt := s.ClientAt(t, s.Downtown.ID)
		rr := s.ClientAt(t, s.RoundRock.ID)

		// denied checks r was refused with 403 and left an auth.denied entry.
		denied := func(who string, uid int64, what string, send func() resp, isAPI bool) {
			t.Helper()
			before := auditCount(t, s, s.Org.ID, uid, audit.Denied)
			r := send()
			if isAPI {
				wantAPIError(t, who+" "+what, r, http.StatusForbidden, "forbidden")
			} else if r.status != http.StatusForbidden {
				t.Errorf("%s %s: %d, want 403", who, what, r.status)
			}
			if after := auditCount(t, s, s.Org.ID, uid, audit.Denied); after <= before {
				t.Errorf("%s %s: no auth.denied audit entry (%d → %d)", who, what, before, after)
			}
		}
		adminPages := []string{"/admin/users", "/admin/settings", "/admin/audit", "/admin/audit.csv"}

		// A therapist of Downtown Austin only.
		maria := userID(t, s, testsrv.TherapistA)
		mc := s.SignIn(t, testsrv.TherapistA)
		mtok := s.Token(t, testsrv.TherapistA)
		for _, p := range append(adminPages, "/admin/users/"+id(maria), "/clients/"+id(rr.ID), "/clients/"+id(rr.ID)+"/edit") {
			denied("therapist", maria, "GET "+p, func() resp { return get(t, mc, s.URL+p) }, false)
		}
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/admin/users", url.Values{"name": {"Eve"}, "email": {"eve@demo.test"}, "role": {"owner"}, "password": {"attacker chosen password"}}},
			{"/admin/users/" + id(maria), url.Values{"name": {"Maria"}, "email": {testsrv.TherapistA}, "role": {"owner"}, "active": {"1"}, "locations": {id(s.Downtown.ID)}}},
			{"/admin/users/" + id(maria) + "/password", url.Values{"password": {"attacker chosen password"}}},
			{"/admin/settings", url.Values{"idle_minutes": {"720"}}},
			{"/clients/" + id(rr.ID), func() url.Values { f := clientForm(rr); f.Set("first_name", "Changed"); return f }()},
		} {
			denied("therapist", maria, "POST "+c.path, func() resp { return post(t, mc, s.URL+c.path, c.form) }, false)
		}
		for _, p := range []string{"/api/v1/users", "/api/v1/audit", "/api/v1/clients/" + id(rr.ID)} {
			denied("therapist", maria, "API GET "+p, func() resp { return api(t, s, mtok, http.MethodGet, p, "") }, true)
		}
		denied("therapist", maria, "API PATCH Round Rock client", func() resp {
			return api(t, s, mtok, http.MethodPatch, "/api/v1/clients/"+id(rr.ID), fmt.Sprintf(`{"first_name":"Changed","version":%d}`, rr.Version))
		}, true)
		if now, _ := s.DB.Client(ctx, s.Org.ID, rr.ID); now.Version != rr.Version {
			t.Errorf("a therapist of another location changed a Round Rock client")
		}
		if u, _ := s.DB.User(ctx, s.Org.ID, maria); u.Role != clinic.RoleTherapist {
			t.Errorf("the therapist promoted herself: %+v", u)
		}
		// What she may do.
		if r := get(t, mc, s.URL+"/clients/"+id(dt.ID)); r.status != http.StatusOK {
			t.Errorf("therapist opening a Downtown client: %d", r.status)
		}
		for _, c := range apiSearch(t, s, mtok, "") {
			if c.PreferredLocationID != s.Downtown.ID {
				t.Errorf("therapist's search lists client %d of location %d", c.ID, c.PreferredLocationID)
			}
		}
		for _, c := range apiSearch(t, s, mtok, rr.LastName) {
			if c.ID == rr.ID {
				t.Errorf("therapist's search by name finds a Round Rock client")
			}
		}
		if r := get(t, mc, s.URL+"/clients?q="+url.QueryEscape(rr.LastName+", "+rr.FirstName)); strings.Contains(r.body, "/clients/"+id(rr.ID)+`"`) {
			t.Errorf("therapist's search page lists a Round Rock client")
		}
		n, _ := s.DB.CountClients(ctx, s.Org.ID)
		if r := post(t, mc, s.URL+"/clients", newClientForm(s.RoundRock.ID, "Wrong", "Location", "1990-01-01")); r.status != http.StatusUnprocessableEntity {
			t.Errorf("therapist adding a client to another location: %d, want 422", r.status)
		}
		if m, _ := s.DB.CountClients(ctx, s.Org.ID); m != n {
			t.Errorf("therapist added a client to another location")
		}
		// Tokens: she sees and revokes only her own.
		ownerTok := s.Token(t, testsrv.Owner)
		var toks struct {
			Tokens []struct {
				ID     int64 `json:"id"`
				UserID int64 `json:"user_id"`
			} `json:"tokens"`
		}
		json.Unmarshal([]byte(api(t, s, ownerTok, http.MethodGet, "/api/v1/tokens", "").body), &toks)
		json.Unmarshal([]byte(api(t, s, mtok, http.MethodGet, "/api/v1/tokens", "").body), &toks)
		for _, tk := range toks.Tokens {
			if tk.UserID != maria {
				t.Errorf("therapist sees token %d of user %d", tk.ID, tk.UserID)
			}
		}
		var ot struct {
			Tokens []struct {
				ID     int64 `json:"id"`
				UserID int64 `json:"user_id"`
			} `json:"tokens"`
		}
		json.Unmarshal([]byte(api(t, s, ownerTok, http.MethodGet, "/api/v1/tokens", "").body), &ot)
		for _, tk := range ot.Tokens {
			if tk.UserID != maria {
				wantAPIError(t, "therapist revoking the owner's token", api(t, s, mtok, http.MethodDelete, "/api/v1/tokens/"+id(tk.ID), ""), http.StatusNotFound, "not_found")
				if r := post(t, mc, s.URL+"/account/tokens/"+id(tk.ID)+"/revoke", nil); r.status != http.StatusNotFound {
					t.Errorf("therapist revoking the owner's token (page): %d", r.status)
				}
			}
		}
		if r := api(t, s, ownerTok, http.MethodGet, "/api/v1/me", ""); r.status != http.StatusOK {
			t.Errorf("the owner's token stopped working after a therapist tried to revoke it")
		}

		// The Round Rock therapist and a Downtown client.
		james := userID(t, s, testsrv.TherapistB)
		jtok := s.Token(t, testsrv.TherapistB)
		denied("Round Rock therapist", james, "API GET Downtown client", func() resp {
			return api(t, s, jtok, http.MethodGet, "/api/v1/clients/"+id(dt.ID), "")
		}, true)

		// Front desk and billing: every location's clients, no administration.
		for _, who := range []string{testsrv.FrontDesk, testsrv.Biller} {
			uid := userID(t, s, who)
			c := s.SignIn(t, who)
			tok := s.Token(t, who)
			for _, cl := range []clinic.Client{dt, rr} {
				if r := get(t, c, s.URL+"/clients/"+id(cl.ID)); r.status != http.StatusOK || !strings.Contains(r.body, cl.LastName) {
					t.Errorf("%s opening client %d: %d", who, cl.ID, r.status)
				}
				if r := api(t, s, tok, http.MethodGet, "/api/v1/clients/"+id(cl.ID), ""); r.status != http.StatusOK {
					t.Errorf("%s API GET client %d: %d", who, cl.ID, r.status)
				}
			}
			locs := map[int64]bool{}
			for _, cl := range apiSearch(t, s, tok, "") {
				locs[cl.PreferredLocationID] = true
			}
			if !locs[s.Downtown.ID] || !locs[s.RoundRock.ID] {
				t.Errorf("%s's search does not cover both locations: %v", who, locs)
			}
			for _, p := range adminPages {
				denied(who, uid, "GET "+p, func() resp { return get(t, c, s.URL+p) }, false)
			}
			denied(who, uid, "POST /admin/settings", func() resp { return post(t, c, s.URL+"/admin/settings", url.Values{"idle_minutes": {"720"}}) }, false)
			for _, p := range []string{"/api/v1/users", "/api/v1/audit"} {
				denied(who, uid, "API GET "+p, func() resp { return api(t, s, tok, http.MethodGet, p, "") }, true)
			}
		}
	})
}

// ---------------------------------------------------------------------------
// Cross-site requests

func TestSecurityCrossSite(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		ownerTok := s.Token(t, testsrv.Owner)
		f := newFixture(t, s, ownerTok)
		oc := s.SignIn(t, testsrv.Owner)
		owner := userID(t, s, testsrv.Owner)

		snapshot := func() string {
			t.Helper()
			var b strings.Builder
			c := f.current()
			fmt.Fprintf(&b, "client %+v\n", c)
			n, _ := s.DB.CountClients(ctx, s.Org.ID)
			fmt.Fprintf(&b, "clients %d\n", n)
			toks, err := s.DB.APITokens(ctx, s.Org.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, tk := range toks {
				fmt.Fprintf(&b, "token %d %q revoked %v\n", tk.ID, tk.Name, tk.RevokedAt)
			}
			us, _ := s.DB.Users(ctx, s.Org.ID)
			for _, u := range us {
				cred, _ := s.DB.CredentialsByID(ctx, u.ID)
				fmt.Fprintf(&b, "user %+v %+v\n", u, *cred)
			}
			o, _ := s.DB.Org(ctx, s.Org.ID)
			fmt.Fprintf(&b, "org %+v\n", *o)
			es, _ := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: s.Org.ID, Limit: 1})
			fmt.Fprintf(&b, "audit head %d\n", es[0].Seq)
			return b.String()
		}
		before := snapshot()
		sessionBefore := sessionCookie(t, s, oc)

		hostile := [][]string{
			{"Sec-Fetch-Site", "cross-site"},
			{"Sec-Fetch-Site", "same-site"},
			{"Origin", "http://evil.example"},
			{"Origin", "null"},
			{"Origin", "http://evil.example", "Referer", s.URL + "/clients"},
		}
		n := 0
		for _, r := range allRoutes() {
			if !r.changesState() {
				continue
			}
			n++
			for _, h := range hostile {
				what := fmt.Sprintf("%s %s with %v", r.method(), r.path, h)
				var res resp
				if r.isAPI() {
					res = do(t, s.Client(), r.method(), f.url(r), f.bodyOf(r), append(h, "Authorization", "Bearer "+ownerTok)...)
					wantAPIError(t, what, res, http.StatusForbidden, "cross_origin")
				} else {
					res = do(t, oc, r.method(), f.url(r), f.bodyOf(r), h...)
					if res.status != http.StatusForbidden {
						t.Errorf("%s: %d, want 403", what, res.status)
					}
				}
				if setCookie(res) != nil {
					t.Errorf("%s: the refused request set a session cookie", what)
				}
			}
		}
		if n < 15 {
			t.Fatalf("only %d state-changing routes tried", n)
		}
		if after := snapshot(); after != before {
			t.Errorf("refused cross-site requests changed something:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		if sessionCookie(t, s, oc) != sessionBefore {
			t.Errorf("the session cookie changed")
		}
		if r := get(t, oc, s.URL+"/clients"); r.status != http.StatusOK {
			t.Errorf("the session ended through a cross-site sign-out: %d", r.status)
		}
		if got := auditCount(t, s, s.Org.ID, owner, audit.SignOut); got != 0 {
			t.Errorf("cross-site sign-out was audited as a sign-out")
		}

		// Same-origin requests work.
		c := f.current()
		form := clientForm(c)
		form.Set("first_name", "Sameorigin")
		if r := post(t, oc, s.URL+"/clients/"+id(c.ID), form, "Sec-Fetch-Site", "same-origin"); r.status != http.StatusSeeOther {
			t.Errorf("same-origin POST /clients/{id}: %s", r)
		}
		if now := f.current(); now.FirstName != "Sameorigin" || now.Version != c.Version+1 {
			t.Errorf("same-origin save did not save: %+v", now)
		}
		if r := post(t, oc, s.URL+"/clients", newClientForm(s.Downtown.ID, "Origin", "Header", "1970-05-06"), "Origin", s.URL); r.status != http.StatusSeeOther {
			t.Errorf("POST /clients with our own Origin: %s", r)
		}
		if r := post(t, oc, s.URL+"/account/tokens", url.Values{"name": {"mine"}}, "Sec-Fetch-Site", "same-origin"); r.status != http.StatusOK || !strings.Contains(r.body, `id="new-token"`) {
			t.Errorf("same-origin POST /account/tokens: %d", r.status)
		}
		r := api(t, s, ownerTok, http.MethodPatch, "/api/v1/clients/"+id(c.ID), fmt.Sprintf(`{"first_name":"Apisame","version":%d}`, c.Version+1), "Sec-Fetch-Site", "same-origin")
		if r.status != http.StatusOK {
			t.Errorf("same-origin API PATCH: %s", r)
		}
		// A program without browser headers (no Origin, no Sec-Fetch-Site) uses the API.
		if r := api(t, s, ownerTok, http.MethodPost, "/api/v1/tokens", `{"name":"script"}`); r.status != http.StatusCreated {
			t.Errorf("API POST without browser headers: %s", r)
		}
	})
}

// ---------------------------------------------------------------------------
// Markup shows as text

var markup = []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `{{.}}`, `'><svg onload=alert(1)>`}

// wantEscaped checks a page shows the payloads as text, never as markup.
func wantEscaped(t *testing.T, what string, body string) {
	t.Helper()
	low := strings.ToLower(body)
	// Legitimate markup has `"><` (href="…"><span>), so the payload's quote
	// breaking out is checked by what would follow it: an img or svg tag.
	for _, bad := range []string{"<script>alert", "<img", "<svg", "onerror=alert(1)>", "onload=alert(1)>"} {
		if strings.Contains(low, bad) {
			i := strings.Index(low, bad)
			t.Errorf("%s contains raw markup %q: …%s…", what, bad, body[max(0, i-80):min(len(body), i+80)])
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("%s does not show the escaped <script> payload", what)
	}
}

func TestSecurityMarkupEscaped(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		f := url.Values{
			"first_name": {markup[0]}, "middle_name": {markup[1]}, "last_name": {"Zzyzx" + markup[1]}, "suffix": {markup[2]},
			"preferred_name": {markup[2] + markup[3]}, "dob": {"1975-03-04"}, "sex": {"U"},
			"address1": {markup[0]}, "address2": {markup[1]}, "city": {markup[2] + markup[0]}, "state": {"TX"}, "zip": {"78701"},
			"emergency_name": {markup[1]}, "emergency_relation": {markup[0]}, "emergency_phone": {"512-555-0111"},
			"preferred_location_id": {id(s.Downtown.ID)}, "status": {"active"},
		}
		r := post(t, oc, s.URL+"/clients", f)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create client with markup: %s", r)
		}
		loc := r.header.Get("Location")
		cid := strings.TrimPrefix(strings.TrimSuffix(loc, "?saved=1"), "/clients/")
		c, err := s.DB.Client(ctx, s.Org.ID, mustInt(t, cid))
		if err != nil {
			t.Fatal(err)
		}
		if c.FirstName != markup[0] || c.LastName != "Zzyzx"+markup[1] || c.Suffix != markup[2] {
			t.Errorf("the values were not stored as typed: %+v", c)
		}
		// A member of staff whose name is markup shows on the staff and audit pages.
		r = post(t, oc, s.URL+"/admin/users", url.Values{"name": {markup[0] + " " + markup[1]}, "email": {"markup@demo.test"}, "role": {"front_desk"}, "password": {"a long enough password"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create user with markup name: %s", r)
		}
		uid := userID(t, s, "markup@demo.test")

		pages := map[string]string{
			"chart":          "/clients/" + cid,
			"saved chart":    loc,
			"edit":           "/clients/" + cid + "/edit",
			"list":           "/clients?q=zzyzx",
			"list (partial)": "/clients?q=zzyzx",
			"search echo":    "/clients?q=" + url.QueryEscape(markup[0]),
			"staff":          "/admin/users",
			"staff member":   "/admin/users/" + id(uid),
			"audit":          "/admin/audit",
			"audit record":   "/admin/audit?record_type=client&record_id=" + cid,
		}
		for name, p := range pages {
			var hdr []string
			if name == "list (partial)" {
				hdr = []string{"HX-Request", "true"}
			}
			r := get(t, oc, s.URL+p, hdr...)
			if r.status != http.StatusOK {
				t.Errorf("%s page %s: %d", name, p, r.status)
				continue
			}
			wantEscaped(t, name+" page", r.body)
			if strings.HasPrefix(p, "/clients/") && !strings.Contains(r.body, "{{.}}") {
				t.Errorf("%s page does not show {{.}} as typed", name)
			}
		}
		// A conflict shows the user's values and the saved ones: escaped too.
		stale := clientForm(*c)
		stale.Set("first_name", markup[1])
		post(t, oc, s.URL+"/clients/"+cid, func() url.Values { v := clientForm(*c); v.Set("last_name", "Zzyzx"+markup[0]); return v }())
		r = post(t, oc, s.URL+"/clients/"+cid, stale)
		if r.status != http.StatusConflict {
			t.Errorf("stale save: %d, want 409", r.status)
		}
		wantEscaped(t, "conflict page", r.body)
		// The CSV export neutralises formulas and the audit detail holds no values.
		if r := get(t, oc, s.URL+"/admin/audit.csv"); r.status != http.StatusOK || strings.Contains(r.body, "alert(1)") {
			t.Errorf("audit CSV: %d or it holds client values", r.status)
		}

		// The API: JSON escapes < > & so a browser never sniffs markup.
		tok := s.Token(t, testsrv.Owner)
		body, _ := json.Marshal(map[string]any{
			"first_name": markup[0], "last_name": "Qwxyz" + markup[1], "preferred_name": markup[2], "dob": "1976-04-05",
			"address1": markup[3], "emergency_name": markup[0], "preferred_location_id": s.Downtown.ID,
		})
		r = api(t, s, tok, http.MethodPost, "/api/v1/clients", string(body))
		if r.status != http.StatusCreated {
			t.Fatalf("API create with markup: %s", r)
		}
		var created clientJSON
		json.Unmarshal([]byte(r.body), &created)
		for what, res := range map[string]resp{
			"API create": r,
			"API get":    api(t, s, tok, http.MethodGet, "/api/v1/clients/"+id(created.ID), ""),
			"API search": api(t, s, tok, http.MethodGet, "/api/v1/clients?q=qwxyz", ""),
		} {
			if res.status != http.StatusOK && res.status != http.StatusCreated {
				t.Errorf("%s: %s", what, res)
			}
			if strings.ContainsAny(res.body, "<>") || !strings.Contains(res.body, `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
				t.Errorf("%s: JSON does not escape markup: %s", what, res.body)
			}
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || res.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s: Content-Type %q, nosniff %q", what, ct, res.header.Get("X-Content-Type-Options"))
			}
		}
		if created.FirstName != markup[0] {
			t.Errorf("API stored %q, want it as sent", created.FirstName)
		}
		r = get(t, oc, s.URL+"/clients/"+id(created.ID))
		wantEscaped(t, "chart of the API-made client", r.body)
		// Every page carries a content security policy that forbids inline script.
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("Content-Security-Policy %q", csp)
		}
	})
}

func mustInt(t testing.TB, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// ---------------------------------------------------------------------------
// Hostile searches

func TestSecuritySearchInjection(t *testing.T) {
	noHits := []string{
		`' OR 1=1 --`, `' OR '1'='1`, `"; DROP TABLE clients; --`, `Robert'); DROP TABLE clients;--`,
		`%`, `_`, `\`, `%%`, `a%`, `_a`, `\'`, `*`, `' UNION SELECT * FROM users --`, `$1`, `?`,
	}
	odd := []string{
		strings.Repeat("a", 10240), strings.Repeat("'", 10240), strings.Repeat("€", 4000), strings.Repeat("ab ", 4000),
		strings.Repeat("5", 10240), strings.Repeat("a@", 5000),
		"\xff\xfe\xfd", "ab\xc3", "smi\xe2\x82", "\x00", "smi\x00th", "a@\x00", "512\x00555", "ann \x00 smi", "1971-04-09\x00",
		"%00", "\u202e\u0000", "😀", "ann\tsmi", "\r\n", "1971-04-09", "04/09/1971", "13/45/2026", "(512) 555", "+1 512",
		"<script>alert(1)</script>", "${jndi:ldap://x}", " ", ",", ", ,",
	}
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "DROP TABLE", "alert(1)", "jndi")
		oc := s.SignIn(t, testsrv.Owner)
		tok := s.Token(t, testsrv.Owner)
		count := func() (int, int) {
			a, err := s.DB.CountClients(ctx, s.Org.ID)
			if err != nil {
				t.Fatalf("count clients: %v", err)
			}
			b, err := s.DB.CountClients(ctx, s.OtherOrg.ID)
			if err != nil {
				t.Fatalf("count clients: %v", err)
			}
			return a, b
		}
		a0, b0 := count()
		for _, q := range append(slices.Clone(noHits), odd...) {
			short := q
			if len(short) > 30 {
				short = short[:30] + "…"
			}
			for _, hx := range []bool{false, true} {
				var hdr []string
				if hx {
					hdr = []string{"HX-Request", "true"}
				}
				r := get(t, oc, s.URL+"/clients?q="+url.QueryEscape(q), hdr...)
				if r.status >= 500 || (r.status != http.StatusOK && (r.status < 400 || r.status > 499)) {
					t.Errorf("search page %q (htmx %v): %d", short, hx, r.status)
				}
			}
			for _, extra := range []string{"", "&status=active", "&status=" + url.QueryEscape(q), "&offset=" + url.QueryEscape(q)} {
				if r := get(t, oc, s.URL+"/clients?q="+url.QueryEscape(q)+extra); r.status >= 500 {
					t.Errorf("search page %q%s: %d", short, extra, r.status)
				}
			}
			r := api(t, s, tok, http.MethodGet, "/api/v1/clients?q="+url.QueryEscape(q), "")
			if r.status >= 500 || (r.status != http.StatusOK && (r.status < 400 || r.status > 499)) {
				t.Errorf("API search %q: %s", short, r)
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Errorf("API search %q answered %q", short, r.header.Get("Content-Type"))
			}
			if slices.Contains(noHits, q) && r.status == http.StatusOK {
				if cs := apiSearch(t, s, tok, q); len(cs) != 0 {
					t.Errorf("search %q found %d clients: it is not a plain prefix match", q, len(cs))
				}
			}
		}
		// Hostile values in the other query parameters.
		for _, p := range []string{"status=' OR 1=1 --", "limit=-1", "limit=abc", "limit=99999999999999999999", "offset=-1", "offset=1e9", "status=%00"} {
			r := api(t, s, tok, http.MethodGet, "/api/v1/clients?"+strings.ReplaceAll(p, " ", "+"), "")
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("API search ?%s: %s, want 422", p, r)
			}
		}
		if a, b := count(); a != a0 || b != b0 {
			t.Errorf("client counts changed: %d,%d → %d,%d", a0, b0, a, b)
		}
		// The search still works.
		if cs := apiSearch(t, s, tok, ""); len(cs) < 40 {
			t.Errorf("after the hostile searches a plain search lists %d clients", len(cs))
		}
	})
}

// ---------------------------------------------------------------------------
// Sign-in lockout

func TestSecuritySignInLockout(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		fd := userID(t, s, testsrv.FrontDesk)
		c := s.Client()
		signin := func(email, pw string) resp {
			return post(t, c, s.URL+"/signin", url.Values{"email": {email}, "password": {pw}})
		}
		var wrongBody string
		for i := 1; i <= 5; i++ {
			r := signin(testsrv.FrontDesk, fmt.Sprintf("wrong password %d", i))
			if setCookie(r) != nil {
				t.Errorf("attempt %d with a wrong password set a session cookie", i)
			}
			if i < 5 {
				if r.status != http.StatusOK || !strings.Contains(r.body, "The email or password is not right.") {
					t.Errorf("wrong password %d: %s", i, r)
				}
				if i == 1 {
					wrongBody = r.body
				}
			} else if r.status == http.StatusOK || r.status >= 500 || !strings.Contains(r.body, "locked") {
				t.Errorf("5th wrong password: %s, want a 4xx saying the account is locked", r)
			}
		}
		r := signin(testsrv.FrontDesk, testsrv.Password)
		if setCookie(r) != nil || r.status == http.StatusSeeOther || !strings.Contains(r.body, "locked") {
			t.Errorf("right password on a locked account: %s, want refused with a message about the lock", r)
		}
		if got := auditCount(t, s, s.Org.ID, fd, audit.SignInFailed); got != 5 {
			t.Errorf("%d auth.sign_in_failed entries, want 5", got)
		}
		if got := auditCount(t, s, s.Org.ID, fd, audit.SignInLocked); got < 1 {
			t.Errorf("no auth.sign_in_locked entry")
		}
		// Another client (another browser) is refused too.
		if r := post(t, s.Client(), s.URL+"/signin", url.Values{"email": {"  FrontDesk@Demo.Test "}, "password": {testsrv.Password}}); setCookie(r) != nil {
			t.Errorf("the lock is bypassed by writing the email differently")
		}

		// An unknown email gets exactly the page a wrong password gets.
		unknown := signin("nobody@demo.test", "wrong password 1")
		if unknown.status != http.StatusOK {
			t.Errorf("unknown email: %d", unknown.status)
		}
		norm := func(b, email string) string { return strings.ReplaceAll(b, email, "EMAIL") }
		if norm(unknown.body, "nobody@demo.test") != norm(wrongBody, testsrv.FrontDesk) {
			t.Errorf("an unknown email's page differs from a wrong password's:\n%s\n---\n%s", unknown.body, wrongBody)
		}
		// The lock ends after its time.
		s.Advance(16 * time.Minute)
		if r := signin(testsrv.FrontDesk, testsrv.Password); r.status != http.StatusSeeOther || setCookie(r) == nil {
			t.Errorf("sign-in after the lock expired: %s", r)
		}
	})
}

// ---------------------------------------------------------------------------
// Session cookie

func TestSecuritySessionCookie(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		creds := url.Values{"email": {testsrv.Owner}, "password": {testsrv.Password}}
		with := func(v string) *http.Client {
			c := s.Client()
			u, _ := url.Parse(s.URL)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: v, Path: "/"}})
			return c
		}
		c := s.Client()
		r := post(t, c, s.URL+"/signin", creds)
		a := setCookie(r)
		if r.status != http.StatusSeeOther || a == nil || a.Value == "" {
			t.Fatalf("sign in: %s", r)
		}
		if !a.HttpOnly || a.SameSite != http.SameSiteLaxMode || a.Path != "/" {
			t.Errorf("session cookie %q: HttpOnly %v SameSite %v Path %q; want HttpOnly, SameSite=Lax, Path=/", r.header.Get("Set-Cookie"), a.HttpOnly, a.SameSite, a.Path)
		}
		if len(a.Value) < 32 {
			t.Errorf("session id %q is short", a.Value)
		}
		// Signing in again with the cookie still there gives a new id; the old one ends.
		r = post(t, c, s.URL+"/signin", creds)
		b := setCookie(r)
		if r.status != http.StatusSeeOther || b == nil || b.Value == a.Value {
			t.Fatalf("second sign-in kept the session id (%v)", b)
		}
		wantRedirectToSignIn(t, "the old session id", get(t, with(a.Value), s.URL+"/clients"))
		if r := get(t, with(b.Value), s.URL+"/clients"); r.status != http.StatusOK {
			t.Errorf("the new session id: %d", r.status)
		}
		// A session id planted by someone else is replaced (no fixation).
		planted := strings.Repeat("A", 43)
		r = post(t, with(planted), s.URL+"/signin", creds)
		if ck := setCookie(r); ck == nil || ck.Value == planted {
			t.Errorf("sign-in kept a planted session id")
		}
		wantRedirectToSignIn(t, "the planted session id", get(t, with(planted), s.URL+"/clients"))
		// Sign-out ends the session on the server: the cookie replayed is refused.
		r = post(t, with(b.Value), s.URL+"/signout", nil)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin") {
			t.Errorf("sign out: %d %q", r.status, r.header.Get("Location"))
		}
		if ck := setCookie(r); ck == nil || ck.MaxAge >= 0 || ck.Value != "" {
			t.Errorf("sign out does not clear the cookie: %v", ck)
		}
		for _, p := range []string{"/clients", "/clients/" + id(s.ClientAt(t, s.Downtown.ID).ID), "/admin/audit"} {
			wantRedirectToSignIn(t, "replayed cookie after sign-out on "+p, get(t, with(b.Value), s.URL+p))
		}
		if r := post(t, with(b.Value), s.URL+"/clients", newClientForm(s.Downtown.ID, "After", "Signout", "1980-01-01")); r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin" {
			t.Errorf("replayed cookie after sign-out, POST: %d %q", r.status, r.header.Get("Location"))
		}
		// Pages are not cached.
		if r := get(t, with(sessionCookieOf(t, s)), s.URL+"/clients"); r.header.Get("Cache-Control") != "no-store" || r.header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("signed-in page headers: Cache-Control %q X-Frame-Options %q", r.header.Get("Cache-Control"), r.header.Get("X-Frame-Options"))
		}
	})
}

func sessionCookieOf(t *testing.T, s *testsrv.Server) string {
	return sessionCookie(t, s, s.SignIn(t, testsrv.FrontDesk))
}

// ---------------------------------------------------------------------------
// Bad input

func TestSecurityBadInput(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		count := func() int {
			n, err := s.DB.CountClients(ctx, s.Org.ID)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		n0 := count()
		rnd := rand.New(rand.NewPCG(1, 2))
		digits := func(n int) string {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte('0' + rnd.IntN(10))
			}
			return string(b)
		}
		big := strings.Repeat("x", 100<<10)
		valid := newClientForm(s.Downtown.ID, "Valid", "Person", "1980-06-07")
		fields := []string{"first_name", "middle_name", "last_name", "suffix", "preferred_name", "dob", "sex", "address1", "address2", "city", "state", "zip",
			"phone", "email", "emergency_name", "emergency_phone", "emergency_relation", "preferred_location_id", "preferred_therapist_id", "status"}
		type bad struct {
			field, value string
		}
		// A garbage therapist id is read as "no preference", and a phone
		// number or email is normalized (digits kept, lower-cased): a 303 is
		// fine there as long as what is stored is clean (checked below).
		lenient := func(c bad) bool {
			_, err := strconv.ParseInt(c.value, 10, 64)
			return (c.field == "preferred_therapist_id" && err != nil) ||
				(c.field == "phone" && c.value == "\xff5125550100") || (c.field == "email" && c.value == "\xff@b.com")
		}
		cases := []bad{
			{"dob", "2026-13-45"}, {"dob", "1899-12-31"}, {"dob", "2999-01-01"}, {"dob", "yesterday"}, {"dob", "02/30/1980"}, {"dob", ""},
			{"preferred_location_id", "abc"}, {"preferred_location_id", "-1"}, {"preferred_location_id", "0"}, {"preferred_location_id", "99999999999999999999"},
			{"preferred_location_id", id(s.OtherLoc.ID)},
			{"preferred_therapist_id", "-5"}, {"preferred_therapist_id", id(userID(t, s, testsrv.Owner))},
			{"preferred_therapist_id", "abc"},
			{"preferred_therapist_id", id(userID(t, s, testsrv.OtherTherapist))},
			{"sex", "X"}, {"status", "deleted"}, {"state", "ZZ"}, {"zip", "1234"}, {"email", "not an email"}, {"phone", "12"},
			{"first_name", ""}, {"last_name", "   "}, {"first_name", "a\x00b"}, {"last_name", "a\x07b"},
			{"first_name", "\xff\xfe"}, {"last_name", "Smi\xc3"}, {"city", "\xe2\x82"}, {"phone", "5125550100\x00\x001"},
			{"phone", "\xff5125550100"}, {"emergency_phone", "51255501001\x00"}, {"email", "a\x00@b.com"}, {"email", "\xff@b.com"},
		}
		for _, f := range fields {
			v := big
			if strings.Contains(f, "phone") || f == "zip" || strings.HasSuffix(f, "_id") {
				v = digits(100 << 10)
			}
			cases = append(cases, bad{f, v})
		}
		made := 0
		for i, c := range cases {
			f := url.Values{}
			for k, v := range valid {
				f[k] = v
			}
			// A name of its own, so no case is refused as a duplicate of another.
			f.Set("last_name", fmt.Sprintf("Person%c%c", 'a'+i/26, 'a'+i%26))
			f.Set(c.field, c.value)
			short := c.value
			if len(short) > 20 {
				short = short[:20] + "…"
			}
			r := post(t, oc, s.URL+"/clients", f, "Sec-Fetch-Site", "same-origin")
			switch {
			case r.status >= 500 || (!lenient(c) && (r.status < 400 || r.status > 499)):
				t.Errorf("POST /clients with %s=%q: %d, want 4xx", c.field, short, r.status)
			case r.status == http.StatusConflict:
				t.Errorf("POST /clients with %s=%q: refused as a duplicate, so the bad value was not tried", c.field, short)
			case r.status == http.StatusSeeOther:
				made++
			}
		}
		// Everything garbage at once, and an empty form.
		all := url.Values{}
		for _, f := range fields {
			all.Set(f, big)
		}
		for what, f := range map[string]url.Values{"all fields 100 kB": all, "empty form": {}} {
			if r := post(t, oc, s.URL+"/clients", f); r.status < 400 || r.status > 499 {
				t.Errorf("POST /clients with %s: %d, want 4xx", what, r.status)
			}
		}
		if r := do(t, oc, http.MethodPost, s.URL+"/clients", "%zz=%%&&=;", "Content-Type", "application/x-www-form-urlencoded"); r.status < 400 || r.status > 499 {
			t.Errorf("POST /clients with a malformed form body: %d, want 4xx", r.status)
		}
		if r := do(t, oc, http.MethodPost, s.URL+"/clients", `{"first_name":"x"}`, "Content-Type", "application/json"); r.status < 400 || r.status > 499 {
			t.Errorf("POST /clients with a JSON body: %d, want 4xx", r.status)
		}
		if got := count(); got != n0+made {
			t.Errorf("bad input created %d clients", got-n0-made)
		}
		for _, c := range allClients(t, s, s.Org.ID) {
			for _, v := range []string{c.FirstName, c.MiddleName, c.LastName, c.Suffix, c.PreferredName, c.DOB, c.Address1, c.Address2, c.City,
				c.State, c.Zip, c.Phone, c.Email, c.EmergencyName, c.EmergencyPhone, c.EmergencyRelation} {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) || len(v) > 1000 {
					t.Errorf("client %d was stored with the value %.30q", c.ID, v)
				}
			}
		}

		// Updates: a missing, garbage or stale version changes nothing.
		cl := s.ClientAt(t, s.Downtown.ID)
		cid := id(cl.ID)
		for _, v := range []string{"", "abc", "-3", "0", "99999999999999999999"} {
			f := clientForm(cl)
			f.Set("first_name", "Noversion")
			if v == "" {
				f.Del("version")
			} else {
				f.Set("version", v)
			}
			if r := post(t, oc, s.URL+"/clients/"+cid, f); r.status < 400 || r.status > 499 {
				t.Errorf("POST /clients/{id} with version %q: %d, want 4xx", v, r.status)
			}
		}
		mine := clientForm(cl)
		mine.Set("first_name", "Firstsaver")
		if r := post(t, oc, s.URL+"/clients/"+cid, mine); r.status != http.StatusSeeOther {
			t.Fatalf("first save: %s", r)
		}
		stale := clientForm(cl) // still at the version read before the first save
		stale.Set("first_name", "Secondsaver")
		stale.Set("city", "Stalecity")
		r := post(t, oc, s.URL+"/clients/"+cid, stale)
		if r.status != http.StatusConflict {
			t.Errorf("stale save: %d, want 409", r.status)
		}
		for _, want := range []string{"Changes saved by someone else", "Secondsaver", "Firstsaver", "Stalecity"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("conflict page does not show %q", want)
			}
		}
		if now, _ := s.DB.Client(ctx, s.Org.ID, cl.ID); now.FirstName != "Firstsaver" || now.City == "Stalecity" || now.Version != cl.Version+1 {
			t.Errorf("a stale save overwrote the record: %+v", now)
		}
		if r := post(t, oc, s.URL+"/clients/"+cid, func() url.Values { f := clientForm(cl); f.Set("version", "999"); return f }()); r.status != http.StatusConflict {
			t.Errorf("save with a future version: %d, want 409", r.status)
		}
		// Bad updates of fields.
		for _, c := range []bad{{"dob", "2026-13-45"}, {"preferred_location_id", "abc"}, {"first_name", big}, {"phone", digits(100 << 10)}, {"first_name", "\xff"}} {
			now, _ := s.DB.Client(ctx, s.Org.ID, cl.ID)
			f := clientForm(*now)
			f.Set(c.field, c.value)
			if r := post(t, oc, s.URL+"/clients/"+cid, f); r.status < 400 || r.status > 499 {
				t.Errorf("POST /clients/{id} with bad %s: %d, want 4xx", c.field, r.status)
			}
		}

		// Addresses of records that do not exist.
		for _, p := range []string{"/clients/99999999", "/clients/abc", "/clients/-1", "/clients/0", "/clients/99999999999999999999", "/clients/1.5",
			"/clients/99999999/edit", "/clients/abc/edit", "/admin/users/abc", "/admin/users/99999999", "/admin/users/-1", "/clients/%00", "/clients/%ff"} {
			if r := get(t, oc, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.status)
			}
		}
		for _, p := range []string{"/clients/99999999", "/clients/abc", "/admin/users/99999999", "/admin/users/abc", "/admin/users/abc/password",
			"/admin/users/99999999/password", "/account/tokens/abc/revoke", "/account/tokens/99999999/revoke"} {
			f := clientForm(cl)
			f.Set("password", "a long enough password")
			f.Set("name", "Somebody")
			f.Set("email", "somebody@demo.test")
			f.Set("role", "owner")
			if r := post(t, oc, s.URL+p, f); r.status != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404", p, r.status)
			}
		}

		// Other forms.
		for _, c := range []struct {
			path string
			form url.Values
		}{
			{"/admin/settings", url.Values{"idle_minutes": {"abc"}}},
			{"/admin/settings", url.Values{"idle_minutes": {"-5"}}},
			{"/admin/settings", url.Values{"idle_minutes": {"99999999999999999999"}}},
			{"/admin/settings", url.Values{"idle_minutes": {"100000000"}}},
			{"/admin/users", url.Values{"name": {"X"}, "email": {"bad"}, "role": {"god"}, "password": {"short"}}},
			{"/admin/users", url.Values{"name": {"X"}, "email": {"x@demo.test"}, "role": {"therapist"}, "password": {"a long enough password"}, "locations": {"abc", "-1", id(s.OtherLoc.ID)}}},
			{"/admin/users", url.Values{"name": {"Dup"}, "email": {testsrv.FrontDesk}, "role": {"front_desk"}, "password": {"a long enough password"}}},
			{"/admin/users", url.Values{"name": {"Other"}, "email": {testsrv.OtherOwner}, "role": {"front_desk"}, "password": {"a long enough password"}}},
			{"/admin/users", url.Values{"name": {"N\x00ul"}, "email": {"nul@demo.test"}, "role": {"front_desk"}, "password": {"a long enough password"}}},
			{"/admin/users", url.Values{"name": {big}, "email": {"big@demo.test"}, "role": {"front_desk"}, "password": {"a long enough password"}}},
			{"/admin/users", url.Values{"name": {"Bad \xff"}, "email": {"utf@demo.test"}, "role": {"front_desk"}, "password": {"a long enough password"}}},
			{"/account/password", url.Values{"current": {"wrong"}, "password": {"x"}, "confirm": {"y"}}},
			{"/account/password", url.Values{"current": {big}, "password": {big}, "confirm": {big}}},
			{"/account/security/totp/confirm", url.Values{"code": {big}}},
			{"/signin/code", url.Values{"code": {"\x00"}}},
			{"/account/tokens", url.Values{"name": {"tok\x00en"}}},
			{"/account/tokens", url.Values{"name": {"\xff\xfe"}}},
			{"/account/tokens", url.Values{"name": {big}}},
		} {
			if r := post(t, oc, s.URL+c.path, c.form); r.status >= 500 {
				t.Errorf("POST %s with bad input: %d", c.path, r.status)
			}
		}
		if u, _ := s.DB.Users(ctx, s.OtherOrg.ID); len(u) != 2 {
			t.Errorf("the other org's staff changed")
		}
		for _, q := range []string{"from=garbage", "to=2026-13-45", "user_id=abc", "record_id=-1", "before=abc", "action=%00", "record_type=\xff", "from=" + big[:5000]} {
			for _, p := range []string{"/admin/audit", "/admin/audit.csv"} {
				if r := get(t, oc, s.URL+p+"?"+q); r.status >= 500 {
					t.Errorf("GET %s?%.30s: %d", p, q, r.status)
				}
			}
		}
		// Sign-in with hostile input: a clear answer, never a 500.
		for _, email := range []string{"", "\x00", "owner@demo.test\x00", "\xff\xfe@demo.test", big, "' OR 1=1 --"} {
			r := post(t, s.Client(), s.URL+"/signin", url.Values{"email": {email}, "password": {"x\x00y"}})
			if r.status >= 500 || setCookie(r) != nil {
				t.Errorf("sign-in with email %.20q: %d", email, r.status)
			}
		}
	})
}
