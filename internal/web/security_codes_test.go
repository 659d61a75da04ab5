package web_test

// The diagnosis code routes in the security route tables, and hostile
// input to them.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /codes/icd10", path: "/codes/icd10?q=neck", access: session},
		route{pattern: "GET /codes/icd10/options", path: "/codes/icd10/options?q=neck", access: session},
	)
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/codes/icd10", path: "/api/v1/codes/icd10?q=neck", access: token},
	)
}

func TestSecurityCodes(t *testing.T) {
	hostile := []string{
		`' OR 1=1 --`, `"; DROP TABLE icd10_codes; --`, `%`, `_`, `\`, `*`, `$1`, `?`,
		strings.Repeat("a", 10240), strings.Repeat("€", 4000), strings.Repeat("m54 ", 3000),
		"\xff\xfe\xfd", "ab\xc3", "\x00", "m5\x004", "%00", "\u202e", "😀", "\r\n", " ", ",", "M", "S", "M54.", "..", "M54..2",
		"<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "{{.}}", "${jndi:ldap://x}",
	}
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "DROP TABLE", "alert(1)", "jndi")
		oc := s.SignIn(t, testsrv.TherapistA)
		tok := s.Token(t, testsrv.TherapistA)
		for _, q := range hostile {
			short := q
			if len(short) > 30 {
				short = short[:30] + "…"
			}
			for _, p := range []string{"/codes/icd10?q=", "/codes/icd10/options?q="} {
				for _, hx := range []bool{false, true} {
					var hdr []string
					if hx {
						hdr = []string{"HX-Request", "true"}
					}
					r := get(t, oc, s.URL+p+url.QueryEscape(q), hdr...)
					if r.status != http.StatusOK && r.status != http.StatusUnprocessableEntity {
						t.Errorf("%s%q (htmx %v): %d", p, short, hx, r.status)
					}
					low := strings.ToLower(r.body)
					if strings.Contains(low, "<script>alert") || strings.Contains(low, "<img") {
						t.Errorf("%s%q shows raw markup", p, short)
					}
				}
			}
			for _, extra := range []string{"", "&date=" + url.QueryEscape(q), "&limit=" + url.QueryEscape(q)} {
				r := api(t, s, tok, http.MethodGet, "/api/v1/codes/icd10?q="+url.QueryEscape(q)+extra, "")
				if r.status != http.StatusOK && r.status != http.StatusUnprocessableEntity {
					t.Errorf("API %q%s: %s", short, extra, r)
				}
				if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") || strings.ContainsAny(r.body, "<>") {
					t.Errorf("API %q%s: %q %s", short, extra, r.header.Get("Content-Type"), r)
				}
			}
		}
		// Hostile values of the other parameters.
		for _, d := range []string{"2026-13-45", "' OR 1=1 --", "\x00", strings.Repeat("9", 5000), "11/27/2026"} {
			p := "date=" + url.QueryEscape(d)
			if r := get(t, oc, s.URL+"/codes/icd10?q=neck&"+p); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Use a date") {
				t.Errorf("page ?%s: %d, want 422", p, r.status)
			}
		}
		// The search still works, and the code tables are intact.
		if r := get(t, oc, s.URL+"/codes/icd10?q=whiplash"); r.status != http.StatusOK || !strings.Contains(r.body, "S13.4XXA") {
			t.Errorf("after the hostile searches: %d", r.status)
		}
		if sets, err := s.DB.CodeSets(ctx); err != nil || len(sets) != 0 {
			t.Errorf("code sets: %v %v", sets, err)
		}
		// Markup typed as a query is shown as text.
		r := get(t, oc, s.URL+"/codes/icd10?q="+url.QueryEscape(markup[0]))
		wantEscaped(t, "codes page", r.body)
		r = get(t, oc, s.URL+"/codes/icd10/options?q="+url.QueryEscape(markup[0]))
		wantEscaped(t, "code options", r.body)
	})
}

// TestSecurityCodesEveryRole: any signed-in role may look codes up,
// including another organisation's staff: codes are reference data.
func TestSecurityCodesEveryRole(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		for _, who := range []string{testsrv.Owner, testsrv.TherapistA, testsrv.TherapistB, testsrv.FrontDesk, testsrv.Biller, testsrv.OtherOwner, testsrv.OtherTherapist} {
			c := s.SignIn(t, who)
			for _, p := range []string{"/codes/icd10?q=neck", "/codes/icd10/options?q=neck"} {
				if r := get(t, c, s.URL+p); r.status != http.StatusOK || !strings.Contains(r.body, "M54.2") {
					t.Errorf("%s GET %s: %d", who, p, r.status)
				}
			}
			if r := api(t, s, s.Token(t, who), http.MethodGet, "/api/v1/codes/icd10?q=neck", ""); r.status != http.StatusOK || !strings.Contains(r.body, "M54.2") {
				t.Errorf("%s API: %s", who, r)
			}
		}
	})
}
