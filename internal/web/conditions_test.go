package web_test

// The condition library's pages: the route tables, what a reader sees, the
// search, and hostile input to it.

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /conditions", path: "/conditions?q=neck", access: session},
		route{pattern: "GET /conditions/{key}", path: "/conditions/carpal_tunnel", access: session},
	)
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/conditions", path: "/api/v1/conditions", access: token},
		route{pattern: "GET /api/v1/conditions/{key}", path: "/api/v1/conditions/carpal_tunnel", access: token},
	)
}

// listed returns the names of the conditions a library page lists.
func listed(body string) []string {
	var out []string
	for _, part := range strings.Split(body, `<h2><a href="/conditions/`)[1:] {
		_, rest, _ := strings.Cut(part, `">`)
		name, _, _ := strings.Cut(rest, "</a>")
		out = append(out, html.UnescapeString(name))
	}
	return out
}

func TestConditionLibraryPages(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c := s.SignIn(t, testsrv.TherapistA)

		// The whole library, A to Z.
		r := get(t, c, s.URL+"/conditions")
		if r.status != http.StatusOK {
			t.Fatalf("library: %s", r)
		}
		names := listed(r.body)
		if len(names) != len(assess.Library) {
			t.Errorf("the library lists %d conditions, want %d", len(names), len(assess.Library))
		}
		for i := 1; i < len(names); i++ {
			if names[i-1] > names[i] {
				t.Errorf("not alphabetical: %q before %q", names[i-1], names[i])
			}
		}
		if !strings.Contains(r.body, `action="/conditions"`) || !strings.Contains(r.body, `name="q"`) {
			t.Errorf("no search form that works without JavaScript")
		}
		if !strings.Contains(r.body, "conditions.css") {
			t.Errorf("the page does not load its stylesheet")
		}

		// Searching by words, a code with or without its dot, a test's name.
		for _, tc := range []struct {
			q        string
			want     []string
			wantNone []string
		}{
			{"wrist numbness", []string{"Carpal tunnel syndrome"}, []string{"Migraine"}},
			{"G56.01", []string{"Carpal tunnel syndrome"}, []string{"Low back pain"}},
			{"m542", []string{"Chronic neck pain"}, []string{"Migraine"}},
			{"Phalen", []string{"Carpal tunnel syndrome"}, []string{"Whiplash"}},
			{"HEADACHE", []string{"Tension-type headache", "Migraine"}, []string{"Plantar fasciitis"}},
			{"  heel   pain ", []string{"Plantar fasciitis"}, []string{"Sciatica"}},
		} {
			r := get(t, c, s.URL+"/conditions?q="+url.QueryEscape(tc.q))
			got := strings.Join(listed(r.body), "|")
			if r.status != http.StatusOK {
				t.Errorf("q=%q: %d", tc.q, r.status)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("q=%q lists %s, want %s among them", tc.q, got, w)
				}
			}
			for _, w := range tc.wantNone {
				if strings.Contains(got, w) {
					t.Errorf("q=%q lists %s, which should not match", tc.q, w)
				}
			}
		}
		r = get(t, c, s.URL+"/conditions?q=zzqx")
		if r.status != http.StatusOK || len(listed(r.body)) != 0 || !strings.Contains(r.body, "No condition matches") {
			t.Errorf("no match: %s", r)
		}
		// The live search asks for the results only.
		r = get(t, c, s.URL+"/conditions?q=wrist", "HX-Request", "true")
		if r.status != http.StatusOK || strings.Contains(r.body, "<html") || !strings.Contains(r.body, `id="results"`) || len(listed(r.body)) == 0 {
			t.Errorf("htmx search: %s", r)
		}

		// One condition's page.
		r = get(t, c, s.URL+"/conditions/carpal_tunnel")
		if r.status != http.StatusOK {
			t.Fatalf("carpal tunnel page: %s", r)
		}
		ct, _ := assess.ConditionByKey("carpal_tunnel")
		phalen, _ := assess.TestByKey("phalen")
		body := html.UnescapeString(r.body)
		for _, want := range []string{
			"<h1>Carpal tunnel syndrome</h1>", ct.Summary, ct.RedFlags[0], ct.Avoid[0],
			"Phalen (wrist flexion)", phalen.ScreensFor, phalen.Procedure, "Tinel at the wrist",
			"Wrist flexion", "80°", "Wrist extension", "70°", "38 CFR §4.71, Plate I",
			"Myofascial release", "Trigger point therapy", "forearm flexors", "thenar eminence",
			"Boston CTQ", "QuickDASH",
			"G56.01", "Carpal tunnel syndrome, right upper limb", "G56.03", "Carpal tunnel syndrome, bilateral upper limbs",
			"Levine DW, Simmons BP", "Outcome measure: Boston CTQ (points), lower is better, by week 8",
			"Range of motion: Wrist extension (degrees), higher is better, by week 4",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the carpal tunnel page lacks %q", want)
			}
		}
		// Extensions measured as a lag say so.
		r = get(t, c, s.URL+"/conditions/osteoarthritis")
		if r.status != http.StatusOK || !strings.Contains(r.body, "Knee extension") || !strings.Contains(r.body, "degrees short of straight") {
			t.Errorf("osteoarthritis page: %d", r.status)
		}
		// Every entry renders.
		for _, cond := range assess.Library {
			r := get(t, c, s.URL+"/conditions/"+cond.Key)
			if r.status != http.StatusOK || !strings.Contains(html.UnescapeString(r.body), "<h1>"+cond.Name+"</h1>") {
				t.Errorf("%s: %d", cond.Key, r.status)
			}
		}
		// Unknown keys are 404 pages.
		for _, k := range []string{"no_such_condition", "CARPAL_TUNNEL", "carpal_tunnel%00", "..%2f..%2fetc", url.PathEscape("<script>alert(1)</script>")} {
			r := get(t, c, s.URL+"/conditions/"+k)
			if r.status != http.StatusNotFound || !strings.Contains(r.body, "no such condition") {
				t.Errorf("/conditions/%s: %d, want 404", k, r.status)
			}
			if strings.Contains(strings.ToLower(r.body), "<script>alert") {
				t.Errorf("/conditions/%s shows the key as markup", k)
			}
		}
	})
}

// Every role, in either organisation, may read the library: it holds no
// client data.
func TestConditionLibraryEveryRole(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		for _, who := range []string{testsrv.Owner, testsrv.TherapistB, testsrv.FrontDesk, testsrv.Biller, testsrv.OtherOwner, testsrv.OtherTherapist} {
			c := s.SignIn(t, who)
			for _, p := range []string{"/conditions", "/conditions/low_back_pain"} {
				if r := get(t, c, s.URL+p); r.status != http.StatusOK || !strings.Contains(r.body, "Low back pain") {
					t.Errorf("%s GET %s: %d", who, p, r.status)
				}
			}
		}
	})
}

func TestConditionLibraryHostileSearch(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "alert(1)", "DROP TABLE")
		c := s.SignIn(t, testsrv.FrontDesk)
		for _, q := range append([]string{`' OR 1=1 --`, `"; DROP TABLE clients; --`, "%", "_", `\`, "\u202e", "😀", "{{.}}",
			strings.Repeat("a", 200), strings.Repeat("€", 200)}, markup...) {
			isScript := q == markup[0]
			for _, hx := range []bool{false, true} {
				var hdr []string
				if hx {
					hdr = []string{"HX-Request", "true"}
				}
				r := get(t, c, s.URL+"/conditions?q="+url.QueryEscape(q), hdr...)
				if r.status != http.StatusOK {
					t.Errorf("q=%.30q (htmx %v): %d", q, hx, r.status)
				}
				if isScript {
					wantEscaped(t, "library search", r.body)
				} else if low := strings.ToLower(r.body); strings.Contains(low, "<script>alert") || strings.Contains(low, "<img") || strings.Contains(low, "<svg") {
					t.Errorf("q=%.30q shows raw markup", q)
				}
			}
		}
		// Too long, or not text: a 422 that says why, next to the field.
		for _, q := range []string{strings.Repeat("a", 201), strings.Repeat("€", 201), "ab\xff", "ne\x00ck"} {
			r := get(t, c, s.URL+"/conditions?q="+url.QueryEscape(q))
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `class="field-error"`) {
				t.Errorf("q=%.30q: %d, want 422 with a field error", q, r.status)
			}
			if len(listed(r.body)) != 0 {
				t.Errorf("q=%.30q lists conditions", q)
			}
		}
	})
}
