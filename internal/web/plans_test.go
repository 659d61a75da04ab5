package web_test

// The plan of care pages, through the real server: a plan prefilled from
// the carpal tunnel entry of the library after a signed evaluation, saved
// with mistakes, signed, sent, co-signed, revised, and its PDF; and who
// may reach which of its routes.

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

var (
	planTagRE  = regexp.MustCompile(`<(/?)(input|select|option|textarea)\b([^>]*)>`)
	planAttrRE = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?`)
)

// planFormValues is what a browser would send for the form with id formID of
// page (without pressing a named button): text, date, number and hidden
// inputs, ticked boxes, each select's chosen option (else its first) and
// textareas.
func planFormValues(t *testing.T, page, formID string) url.Values {
	t.Helper()
	i := strings.Index(page, `id="`+formID+`"`)
	if i < 0 {
		t.Fatalf("no form %q on the page", formID)
	}
	page = page[i:]
	if j := strings.Index(page, "</form>"); j >= 0 {
		page = page[:j]
	}
	v := url.Values{}
	var sel string
	var chosen, first *string
	for _, m := range planTagRE.FindAllStringSubmatchIndex(page, -1) {
		closing, tag := page[m[2]:m[3]] == "/", page[m[4]:m[5]]
		attrs := map[string]string{}
		for _, a := range planAttrRE.FindAllStringSubmatch(page[m[6]:m[7]], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		_, checked := attrs["checked"]
		_, selected := attrs["selected"]
		switch {
		case tag == "input" && attrs["name"] != "":
			switch attrs["type"] {
			case "checkbox", "radio":
				if checked {
					v.Add(attrs["name"], attrs["value"])
				}
			case "submit", "button", "file":
			default:
				v.Add(attrs["name"], attrs["value"])
			}
		case tag == "select" && !closing:
			sel, chosen, first = attrs["name"], nil, nil
		case tag == "option" && sel != "":
			val := attrs["value"]
			if first == nil {
				first = &val
			}
			if selected {
				chosen = &val
			}
		case tag == "select" && closing:
			if sel != "" {
				switch {
				case chosen != nil:
					v.Add(sel, *chosen)
				case first != nil:
					v.Add(sel, *first)
				}
			}
			sel = ""
		case tag == "textarea" && !closing && attrs["name"] != "":
			rest := page[m[1]:]
			end := strings.Index(rest, "</textarea>")
			if end < 0 {
				t.Fatalf("textarea %q is not closed", attrs["name"])
			}
			v.Add(attrs["name"], html.UnescapeString(rest[:end]))
		}
	}
	return v
}

// planGoalRowOf finds the row of the form whose field key has value, e.g.
// ("what", "hand and wrist pain at worst"), and returns its prefix "goal.N.".
func planGoalRowOf(t *testing.T, f url.Values, key, value string) string {
	t.Helper()
	for i := range 20 {
		p := "goal." + id(int64(i)) + "."
		if f.Get(p+key) == value {
			return p
		}
	}
	t.Fatalf("no goal row with %s = %q in %v", key, value, f)
	return ""
}

// planVersionsOf lists the client's plans as stored.
func planVersionsOf(t *testing.T, s *testsrv.Server, clientID int64) []assess.Plan {
	t.Helper()
	ps, err := s.DB.Plans(ctx, s.Org.ID, clientID)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func planStored(t *testing.T, s *testsrv.Server, clientID, planID int64) *assess.Plan {
	t.Helper()
	p, err := s.DB.Plan(ctx, s.Org.ID, clientID, planID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var planPathRE = regexp.MustCompile(`^/clients/(\d+)/plans/(\d+)`)

// planIDFromRedirect is the plan id a 303 answer sends to.
func planIDFromRedirect(t *testing.T, what string, r resp) string {
	t.Helper()
	m := planPathRE.FindStringSubmatch(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || m == nil {
		t.Fatalf("%s: %d Location %q, want 303 to a plan (%s)", what, r.status, r.header.Get("Location"), r)
	}
	return m[2]
}

// signedCarpalTunnelEvaluation records, through the use cases, a
// prescription in force with two diagnoses and a signed initial evaluation
// of client c from the carpal tunnel entry: worst pain 7, right wrist
// extension 45° (restricted) and left 68°, one body-chart mark.
func signedCarpalTunnelEvaluation(t *testing.T, s *testsrv.Server, a *auth.Actor, c clinic.Client, physicianID int64) *assess.Evaluation {
	t.Helper()
	today := s.App.ClinicDate(a)
	rx := care.Prescription{ClientID: c.ID, PhysicianID: physicianID, WrittenOn: today, Diagnoses: []string{"G56.01", "M25.531"},
		OrderedTreatment: "Medical massage, right forearm and wrist", FrequencyPerWeek: 2, DurationWeeks: 8}
	if err := s.App.CreatePrescription(ctx, a, &rx, nil); err != nil {
		t.Fatalf("prescription: %v", err)
	}
	ev, err := s.App.StartEvaluation(ctx, a, c.ID, assess.Initial, "carpal_tunnel", "")
	if err != nil {
		t.Fatalf("start evaluation: %v", err)
	}
	worst, now := 7, 5
	ev.Subjective.ChiefComplaint = "Numb fingers at night, right hand"
	ev.Subjective.PainWorst, ev.Subjective.PainNow = &worst, &now
	ev.ROM = []assess.ROM{{Motion: "wrist.extension", Side: "right", Degrees: 45}, {Motion: "wrist.extension", Side: "left", Degrees: 68}}
	ev.Marks = []assess.Mark{{View: "anterior", Region: "wrist", Side: "right", Kind: "numbness", Intensity: 2}}
	ev.Assessment = "Signs of median nerve irritation at the right wrist."
	if err := s.App.SaveEvaluation(ctx, a, ev, true); err != nil {
		t.Fatalf("sign evaluation: %v", err)
	}
	return ev
}

func planDemoPhysician(t *testing.T, s *testsrv.Server) clinic.Physician {
	t.Helper()
	ps, err := s.DB.SearchPhysicians(ctx, s.Org.ID, clinic.PhysicianFilter{Query: "sarah kim"})
	if err != nil || len(ps) == 0 {
		t.Fatalf("no demo physician: %v", err)
	}
	return ps[0]
}

func planWantIn(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s does not show %q", what, p)
		}
	}
}

// TestPlanOfCarePages walks a plan of care through its life on the pages:
// prefilled, corrected, signed, refused once signed, sent, co-signed,
// revised into version 2 which supersedes version 1, and printed.
func TestPlanOfCarePages(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		owner := ownerActor(s)
		c := s.ClientAt(t, s.Downtown.ID)
		kim := planDemoPhysician(t, s)
		ev := signedCarpalTunnelEvaluation(t, s, owner, c, kim.ID)
		today := s.App.ClinicDate(owner)
		day, _ := time.Parse(clinic.DateLayout, today)
		tomorrow := day.AddDate(0, 0, 1).Format(clinic.DateLayout)
		cid := id(c.ID)
		mc := s.SignIn(t, testsrv.TherapistA) // Maria works at Downtown Austin

		// Start a plan from the library entry and the evaluation.
		r := post(t, mc, s.URL+"/clients/"+cid+"/plans", url.Values{"condition": {"carpal_tunnel"}, "evaluation_id": {id(ev.ID)}})
		pid := planIDFromRedirect(t, "start a plan", r)
		base := s.URL + "/clients/" + cid + "/plans/" + pid
		r = get(t, mc, base+"?started=1")
		if r.status != http.StatusOK {
			t.Fatalf("draft plan page: %s", r)
		}
		planWantIn(t, "the draft", r.body, "Plan of care for", "Version 1", "Carpal tunnel syndrome", "A draft plan was started",
			"G56.01", "Carpal tunnel syndrome, right upper limb", "Save and sign")
		f := planFormValues(t, r.body, "plan-form")

		// Prefilled: the condition's techniques on its regions, goals with
		// baselines from the evaluation, the prescription's diagnoses.
		if got := f.Get("diagnoses"); got != "G56.01, M25.531" {
			t.Errorf("diagnoses prefilled %q, want the prescription's G56.01, M25.531", got)
		}
		if f.Get("start_date") != today {
			t.Errorf("start date %q, want today %s", f.Get("start_date"), today)
		}
		var techs []string
		for i := range 10 {
			if k := f.Get("technique." + id(int64(i)) + ".technique"); k != "" {
				techs = append(techs, k)
			}
		}
		if !slices.Contains(techs, "myofascial_release") || !slices.Contains(techs, "trigger_point") || !slices.Contains(techs, "home_care_exercise") {
			t.Errorf("techniques prefilled %v, want the carpal tunnel entry's", techs)
		}
		if regs := f["technique.0.regions"]; !slices.Contains(regs, "wrist") || !slices.Contains(regs, "forearm_flexors") {
			t.Errorf("regions of the first technique %v, want the entry's (wrist, forearm flexors, …)", regs)
		}
		pain := planGoalRowOf(t, f, "what", "hand and wrist pain at worst")
		if f.Get(pain+"measure") != "pain" || f.Get(pain+"baseline") != "7" || f.Get(pain+"target") != "5" || f.Get(pain+"term") != "short" {
			t.Errorf("pain goal prefilled %s %s→%s (%s), want short-term 7 → 5 from the evaluation's worst pain",
				f.Get(pain+"measure"), f.Get(pain+"baseline"), f.Get(pain+"target"), f.Get(pain+"term"))
		}
		rom := planGoalRowOf(t, f, "motion", "wrist.extension")
		if f.Get(rom+"measure") != "rom" || f.Get(rom+"side") != "right" || f.Get(rom+"baseline") != "45" || f.Get(rom+"target") != "58" {
			t.Errorf("ROM goal prefilled side %q %s→%s, want right 45 → 58 (halfway to 70)", f.Get(rom+"side"), f.Get(rom+"baseline"), f.Get(rom+"target"))
		}
		if f.Get("per_week") != "2" || f.Get("weeks") != "8" || f.Get("reeval_visits") != "6" || f.Get("reeval_days") != "30" {
			t.Errorf("frequency prefilled %s/week for %s weeks, re-evaluate %s visits %s days", f.Get("per_week"), f.Get("weeks"), f.Get("reeval_visits"), f.Get("reeval_days"))
		}
		stored := planStored(t, s, c.ID, planID(t, pid))
		// Three empty rows after the filled ones, for use without the script.
		if n := len(stored.Goals); f.Get("goal."+id(int64(n+2))+".measure") != "" || !strings.Contains(r.body, `name="goal.`+id(int64(n+2))+`.measure"`) {
			t.Errorf("the form does not end with three empty goal rows")
		}

		// A mistake: the pain goal's target date before the plan starts.
		bad := planCloneValues(f)
		bad.Set(pain+"target_date", "2000-01-01")
		bad.Set("home_care", "Nerve glides, 10 each, twice a day")
		r = post(t, mc, base, bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("save with a target date before the start: %s", r)
		}
		planWantIn(t, "the form sent back", r.body, "Nothing was saved", "The target date is before the plan starts.", "Nerve glides, 10 each, twice a day", `class="plan-row goal-row has-error" id="`+strings.ReplaceAll(strings.TrimSuffix(pain, "."), ".", "-")+`"`)
		if now := planStored(t, s, c.ID, stored.ID); now.RowVersion != stored.RowVersion || now.HomeCare != "" {
			t.Errorf("a refused save changed the plan: row version %d → %d", stored.RowVersion, now.RowVersion)
		}
		// The prefill leaves the outcome goals without a baseline: signing says so.
		sign := planCloneValues(f)
		sign.Set("sign", "1")
		r = post(t, mc, base, sign)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("signing an incomplete plan: %s", r)
		}
		planWantIn(t, "the refused signature", r.body, "the plan is not signed", "Set the goal&#39;s baseline and a target that differs from it.")
		if now := planStored(t, s, c.ID, stored.ID); now.Status != assess.Draft {
			t.Fatalf("an incomplete plan was signed")
		}

		// Blank rows between filled ones do not shift the errors: the
		// mistake is shown on the row it was made in.
		gap := planCloneValues(f)
		n := len(stored.Goals)
		for k, v := range map[string]string{"measure": "pain", "what": "pain lifting a kettle", "term": "short", "baseline": "6", "target": "abc", "unit": "/10", "target_date": today} {
			gap.Set("goal."+id(int64(n+2))+"."+k, v) // the third empty row, the two before it left empty
		}
		r = post(t, mc, base, gap)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("save with a goal that is not a number: %s", r)
		}
		g := planFormValues(t, r.body, "plan-form")
		row := planGoalRowOf(t, g, "what", "pain lifting a kettle")
		if row != "goal."+id(int64(n))+"." || !strings.Contains(r.body, `id="goal-`+id(int64(n))+`-error">Enter the baseline and the target as numbers.`) {
			t.Errorf("the kettle goal came back as %s, or without its error next to it", row)
		}

		// Complete it and sign.
		done := planCloneValues(f)
		for what, v := range map[string][2]string{"Boston CTQ": {"3.2", "2"}, "QuickDASH": {"45", "25"}, "type or hold a phone before numbness starts": {"10", "30"}} {
			p := planGoalRowOf(t, done, "what", what)
			done.Set(p+"baseline", v[0])
			done.Set(p+"target", v[1])
		}
		done.Set("home_care", "Nerve glides, 10 each, twice a day")
		done.Set("precautions", "\nNo sustained pressure over the carpal tunnel\n\n")
		done.Set("sign", "1")
		r = post(t, mc, base, done)
		if r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "?signed=1") {
			t.Fatalf("sign the plan: %s", r)
		}
		v1 := planStored(t, s, c.ID, stored.ID)
		if v1.Status != assess.Signed || !strings.HasPrefix(v1.SignedByName, "Maria Lopez") || len(v1.Precautions) != 1 || v1.HomeCare != "Nerve glides, 10 each, twice a day" {
			t.Fatalf("signed plan stored as %+v", v1)
		}
		r = get(t, mc, base+"?signed=1")
		if r.status != http.StatusOK {
			t.Fatalf("signed plan page: %s", r)
		}
		planWantIn(t, "the signed plan", r.body, "Signed. This version", "Signed by Maria Lopez, LMT on", "Version 1", "Signed, in force",
			"2 visits a week for 8 weeks (16 visits)", "Every 6 visits or 30 days, whichever comes first",
			"hand and wrist pain at worst", "7 → 5", "Wrist extension, right", "45 → 58", "3.2 → 2", "Boston CTQ",
			"Myofascial release", "wrist and carpal tunnel", "No sustained pressure over the carpal tunnel", "Nerve glides",
			"Write a new version", "Mark as sent to Sarah Kim", "Record the physician's co-signature", "/plans/"+pid+"/pdf")
		if strings.Contains(r.body, `id="plan-form"`) {
			t.Errorf("a signed plan is shown as a form")
		}

		// A signed plan never changes: the form sent again is refused.
		for _, form := range []url.Values{f, done} {
			r = post(t, mc, base, form)
			if r.status != http.StatusConflict || !strings.Contains(r.body, "This plan is signed and can no longer change. Write a new version of it instead.") {
				t.Errorf("saving a signed plan: %d, want 409 with the reason", r.status)
			}
		}
		if now := planStored(t, s, c.ID, v1.ID); now.RowVersion != v1.RowVersion || now.HomeCare != v1.HomeCare || len(now.Goals) != len(v1.Goals) {
			t.Errorf("a refused save changed the signed plan")
		}

		// Sent to the physician.
		r = post(t, mc, base+"/sent", url.Values{"physician_id": {"99999999"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Unknown physician") {
			t.Errorf("marking as sent to an unknown physician: %d", r.status)
		}
		r = post(t, mc, base+"/sent", url.Values{"physician_id": {id(kim.ID)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("mark as sent: %s", r)
		}
		if now := planStored(t, s, c.ID, v1.ID); now.SentAt.IsZero() || now.PhysicianID != kim.ID {
			t.Errorf("sending was not recorded: %+v", now)
		}
		r = get(t, mc, base)
		planWantIn(t, "the plan sent", r.body, "Sent to Sarah Kim")

		// The physician's co-signature, with the scanned copy.
		doc := &clinic.Document{ClientID: c.ID, Kind: clinic.DocumentOther, Filename: "plan-signed.pdf"}
		if err := s.App.SaveDocument(ctx, owner, doc, []byte(tinyPDF)); err != nil {
			t.Fatal(err)
		}
		r = post(t, mc, base+"/cosign", url.Values{"cosigned_on": {tomorrow}, "cosigned_by": {"Sarah Kim, MD"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "The physician cannot have signed in the future.") || !strings.Contains(r.body, `value="Sarah Kim, MD"`) {
			t.Errorf("a co-signature in the future: %d", r.status)
		}
		r = get(t, mc, base)
		if !strings.Contains(r.body, "plan-signed.pdf") {
			t.Errorf("the co-signature form does not offer the client's documents")
		}
		r = post(t, mc, base+"/cosign", url.Values{"cosigned_on": {today}, "cosigned_by": {"Sarah Kim, MD"}, "document_id": {id(doc.ID)}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("record the co-signature: %s", r)
		}
		r = get(t, mc, base)
		planWantIn(t, "the co-signed plan", r.body, "Co-signed</span> by Sarah Kim, MD on "+planUSDate(today), `href="/documents/`+id(doc.ID)+`"`)

		// Version 2: a draft copy, signed, supersedes version 1.
		r = post(t, mc, base+"/revise", nil)
		pid2 := planIDFromRedirect(t, "write a new version", r)
		if pid2 == pid {
			t.Fatalf("revising opened the same plan")
		}
		r = get(t, mc, base)
		planWantIn(t, "version 1 while version 2 is written", r.body, "Version 2 of this plan is being written", "/plans/"+pid2)
		if strings.Contains(r.body, "Write a new version") {
			t.Errorf("version 1 still offers to write a new version while one is being written")
		}
		if r := post(t, mc, base+"/revise", nil); r.status != http.StatusConflict || !strings.Contains(r.body, "already being written") {
			t.Errorf("a second new version at once: %d, want 409", r.status)
		}
		base2 := s.URL + "/clients/" + cid + "/plans/" + pid2
		r = get(t, mc, base2+"?revised=1")
		planWantIn(t, "version 2", r.body, "Version 2", "was started as a copy", "Draft", "Nerve glides")
		f2 := planFormValues(t, r.body, "plan-form")
		f2.Set("per_week", "1")
		f2.Set("sign", "1")
		if r := post(t, mc, base2, f2); r.status != http.StatusSeeOther {
			t.Fatalf("sign version 2: %s", r)
		}
		r = get(t, mc, base)
		planWantIn(t, "version 1", r.body, "Superseded", "This version is superseded by", ">version 2</a>", "kept exactly as it was signed")
		if strings.Contains(r.body, "Mark as sent") || strings.Contains(r.body, "Write a new version") {
			t.Errorf("a superseded version offers to be sent or revised")
		}
		r = get(t, mc, base2)
		planWantIn(t, "version 2", r.body, "Version 2", "Signed, in force", "1 visit a week for 8 weeks", "replaces <a")
		if r := post(t, mc, base+"/revise", nil); r.status != http.StatusConflict {
			t.Errorf("revising a superseded version: %d, want 409", r.status)
		}
		var series []assess.Plan
		for _, p := range planVersionsOf(t, s, c.ID) {
			if p.Series == v1.Series {
				series = append(series, p)
			}
		}
		if len(series) != 2 || series[0].Status != assess.Signed || series[1].Status != assess.Superseded {
			t.Errorf("stored versions: %d, want version 2 signed and version 1 superseded", len(series))
		}

		// The plan of care as a PDF.
		r = get(t, mc, base2+"/pdf")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-") {
			t.Fatalf("plan PDF: %d %q", r.status, r.header.Get("Content-Type"))
		}
		if cd := r.header.Get("Content-Disposition"); cd != `inline; filename="plan-of-care-`+pid2+`.pdf"` || strings.Contains(cd, c.LastName) {
			t.Errorf("Content-Disposition %q", cd)
		}
		if r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("the PDF may be cached: %q", r.header.Get("Cache-Control"))
		}
		if r := get(t, mc, base+"/pdf"); r.status != http.StatusOK || !strings.HasPrefix(r.body, "%PDF-") {
			t.Errorf("superseded version's PDF: %d", r.status)
		}
	})
}

func planID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("not an id: %q", s)
	}
	return n
}

func planCloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func planUSDate(d string) string {
	if len(d) != 10 {
		return d
	}
	return d[5:7] + "/" + d[8:10] + "/" + d[:4]
}

// TestPlanOfCareAccess: the front desk reaches no plan route; billing
// reads plans and their PDF but changes nothing; a therapist of another
// location and another organisation reach nothing; nothing they try
// changes the plan.
func TestPlanOfCareAccess(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		owner := ownerActor(s)
		c := s.ClientAt(t, s.Downtown.ID)
		kim := planDemoPhysician(t, s)
		ev := signedCarpalTunnelEvaluation(t, s, owner, c, kim.ID)
		p, err := s.App.StartPlan(ctx, owner, c.ID, "carpal_tunnel", ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, g := range p.Goals {
			if g.Measure == assess.MeasurePain {
				p.Goals[i].Baseline, p.Goals[i].Target = 7, 4
			} else {
				p.Goals[i].Target = g.Baseline + 5
			}
		}
		if err := s.App.SavePlan(ctx, owner, p, true); err != nil {
			t.Fatalf("sign the plan: %v", err)
		}
		before := planStored(t, s, c.ID, p.ID)
		base := "/clients/" + id(c.ID) + "/plans/" + id(p.ID)
		saveForm := url.Values{"row_version": {id(before.RowVersion)}, "start_date": {before.StartDate}, "home_care": {"Changed by someone who may not"}}
		posts := map[string]url.Values{
			"/clients/" + id(c.ID) + "/plans": {"condition": {"carpal_tunnel"}},
			base:                              saveForm,
			base + "/revise":                  {},
			base + "/sent":                    {"physician_id": {id(kim.ID)}},
			base + "/cosign":                  {"cosigned_on": {before.StartDate}, "cosigned_by": {"Forged Signature"}},
		}
		gets := []string{base, base + "/pdf"}
		plansBefore := len(planVersionsOf(t, s, c.ID)) + 1 // and the draft made below

		fd := s.SignIn(t, testsrv.FrontDesk)
		for _, g := range gets {
			if r := get(t, fd, s.URL+g); r.status != http.StatusForbidden {
				t.Errorf("front desk GET %s: %d, want 403", g, r.status)
			}
		}
		for path, form := range posts {
			if r := post(t, fd, s.URL+path, form); r.status != http.StatusForbidden {
				t.Errorf("front desk POST %s: %d, want 403", path, r.status)
			}
		}

		bc := s.SignIn(t, testsrv.Biller)
		r := get(t, bc, s.URL+base)
		if r.status != http.StatusOK {
			t.Fatalf("billing reads the plan: %d", r.status)
		}
		planWantIn(t, "the plan billing reads", r.body, "Signed, in force", "G56.01")
		for _, form := range []string{"Write a new version", `action="` + base + `/sent"`, `action="` + base + `/cosign"`} {
			if strings.Contains(r.body, form) {
				t.Errorf("billing is offered %q", form)
			}
		}
		draft, err := s.App.StartPlan(ctx, owner, c.ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		r = get(t, bc, s.URL+"/clients/"+id(c.ID)+"/plans/"+id(draft.ID))
		if r.status != http.StatusOK || !strings.Contains(r.body, "This plan is a draft") || strings.Contains(r.body, `id="plan-form"`) {
			t.Errorf("billing reading a draft: %d, or it is shown as a form", r.status)
		}
		if r := get(t, bc, s.URL+base+"/pdf"); r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" {
			t.Errorf("billing reads the PDF: %d", r.status)
		}
		for path, form := range posts {
			if r := post(t, bc, s.URL+path, form); r.status != http.StatusForbidden {
				t.Errorf("billing POST %s: %d, want 403", path, r.status)
			}
		}

		// James works at Round Rock only: the Downtown client's plan is not his to see.
		jc := s.SignIn(t, testsrv.TherapistB)
		for _, g := range gets {
			if r := get(t, jc, s.URL+g); r.status != http.StatusForbidden {
				t.Errorf("Round Rock therapist GET %s: %d, want 403", g, r.status)
			}
		}
		for path, form := range posts {
			if r := post(t, jc, s.URL+path, form); r.status != http.StatusForbidden {
				t.Errorf("Round Rock therapist POST %s: %d, want 403", path, r.status)
			}
		}

		// Another organisation: not found, and nothing of the client shown.
		oc := s.SignIn(t, testsrv.OtherOwner)
		for _, g := range append(gets, base+"0", "/clients/"+id(s.OtherClient.ID)+"/plans/"+id(p.ID)) {
			r := get(t, oc, s.URL+g)
			if r.status != http.StatusNotFound {
				t.Errorf("other organisation GET %s: %d, want 404", g, r.status)
			}
			noneOf(t, "other organisation GET "+g, r.body, c, "G56.01")
		}
		for path, form := range posts {
			r := post(t, oc, s.URL+path, form)
			if r.status != http.StatusNotFound {
				t.Errorf("other organisation POST %s: %d, want 404", path, r.status)
			}
			noneOf(t, "other organisation POST "+path, r.body, c)
		}
		for _, bad := range []string{"/clients/" + id(c.ID) + "/plans/abc", "/clients/" + id(c.ID) + "/plans/0", "/clients/" + id(c.ID) + "/plans/99999999/pdf"} {
			if r := get(t, s.SignIn(t, testsrv.Owner), s.URL+bad); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", bad, r.status)
			}
		}

		after := planStored(t, s, c.ID, p.ID)
		if after.RowVersion != before.RowVersion || !after.SentAt.IsZero() || after.CosignedBy != "" || after.HomeCare != before.HomeCare {
			t.Errorf("refused requests changed the plan: %+v", after)
		}
		if ps := planVersionsOf(t, s, c.ID); len(ps) != plansBefore {
			t.Errorf("refused requests added plans: %d → %d", plansBefore, len(ps))
		}
	})
}
