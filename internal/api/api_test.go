package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/testsrv"
)

var ctx = context.Background()

type resp struct {
	status int
	header http.Header
	body   string
}

func (r resp) String() string {
	b := r.body
	if len(b) > 300 {
		b = b[:300] + "…"
	}
	return fmt.Sprintf("%d %s", r.status, b)
}

// call sends one API request with a bearer token; hdr is pairs of header
// name and value (a Content-Type among them replaces application/json).
func call(t testing.TB, s *testsrv.Server, tok, method, path string, body []byte, hdr ...string) resp {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = strings.NewReader(string(body))
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{res.StatusCode, res.Header, string(b)}
}

func callS(t testing.TB, s *testsrv.Server, tok, method, path, body string, hdr ...string) resp {
	t.Helper()
	var b []byte
	if body != "" || method == http.MethodPost || method == http.MethodPatch {
		b = []byte(body)
	}
	return call(t, s, tok, method, path, b, hdr...)
}

type apiError struct {
	Error struct {
		Code         string            `json:"code"`
		Message      string            `json:"message"`
		Fields       map[string]string `json:"fields"`
		DuplicateIDs []int64           `json:"duplicate_ids"`
	} `json:"error"`
}

// wantError checks r is a JSON error with status and code and returns it.
func wantError(t testing.TB, what string, r resp, status int, code string) apiError {
	t.Helper()
	var e apiError
	if r.status != status {
		t.Errorf("%s: %s, want %d", what, r, status)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want JSON", what, ct)
	}
	if err := json.Unmarshal([]byte(r.body), &e); err != nil {
		t.Errorf("%s: not a JSON error: %v (%s)", what, err, r)
		return e
	}
	if (code != "" && e.Error.Code != code) || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("%s: error %+v, want code %q with a message", what, e.Error, code)
	}
	return e
}

type client struct {
	ID                   int64  `json:"id"`
	FirstName            string `json:"first_name"`
	MiddleName           string `json:"middle_name"`
	LastName             string `json:"last_name"`
	DOB                  string `json:"dob"`
	Sex                  string `json:"sex"`
	City                 string `json:"city"`
	State                string `json:"state"`
	Zip                  string `json:"zip"`
	Phone                string `json:"phone"`
	Status               string `json:"status"`
	PreferredLocationID  int64  `json:"preferred_location_id"`
	PreferredTherapistID int64  `json:"preferred_therapist_id"`
	Version              int64  `json:"version"`
	CreatedAt            string `json:"created_at"`
	UpdatedAt            string `json:"updated_at"`
}

func decodeClient(t testing.TB, r resp) client {
	t.Helper()
	var c client
	if err := json.Unmarshal([]byte(r.body), &c); err != nil {
		t.Fatalf("not a client: %v (%s)", err, r)
	}
	return c
}

func search(t testing.TB, s *testsrv.Server, tok, q string) []client {
	t.Helper()
	r := callS(t, s, tok, http.MethodGet, "/api/v1/clients?limit=200&q="+url.QueryEscape(q), "")
	if r.status != http.StatusOK {
		t.Fatalf("search %q: %s", q, r)
	}
	var out struct {
		Clients []client `json:"clients"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Clients
}

func ids(cs []client) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func get(t testing.TB, s *testsrv.Server, tok string, id int64) client {
	t.Helper()
	r := callS(t, s, tok, http.MethodGet, "/api/v1/clients/"+strconv.FormatInt(id, 10), "")
	if r.status != http.StatusOK {
		t.Fatalf("GET client %d: %s", id, r)
	}
	return decodeClient(t, r)
}

func count(t testing.TB, s *testsrv.Server) int {
	t.Helper()
	n, err := s.DB.CountClients(ctx, s.Org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func each(t *testing.T, fn func(t *testing.T, e store.Engine)) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) { fn(t, e) })
	}
}

// ---------------------------------------------------------------------------

// TestAPIIndexListsEveryRoute keeps GET /api/v1/ (what a program discovers)
// in step with the routes api.go registers.
func TestAPIIndexListsEveryRoute(t *testing.T) {
	var src []byte
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	var registered []string
	for _, m := range regexp.MustCompile(`\bm\.HandleFunc\(\s*"([A-Z]+ [^"]+)"`).FindAllStringSubmatch(string(src), -1) {
		if m[1] != "GET /api/v1/{$}" {
			registered = append(registered, m[1])
		}
	}
	if len(registered) < 5 {
		t.Fatalf("found %d routes in api.go", len(registered))
	}
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		r := callS(t, s, "", http.MethodGet, "/api/v1/", "")
		var idx struct {
			Endpoints []string `json:"endpoints"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &idx) != nil {
			t.Fatalf("index: %s", r)
		}
		var listed []string
		for _, ep := range idx.Endpoints {
			listed = append(listed, strings.SplitN(ep, "?", 2)[0])
		}
		slices.Sort(listed)
		slices.Sort(registered)
		if !slices.Equal(listed, registered) {
			t.Errorf("the index lists\n%v\napi.go registers\n%v", listed, registered)
		}
	})
}

func TestAPIClientLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		tok := s.Token(t, testsrv.Owner)
		owner, err := s.DB.CredentialsByEmail(ctx, testsrv.Owner)
		if err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf(`{"first_name":" Apitest ","last_name":"Lifecycle","dob":"04/05/1981","sex":"f","phone":"512-555-0188","state":"tx","zip":"78701","city":"Round Rock","preferred_location_id":%d}`, s.Downtown.ID)

		// Create.
		r := callS(t, s, tok, http.MethodPost, "/api/v1/clients", body)
		if r.status != http.StatusCreated {
			t.Fatalf("create: %s", r)
		}
		c := decodeClient(t, r)
		if c.ID <= 0 || c.Version != 1 || c.FirstName != "Apitest" || c.DOB != "1981-04-05" || c.Sex != "F" || c.State != "TX" ||
			c.Phone != "(512) 555-0188" || c.Status != "active" || c.PreferredLocationID != s.Downtown.ID || c.CreatedAt == "" {
			t.Errorf("created client: %+v", c)
		}
		path := "/api/v1/clients/" + strconv.FormatInt(c.ID, 10)
		if loc := r.header.Get("Location"); loc != path {
			t.Errorf("Location %q, want %q", loc, path)
		}
		if et := r.header.Get("ETag"); et != `"1"` {
			t.Errorf("create ETag %q", et)
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
		}

		// Find it.
		for _, q := range []string{"lifecycle", "LIFE", "apitest lifecycle", "lifecycle, apitest", "1981-04-05", "04/05/1981", "512555018", "(512) 555-01"} {
			if !slices.Contains(ids(search(t, s, tok, q)), c.ID) {
				t.Errorf("search %q does not find the new client", q)
			}
		}
		if slices.Contains(ids(search(t, s, tok, "lifecyclex")), c.ID) {
			t.Errorf("search for a longer name finds the client")
		}

		// Read, with an ETag.
		r = callS(t, s, tok, http.MethodGet, path, "")
		if r.status != http.StatusOK || r.header.Get("ETag") != `"1"` || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET: %d ETag %q Cache-Control %q", r.status, r.header.Get("ETag"), r.header.Get("Cache-Control"))
		}
		if got := decodeClient(t, r); got != c {
			t.Errorf("GET %+v, want %+v", got, c)
		}

		// PATCH with the right version.
		r = callS(t, s, tok, http.MethodPatch, path, `{"city":"Austin","version":1}`)
		if r.status != http.StatusOK {
			t.Fatalf("PATCH: %s", r)
		}
		p := decodeClient(t, r)
		if p.Version != 2 || p.City != "Austin" || p.FirstName != "Apitest" || p.DOB != c.DOB || p.Phone != c.Phone || r.header.Get("ETag") != `"2"` {
			t.Errorf("after PATCH: %+v ETag %q", p, r.header.Get("ETag"))
		}

		// PATCH with a stale version: 409, nothing changed.
		r = callS(t, s, tok, http.MethodPatch, path, `{"first_name":"Stale","city":"Elgin","version":1}`)
		wantError(t, "stale PATCH", r, http.StatusConflict, "conflict")
		if now := get(t, s, tok, c.ID); now != p {
			t.Errorf("a stale PATCH changed the client: %+v", now)
		}

		// PATCH without a version: 422 naming the field.
		for _, b := range []string{`{"first_name":"Noversion"}`, `{"first_name":"Noversion","version":0}`, `{"first_name":"Noversion","version":-1}`, `{"first_name":"Noversion","version":null}`} {
			r = callS(t, s, tok, http.MethodPatch, path, b)
			e := wantError(t, "PATCH "+b, r, http.StatusUnprocessableEntity, "invalid")
			if e.Error.Fields["version"] == "" {
				t.Errorf("PATCH %s: fields %v, want fields.version", b, e.Error.Fields)
			}
		}
		if now := get(t, s, tok, c.ID); now != p {
			t.Errorf("a PATCH without version changed the client: %+v", now)
		}

		// The version may come as If-Match instead.
		r = callS(t, s, tok, http.MethodPatch, path, `{"middle_name":"Quincy"}`, "If-Match", `"2"`)
		if r.status != http.StatusOK || decodeClient(t, r).Version != 3 || decodeClient(t, r).MiddleName != "Quincy" {
			t.Errorf("PATCH with If-Match: %s", r)
		}
		wantError(t, "PATCH with a stale If-Match", callS(t, s, tok, http.MethodPatch, path, `{"middle_name":"Old"}`, "If-Match", `"2"`), http.StatusConflict, "conflict")
		wantError(t, "PATCH with a garbage If-Match", callS(t, s, tok, http.MethodPatch, path, `{"middle_name":"Old"}`, "If-Match", `"abc"`), http.StatusUnprocessableEntity, "invalid")
		// An invalid PATCH changes nothing.
		r = callS(t, s, tok, http.MethodPatch, path, `{"dob":"2026-13-45","state":"ZZ","last_name":"","version":3}`)
		ae := wantError(t, "invalid PATCH", r, http.StatusUnprocessableEntity, "invalid")
		for _, f := range []string{"dob", "state", "last_name"} {
			if ae.Error.Fields[f] == "" {
				t.Errorf("invalid PATCH: fields %v lack %s", ae.Error.Fields, f)
			}
		}
		if now := get(t, s, tok, c.ID); now.Version != 3 || now.DOB != c.DOB {
			t.Errorf("an invalid PATCH changed the client: %+v", now)
		}

		// The same name and birth date again: a possible duplicate.
		n := count(t, s)
		r = callS(t, s, tok, http.MethodPost, "/api/v1/clients", fmt.Sprintf(`{"first_name":"apitest","last_name":"LIFECYCLE","dob":"1981-04-05","preferred_location_id":%d}`, s.RoundRock.ID))
		ae = wantError(t, "duplicate", r, http.StatusConflict, "possible_duplicate")
		if !slices.Contains(ae.Error.DuplicateIDs, c.ID) {
			t.Errorf("duplicate_ids %v lack %d", ae.Error.DuplicateIDs, c.ID)
		}
		if count(t, s) != n {
			t.Errorf("a refused duplicate was created")
		}
		r = callS(t, s, tok, http.MethodPost, "/api/v1/clients", fmt.Sprintf(`{"first_name":"apitest","last_name":"LIFECYCLE","dob":"1981-04-05","preferred_location_id":%d,"allow_duplicate":true}`, s.RoundRock.ID))
		if r.status != http.StatusCreated {
			t.Fatalf("allow_duplicate: %s", r)
		}
		if d := decodeClient(t, r); d.ID == c.ID || d.ID == 0 {
			t.Errorf("allow_duplicate made %+v", d)
		}
		if count(t, s) != n+1 {
			t.Errorf("allow_duplicate did not create a client")
		}

		// Every read, search, create and change is in the audit trail, marked as the API's.
		viaAPI := func(action string, recordID int64) {
			t.Helper()
			es, err := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: s.Org.ID, UserID: owner.UserID, Action: action, RecordID: recordID})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) == 0 {
				t.Errorf("no %s audit entry for record %d", action, recordID)
			}
			for _, e := range es {
				if !strings.Contains(e.Detail, "via api") || e.Result != audit.OK || e.Actor != testsrv.Owner || e.SourceIP == "" {
					t.Errorf("%s entry %+v: want detail \"via api\", the owner and an address", action, e)
				}
			}
		}
		viaAPI(audit.ClientCreate, c.ID)
		viaAPI(audit.ClientRead, c.ID)
		viaAPI(audit.ClientUpdate, c.ID)
		viaAPI(audit.ClientSearch, 0)
		es, _ := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: s.Org.ID, Action: audit.ClientUpdate, RecordID: c.ID})
		if len(es) != 2 {
			t.Errorf("%d client.update entries, want 2 (the refused ones change nothing)", len(es))
		}
		for _, e := range es {
			if strings.Contains(e.Detail, "Austin") || strings.Contains(e.Detail, "Quincy") {
				t.Errorf("audit detail holds a value: %q", e.Detail)
			}
		}
		// And the API shows the trail to the owner.
		r = callS(t, s, tok, http.MethodGet, "/api/v1/audit?record_type=client&record_id="+strconv.FormatInt(c.ID, 10), "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"client.create"`) || !strings.Contains(r.body, `"client.update"`) {
			t.Errorf("GET /api/v1/audit for the client: %s", r)
		}
	})
}

func TestAPIBadBodies(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		tok := s.Token(t, testsrv.Owner)
		cl := s.ClientAt(t, s.Downtown.ID)
		path := "/api/v1/clients/" + strconv.FormatInt(cl.ID, 10)
		n := count(t, s)
		huge := `{"first_name":"` + strings.Repeat("x", 1<<20+10) + `","last_name":"Big","dob":"1980-01-01","preferred_location_id":1}`
		deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
		bodies := map[string]string{
			"malformed":              `{"first_name":`,
			"not JSON":               `first_name=Ann`,
			"trailing comma":         `{"first_name":"Ann",}`,
			"single quotes":          `{'first_name':'Ann'}`,
			"array":                  `[]`,
			"array of object":        `[{"first_name":"Ann"}]`,
			"string":                 `"Ann"`,
			"number":                 `42`,
			"true":                   `true`,
			"empty":                  ``,
			"whitespace":             "  \n\t ",
			"unknown field":          `{"first_name":"Ann","is_admin":true}`,
			"unknown field only":     `{"org_id":2}`,
			"id field":               `{"id":1}`,
			"wrong type string":      `{"first_name":5}`,
			"wrong type id":          `{"preferred_location_id":"abc"}`,
			"fraction id":            `{"preferred_location_id":1.5}`,
			"overflow id":            `{"preferred_location_id":1e400}`,
			"huge id":                `{"preferred_location_id":99999999999999999999999}`,
			"wrong type bool":        `{"allow_duplicate":"yes"}`,
			"wrong type object":      `{"first_name":{"a":1}}`,
			"wrong type version":     `{"version":"1"}`,
			"two objects":            `{"first_name":"Ann"}{"first_name":"Bob"}`,
			"trailing garbage":       `{"first_name":"Ann"} xyz`,
			"over 1 MB":              huge,
			"deep nesting":           deep,
			"NUL":                    "\x00",
			"invalid UTF-8":          "{\"first_name\":\"\xff\xfe\"",
			"BOM":                    "\xef\xbb\xbf{}",
			"null":                   `null`,
			"empty object":           `{}`,
			"NUL in a name":          `{"first_name":"A\u0000n","last_name":"B","dob":"1980-01-01","preferred_location_id":1}`,
			"NUL in a phone":         `{"first_name":"An","last_name":"Bnul","dob":"1980-01-01","phone":"51255501001\u0000","preferred_location_id":1}`,
			"control in a name":      `{"first_name":"A\u0007n","last_name":"B","dob":"1980-01-01","preferred_location_id":1}`,
			"long phone":             `{"first_name":"An","last_name":"Blong","dob":"1980-01-01","phone":"` + strings.Repeat("5", 5000) + `","preferred_location_id":1}`,
			"negative location":      `{"first_name":"An","last_name":"B","dob":"1980-01-01","preferred_location_id":-1}`,
			"other org's location":   fmt.Sprintf(`{"first_name":"An","last_name":"B","dob":"1980-01-01","preferred_location_id":%d}`, s.OtherLoc.ID),
			"therapist not a thera.": fmt.Sprintf(`{"first_name":"An","last_name":"B","dob":"1980-01-01","preferred_location_id":%d,"preferred_therapist_id":%d}`, s.Downtown.ID, s.Org.ID),
			"bad sex":                fmt.Sprintf(`{"first_name":"An","last_name":"B","dob":"1980-01-01","sex":"x","preferred_location_id":%d}`, s.Downtown.ID),
			"bad status":             fmt.Sprintf(`{"first_name":"An","last_name":"B","dob":"1980-01-01","status":"deleted","preferred_location_id":%d}`, s.Downtown.ID),
			"future dob":             fmt.Sprintf(`{"first_name":"An","last_name":"B","dob":"2999-01-01","preferred_location_id":%d}`, s.Downtown.ID),
		}
		for name, b := range bodies {
			for _, method := range []string{http.MethodPost, http.MethodPatch} {
				p := "/api/v1/clients"
				if method == http.MethodPatch {
					p = path
				}
				r := call(t, s, tok, method, p, []byte(b))
				if r.status < 400 || r.status > 499 {
					t.Errorf("%s %q: %s, want 4xx", method, name, r)
					continue
				}
				wantError(t, method+" "+name, r, r.status, "")
			}
		}
		// The body must be JSON.
		for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
			r := call(t, s, tok, http.MethodPost, "/api/v1/clients", []byte(`{}`), "Content-Type", ct)
			wantError(t, "Content-Type "+ct, r, http.StatusUnprocessableEntity, "invalid")
		}
		// Wrong types name the field.
		r := callS(t, s, tok, http.MethodPost, "/api/v1/clients", `{"preferred_location_id":"abc"}`)
		if ae := wantError(t, "wrong type", r, http.StatusUnprocessableEntity, "invalid"); ae.Error.Fields["preferred_location_id"] == "" {
			t.Errorf("wrong type: fields %v", ae.Error.Fields)
		}
		// Invalid fields: 422 naming each.
		r = callS(t, s, tok, http.MethodPost, "/api/v1/clients", fmt.Sprintf(`{"first_name":"Ann","dob":"2026-13-45","state":"ZZ","zip":"1","email":"nope","phone":"12","preferred_location_id":%d}`, s.Downtown.ID))
		ae := wantError(t, "invalid fields", r, http.StatusUnprocessableEntity, "invalid")
		for _, f := range []string{"dob", "state", "last_name", "zip", "email", "phone"} {
			if ae.Error.Fields[f] == "" {
				t.Errorf("invalid fields: %v lacks %s", ae.Error.Fields, f)
			}
		}
		if count(t, s) != n {
			t.Errorf("bad bodies created %d clients", count(t, s)-n)
		}
		if now, _ := s.DB.Client(ctx, s.Org.ID, cl.ID); now.Version != cl.Version {
			t.Errorf("bad PATCH bodies changed the client: %+v", now)
		}
		// Bad ids in the path.
		for _, p := range []string{"abc", "0", "-1", "99999999", "99999999999999999999", "1.0", "%00"} {
			wantError(t, "GET client "+p, callS(t, s, tok, http.MethodGet, "/api/v1/clients/"+p, ""), http.StatusNotFound, "not_found")
			wantError(t, "PATCH client "+p, callS(t, s, tok, http.MethodPatch, "/api/v1/clients/"+p, `{"version":1}`), http.StatusNotFound, "not_found")
		}
		// Other methods and unknown endpoints are JSON 404s, not HTML.
		for _, c := range [][2]string{{http.MethodPut, path}, {http.MethodDelete, path}, {http.MethodGet, "/api/v1/nope"}, {http.MethodPost, "/api/v1/me"}} {
			wantError(t, c[0]+" "+c[1], callS(t, s, tok, c[0], c[1], ""), http.StatusNotFound, "not_found")
		}
		// Bad query parameters.
		for _, q := range []string{"limit=0", "limit=201", "limit=x", "offset=-1", "offset=x", "status=gone"} {
			wantError(t, "search ?"+q, callS(t, s, tok, http.MethodGet, "/api/v1/clients?"+q, ""), http.StatusUnprocessableEntity, "invalid")
		}
		for _, q := range []string{"user_id=x", "record_id=-1", "from=yesterday", "to=2026-13-01T00:00:00Z", "before=x", "limit=x"} {
			wantError(t, "audit ?"+q, callS(t, s, tok, http.MethodGet, "/api/v1/audit?"+q, ""), http.StatusUnprocessableEntity, "invalid")
		}
		for _, q := range []string{"action=%00", "record_type=%ff", "action=' OR 1=1 --"} {
			if r := callS(t, s, tok, http.MethodGet, "/api/v1/audit?"+strings.ReplaceAll(q, " ", "+"), ""); r.status != http.StatusOK {
				t.Errorf("audit ?%s: %s", q, r)
			}
		}
	})
}

func TestAPITokens(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		owner := s.Token(t, testsrv.Owner)

		r := callS(t, s, owner, http.MethodPost, "/api/v1/tokens", `{"name":"Laptop script"}`)
		var tk struct {
			ID        int64  `json:"id"`
			Token     string `json:"token"`
			Name      string `json:"name"`
			CreatedAt string `json:"created_at"`
		}
		if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &tk) != nil || tk.ID == 0 || !strings.HasPrefix(tk.Token, "fsc_") || tk.Name != "Laptop script" {
			t.Fatalf("create token: %s", r)
		}
		r = callS(t, s, tk.Token, http.MethodGet, "/api/v1/me", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"email":"`+testsrv.Owner+`"`) {
			t.Errorf("the new token does not work: %s", r)
		}
		// Listing never shows a token again.
		r = callS(t, s, owner, http.MethodGet, "/api/v1/tokens", "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"Laptop script"`) || strings.Contains(r.body, tk.Token) || strings.Contains(r.body, tk.Token[4:20]) {
			t.Errorf("token list: %s", r)
		}
		// Revoke: then it is refused.
		id := strconv.FormatInt(tk.ID, 10)
		if r := callS(t, s, owner, http.MethodDelete, "/api/v1/tokens/"+id, ""); r.status != http.StatusNoContent || r.body != "" {
			t.Fatalf("revoke: %s", r)
		}
		for _, p := range []string{"/api/v1/me", "/api/v1/clients", "/api/v1/tokens"} {
			r := callS(t, s, tk.Token, http.MethodGet, p, "")
			wantError(t, "revoked token on "+p, r, http.StatusUnauthorized, "unauthorized")
			if !strings.Contains(r.header.Get("WWW-Authenticate"), "invalid_token") {
				t.Errorf("revoked token: WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
		}
		wantError(t, "revoke twice", callS(t, s, owner, http.MethodDelete, "/api/v1/tokens/"+id, ""), http.StatusNotFound, "not_found")
		for _, p := range []string{"abc", "0", "-1", "99999999", "99999999999999999999"} {
			wantError(t, "revoke "+p, callS(t, s, owner, http.MethodDelete, "/api/v1/tokens/"+p, ""), http.StatusNotFound, "not_found")
		}
		// A token can revoke itself.
		r = callS(t, s, owner, http.MethodPost, "/api/v1/tokens", `{"name":"self"}`)
		json.Unmarshal([]byte(r.body), &tk)
		if r := callS(t, s, tk.Token, http.MethodDelete, "/api/v1/tokens/"+strconv.FormatInt(tk.ID, 10), ""); r.status != http.StatusNoContent {
			t.Errorf("self-revoke: %s", r)
		}
		wantError(t, "self-revoked token", callS(t, s, tk.Token, http.MethodGet, "/api/v1/me", ""), http.StatusUnauthorized, "unauthorized")
		// Bad names.
		for _, b := range []string{`{"name":""}`, `{"name":"` + strings.Repeat("n", 101) + `"}`, `{"name":"a\u0000b"}`, `{"name":5}`, `{}`, `{"name":"x","user_id":1}`} {
			wantError(t, "token "+b[:min(len(b), 30)], callS(t, s, owner, http.MethodPost, "/api/v1/tokens", b), http.StatusUnprocessableEntity, "invalid")
		}
		// A therapist's token carries the therapist's role, not more.
		ther := s.Token(t, testsrv.TherapistA)
		r = callS(t, s, ther, http.MethodPost, "/api/v1/tokens", `{"name":"mine"}`)
		json.Unmarshal([]byte(r.body), &tk)
		wantError(t, "therapist token on /users", callS(t, s, tk.Token, http.MethodGet, "/api/v1/users", ""), http.StatusForbidden, "forbidden")
		// The trail has the creations and revocations, as the API's (the
		// first owner token was made on the command line).
		u, _ := s.DB.CredentialsByEmail(ctx, testsrv.Owner)
		for _, a := range []string{audit.TokenCreate, audit.TokenRevoke} {
			es, _ := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: s.Org.ID, UserID: u.UserID, Action: a, RecordType: "api_token"})
			api := 0
			for _, e := range es {
				switch e.Detail {
				case "via api":
					api++
				case "via cli":
				default:
					t.Errorf("%s detail %q, want \"via api\"", a, e.Detail)
				}
			}
			if api != 2 {
				t.Errorf("%d %s entries via api, want 2", api, a)
			}
		}
	})
}

// FuzzCreateClientBody posts arbitrary bytes to POST /api/v1/clients: the
// answer is never a server error.
func FuzzCreateClientBody(f *testing.F) {
	s := testsrv.Start(f, store.SQLite)
	tok := s.Token(f, testsrv.Owner)
	loc := s.Downtown.ID
	for _, b := range []string{
		fmt.Sprintf(`{"first_name":"Fuzz","last_name":"Seed","dob":"1980-01-01","preferred_location_id":%d}`, loc),
		fmt.Sprintf(`{"first_name":"Fuzz","last_name":"Seed","dob":"01/02/1980","sex":"m","state":"tx","zip":"78701-1234","phone":"5125550100","email":"A@B.CO","preferred_location_id":%d,"allow_duplicate":true}`, loc),
		fmt.Sprintf(`{"first_name":"\u0000","last_name":"\ud800","dob":"2026-13-45","preferred_location_id":%d,"preferred_therapist_id":-1}`, loc),
		`{"first_name":1}`,
		`[`,
		`{"version":9223372036854775807,"preferred_location_id":-9223372036854775808}`,
		"",
		"\xff\xfe\x00",
	} {
		f.Add([]byte(b))
	}
	c := s.Client()
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/clients", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("POST %q: %d %s", body, res.StatusCode, b)
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("POST %q: Content-Type %q", body, res.Header.Get("Content-Type"))
		}
	})
}
