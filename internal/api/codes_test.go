package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

type codeJSON struct {
	Code     string `json:"code"`
	Title    string `json:"title"`
	Billable bool   `json:"billable"`
}

func searchCodes(t *testing.T, s *testsrv.Server, tok, query string) []codeJSON {
	t.Helper()
	r := callS(t, s, tok, http.MethodGet, "/api/v1/codes/icd10?"+query, "")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/codes/icd10?%s: %s", query, r)
	}
	// Exactly the contract's shape: one key, codes, each with three keys.
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.DisallowUnknownFields()
	var out struct {
		Codes []codeJSON `json:"codes"`
	}
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("?%s: %v (%s)", query, err, r)
	}
	if out.Codes == nil {
		t.Fatalf("?%s: codes is null, want a list: %s", query, r.body)
	}
	return out.Codes
}

func TestAPICodesContract(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		tok := s.Token(t, testsrv.TherapistA)

		got := searchCodes(t, s, tok, "q=M54.2")
		if len(got) == 0 || got[0] != (codeJSON{"M54.2", "Cervicalgia", true}) {
			t.Errorf("q=M54.2: %+v", got)
		}
		r := callS(t, s, tok, http.MethodGet, "/api/v1/codes/icd10?q=M54.2", "")
		if !strings.HasPrefix(r.body, `{"codes":[{"code":"M54.2","title":"Cervicalgia","billable":true}`) {
			t.Errorf("the body is not in the contract's shape: %s", r.body)
		}
		got = searchCodes(t, s, tok, "q="+url.QueryEscape("low back pain"))
		if len(got) < 3 || got[0].Code != "M54.50" || !got[0].Billable {
			t.Errorf("low back pain: %+v", got)
		}
		// A category is listed as not billable.
		got = searchCodes(t, s, tok, "q=M54&limit=3")
		if len(got) != 3 || got[0] != (codeJSON{"M54", "Dorsalgia", false}) || got[1].Code != "M54.2" {
			t.Errorf("q=M54&limit=3: %+v", got)
		}
		if got := searchCodes(t, s, tok, "q=whiplash"); len(got) == 0 || got[0].Code != "S13.4XXA" {
			t.Errorf("whiplash: %+v", got)
		}
		if got := searchCodes(t, s, tok, "q=zzzzqx"); len(got) != 0 {
			t.Errorf("no match: %+v", got)
		}
		if got := searchCodes(t, s, tok, "q=pain"); len(got) != 20 {
			t.Errorf("default limit: %d codes, want 20", len(got))
		}
		if got := searchCodes(t, s, tok, "q=pain&limit=100"); len(got) != 100 {
			t.Errorf("limit=100: %d codes", len(got))
		}

		// The date of service picks the code set: G35 is billable in FY2022 once that year is imported.
		if err := s.App.ImportCodesCLI(ctx, 2022, "small_2022.txt", icd10test.Small()); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			date     string
			billable bool
		}{{"2022-03-15", true}, {"2021-10-01", true}, {"2026-11-27", false}, {"", false}} {
			got := searchCodes(t, s, tok, "q=G35&date="+tc.date)
			if len(got) == 0 || got[0].Code != "G35" || got[0].Billable != tc.billable {
				t.Errorf("G35 on %q: %+v, want billable=%v", tc.date, got, tc.billable)
			}
		}
		// Every role may search.
		for _, who := range []string{testsrv.Owner, testsrv.FrontDesk, testsrv.Biller, testsrv.OtherTherapist} {
			if got := searchCodes(t, s, s.Token(t, who), "q=neck"); len(got) == 0 || got[0].Code != "M54.2" {
				t.Errorf("%s: %+v", who, got)
			}
		}

		// Bad parameters are a 422 naming the parameter.
		for _, tc := range []struct{ query, field string }{
			{"", "q"}, {"q=", "q"}, {"q=%20%20", "q"},
			{"q=neck&date=2026-13-45", "date"}, {"q=neck&date=11/27/2026", "date"}, {"q=neck&date=yesterday", "date"}, {"q=neck&date=1899-01-01", "date"},
			{"q=neck&limit=0", "limit"}, {"q=neck&limit=-1", "limit"}, {"q=neck&limit=abc", "limit"}, {"q=neck&limit=101", "limit"}, {"q=neck&limit=99999999999999999999", "limit"},
			{"q=" + url.QueryEscape(strings.Repeat("a", 201)), "q"}, {"q=ne%00ck", "q"}, {"q=ne%FFck", "q"},
		} {
			r := callS(t, s, tok, http.MethodGet, "/api/v1/codes/icd10?"+tc.query, "")
			e := wantError(t, "?"+tc.query, r, http.StatusUnprocessableEntity, "invalid")
			if e.Error.Fields[tc.field] == "" {
				t.Errorf("?%s: fields %v, want one for %s", tc.query, e.Error.Fields, tc.field)
			}
		}
		// Without a token: 401.
		wantError(t, "no token", callS(t, s, "", http.MethodGet, "/api/v1/codes/icd10?q=neck", ""), http.StatusUnauthorized, "unauthorized")

		// Markup in titles or queries never comes back raw.
		r = callS(t, s, tok, http.MethodGet, "/api/v1/codes/icd10?q="+url.QueryEscape("<script>alert(1)</script>"), "")
		if r.status != http.StatusOK || bytes.ContainsAny([]byte(r.body), "<>") {
			t.Errorf("markup query: %s", r)
		}
		// Searching is not logged with its words.
		if strings.Contains(s.Log.String(), "q=") || strings.Contains(s.Log.String(), "whiplash") {
			t.Errorf("the log holds a code search")
		}
	})
}
