package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// Evaluations: the chart's "Evaluations and plan of care" section, the
// evaluation form (a draft) and the signed evaluation's page, and its PDF.
// Plans of care have their own pages (plans.go).

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("POST /clients/{id}/evaluations", s.signedIn(s.evaluationStart))
		m.HandleFunc("GET /clients/{id}/evaluations/{eid}", s.signedIn(s.evaluationPage))
		m.HandleFunc("POST /clients/{id}/evaluations/{eid}", s.signedIn(s.evaluationSave))
		m.HandleFunc("GET /clients/{id}/evaluations/{eid}/pdf", s.signedIn(s.evaluationPDF))
		m.HandleFunc("POST /admin/settings/rom", s.signedIn(s.romSettingsPost))
	})
	chartSections = append(chartSections, ChartSection{Order: 20, Render: renderClinicalSection})
}

// clinicalSection is the data of the chart's "assess_section" partial.
// The evaluation rows and the condition options are written directly (with
// every value escaped): through html/template a chart of fifty evaluations
// spent over a millisecond in reflection.
type clinicalSection struct {
	Client           *clinic.Client
	Record           *app.ClinicalRecord
	Rows             template.HTML
	ConditionOptions template.HTML
	CanWrite         bool
}

// conditionOptions are the library's conditions as <option>s, made once.
var conditionOptions = sync.OnceValue(func() template.HTML {
	var b strings.Builder
	for _, c := range assess.Library {
		b.WriteString(`<option value="` + template.HTMLEscapeString(c.Key) + `">` + template.HTMLEscapeString(c.Name) + "</option>")
	}
	return template.HTML(b.String())
})

// evaluationRows writes the rows of the chart's list of evaluations.
func evaluationRows(clientID int64, es []store.EvaluationSummary) template.HTML {
	var b strings.Builder
	b.Grow(len(es) * 420)
	esc := template.HTMLEscapeString
	client := strconv.FormatInt(clientID, 10)
	plural := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + one + "s"
	}
	for _, e := range es {
		link := "/clients/" + client + "/evaluations/" + strconv.FormatInt(e.ID, 10)
		b.WriteString("<tr>\n      <td>" + esc(usDate(e.Date)) + "</td>\n      <td><a href=\"" + link + "\">" + kindLabel(e.Kind) + "</a>")
		if c, ok := assess.ConditionByKey(e.Condition); ok {
			b.WriteString(`<br><span class="muted">` + esc(c.Name) + "</span>")
		}
		b.WriteString("</td>\n      <td>" + plural(e.Marks, "body-chart mark"))
		if e.Flags > 0 {
			b.WriteString("<br><strong>" + plural(e.Flags, "restricted motion") + "</strong>")
		}
		b.WriteString("</td>\n      <td>" + esc(e.TherapistName) + "</td>\n      <td>")
		if e.Status == assess.Signed {
			b.WriteString(`<span class="badge active">signed</span> <a href="` + link + `/pdf">PDF</a>`)
		} else {
			b.WriteString(`<span class="badge inactive">` + esc(e.Status) + "</span>")
		}
		b.WriteString("</td>\n    </tr>\n")
	}
	return template.HTML(b.String())
}

// HasSigned reports whether the client has a signed evaluation (a re-evaluation starts from it).
func (d clinicalSection) HasSigned() bool {
	for _, e := range d.Record.Evaluations {
		if e.Status == assess.Signed {
			return true
		}
	}
	return false
}

// ConditionName names a condition key of the library.
func (clinicalSection) ConditionName(key string) string {
	if c, ok := assess.ConditionByKey(key); ok {
		return c.Name
	}
	return ""
}

// KindLabel names an evaluation kind.
func (clinicalSection) KindLabel(kind string) string { return kindLabel(kind) }

func kindLabel(kind string) string {
	if kind == assess.Reeval {
		return "Re-evaluation"
	}
	return "Initial evaluation"
}

func renderClinicalSection(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	if !a.Can(auth.ClinicalRead) {
		return "", nil
	}
	rec, err := s.App.ClientClinicalRecord(r.Context(), a, c.ID)
	if err != nil {
		return "", err
	}
	d := clinicalSection{Client: c, Record: rec, Rows: evaluationRows(c.ID, rec.Evaluations),
		ConditionOptions: conditionOptions(), CanWrite: a.Can(auth.ClinicalWrite)}
	return s.renderPartial("assess_section", d)
}

func evalPath(clientID, id int64) string {
	return "/clients/" + strconv.FormatInt(clientID, 10) + "/evaluations/" + strconv.FormatInt(id, 10)
}

func (s *Server) evaluationStart(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	clientID, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; reload the page and try again."))
		return
	}
	e, err := s.App.StartEvaluation(r.Context(), a, clientID, r.PostForm.Get("kind"), r.PostForm.Get("condition"), r.PostForm.Get("date"))
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, evalPath(clientID, e.ID), http.StatusSeeOther)
}

// EvaluationPage is the data of evaluation_form.html and evaluation_view.html.
type EvaluationPage struct {
	FormPage
	Client     *clinic.Client
	Eval       *assess.Evaluation
	Prev       *assess.Evaluation // what a re-evaluation started from
	Condition  assess.Condition
	Thresholds assess.Thresholds
	ROM        []romRow
	Tests      []testRow
	Posture    []postureRow
	Gait       []gaitRow
	Chart      assess.ChartEditor
	View       assess.ChartView
	Pain       []painRow
	Conditions []assess.Condition
	Motions    []assess.Motion
	Catalogue  []assess.SpecialTest
	CanWrite   bool
}

type romRow struct {
	I        int
	ROM      assess.ROM
	Measured bool
	Degrees  string // as typed
	Label    string
	Normal   int
	Result   *assess.ROMResult
	Prev     string // the previous evaluation's degrees, "" when none
	Change   string // "+15°"
}

type testRow struct {
	I      int
	Test   assess.TestResult
	Def    assess.SpecialTest
	Prev   string // the previous result
	Change bool   // the result differs from the previous one
}

type postureRow struct {
	Def     assess.PostureDef
	Checked bool
	Side    string
	Note    string
	Prev    bool // found at the previous evaluation
}

type gaitRow struct {
	Def     assess.GaitDef
	Checked bool
}

type painRow struct {
	Field, Label string
	Value, Prev  string
	Change       string
}

func itoaPtr(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// build fills the rows a page shows from the evaluation (and the form as
// typed, when re-showing it with errors).
func (p *EvaluationPage) build(form url.Values) {
	e := p.Eval
	if p.Thresholds == (assess.Thresholds{}) {
		p.Thresholds = assess.DefaultThresholds
	}
	p.Condition, _ = assess.ConditionByKey(e.Condition)
	p.Conditions, p.Motions, p.Catalogue = assess.Library, assess.Motions, assess.SpecialTests
	prevROM := map[string]assess.ROM{}
	prevTest := map[string]string{}
	prevPosture := map[string]bool{}
	if p.Prev != nil {
		for _, r := range p.Prev.ROM {
			prevROM[r.Motion+"/"+r.Side+"/"+strconv.FormatBool(r.Passive)] = r
		}
		for _, t := range p.Prev.Tests {
			prevTest[t.Test+"/"+t.Side] = t.Result
		}
		for _, f := range p.Prev.Posture {
			prevPosture[f.Finding] = true
		}
	}
	// Pain.
	s := e.Subjective
	for _, x := range []struct {
		f, l string
		v    *int
		pv   func(*assess.Subjective) *int
	}{{"pain_now", "Now", s.PainNow, func(s *assess.Subjective) *int { return s.PainNow }},
		{"pain_best", "At best", s.PainBest, func(s *assess.Subjective) *int { return s.PainBest }},
		{"pain_worst", "At worst", s.PainWorst, func(s *assess.Subjective) *int { return s.PainWorst }}} {
		row := painRow{Field: x.f, Label: x.l, Value: itoaPtr(x.v)}
		if form != nil {
			row.Value = form.Get(x.f)
		}
		if p.Prev != nil {
			if pv := x.pv(&p.Prev.Subjective); pv != nil {
				row.Prev = strconv.Itoa(*pv)
				if x.v != nil {
					row.Change = signed(*x.v - *pv)
				}
			}
		}
		p.Pain = append(p.Pain, row)
	}
	// Range of motion: the measured rows with their results, then the
	// condition's motions not yet measured, then blank rows.
	results := assess.EvaluateROM(e.ROM, p.Thresholds)
	byKey := map[string]*assess.ROMResult{}
	for i := range results {
		r := &results[i]
		byKey[r.Motion.Key+"/"+r.Side+"/"+strconv.FormatBool(r.Passive)] = r
	}
	have := map[string]bool{}
	add := func(r assess.ROM, measured bool) {
		k := r.Motion + "/" + r.Side + "/" + strconv.FormatBool(r.Passive)
		row := romRow{I: len(p.ROM), ROM: r, Measured: measured, Label: assess.MotionLabel(r.Motion, r.Side)}
		if m, ok := assess.MotionByKey(r.Motion); ok {
			row.Normal = m.Normal
		}
		if measured {
			row.Degrees = strconv.Itoa(r.Degrees)
			row.Result = byKey[k]
		}
		if pr, ok := prevROM[k]; ok {
			row.Prev = strconv.Itoa(pr.Degrees)
			if measured {
				row.Change = signed(r.Degrees-pr.Degrees) + "°"
			}
		}
		have[k] = true
		p.ROM = append(p.ROM, row)
	}
	for _, r := range e.ROM {
		add(r, true)
	}
	for _, r := range p.Condition.SuggestedROM() {
		if !have[r.Motion+"/"+r.Side+"/false"] {
			add(r, false)
		}
	}
	for i := 0; i < 4; i++ {
		p.ROM = append(p.ROM, romRow{I: len(p.ROM)})
	}
	// Special tests: performed, then the condition's not yet performed, then blanks.
	haveT := map[string]bool{}
	for _, t := range e.Tests {
		d, _ := assess.TestByKey(t.Test)
		row := testRow{I: len(p.Tests), Test: t, Def: d}
		if pr, ok := prevTest[t.Test+"/"+t.Side]; ok {
			row.Prev, row.Change = pr, pr != t.Result
		}
		haveT[t.Test] = true
		p.Tests = append(p.Tests, row)
	}
	for _, t := range p.Condition.SuggestedTests() {
		if !haveT[t.Test] {
			d, _ := assess.TestByKey(t.Test)
			p.Tests = append(p.Tests, testRow{I: len(p.Tests), Test: t, Def: d})
		}
	}
	for i := 0; i < 3; i++ {
		p.Tests = append(p.Tests, testRow{I: len(p.Tests)})
	}
	// Posture and gait: the whole catalogue, ticked where found.
	found := map[string]assess.PostureFinding{}
	for _, f := range e.Posture {
		found[f.Finding] = f
	}
	for _, d := range assess.PostureFindings {
		f, ok := found[d.Key]
		p.Posture = append(p.Posture, postureRow{Def: d, Checked: ok, Side: f.Side, Note: f.Note, Prev: prevPosture[d.Key]})
	}
	gait := map[string]bool{}
	for _, g := range e.Gait {
		gait[g] = true
	}
	for _, d := range assess.GaitFindings {
		p.Gait = append(p.Gait, gaitRow{Def: d, Checked: gait[d.Key]})
	}
	p.Chart = assess.ChartEditor{Name: "marks", Label: "Palpation: body chart", Marks: e.Marks, Error: p.Fields["marks"]}
	p.View = assess.ChartView{ID: "eval", Marks: e.Marks}
}

// TestName names a special test.
func (EvaluationPage) TestName(key string) string {
	if t, ok := assess.TestByKey(key); ok {
		return t.Name
	}
	return key
}

// PostureLabel names a posture finding.
func (EvaluationPage) PostureLabel(key string) string {
	if d, ok := assess.PostureByKey(key); ok {
		return d.Label
	}
	return key
}

// GaitLabel names a gait finding.
func (EvaluationPage) GaitLabel(key string) string {
	if d, ok := assess.GaitByKey(key); ok {
		return d.Label
	}
	return key
}

// KindLabel names the evaluation's kind.
func (p EvaluationPage) KindLabel() string { return kindLabel(p.Eval.Kind) }

// Results are the ROM results of the evaluation, for the signed view, against the thresholds in force.
func (p EvaluationPage) Results() []assess.ROMResult {
	return assess.EvaluateROM(p.Eval.ROM, p.Thresholds)
}

func (s *Server) loadEvaluation(r *http.Request, a *auth.Actor) (*EvaluationPage, error) {
	clientID, err := pathID(r)
	if err != nil {
		return nil, err
	}
	id, err := pathNumber(r, "eid", "evaluation")
	if err != nil {
		return nil, err
	}
	c, err := s.App.Client(r.Context(), a, clientID)
	if err != nil {
		return nil, err
	}
	e, err := s.App.Evaluation(r.Context(), a, clientID, id)
	if err != nil {
		return nil, err
	}
	prev, err := s.App.PreviousEvaluation(r.Context(), a, e)
	if err != nil {
		return nil, err
	}
	th, err := s.App.ROMThresholds(r.Context(), a)
	if err != nil {
		return nil, err
	}
	p := &EvaluationPage{FormPage: FormPage{Page: Page{Title: kindLabel(e.Kind) + " · " + c.DisplayName(), Actor: a, Nav: "clients"}},
		Client: c, Eval: e, Prev: prev, Thresholds: th, CanWrite: a.Can(auth.ClinicalWrite)}
	return p, nil
}

func (s *Server) evaluationPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := heldRead(s, r, func(r *http.Request) (*EvaluationPage, error) { return s.loadEvaluation(r, a) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Saved."
	}
	p.build(nil)
	if p.Eval.Status == assess.Draft && p.CanWrite {
		s.render(w, r, http.StatusOK, "evaluation_form", p)
		return
	}
	s.render(w, r, http.StatusOK, "evaluation_view", p)
}

// evaluationFromForm reads the evaluation form into e (a draft as loaded).
// bad collects what cannot be read as typed (a pain that is not a number).
func evaluationFromForm(form url.Values, e *assess.Evaluation, bad errs.FieldErrors) {
	if v := form.Get("date"); v != "" {
		e.Date = v
	}
	e.Condition = form.Get("condition")
	s := &e.Subjective
	s.ChiefComplaint, s.OnsetDate, s.Mechanism = form.Get("chief_complaint"), form.Get("onset_date"), form.Get("mechanism")
	s.Aggravating, s.Easing, s.FunctionalLimits = form.Get("aggravating"), form.Get("easing"), form.Get("functional_limits")
	s.PriorTreatment, s.ClientGoals = form.Get("prior_treatment"), form.Get("client_goals")
	for _, x := range []struct {
		f string
		p **int
	}{{"pain_now", &s.PainNow}, {"pain_best", &s.PainBest}, {"pain_worst", &s.PainWorst}} {
		v := strings.TrimSpace(form.Get(x.f))
		*x.p = nil
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			bad.Add(x.f, "Pain is a whole number from 0 to 10.")
			continue
		}
		*x.p = &n
	}
	// Posture: a checkbox per finding, with its side and note.
	e.Posture = nil
	for _, d := range assess.PostureFindings {
		if form.Get("posture_"+d.Key) == "" {
			continue
		}
		e.Posture = append(e.Posture, assess.PostureFinding{Finding: d.Key, Side: form.Get("posture_side_" + d.Key), Note: form.Get("posture_note_" + d.Key)})
	}
	// ROM rows: aligned lists; a row without degrees is not measured.
	e.ROM = nil
	motions, sides, modes, degs, pains := form["rom_motion"], form["rom_side"], form["rom_mode"], form["rom_deg"], form["rom_pain"]
	for i := range motions {
		d := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(nth(degs, i)), "°"))
		if motions[i] == "" || d == "" {
			continue
		}
		n, err := strconv.Atoi(d)
		if err != nil {
			bad.Add("rom."+strconv.Itoa(len(e.ROM)), "Degrees are a whole number, such as 45.")
			n = 0
		}
		side := nth(sides, i)
		if m, ok := assess.MotionByKey(motions[i]); ok && !m.Sided {
			side = ""
		}
		e.ROM = append(e.ROM, assess.ROM{Motion: motions[i], Side: side, Passive: nth(modes, i) == "passive", Degrees: n, Pain: nth(pains, i) == "yes"})
	}
	// Special tests: aligned lists; a row without a result was not performed.
	e.Tests = nil
	keys, tsides, results, notes := form["test_key"], form["test_side"], form["test_result"], form["test_note"]
	for i := range keys {
		if keys[i] == "" {
			continue
		}
		side := nth(tsides, i)
		if t, ok := assess.TestByKey(keys[i]); ok && !t.Sided {
			side = ""
		}
		e.Tests = append(e.Tests, assess.TestResult{Test: keys[i], Side: side, Result: nth(results, i), Note: nth(notes, i)})
	}
	e.Gait = form["gait"]
	e.GaitNote, e.Assessment = form.Get("gait_note"), form.Get("assessment")
}

// nth is l[i], or "" past its end: the form's row lists may be short.
func nth(l []string, i int) string {
	if i < len(l) {
		return l[i]
	}
	return ""
}

func (s *Server) evaluationSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; reload the page and try again."))
		return
	}
	p, err := s.loadEvaluation(r, a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	e := p.Eval
	if v, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64); err == nil {
		e.Version = v
	}
	bad := errs.FieldErrors{}
	evaluationFromForm(r.PostForm, e, bad)
	marks, stay, merr := assess.MarksFromForm(r.PostForm, "marks")
	if merr != nil {
		bad.Add("marks", errs.Message(merr))
	} else {
		e.Marks = marks
	}
	sign := r.PostForm.Get("sign") == "1" && !stay
	err = bad.Err()
	if err == nil {
		err = s.App.SaveEvaluation(r.Context(), a, e, sign)
	}
	if err == nil && !stay {
		http.Redirect(w, r, evalPath(p.Client.ID, e.ID)+"?saved=1", http.StatusSeeOther)
		return
	}
	if err != nil && (errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound)) {
		s.fail(w, r, a, err)
		return
	}
	status := http.StatusOK
	if err != nil {
		p.Error, p.Fields, status = errs.Message(err), errs.FieldsOf(err), errs.HTTPStatus(err)
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	if e.Status != assess.Draft {
		s.render(w, r, status, "evaluation_view", p)
		return
	}
	p.build(nil)
	s.render(w, r, status, "evaluation_form", p)
}

// romSettingsPost saves when a motion is flagged restricted (Settings).
func (s *Server) romSettingsPost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p := SettingsPage{FormPage: FormPage{Page: Page{Title: "Settings", Actor: a, Nav: "settings"}},
		IdleMinutes: int(a.Org.IdleTimeout.Minutes()), RequireMFA: a.Org.RequireMFA,
		ROMMinPercent: strings.TrimSpace(r.PostFormValue("min_percent")), ROMMaxSideDiff: strings.TrimSpace(r.PostFormValue("max_side_diff"))}
	bad := errs.FieldErrors{}
	num := func(field, v string) float64 {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad.Add(field, "Enter a number, such as 75.")
		}
		return f
	}
	th := assess.Thresholds{MinPercent: num("min_percent", p.ROMMinPercent), MaxSideDiff: num("max_side_diff", p.ROMMaxSideDiff)}
	err := bad.Err()
	if err == nil {
		err = s.App.SaveROMThresholds(r.Context(), a, th)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/settings?saved=1", http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) {
		s.fail(w, r, a, err)
		return
	}
	p.ROMError, p.ROMFields = errs.Message(err), errs.FieldsOf(err)
	s.render(w, r, errs.HTTPStatus(err), "settings", p)
}
