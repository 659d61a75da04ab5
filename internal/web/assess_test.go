package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

var evalLink = regexp.MustCompile(`/clients/\d+/evaluations/(\d+)`)

// evaluationForm is a filled carpal tunnel evaluation as the form posts it:
// right wrist flexion at 45° of 80° is restricted; two special tests; two marks.
func evaluationForm(version string) url.Values {
	return url.Values{
		"version": {version}, "date": {""}, "condition": {"carpal_tunnel"},
		"chief_complaint": {"Numbness in my right thumb and first two fingers at night"},
		"onset_date":      {"2026-08-01"}, "mechanism": {"Gradual, after a new data-entry job"},
		"pain_now": {"4"}, "pain_best": {"2"}, "pain_worst": {"7"},
		"posture_forward_head": {"1"}, "posture_rounded_shoulders": {"1"},
		"rom_motion":  {"wrist.flexion", "wrist.flexion", "wrist.extension", ""},
		"rom_side":    {"right", "left", "right", ""},
		"rom_mode":    {"active", "active", "active", "active"},
		"rom_deg":     {"45", "80", "65", ""},
		"rom_pain":    {"yes", "no", "no", "no"},
		"test_key":    {"phalen", "tinel_wrist", ""},
		"test_side":   {"right", "right", ""},
		"test_result": {"positive", "positive", ""},
		"test_note":   {"tingling at 30 s", "", ""},
		"marks": {`[{"view":"anterior","region":"forearm_flexors","side":"right","x":0.3,"y":0.4,"kind":"trigger_point","intensity":2},` +
			`{"view":"anterior","region":"thenar","side":"right","x":0.25,"y":0.5,"kind":"numbness","intensity":3}]`},
		"assessment": {"Findings consistent with median nerve compression at the right wrist."},
	}
}

func TestEvaluationJourney(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		maria := s.SignIn(t, testsrv.TherapistA)
		r := post(t, maria, s.URL+"/clients", newClientForm(s.Downtown.ID, "Evelyn", "Wristwell", "1984-03-09"))
		if r.status != http.StatusSeeOther {
			t.Fatalf("new client: %s", r)
		}
		base := s.URL + strings.TrimSuffix(strings.Split(r.header.Get("Location"), "?")[0], "/")
		cl, err := s.DB.Client(ctx, s.Org.ID, mustID(t, strings.TrimPrefix(base, s.URL+"/clients/")))
		if err != nil {
			t.Fatal(err)
		}

		chart := get(t, maria, base)
		if !strings.Contains(chart.body, "Evaluations and plan of care") || !strings.Contains(chart.body, "No evaluation yet.") {
			t.Fatalf("the chart has no evaluations section:\n%s", chart.body)
		}
		r = post(t, maria, base+"/evaluations", url.Values{"kind": {"initial"}, "condition": {"carpal_tunnel"}})
		m := evalLink.FindStringSubmatch(r.header.Get("Location"))
		if r.status != http.StatusSeeOther || m == nil {
			t.Fatalf("start: %s", r)
		}
		page := base + "/evaluations/" + m[1]
		form := get(t, maria, page)
		// Prefilled from the library: the wrist motions to measure and Phalen's test.
		for _, want := range []string{`<option value="wrist.flexion" selected>`, `<option value="phalen" selected>`, "Save and sign"} {
			if !strings.Contains(form.body, want) {
				t.Errorf("the new carpal tunnel evaluation lacks %q", want)
			}
		}
		// A bad pain rating: a clear error, nothing saved.
		bad := evaluationForm("1")
		bad.Set("pain_now", "11")
		if r := post(t, maria, page, bad); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Pain is rated 0") {
			t.Fatalf("pain 11: %s", r)
		}
		// Saved: the restriction is flagged with its reason.
		if r := post(t, maria, page, evaluationForm("1")); r.status != http.StatusSeeOther {
			t.Fatalf("save: %s", r)
		}
		form = get(t, maria, page)
		for _, want := range []string{"Restricted", "56.3% of normal", "43.8% side to side", "Numbness in my right thumb", "tingling at 30 s"} {
			if !strings.Contains(form.body, want) {
				t.Errorf("the saved draft shows no %q", want)
			}
		}
		// A stale version is refused and changes nothing.
		if r := post(t, maria, page, evaluationForm("1")); r.status != http.StatusConflict {
			t.Fatalf("stale save: %s", r)
		}
		// Sign.
		signForm := evaluationForm("2")
		signForm.Set("sign", "1")
		if r := post(t, maria, page, signForm); r.status != http.StatusSeeOther {
			t.Fatalf("sign: %s", r)
		}
		view := get(t, maria, page)
		for _, want := range []string{"signed</span> by Maria Lopez", "Phalen", "Restricted", "PDF for the physician"} {
			if !strings.Contains(view.body, want) {
				t.Errorf("the signed evaluation shows no %q", want)
			}
		}
		if strings.Contains(view.body, "Save and sign") {
			t.Error("a signed evaluation still offers its form")
		}
		// A signed evaluation never changes.
		if r := post(t, maria, page, evaluationForm("3")); r.status != http.StatusConflict || !strings.Contains(r.body, "signed") {
			t.Fatalf("saving a signed evaluation: %s", r)
		}
		got, err := s.DB.Evaluation(ctx, s.Org.ID, cl.ID, mustID(t, m[1]))
		if err != nil || got.Status != assess.Signed || len(got.Marks) != 2 || len(got.ROM) != 3 || len(got.Tests) != 2 || *got.Subjective.PainWorst != 7 {
			t.Fatalf("stored %+v, %v", got, err)
		}
		// The PDF.
		pdf := get(t, maria, page+"/pdf")
		if pdf.status != http.StatusOK || pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF-") ||
			strings.Contains(pdf.header.Get("Content-Disposition"), cl.LastName) {
			t.Fatalf("pdf: %d %v", pdf.status, pdf.header)
		}
		// The chart lists it, and a re-evaluation starts from its values.
		chart = get(t, maria, base)
		if !strings.Contains(chart.body, "2 body-chart marks") || !strings.Contains(chart.body, "1 restricted motion") {
			t.Errorf("the chart's list lacks the evaluation's counts")
		}
		r = post(t, maria, base+"/evaluations", url.Values{"kind": {"reevaluation"}})
		m2 := evalLink.FindStringSubmatch(r.header.Get("Location"))
		if m2 == nil || m2[1] == m[1] {
			t.Fatalf("re-evaluation: %s", r)
		}
		re := get(t, maria, base+"/evaluations/"+m2[1])
		for _, want := range []string{"Re-evaluation", "was 45°", "Previously 7", "starts from the evaluation of"} {
			if !strings.Contains(re.body, want) {
				t.Errorf("the re-evaluation shows no %q", want)
			}
		}

		// Who may: the front desk sees no clinical record; billing reads but does not write.
		desk := s.SignIn(t, testsrv.FrontDesk)
		if r := get(t, desk, page); r.status != http.StatusForbidden {
			t.Errorf("front desk reading an evaluation: %d", r.status)
		}
		if strings.Contains(get(t, desk, base).body, "Evaluations and plan of care") {
			t.Error("the front desk's chart shows the evaluations section")
		}
		biller := s.SignIn(t, testsrv.Biller)
		if r := get(t, biller, page); r.status != http.StatusOK {
			t.Errorf("billing reading an evaluation: %d", r.status)
		}
		if r := post(t, biller, base+"/evaluations", url.Values{"kind": {"initial"}}); r.status != http.StatusForbidden {
			t.Errorf("billing starting an evaluation: %d", r.status)
		}
		other := s.SignIn(t, testsrv.OtherOwner)
		if r := get(t, other, page); r.status != http.StatusNotFound {
			t.Errorf("another organisation reading the evaluation: %d", r.status)
		}

		// The owner loosens the flags: 56% of normal and 44% less than the
		// other side are no longer restricted. Only owners may change them.
		if r := post(t, maria, s.URL+"/admin/settings/rom", url.Values{"min_percent": {"50"}, "max_side_diff": {"50"}}); r.status != http.StatusForbidden {
			t.Errorf("a therapist changing the flags: %d", r.status)
		}
		owner := s.SignIn(t, testsrv.Owner)
		if r := post(t, owner, s.URL+"/admin/settings/rom", url.Values{"min_percent": {"0"}, "max_side_diff": {"15"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "percentage of normal") {
			t.Errorf("flags at 0%%: %s", r)
		}
		if r := post(t, owner, s.URL+"/admin/settings/rom", url.Values{"min_percent": {"50"}, "max_side_diff": {"50"}}); r.status != http.StatusSeeOther {
			t.Fatalf("saving the flags: %s", r)
		}
		if set := get(t, owner, s.URL+"/admin/settings"); !strings.Contains(set.body, `id="min_percent" name="min_percent" type="number" min="1" max="100" step="any" value="50"`) {
			t.Errorf("the settings page does not show the new flag")
		}
		if view := get(t, maria, page); strings.Contains(view.body, `class="flag"`) || !strings.Contains(view.body, "within range") {
			t.Errorf("under the loosened flags the evaluation still shows a restriction")
		}
	})
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Hostile evaluation forms get a clear 4xx and change nothing.
func TestEvaluationBadInput(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		cl := s.ClientAt(t, s.Downtown.ID)
		maria := s.SignIn(t, testsrv.TherapistA)
		base := s.URL + "/clients/" + id(cl.ID)
		r := post(t, maria, base+"/evaluations", url.Values{"kind": {"initial"}})
		m := evalLink.FindStringSubmatch(r.header.Get("Location"))
		if m == nil {
			t.Fatalf("start: %s", r)
		}
		page := base + "/evaluations/" + m[1]
		before, err := s.DB.Evaluation(ctx, s.Org.ID, cl.ID, mustID(t, m[1]))
		if err != nil {
			t.Fatal(err)
		}
		for name, mutate := range map[string]func(v url.Values){
			"NUL in the complaint": func(v url.Values) { v.Set("chief_complaint", "neck\x00pain") },
			"invalid UTF-8":        func(v url.Values) { v.Set("assessment", "\xff\xfe") },
			"pain in words":        func(v url.Values) { v.Set("pain_now", "a lot") },
			"degrees in words":     func(v url.Values) { v["rom_deg"] = []string{"far"} },
			"unknown motion":       func(v url.Values) { v["rom_motion"] = []string{"neck.spin"} },
			"unknown test":         func(v url.Values) { v["test_key"] = []string{"vibes"}; v["test_result"] = []string{"positive"} },
			"bad result":           func(v url.Values) { v["test_result"] = []string{"maybe"} },
			"marks not JSON":       func(v url.Values) { v.Set("marks", "{not json") },
			"mark off the figure": func(v url.Values) {
				v.Set("marks", `[{"view":"anterior","region":"thenar","side":"right","x":3,"y":0.5,"kind":"pain","intensity":2}]`)
			},
			"unknown mark kind": func(v url.Values) {
				v.Set("marks", `[{"view":"anterior","region":"thenar","side":"right","x":0.3,"y":0.5,"kind":"aura","intensity":2}]`)
			},
			"onset after the visit":     func(v url.Values) { v.Set("onset_date", "2999-01-01") },
			"a 20,000-letter complaint": func(v url.Values) { v.Set("chief_complaint", strings.Repeat("x", 20000)) },
			"unknown posture side": func(v url.Values) {
				v.Set("posture_side_elevated_shoulder", "up")
				v.Set("posture_elevated_shoulder", "1")
			},
			"unknown gait":  func(v url.Values) { v["gait"] = []string{"moonwalk"} },
			"stale version": func(v url.Values) { v.Set("version", "99") },
		} {
			f := evaluationForm("1")
			mutate(f)
			r := post(t, maria, page, f)
			if r.status < 400 || r.status >= 500 {
				t.Errorf("%s: %d", name, r.status)
			}
		}
		after, err := s.DB.Evaluation(ctx, s.Org.ID, cl.ID, mustID(t, m[1]))
		if err != nil || after.Version != before.Version || after.Subjective.ChiefComplaint != "" {
			t.Errorf("a refused form changed the evaluation: %+v, %v", after, err)
		}
	})
}
