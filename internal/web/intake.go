package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// The intake area: the public form a client signs through a link (or on a
// clinic device handed to them), the chart's health-history section, the
// version and review pages, and the owner's consent documents.

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /intake/{token}", s.intakePublic)
		m.HandleFunc("POST /intake/{token}", s.intakeSubmit)
		m.HandleFunc("POST /clients/{id}/intake-links", s.signedIn(s.intakeLinkCreate))
		m.HandleFunc("POST /clients/{id}/intake-links/{link}/revoke", s.signedIn(s.intakeLinkRevoke))
		m.HandleFunc("POST /clients/{id}/hand-to-client", s.signedIn(s.intakeHandToClient))
		m.HandleFunc("GET /clients/{id}/intakes", s.signedIn(s.intakeHistory))
		m.HandleFunc("GET /clients/{id}/intakes/{version}", s.signedIn(s.intakeVersionPage))
		m.HandleFunc("GET /clients/{id}/intakes/{version}/review", s.signedIn(s.intakeReviewPage))
		m.HandleFunc("POST /clients/{id}/intakes/{version}/review", s.signedIn(s.intakeReviewPost))
	})
	chartSections = append(chartSections, ChartSection{Order: 10, Render: (*Server).intakeChartSection})
}

// maxIntakeBody bounds a posted intake: the answers and a drawn signature
// (care.MaxSignaturePNG, base64) fit well within it.
const maxIntakeBody = 1 << 20

// ---------------------------------------------------------------------------
// Public pages: the link's form

// redactToken keeps a live link's token out of the request log, which
// records the path: the log's request shares r.URL with the handler's.
func redactToken(r *http.Request) {
	r.URL.Path = "/intake/…"
	r.URL.RawPath = ""
}

// IntakeDonePage is the data of intake_done.html: the thanks after signing,
// or the neutral page of a link that is no longer valid.
type IntakeDonePage struct {
	Page
	Invalid    bool
	Kiosk      bool
	ClinicName string
	FirstName  string
}

// intakeInvalid shows a used, expired, revoked or unknown link: nothing of
// the client or the clinic, the same words whichever it is.
func (s *Server) intakeInvalid(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusNotFound
	if errs.Is(err, errs.Gone) {
		status = http.StatusGone
	}
	if errs.HTTPStatus(err) >= 500 {
		s.Log.Error("intake link failed", "ref", requestID(r), "err", err)
		s.render(w, r, http.StatusInternalServerError, "error", ErrorPage{Page: Page{Title: "Something went wrong", Bare: true}, Status: 500, Message: errs.Message(err) + " (reference " + requestID(r) + ")"})
		return
	}
	s.render(w, r, status, "intake_done", IntakeDonePage{Page: Page{Title: "Link no longer valid", Bare: true}, Invalid: true})
}

func (s *Server) intakePublic(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	redactToken(r)
	p, err := s.App.OpenIntakeLink(r.Context(), token)
	if err != nil {
		s.intakeInvalid(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "intake_form", newIntakeForm(p, url.Values{}, nil, ""))
}

func (s *Server) intakeSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	redactToken(r)
	r.Body = http.MaxBytesReader(w, r.Body, maxIntakeBody)
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		msg := "The form could not be read. Please go back and send it again."
		if strings.Contains(err.Error(), "too large") {
			status, msg = http.StatusRequestEntityTooLarge, "The form is too large to send. Clear the drawn signature and sign again, or shorten the longest answers."
		}
		s.render(w, r, status, "error", ErrorPage{Page: Page{Title: "Not sent", Bare: true}, Status: status, Message: msg})
		return
	}
	v := compactIntakeRows(r.PostForm)
	in, ferr := DecodeIntakeForm(v)
	sig, serr := care.DecodeSignature(v.Get(care.FieldSignatureName), v.Get(care.FieldSignaturePNG))
	for k, m := range serr {
		ferr.Add(k, m)
	}
	agreed := map[string]int64{}
	for _, k := range care.ConsentKinds {
		if id, err := strconv.ParseInt(v.Get(app.ConsentField(k.Key)), 10, 64); err == nil {
			agreed[k.Key] = id
		}
	}
	done, p, err := s.App.SubmitIntake(r.Context(), token, ClientIP(r), in, sig, agreed, ferr)
	if err != nil {
		if p == nil || (!errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict)) {
			s.intakeInvalid(w, r, err)
			return
		}
		msg := errs.Message(err)
		if len(errs.FieldsOf(err)) > 0 {
			// The error's own message names the fields by their keys; a client reads the list below.
			msg = "Some answers need a second look: see the notes below, and beside each answer."
		}
		s.render(w, r, errs.HTTPStatus(err), "intake_form", newIntakeForm(p, v, errs.FieldsOf(err), msg))
		return
	}
	title := "Thank you"
	s.render(w, r, http.StatusOK, "intake_done", IntakeDonePage{Page: Page{Title: title, Bare: true}, Kiosk: done.Source == "kiosk", ClinicName: p.OrgName, FirstName: p.FirstName})
}

// IntakeFormPage is the data of intake_form.html. The form is shown from
// what was posted (V), so a form with errors keeps what the client typed.
type IntakeFormPage struct {
	Page
	ClinicName string
	FirstName  string
	Kiosk      bool
	Expires    time.Time
	TimeZone   string
	V          url.Values
	Fields     map[string]string
	Error      string
	Consents   []care.ConsentDocument
	// Rows lists the rows each repeated section shows.
	Rows map[string][]FormRow
	Body BodyChart
}

func newIntakeForm(p *app.PublicIntake, v url.Values, fields map[string]string, msg string) IntakeFormPage {
	f := IntakeFormPage{Page: Page{Title: "Health history for " + p.OrgName, Bare: true}, ClinicName: p.OrgName, FirstName: p.FirstName,
		Kiosk: p.Link.Kiosk, Expires: p.Link.ExpiresAt, TimeZone: p.TimeZone, V: v, Fields: fields, Error: msg, Consents: p.Consents, Rows: map[string][]FormRow{}}
	if f.Fields == nil {
		f.Fields = map[string]string{}
	}
	for _, r := range intakeRows {
		n := len(rowIndexes(v, r))
		total := min(max(n+1, r.blank), r.max)
		if n > total {
			total = n
		}
		for i := range total {
			f.Rows[r.prefix] = append(f.Rows[r.prefix], FormRow{I: i, N: i + 1})
		}
	}
	// Marks typed so far are drawn on the figure again.
	for _, row := range f.Rows[care.RowMark] {
		i := row.I
		g := func(n string) string { return v.Get(care.RowField(care.RowMark, i, n)) }
		x, errX := strconv.ParseFloat(g("x"), 64)
		y, errY := strconv.ParseFloat(g("y"), 64)
		if errX == nil && errY == nil && x >= 0 && x <= 1 && y >= 0 && y <= 1 {
			f.Body.add(care.Mark{View: g("view"), X: x, Y: y}, i+1)
		}
	}
	f.Body.Interactive = true
	return f
}

// FormRow is one row of a repeated section: its index in field names, and its number as shown.
type FormRow struct{ I, N int }

// Val is what was typed in field k.
func (p IntakeFormPage) Val(k string) string { return p.V.Get(k) }

// Has reports whether the box with value x of field k is ticked.
func (p IntakeFormPage) Has(k, x string) bool {
	for _, y := range p.V[k] {
		if y == x {
			return true
		}
	}
	return false
}

// Err is the error of field k, if any.
func (p IntakeFormPage) Err(k string) string { return p.Fields[k] }

// RV is what was typed in a row's field.
func (p IntakeFormPage) RV(prefix string, i int, name string) string {
	return p.V.Get(care.RowField(prefix, i, name))
}

// RE is the error of a row's field.
func (p IntakeFormPage) RE(prefix string, i int, name string) string {
	return p.Fields[care.RowField(prefix, i, name)]
}

// F names a row's field (for name, id and for attributes).
func (p IntakeFormPage) F(prefix string, i int, name string) string {
	return care.RowField(prefix, i, name)
}

// DatedRows is the data of the "intake_dated_rows" template: surgeries or injuries.
type DatedRows struct {
	P                  IntakeFormPage
	Prefix, Noun, What string
	Rows               []FormRow
}

// Dated gives the rows of surgeries or injuries to the shared template.
func (p IntakeFormPage) Dated(prefix, noun, what string) DatedRows {
	return DatedRows{p, prefix, noun, what, p.Rows[prefix]}
}

// ConsentField is the name of a consent's checkbox.
func (p IntakeFormPage) ConsentField(kind string) string { return app.ConsentField(kind) }

// Agreed reports whether the consent d is ticked.
func (p IntakeFormPage) Agreed(d care.ConsentDocument) bool {
	return p.V.Get(app.ConsentField(d.Kind)) == strconv.FormatInt(d.ID, 10)
}

// ConditionGroups are the checklist's groups in order.
func (p IntakeFormPage) ConditionGroups() []ConditionGroup { return conditionGroups() }

// ConditionGroup is one heading of the conditions checklist.
type ConditionGroup struct {
	Name  string
	Items []care.Condition
}

func conditionGroups() []ConditionGroup {
	var out []ConditionGroup
	for _, c := range care.Conditions {
		if len(out) == 0 || out[len(out)-1].Name != c.Group {
			out = append(out, ConditionGroup{Name: c.Group})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, c)
	}
	return out
}

// Vocabulary for the form's lists.
func (p IntakeFormPage) Regions() []string { return care.Regions }
func (p IntakeFormPage) Sides() []string   { return care.Sides }
func (p IntakeFormPage) MedicationClasses() []care.MedicationClass {
	return care.MedicationClasses
}
func (p IntakeFormPage) Allergies() []care.Allergy { return care.AllergyKinds }
func (p IntakeFormPage) Pressures() []struct{ Key, Label string } {
	return care.Pressures
}
func (p IntakeFormPage) MarkKinds() []struct{ Key, Label string } { return care.MarkKinds }
func (p IntakeFormPage) Intensities() []int                       { return []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10} }

// ErrorList is the fields with errors, in the order of the form, for the summary at the top.
func (p IntakeFormPage) ErrorList() []FieldErr {
	var out []FieldErr
	order := []string{care.FieldReason, care.FieldGoals}
	for _, r := range intakeRows {
		for _, row := range p.Rows[r.prefix] {
			for _, f := range r.fields {
				order = append(order, care.RowField(r.prefix, row.I, f))
			}
		}
	}
	order = append(order, care.FieldConditions, care.FieldConditionNotes, care.FieldAllergies, care.FieldAllergyNotes, care.FieldPregnant,
		care.FieldPregnancyWeeks, care.FieldImplantedDevices, care.FieldPriorMassage, care.FieldPriorNotes, care.FieldPressure,
		care.FieldPhysicianName, care.FieldPhysicianPhone, care.FieldBPSystolic, care.FieldBPDiastolic, "marks", "medications", "surgeries", "injuries", "dnt")
	for _, k := range care.ConsentKinds {
		order = append(order, app.ConsentField(k.Key))
	}
	order = append(order, care.FieldSignaturePNG, care.FieldSignatureName)
	seen := map[string]bool{}
	for _, k := range order {
		if m, ok := p.Fields[k]; ok && !seen[k] {
			out = append(out, FieldErr{k, m})
			seen[k] = true
		}
	}
	for k, m := range p.Fields {
		if !seen[k] {
			out = append(out, FieldErr{k, m})
		}
	}
	return out
}

// FieldErr is an error of a named field.
type FieldErr struct{ Field, Message string }

// ---------------------------------------------------------------------------
// The body outline

// BodyChart is the data of the "intake_body" partial: the outline, the
// marks on it, and (on the form) the zone table the page script uses.
type BodyChart struct {
	Interactive bool
	Front, Back []Dot
}

// Dot is a mark drawn on a figure, in drawing units.
type Dot struct {
	CX, CY float64
	N      int
	Label  string
}

func (b *BodyChart) add(m care.Mark, n int) {
	d := Dot{CX: care.RoundMark(m.X * care.BodyWidth), CY: care.RoundMark(m.Y * care.BodyHeight), N: n, Label: care.AreaLabel(m.Region, m.Side)}
	if m.View == "posterior" {
		b.Back = append(b.Back, d)
	} else {
		b.Front = append(b.Front, d)
	}
}

// ZonesJSON is the zone table for the page script (care.BodyZones).
func (b BodyChart) ZonesJSON() string {
	j, _ := json.Marshal(care.BodyZones)
	return string(j)
}

// ---------------------------------------------------------------------------
// Staff pages

// IntakeView wraps an intake with what its pages show.
type IntakeView struct {
	*care.Intake
	TZ string
}

func (v IntakeView) MarkLines() []string       { return care.MarkLines(v.PainAreas) }
func (v IntakeView) ConditionLabels() []string { return care.ConditionLines(v.Conditions) }
func (v IntakeView) AllergyLabels() []string   { return care.AllergyLines(v.Allergies) }
func (v IntakeView) MedicationLines() []string { return care.MedicationLines(v.Medications) }
func (v IntakeView) SurgeryLines() []string    { return care.SurgeryLines(v.Surgeries) }
func (v IntakeView) InjuryLines() []string     { return care.InjuryLines(v.RecentInjuries) }
func (v IntakeView) DoNotTreatLines() []string { return care.AreaLines(v.DoNotTreat) }
func (v IntakeView) PregnancyText() string     { return care.PregnancyText(v.Intake) }
func (v IntakeView) PhysicianText() string     { return care.PhysicianText(v.Intake) }
func (v IntakeView) BPText() string            { return care.BPText(v.Intake) }
func (v IntakeView) PressureText() string      { return care.PressureLabel(v.PressurePreference) }

// PriorMassageText is the answer about massage before.
func (v IntakeView) PriorMassageText() string {
	if !v.PriorMassage {
		return "No"
	}
	if v.PriorMassageNotes != "" {
		return "Yes — " + v.PriorMassageNotes
	}
	return "Yes"
}

// SourceText says how the intake was filled in.
func (v IntakeView) SourceText() string {
	switch v.Source {
	case "kiosk":
		return "on a clinic device"
	case "import":
		return "on paper, recorded by staff"
	}
	return "through a secure link"
}

// SignatureImage is the drawn signature as an image address ("" if typed).
func (v IntakeView) SignatureImage() template.URL {
	if len(v.SignaturePNG) == 0 {
		return ""
	}
	return template.URL(care.Signature{PNG: v.SignaturePNG}.DataURL())
}

// ConsentLabels names the consent documents signed, with their versions.
func (v IntakeView) ConsentLabels() []string {
	var out []string
	for _, c := range v.Consents {
		out = append(out, care.ConsentKindLabel(c.Kind)+" (version "+strconv.Itoa(c.Version)+")")
	}
	return out
}

// Body is the outline with the intake's marks.
func (v IntakeView) Body() BodyChart {
	var b BodyChart
	for i, m := range v.PainAreas {
		b.add(m, i+1)
	}
	return b
}

// IntakeChart is the data of the chart's "Health history" section.
type IntakeChart struct {
	Client    *clinic.Client
	Actor     *auth.Actor
	Overview  *app.IntakeOverview
	Latest    IntakeView
	CanReview bool
	CanManage bool
}

func (s *Server) intakeChartSection(r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	if !app.MayReadIntake(a) {
		return "", nil
	}
	o, err := s.App.IntakeOverview(r.Context(), a, c.ID)
	if err != nil {
		return "", err
	}
	d := IntakeChart{Client: c, Actor: a, Overview: o, CanReview: app.MayReviewIntake(a), CanManage: a.Can(auth.OrgManage)}
	if o.Latest != nil {
		d.Latest = IntakeView{o.Latest, a.Org.TimeZone}
	}
	return s.renderPartial("chart_intake", d)
}

// IntakeLinkPage is the data of intake_link.html: a new link, shown once.
type IntakeLinkPage struct {
	Page
	Client  *clinic.Client
	URL     string
	Expires time.Time
}

// baseURL is this server's address as the browser reached it, for links
// staff copy to clients.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) intakeLinkCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	l, err := s.App.CreateIntakeLink(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "intake_link", IntakeLinkPage{Page: Page{Title: "Intake link for " + c.DisplayName(), Actor: a, Nav: "clients"},
		Client: c, URL: s.baseURL(r) + "/intake/" + l.Token, Expires: l.Link.ExpiresAt})
}

func (s *Server) intakeLinkRevoke(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	link, err := strconv.ParseInt(r.PathValue("link"), 10, 64)
	if err != nil || link <= 0 {
		s.fail(w, r, a, errs.E(errs.NotFound, "No such link."))
		return
	}
	if err := s.App.RevokeIntakeLink(r.Context(), a, id, link); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(id, 10)+"?link_revoked=1#health-history", http.StatusSeeOther)
}

func (s *Server) intakeHandToClient(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	tok, err := s.App.HandToClient(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	// The staff session has ended: the device now shows only the client's form.
	s.clearCookie(w, r)
	http.Redirect(w, r, "/intake/"+tok, http.StatusSeeOther)
}

func versionOf(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || v <= 0 || v > 1_000_000 {
		return 0, errs.E(errs.NotFound, "There is no such version.")
	}
	return v, nil
}

// IntakeHistoryPage is the data of intake_history.html.
type IntakeHistoryPage struct {
	Page
	Client   *clinic.Client
	Versions []care.Intake
}

func (s *Server) intakeHistory(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	vs, err := s.App.Intakes(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "intake_history", IntakeHistoryPage{Page: Page{Title: "Health history of " + c.DisplayName(), Actor: a, Nav: "clients"}, Client: c, Versions: vs})
}

// IntakeVersionPage is the data of intake_view.html and intake_review.html.
type IntakeVersionPage struct {
	Page
	Client    *clinic.Client
	Intake    IntakeView
	Changes   []care.IntakeChange
	First     bool
	Intact    bool
	CanReview bool
}

func (s *Server) intakeVersionData(w http.ResponseWriter, r *http.Request, a *auth.Actor) (*IntakeVersionPage, bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	v, err := versionOf(r)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	cur, prev, err := s.App.IntakeVersion(r.Context(), a, id, v)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	p := &IntakeVersionPage{Page: Page{Actor: a, Nav: "clients"}, Client: c, Intake: IntakeView{cur, a.Org.TimeZone},
		Changes: care.DiffIntakes(prev, cur), First: prev == nil, CanReview: app.MayReviewIntake(a)}
	if p.Intact, err = s.App.IntakeIntact(r.Context(), a, cur); err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	return p, true
}

func (s *Server) intakeVersionPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, ok := s.intakeVersionData(w, r, a)
	if !ok {
		return
	}
	p.Title = "Health history version " + strconv.Itoa(p.Intake.Version) + " · " + p.Client.DisplayName()
	s.render(w, r, http.StatusOK, "intake_view", p)
}

func (s *Server) intakeReviewPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, ok := s.intakeVersionData(w, r, a)
	if !ok {
		return
	}
	p.Title = "Review health history · " + p.Client.DisplayName()
	s.render(w, r, http.StatusOK, "intake_review", p)
}

func (s *Server) intakeReviewPost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	v, err := versionOf(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := s.App.ReviewIntake(r.Context(), a, id, v); err != nil && !errs.Is(err, errs.Conflict) {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(id, 10)+"?reviewed=1#health-history", http.StatusSeeOther)
}

// OpenLinks lists the overview's open links for the template.
func (c IntakeChart) OpenLinks() []store.IntakeLink { return c.Overview.Links }
