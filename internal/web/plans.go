package web

// The treatment plan (plan of care) pages: a draft is a form; a signed or
// superseded version is read-only, with the physician's copy (sent, and
// co-signed) and the way to write the next version. The PDF is the plan
// of care a physician certifies.

import (
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/pdf"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("POST /clients/{id}/plans", s.signedIn(s.planStart))
		m.HandleFunc("GET /clients/{id}/plans/{pid}", s.signedIn(s.planPage))
		m.HandleFunc("POST /clients/{id}/plans/{pid}", s.signedIn(s.planSave))
		m.HandleFunc("POST /clients/{id}/plans/{pid}/revise", s.signedIn(s.planRevise))
		m.HandleFunc("POST /clients/{id}/plans/{pid}/sent", s.signedIn(s.planSent))
		m.HandleFunc("POST /clients/{id}/plans/{pid}/cosign", s.signedIn(s.planCosign))
		m.HandleFunc("GET /clients/{id}/plans/{pid}/pdf", s.signedIn(s.planPDF))
	})
}

// planBlankRows is how many empty goal and technique rows the form shows
// after the filled ones, so more can be added without the script.
const planBlankRows = 3

// maxPlanFormRows bounds the rows read from one form (assess allows 100).
const maxPlanFormRows = 150

// PlanPage is the data of plan_form.html (a draft being written) and
// plan_view.html (a signed, superseded, or read-only draft plan).
type PlanPage struct {
	FormPage
	Client *clinic.Client
	Plan   *assess.Plan
	// Versions are the versions of the plan's series, newest first.
	Versions []assess.Plan
	// Evaluation is the evaluation the plan follows, nil if none.
	Evaluation *planEvaluation
	Physicians []clinic.Physician
	// Diagnoses are the saved plan's codes with their titles.
	Diagnoses []chosenCode
	CanWrite  bool
	TimeZone  string
	Today     string

	// Edit is the form of a draft (plan_form.html).
	Edit *PlanEdit

	// The physician's copy (plan_view.html): documents that can be the
	// co-signed copy, and the two small forms as sent back.
	Documents []clinic.Document
	Sent      PlanSentForm
	Cosign    PlanCosignForm
	// Form names the small form whose errors Fields holds ("sent", "cosign").
	Form string
}

type planEvaluation struct {
	ID         int64
	Date, Kind string
}

// PlanSentForm is the "mark as sent" form as sent.
type PlanSentForm struct{ PhysicianID int64 }

// PlanCosignForm is the co-signature form as sent.
type PlanCosignForm struct {
	On, By     string
	DocumentID int64
}

// PlanEdit is a draft plan as the form shows it: the values as typed.
type PlanEdit struct {
	RowVersion  int64
	StartDate   string
	PhysicianID int64
	Diagnoses   string // codes separated by commas
	Chosen      []chosenCode
	Goals       []PlanGoalRow
	Techniques  []PlanTechniqueRow
	PerWeek     string
	Weeks       string
	ReevalVisits,
	ReevalDays string
	Precautions string // one per line
	HomeCare    string
}

// PlanGoalRow is one goal row of the form. What is the words of a pain,
// outcome or functional goal; Motion (with Side) the motion of a
// range-of-motion goal.
type PlanGoalRow struct {
	Index                              int
	Term, Measure, What, Motion, Side  string
	Baseline, Target, Unit, TargetDate string
	Error                              string
}

// Ordinal numbers the row for people, from 1.
func (g PlanGoalRow) Ordinal() int { return g.Index + 1 }

func (g PlanGoalRow) blank() bool {
	return strings.TrimSpace(g.Measure+g.What+g.Motion+g.Baseline+g.Target+g.Unit+g.TargetDate) == ""
}

// PlanTechniqueRow is one planned technique of the form.
type PlanTechniqueRow struct {
	Index     int
	Technique string
	Regions   []string
	Error     string
}

// Ordinal numbers the row for people, from 1.
func (t PlanTechniqueRow) Ordinal() int { return t.Index + 1 }

// Has reports whether region key is ticked on this row.
func (t PlanTechniqueRow) Has(key string) bool { return slices.Contains(t.Regions, key) }

// RegionSummary names the ticked regions for the row's disclosure.
func (t PlanTechniqueRow) RegionSummary() string {
	if len(t.Regions) == 0 {
		return "none chosen"
	}
	return strconv.Itoa(len(t.Regions)) + " chosen: " + regionNames(t.Regions)
}

func regionNames(keys []string) string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = assess.RegionLabel(k, "")
	}
	return strings.Join(names, ", ")
}

// RegionGroup is a part of the body with its regions, for the technique
// rows' checkboxes.
type RegionGroup struct {
	Name    string
	Regions []assess.Region
}

// regionGroups follow the order of assess.Regions (head to foot); each
// group begins at its first region, and a region added later joins the
// group it is listed in.
var regionGroups = func() []RegionGroup {
	starts := map[string]string{
		"cranium": "Head and neck", "middle_trapezius": "Shoulder girdle and upper back", "biceps": "Arm and hand",
		"abdominals": "Trunk", "iliopsoas": "Hip and thigh", "knee": "Knee, leg and foot",
	}
	var out []RegionGroup
	for _, r := range assess.Regions {
		if name, ok := starts[r.Key]; ok || len(out) == 0 {
			if name == "" {
				name = "Body"
			}
			out = append(out, RegionGroup{Name: name})
		}
		out[len(out)-1].Regions = append(out[len(out)-1].Regions, r)
	}
	return out
}()

// MotionGroup is a joint with its motions, for the goal rows' motion select.
type MotionGroup struct {
	Joint   string
	Motions []assess.Motion
}

var motionGroups = func() []MotionGroup {
	var out []MotionGroup
	for _, m := range assess.Motions {
		if len(out) == 0 || out[len(out)-1].Joint != m.Joint {
			out = append(out, MotionGroup{Joint: m.Joint})
		}
		out[len(out)-1].Motions = append(out[len(out)-1].Motions, m)
	}
	return out
}()

// Catalogues the templates list.
func (PlanPage) RegionGroups() []RegionGroup { return regionGroups }
func (PlanPage) MotionGroups() []MotionGroup { return motionGroups }
func (PlanPage) Techniques() []assess.Technique {
	return assess.Techniques
}
func (PlanPage) OutcomeMeasures() []string { return assess.OutcomeMeasureNames }

// MeasureKinds are the goal measures with their labels.
func (PlanPage) MeasureKinds() []struct{ Key, Label string } { return assess.MeasureKinds }

// TermLabel says "Short-term" or "Long-term".
func (PlanPage) TermLabel(term string) string {
	switch term {
	case assess.GoalShort:
		return "Short-term"
	case assess.GoalLong:
		return "Long-term"
	}
	return term
}

// MeasureLabel names a measure kind.
func (PlanPage) MeasureLabel(kind string) string {
	for _, k := range assess.MeasureKinds {
		if k.Key == kind {
			return k.Label
		}
	}
	return kind
}

// GoalWhat is what a goal measures, as people read it: a motion with its
// side for a range-of-motion goal, the words otherwise.
func (PlanPage) GoalWhat(g assess.Goal) string {
	if g.Measure == assess.MeasureROM {
		return assess.MotionLabel(g.What, g.Side)
	}
	return g.What
}

// Num prints a goal's value without trailing zeros.
func (PlanPage) Num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// TechniqueName names a technique of the catalogue.
func (PlanPage) TechniqueName(key string) string {
	if t, ok := assess.TechniqueByKey(key); ok {
		return t.Name
	}
	return key
}

// RegionNames lists regions by name.
func (PlanPage) RegionNames(keys []string) string { return regionNames(keys) }

// Frequency and Reevaluation say the plan's schedule in the words of the
// PDF: "2 visits a week for 6 weeks (12 visits)", "Every 6 visits or 30
// days, whichever comes first".
func (p PlanPage) Frequency() string { return pdf.Frequency(p.Plan.PerWeek, p.Plan.Weeks) }
func (p PlanPage) Reevaluation() string {
	return pdf.Reevaluation(p.Plan.ReevalVisits, p.Plan.ReevalDays)
}

// ConditionName is the library entry the plan was prefilled from, "" if none.
func (p PlanPage) ConditionName() string {
	if c, ok := assess.ConditionByKey(p.Plan.Condition); ok {
		return c.Name
	}
	return ""
}

// PhysicianName names a physician of the directory, "" if unknown.
func (p PlanPage) PhysicianName(id int64) string {
	for _, ph := range p.Physicians {
		if ph.ID == id {
			return ph.DisplayName()
		}
	}
	return ""
}

// Physician is the plan's physician as the directory has them, if any.
func (p PlanPage) Physician() *clinic.Physician {
	for i := range p.Physicians {
		if p.Physicians[i].ID == p.Plan.PhysicianID {
			return &p.Physicians[i]
		}
	}
	return nil
}

// SentTo is the physician the "mark as sent" form chooses.
func (p PlanPage) SentTo() int64 {
	if p.Form == "sent" {
		return p.Sent.PhysicianID
	}
	return p.Plan.PhysicianID
}

// CosignBy is the name the co-signature form starts with: as typed, else
// the plan's physician's name.
func (p PlanPage) CosignBy() string {
	if p.Form == "cosign" {
		return p.Cosign.By
	}
	if ph := p.Physician(); ph != nil {
		return ph.DisplayName()
	}
	return ""
}

// CosignOn is the date the co-signature form shows.
func (p PlanPage) CosignOn() string {
	if p.Form == "cosign" {
		return p.Cosign.On
	}
	return ""
}

// CosignDocument is the document the co-signature form chooses.
func (p PlanPage) CosignDocument() int64 {
	if p.Form == "cosign" {
		return p.Cosign.DocumentID
	}
	return p.Plan.CosignDocument
}

// Err is the error of field of the small form name, if it is the one sent back.
func (p PlanPage) Err(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.Fields[field]
}

// Next is the version after this one in the series (nil if none):
// the version that superseded it, or the draft being written.
func (p PlanPage) Next() *assess.Plan {
	for i := range p.Versions {
		if p.Versions[i].Version == p.Plan.Version+1 {
			return &p.Versions[i]
		}
	}
	return nil
}

// Previous is the version before this one (nil for version 1).
func (p PlanPage) Previous() *assess.Plan {
	for i := range p.Versions {
		if p.Versions[i].Version == p.Plan.Version-1 {
			return &p.Versions[i]
		}
	}
	return nil
}

// CanRevise: the signed plan in force, with no draft of the next version yet.
func (p PlanPage) CanRevise() bool {
	return p.CanWrite && p.Plan.Status == assess.Signed && p.Next() == nil
}

// StatusLabel says where a plan stands.
func (PlanPage) StatusLabel(status string) string {
	switch status {
	case assess.Draft:
		return "Draft"
	case assess.Signed:
		return "Signed, in force"
	case assess.Superseded:
		return "Superseded"
	}
	return status
}

// PlanURL is the address of a plan of the page's client.
func (p PlanPage) PlanURL(id int64) string {
	return "/clients/" + strconv.FormatInt(p.Client.ID, 10) + "/plans/" + strconv.FormatInt(id, 10)
}

// Anchor is the id of the control a field error of the draft form points to.
func (PlanPage) Anchor(field string) string {
	switch {
	case strings.HasPrefix(field, "goal."):
		return "goal-" + strings.TrimPrefix(field, "goal.")
	case strings.HasPrefix(field, "technique."):
		return "technique-" + strings.TrimPrefix(field, "technique.")
	case strings.HasPrefix(field, "precaution."):
		return "precautions"
	case field == "form":
		return "plan-form"
	}
	return field
}

// PrecautionErrors are the errors of the precaution lines, numbered.
func (p PlanPage) PrecautionErrors() []string {
	var out []string
	for i := range maxPlanFormRows {
		if m, ok := p.Fields["precaution."+strconv.Itoa(i)]; ok {
			out = append(out, "Precaution "+strconv.Itoa(i+1)+": "+m)
		}
	}
	return out
}

// Number is a number input of the frequency fields.
func (p PlanPage) Number(id, label, hint, value, min, max string) FieldView {
	f := rxField(p.Fields, id, label, "number", value, hint)
	f.Min, f.Max = min, max
	return f
}

// planIDs reads the client's and the plan's ids from the path.
func planIDs(r *http.Request) (clientID, planID int64, err error) {
	if clientID, err = pathID(r); err != nil {
		return 0, 0, err
	}
	planID, err = pathNumber(r, "pid", "plan")
	return clientID, planID, err
}

func planURL(clientID, planID int64) string {
	return "/clients/" + strconv.FormatInt(clientID, 10) + "/plans/" + strconv.FormatInt(planID, 10)
}

// planPageData builds the page of plan p: its client, its series, the
// directory, its diagnoses' titles, and what a writer's forms need.
func (s *Server) planPageData(r *http.Request, a *auth.Actor, p *assess.Plan) (*PlanPage, error) {
	ctx := r.Context()
	c, err := s.App.Client(ctx, a, p.ClientID)
	if err != nil {
		return nil, err
	}
	pg := &PlanPage{FormPage: FormPage{Page: Page{Title: "Plan of care · " + c.DisplayName(), Actor: a, Nav: "clients"}},
		Client: c, Plan: p, CanWrite: a.Can(auth.ClinicalWrite), TimeZone: a.Org.TimeZone, Today: s.App.ClinicDate(a)}
	rec, err := s.App.ClientClinicalRecord(ctx, a, c.ID)
	if err != nil {
		return nil, err
	}
	for _, v := range rec.Plans {
		if v.Series == p.Series {
			pg.Versions = append(pg.Versions, v)
		}
	}
	for _, e := range rec.Evaluations {
		if e.ID == p.EvaluationID {
			pg.Evaluation = &planEvaluation{ID: e.ID, Date: e.Date, Kind: e.Kind}
		}
	}
	all, err := s.App.SearchPhysicians(ctx, a, clinic.PhysicianFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	// Who can certify a plan: physicians and other clinicians, not a
	// referral source such as a gym (unless the plan already names it).
	for _, ph := range all {
		if ph.Kind != clinic.KindOtherSource || ph.ID == p.PhysicianID {
			pg.Physicians = append(pg.Physicians, ph)
		}
	}
	if p.PhysicianID != 0 && pg.PhysicianName(p.PhysicianID) == "" {
		if ph, err := s.App.Physician(ctx, a, p.PhysicianID); err == nil {
			pg.Physicians = append(pg.Physicians, *ph)
		}
	}
	titles, err := s.App.DiagnosisTitles(ctx, p.StartDate, p.Diagnoses)
	if err != nil {
		return nil, err
	}
	for _, code := range p.Diagnoses {
		pg.Diagnoses = append(pg.Diagnoses, chosenCode{code, titles[code]})
	}
	if pg.CanWrite && p.Status != assess.Draft {
		if pg.Documents, err = s.App.ClearanceDocuments(ctx, a, c.ID); err != nil {
			return nil, err
		}
	}
	if pg.CanWrite && p.Status == assess.Draft {
		pg.Title = "Draft plan of care · " + c.DisplayName()
	}
	return pg, nil
}

// renderPlan shows the draft's form to a writer, the read-only view otherwise.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, status int, pg *PlanPage) {
	if pg.CanWrite && pg.Plan.Status == assess.Draft {
		if pg.Edit == nil {
			pg.Edit = editFromPlan(pg.Plan)
		}
		if err := s.chooseCodes(r, pg.Edit); err != nil {
			s.fail(w, r, pg.Actor, err)
			return
		}
		pg.Edit.pad()
		s.render(w, r, status, "plan_form", pg)
		return
	}
	s.render(w, r, status, "plan_view", pg)
}

// chooseCodes names the codes of the form's diagnoses field, as of the
// plan's start date.
func (s *Server) chooseCodes(r *http.Request, e *PlanEdit) error {
	codes := care.ParseCodes(e.Diagnoses)
	if len(codes) > 50 {
		codes = codes[:50]
	}
	date, ok := clinic.ParseDate(e.StartDate)
	if !ok {
		date = ""
	}
	titles, err := s.App.DiagnosisTitles(r.Context(), date, codes)
	if err != nil {
		return err
	}
	e.Chosen = nil
	for _, c := range codes {
		e.Chosen = append(e.Chosen, chosenCode{c, titles[c]})
	}
	return nil
}

// planStart starts a draft from the form on the chart (condition and
// evaluation) and opens it.
func (s *Server) planStart(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	clientID, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if !a.Can(auth.ClinicalWrite) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, app.AuditPlanCreate))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; reload the page and try again."))
		return
	}
	var evID int64
	if v := strings.TrimSpace(r.PostFormValue("evaluation_id")); v != "" && v != "0" {
		if evID, err = strconv.ParseInt(v, 10, 64); err != nil || evID <= 0 {
			s.fail(w, r, a, errs.E(errs.Invalid, "Choose one of the client's evaluations, or none."))
			return
		}
	}
	p, err := s.App.StartPlan(r.Context(), a, clientID, strings.TrimSpace(r.PostFormValue("condition")), evID)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, planURL(clientID, p.ID)+"?started=1", http.StatusSeeOther)
}

// planPage shows a plan: the form of a draft, or the signed plan.
func (s *Server) planPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	// The page's reads (the plan, the client, the record of plans) are one audit entry.
	pg, err := heldRead(s, r, func(r *http.Request) (*PlanPage, error) { return s.loadPlanPage(r, a) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	switch q := r.URL.Query(); {
	case q.Get("started") == "1":
		pg.Flash = "A draft plan was started. Check what was filled in, complete it and sign it."
	case q.Get("revised") == "1":
		pg.Flash = "Version " + strconv.Itoa(pg.Plan.Version) + " was started as a copy of the signed plan. Change what needs changing and sign it; until then the signed version stays in force."
	case q.Get("saved") == "1":
		pg.Flash = "Saved."
	case q.Get("signed") == "1":
		pg.Flash = "Signed. This version of the plan of care is now in force."
	case q.Get("sent") == "1":
		pg.Flash = "Recorded as sent to the physician."
	case q.Get("cosigned") == "1":
		pg.Flash = "The physician's co-signature is recorded."
	}
	s.renderPlan(w, r, http.StatusOK, pg)
}

func (s *Server) loadPlanPage(r *http.Request, a *auth.Actor) (*PlanPage, error) {
	clientID, planID, err := planIDs(r)
	if err != nil {
		return nil, err
	}
	p, err := s.App.Plan(r.Context(), a, clientID, planID)
	if err != nil {
		return nil, err
	}
	return s.planPageData(r, a, p)
}

// planWriter checks that a may write plans (an audited refusal otherwise)
// and loads the plan's page; it answers itself when it returns false.
func (s *Server) planWriter(w http.ResponseWriter, r *http.Request, a *auth.Actor, action string) (*PlanPage, bool) {
	if _, _, err := planIDs(r); err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	if !a.Can(auth.ClinicalWrite) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, action))
		return nil, false
	}
	pg, err := s.loadPlanPage(r, a)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	return pg, true
}

// planSave saves the draft, and signs it when the sign button was pressed.
func (s *Server) planSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	formErr := r.ParseForm()
	sign := r.PostFormValue("sign") == "1"
	action := app.AuditPlanUpdate
	if sign {
		action = app.AuditPlanSign
	}
	pg, ok := s.planWriter(w, r, a, action)
	if !ok {
		return
	}
	if formErr != nil {
		pg.Error = "The form could not be read; reload the page and try again."
		s.renderPlan(w, r, http.StatusBadRequest, pg)
		return
	}
	if pg.Plan.Status != assess.Draft {
		// Checked before the form, so a signed plan answers the same
		// whatever was typed: it never changes.
		pg.Error = "This plan is signed and can no longer change. Write a new version of it instead."
		s.renderPlan(w, r, http.StatusConflict, pg)
		return
	}
	edit, bad := readPlanForm(r.PostForm)
	pg.Edit = edit
	if edit.PhysicianID != 0 && edit.PhysicianID != pg.Plan.PhysicianID {
		if _, err := s.App.Physician(r.Context(), a, edit.PhysicianID); err != nil {
			if errs.HTTPStatus(err) >= 500 {
				s.fail(w, r, a, err)
				return
			}
			bad.Add("physician_id", "Choose a physician of your directory.")
		}
	}
	if len(bad) > 0 {
		s.planFormError(w, r, pg, sign, bad.Err())
		return
	}
	p := *pg.Plan
	edit.apply(&p)
	if err := s.App.SavePlan(r.Context(), a, &p, sign); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
			s.fail(w, r, a, err)
			return
		}
		s.planFormError(w, r, pg, sign, err)
		return
	}
	next := "?saved=1"
	if sign {
		next = "?signed=1"
	}
	http.Redirect(w, r, planURL(p.ClientID, p.ID)+next, http.StatusSeeOther)
}

// planFormError shows the draft's form again with what was typed and err
// next to the fields it names.
func (s *Server) planFormError(w http.ResponseWriter, r *http.Request, pg *PlanPage, sign bool, err error) {
	pg.Fields = errs.FieldsOf(err)
	msg := errs.Message(err)
	if len(pg.Fields) > 0 {
		// The summary lists each message; the sentence need not name fields.
		msg = "Correct what is marked below."
	}
	switch {
	case errs.Is(err, errs.Conflict):
		pg.Error = msg
	case sign:
		pg.Error = "Nothing was saved and the plan is not signed. " + msg
	default:
		pg.Error = "Nothing was saved. " + msg
	}
	for i := range pg.Edit.Goals {
		pg.Edit.Goals[i].Error = pg.Fields["goal."+strconv.Itoa(i)]
	}
	for i := range pg.Edit.Techniques {
		pg.Edit.Techniques[i].Error = pg.Fields["technique."+strconv.Itoa(i)]
	}
	s.renderPlan(w, r, errs.HTTPStatus(err), pg)
}

// planRevise starts the next version of the signed plan.
func (s *Server) planRevise(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	pg, ok := s.planWriter(w, r, a, app.AuditPlanCreate)
	if !ok {
		return
	}
	np, err := s.App.RevisePlan(r.Context(), a, pg.Client.ID, pg.Plan.ID)
	if err != nil {
		if errs.Is(err, errs.Conflict) {
			pg.Error = errs.Message(err)
			s.renderPlan(w, r, http.StatusConflict, pg)
			return
		}
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, planURL(pg.Client.ID, np.ID)+"?revised=1", http.StatusSeeOther)
}

// formID reads an optional id field: 0 when empty, -1 when not an id.
func formID(f url.Values, name string) int64 {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// planSent records that the signed plan went to a physician.
func (s *Server) planSent(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	formErr := r.ParseForm()
	pg, ok := s.planWriter(w, r, a, app.AuditPlanSend)
	if !ok {
		return
	}
	pg.Form = "sent"
	pg.Sent.PhysicianID = formID(r.PostForm, "physician_id")
	var err error
	switch {
	case formErr != nil:
		err = errs.E(errs.Invalid, "The form could not be read; reload the page and try again.")
	case pg.Sent.PhysicianID <= 0:
		err = &errs.Error{Code: errs.Invalid, Message: "Choose the physician the plan was sent to.", Fields: map[string]string{"physician_id": "Choose the physician."}}
	default:
		err = s.App.MarkPlanSent(r.Context(), a, pg.Client.ID, pg.Plan.ID, pg.Sent.PhysicianID)
	}
	s.afterPlanForm(w, r, pg, err, "?sent=1")
}

// planCosign records the physician's returned co-signature.
func (s *Server) planCosign(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	formErr := r.ParseForm()
	pg, ok := s.planWriter(w, r, a, app.AuditPlanCosign)
	if !ok {
		return
	}
	f := r.PostForm
	pg.Form = "cosign"
	pg.Cosign = PlanCosignForm{On: strings.TrimSpace(f.Get("cosigned_on")), By: strings.TrimSpace(f.Get("cosigned_by")), DocumentID: formID(f, "document_id")}
	var err error
	switch {
	case formErr != nil:
		err = errs.E(errs.Invalid, "The form could not be read; reload the page and try again.")
	case pg.Cosign.DocumentID < 0:
		err = &errs.Error{Code: errs.Invalid, Message: "Choose one of the client's documents, or none.", Fields: map[string]string{"document": "Unknown document."}}
	case !planText(pg.Cosign.By):
		err = &errs.Error{Code: errs.Invalid, Message: "Please correct the highlighted field.", Fields: map[string]string{"cosigned_by": "Remove the characters that are not text."}}
	default:
		on := pg.Cosign.On
		if d, ok := clinic.ParseDate(on); ok {
			on = d
		}
		err = s.App.RecordCosign(r.Context(), a, pg.Client.ID, pg.Plan.ID, on, pg.Cosign.By, pg.Cosign.DocumentID)
	}
	s.afterPlanForm(w, r, pg, err, "?cosigned=1")
}

// afterPlanForm answers one of the view's small forms: back to the plan
// when it worked, the view with the error next to the form otherwise.
func (s *Server) afterPlanForm(w http.ResponseWriter, r *http.Request, pg *PlanPage, err error, flash string) {
	if err == nil {
		http.Redirect(w, r, planURL(pg.Client.ID, pg.Plan.ID)+flash+"#physician", http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		s.fail(w, r, pg.Actor, err)
		return
	}
	pg.Error, pg.Fields = errs.Message(err), errs.FieldsOf(err)
	s.renderPlan(w, r, errs.HTTPStatus(err), pg)
}

// planPDF answers the plan of care as a PDF for the physician.
func (s *Server) planPDF(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	// The reads behind the document are one audit entry.
	doc, err := heldRead(s, r, func(r *http.Request) (*pdf.PlanDoc, error) { return s.planDoc(r, a) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	b, err := pdf.PlanOfCare(*doc)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	sendPDF(w, "plan-of-care-"+strconv.FormatInt(doc.Plan.ID, 10)+".pdf", b)
}

// planDoc gathers what the plan of care prints: the parties (assess_pdf.go)
// with the plan's own physician and diagnoses, the therapist who signed,
// and the body chart of the evaluation the plan follows.
func (s *Server) planDoc(r *http.Request, a *auth.Actor) (*pdf.PlanDoc, error) {
	ctx := r.Context()
	clientID, planID, err := planIDs(r)
	if err != nil {
		return nil, err
	}
	p, err := s.App.Plan(ctx, a, clientID, planID)
	if err != nil {
		return nil, err
	}
	c, err := s.App.Client(ctx, a, clientID)
	if err != nil {
		return nil, err
	}
	// The plan's own diagnoses (never nil, so not the prescription's),
	// titled as the code set in force when the plan starts.
	parties, err := s.pdfParties(r, a, c, p.PhysicianID, append([]string{}, p.Diagnoses...), p.StartDate)
	if err != nil {
		return nil, err
	}
	doc := &pdf.PlanDoc{Plan: p, Letterhead: parties.Letterhead, Client: parties.Client, Physician: parties.Physician,
		Diagnoses: parties.Diagnoses, TimeZone: parties.TimeZone,
		Therapist: pdf.Person{Name: p.SignedByName, Detail: "Massage therapist"}}
	if doc.Therapist.Name == "" {
		doc.Therapist.Name = s.staffName(r, a, p.TherapistID)
	}
	if p.EvaluationID != 0 {
		ev, err := s.App.Evaluation(ctx, a, clientID, p.EvaluationID)
		if err != nil {
			return nil, err
		}
		doc.Marks = ev.Marks
	}
	return doc, nil
}

// staffName names the therapist who wrote a draft (a signed plan carries
// its signer's name).
func (s *Server) staffName(r *http.Request, a *auth.Actor, id int64) string {
	if id == a.User.ID {
		return a.User.Name
	}
	ts, err := s.App.Therapists(r.Context(), a)
	if err != nil {
		return ""
	}
	for _, t := range ts {
		if t.ID == id {
			return t.Name
		}
	}
	return ""
}

// ---------------------------------------------------------------------------
// The draft form, as typed

// editFromPlan is the form of a stored plan.
func editFromPlan(p *assess.Plan) *PlanEdit {
	e := &PlanEdit{RowVersion: p.RowVersion, StartDate: p.StartDate, PhysicianID: p.PhysicianID, Diagnoses: strings.Join(p.Diagnoses, ", "),
		PerWeek: strconv.Itoa(p.PerWeek), Weeks: strconv.Itoa(p.Weeks), ReevalVisits: strconv.Itoa(p.ReevalVisits), ReevalDays: strconv.Itoa(p.ReevalDays),
		Precautions: strings.Join(p.Precautions, "\n"), HomeCare: p.HomeCare}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for i, g := range p.Goals {
		row := PlanGoalRow{Index: i, Term: g.Term, Measure: g.Measure, Baseline: num(g.Baseline), Target: num(g.Target), Unit: g.Unit, TargetDate: g.TargetDate}
		if g.Measure == assess.MeasureROM {
			row.Motion, row.Side = g.What, g.Side
		} else {
			row.What = g.What
		}
		e.Goals = append(e.Goals, row)
	}
	for i, t := range p.Techniques {
		e.Techniques = append(e.Techniques, PlanTechniqueRow{Index: i, Technique: t.Technique, Regions: slices.Clone(t.Regions)})
	}
	return e
}

// pad adds the blank rows after the filled ones.
func (e *PlanEdit) pad() {
	for range planBlankRows {
		e.Goals = append(e.Goals, PlanGoalRow{Index: len(e.Goals)})
		e.Techniques = append(e.Techniques, PlanTechniqueRow{Index: len(e.Techniques)})
	}
}

var planRowRE = regexp.MustCompile(`^(goal|technique)\.(\d{1,4})\.`)

// planRowIndexes lists, in order, the row numbers of kind ("goal",
// "technique") the form sent; the script may number rows with gaps.
func planRowIndexes(f url.Values, kind string) []int {
	seen := map[int]bool{}
	for k := range f {
		if m := planRowRE.FindStringSubmatch(k); m != nil && m[1] == kind {
			n, _ := strconv.Atoi(m[2])
			seen[n] = true
		}
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// planText reports whether s is text a person typed: valid UTF-8 without
// control characters other than line breaks and tabs.
func planText(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) < 0
}

// readPlanForm reads the draft form. Blank rows are left out before
// anything is checked, exactly as assess.Plan.Normalize leaves them out,
// so the row numbers of the errors SavePlan returns are the rows shown
// again. What cannot be read at all (a baseline that is not a number) is
// reported here, by the same field names.
func readPlanForm(f url.Values) (*PlanEdit, errs.FieldErrors) {
	bad := errs.FieldErrors{}
	e := &PlanEdit{StartDate: strings.TrimSpace(f.Get("start_date")), Diagnoses: f.Get("diagnoses"),
		PerWeek: strings.TrimSpace(f.Get("per_week")), Weeks: strings.TrimSpace(f.Get("weeks")),
		ReevalVisits: strings.TrimSpace(f.Get("reeval_visits")), ReevalDays: strings.TrimSpace(f.Get("reeval_days")),
		Precautions: f.Get("precautions"), HomeCare: f.Get("home_care")}
	rv, err := strconv.ParseInt(f.Get("row_version"), 10, 64)
	if err != nil || rv <= 0 {
		bad.Add("form", "The form could not be read; reload the page and try again.")
	}
	e.RowVersion = rv
	switch e.PhysicianID = formID(f, "physician_id"); {
	case e.PhysicianID < 0:
		bad.Add("physician_id", "Choose a physician of your directory.")
		e.PhysicianID = 0
	}
	if !planText(e.Diagnoses) {
		bad.Add("diagnoses", "Remove the characters that are not text.")
	}
	for name, v := range map[string]string{"home_care": e.HomeCare, "precautions": e.Precautions} {
		if !planText(v) {
			bad.Add(name, "Remove the characters that are not text.")
		}
	}

	goals, techs := planRowIndexes(f, "goal"), planRowIndexes(f, "technique")
	if len(goals) > maxPlanFormRows || len(techs) > maxPlanFormRows {
		bad.Add("form", "This plan has more rows than one plan can hold.")
		goals, techs = goals[:min(len(goals), maxPlanFormRows)], techs[:min(len(techs), maxPlanFormRows)]
	}
	for _, n := range goals {
		k := "goal." + strconv.Itoa(n) + "."
		row := PlanGoalRow{Term: f.Get(k + "term"), Measure: f.Get(k + "measure"), What: strings.TrimSpace(f.Get(k + "what")),
			Motion: f.Get(k + "motion"), Side: f.Get(k + "side"), Baseline: strings.TrimSpace(f.Get(k + "baseline")),
			Target: strings.TrimSpace(f.Get(k + "target")), Unit: strings.TrimSpace(f.Get(k + "unit")), TargetDate: strings.TrimSpace(f.Get(k + "target_date"))}
		if row.blank() {
			continue
		}
		row.Index = len(e.Goals)
		field := "goal." + strconv.Itoa(row.Index)
		switch {
		case !planText(row.What + row.Unit + row.Term + row.Measure + row.Motion + row.Side):
			bad.Add(field, "Remove the characters that are not text.")
		case row.Measure == "" && row.what() == "":
			bad.Add(field, "Choose how the goal is measured and say what is measured, or clear the row.")
		case !planNumber(row.Baseline) || !planNumber(row.Target):
			bad.Add(field, "Enter the baseline and the target as numbers.")
		}
		e.Goals = append(e.Goals, row)
	}
	for _, n := range techs {
		k := "technique." + strconv.Itoa(n) + "."
		row := PlanTechniqueRow{Technique: f.Get(k + "technique"), Regions: f[k+"regions"]}
		if len(row.Regions) > len(assess.Regions) {
			row.Regions = row.Regions[:len(assess.Regions)]
		}
		if row.Technique == "" && len(row.Regions) == 0 {
			continue
		}
		row.Index = len(e.Techniques)
		if row.Technique == "" {
			bad.Add("technique."+strconv.Itoa(row.Index), "Choose the technique for the regions ticked, or untick them.")
		}
		e.Techniques = append(e.Techniques, row)
	}
	return e, bad
}

// what is what a goal row measures: the motion of a range-of-motion goal,
// the words otherwise.
func (g PlanGoalRow) what() string {
	if g.Measure == assess.MeasureROM {
		return g.Motion
	}
	return g.What
}

// planNumber reports whether s is empty (0) or a finite number.
func planNumber(s string) bool {
	if s == "" {
		return true
	}
	v, err := strconv.ParseFloat(s, 64)
	return err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
}

func planFloat(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// planInt reads a count: 0 when empty, -1 (refused by validation, next
// to its field) when it is not a whole number.
func planInt(s string) int {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 100000 {
		return -1
	}
	return n
}

// apply puts the form's values into p (a copy of the stored draft).
func (e *PlanEdit) apply(p *assess.Plan) {
	p.RowVersion = e.RowVersion
	p.StartDate = e.StartDate
	if d, ok := clinic.ParseDate(e.StartDate); ok {
		p.StartDate = d
	}
	p.PhysicianID = e.PhysicianID
	p.Diagnoses = care.ParseCodes(e.Diagnoses)
	p.Goals = make([]assess.Goal, 0, len(e.Goals))
	for _, row := range e.Goals {
		g := assess.Goal{Term: row.Term, Measure: row.Measure, What: row.what(), Baseline: planFloat(row.Baseline), Target: planFloat(row.Target),
			Unit: row.Unit, TargetDate: row.TargetDate}
		if d, ok := clinic.ParseDate(row.TargetDate); ok {
			g.TargetDate = d
		}
		if g.Measure == assess.MeasureROM {
			g.Side = row.Side
		}
		p.Goals = append(p.Goals, g)
	}
	p.Techniques = make([]assess.PlannedTechnique, 0, len(e.Techniques))
	for _, row := range e.Techniques {
		p.Techniques = append(p.Techniques, assess.PlannedTechnique{Technique: row.Technique, Regions: slices.Clone(row.Regions)})
	}
	p.PerWeek, p.Weeks, p.ReevalVisits, p.ReevalDays = planInt(e.PerWeek), planInt(e.Weeks), planInt(e.ReevalVisits), planInt(e.ReevalDays)
	// One precaution a line; blank lines are left out here as Normalize
	// would, so "precaution.N" errors count the lines kept.
	p.Precautions = nil
	for _, line := range strings.Split(e.Precautions, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Precautions = append(p.Precautions, line)
		}
	}
	p.HomeCare = e.HomeCare
}
