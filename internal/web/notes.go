package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

// SOAP session notes: starting a session (from an appointment or as a
// walk-in), the note's editor with autosave and conflicts, signing, the
// signed note with its addenda, and the chart's "Session notes" section.

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("POST /appointments/{id}/session", s.signedIn(s.noteStartAppointment))
		m.HandleFunc("POST /clients/{id}/session", s.signedIn(s.noteStartWalkIn))
		m.HandleFunc("GET /notes/{id}", s.signedIn(s.notePage))
		m.HandleFunc("GET /notes/{id}/units", s.signedIn(s.noteUnits))
		m.HandleFunc("POST /notes/{id}/draft", s.signedIn(s.noteDraft))
		m.HandleFunc("POST /notes/{id}/acknowledge", s.signedIn(s.noteAcknowledge))
		m.HandleFunc("POST /notes/{id}/sign", s.signedIn(s.noteSign))
		m.HandleFunc("POST /notes/{id}/addenda", s.signedIn(s.noteAddendum))
	})
	chartSections = append(chartSections, ChartSection{Order: 22, Render: renderNotesSection})
}

func notePath(id int64) string { return "/notes/" + strconv.FormatInt(id, 10) }

// ---- the chart's section ----

// notesSection is the data of note_section.html.
type notesSection struct {
	Client   *clinic.Client
	Rows     []noteRow
	CanWrite bool
	// Today are the client's appointments of today a session can start from.
	Today []noteAppt
}

type noteRow struct {
	ID                 int64
	Date, Kind, Status string
	Late               bool
	Units              string
	// AwaitsCosign: signed, and the co-signature it requires is missing.
	AwaitsCosign bool
}

type noteAppt struct {
	ID      int64
	Clock   string
	HasNote bool
	start   time.Time
}

func renderNotesSection(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	if !a.Can(auth.ClinicalRead) {
		return "", nil
	}
	notes, err := s.App.ClientNotes(r.Context(), a, c.ID)
	if err != nil {
		return "", err
	}
	b, err := s.App.ClientNoteBilling(r.Context(), a, c.ID)
	if err != nil {
		return "", err
	}
	d := notesSection{Client: c, CanWrite: a.Can(auth.ClinicalWrite)}
	withNote := map[int64]bool{}
	for _, n := range notes {
		row := noteRow{ID: n.ID, Date: usDate(n.ServiceDate), Kind: noteKindLabel(n.Kind), Status: n.Status, Late: n.LateEntry,
			AwaitsCosign: n.Status == care.NoteSigned && n.CosignRequired && n.CosignedBy == 0}
		if u := unitsFor(&n, b); u.Error == "" {
			row.Units = strconv.Itoa(u.Total)
		}
		d.Rows = append(d.Rows, row)
		if n.AppointmentID != 0 {
			withNote[n.AppointmentID] = true
		}
	}
	if d.CanWrite && a.Can(auth.ScheduleRead) {
		cs, err := s.App.ClientSchedule(r.Context(), a, c.ID, 5)
		if err != nil {
			return "", err
		}
		locs, err := s.App.Locations(r.Context(), a)
		if err != nil {
			return "", err
		}
		byID := map[int64]*clinic.Location{}
		for i := range locs {
			byID[locs[i].ID] = &locs[i]
		}
		today := s.App.ClinicDate(a)
		for _, x := range append(slices.Clone(cs.Past), cs.Upcoming...) {
			lt := x.Start.In(app.LocationZone(a.Org, byID[x.LocationID]))
			if lt.Format(clinic.DateLayout) != today || !schedule.Holds(x.Status) || x.Status == schedule.NoShow {
				continue
			}
			d.Today = append(d.Today, noteAppt{ID: x.ID, Clock: lt.Format("3:04 PM"), HasNote: withNote[x.ID], start: x.Start})
		}
		slices.SortFunc(d.Today, func(x, y noteAppt) int { return x.start.Compare(y.start) })
	}
	return s.renderNamed("note_section", "note_section", d)
}

// renderNamed executes template name of page file (templates/<page>.html):
// the note's chart section lives in a file of its own rather than in the
// shared partials.
func (s *Server) renderNamed(page, name string, data any) (template.HTML, error) {
	t, ok := s.pages[page]
	if !ok {
		return "", errs.E(errs.Internal, "The page template %s is missing.", page)
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

func noteKindLabel(k string) string {
	if k == care.NoteProgress {
		return "Progress note"
	}
	return "Daily note"
}

// ---- starting a session ----

func (s *Server) noteStartAppointment(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "appointment")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if !a.Can(auth.ClinicalWrite) {
		// Refused (and audited) by the app before anything of the appointment is read.
		_, err := s.App.StartSession(r.Context(), a, 0, id, 0)
		s.fail(w, r, a, err)
		return
	}
	appt, err := s.App.Appointment(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	st, err := s.App.StartSession(r.Context(), a, appt.ClientID, appt.ID, 0)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, notePath(st.Note.ID)+"?started=1", http.StatusSeeOther)
}

func (s *Server) noteStartWalkIn(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; reload the page and try again."))
		return
	}
	var plan int64
	if v := r.PostForm.Get("plan_id"); v != "" {
		if plan, err = strconv.ParseInt(v, 10, 64); err != nil || plan < 0 {
			s.fail(w, r, a, errs.E(errs.Invalid, "Choose one of this client's plans of care."))
			return
		}
	}
	st, err := s.App.StartSession(r.Context(), a, id, 0, plan)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, notePath(st.Note.ID)+"?started=1", http.StatusSeeOther)
}

// ---- the page ----

// NotePage is the data of note.html: the editor of a draft or the signed
// note with its addenda.
type NotePage struct {
	Page
	Note     *care.SOAPNote
	Client   *clinic.Client
	Addenda  []care.Addendum
	Previous *care.SOAPNote // the last signed note before this one
	Banner   template.HTML  // the screening banner
	Findings int            // findings on the client's screening today
	Blocking int
	CanWrite bool
	TimeZone string
	Error    string
	Fields   map[string]string
	// Conflict is the stored note when a save without the script found it changed.
	Conflict           *care.SOAPNote
	Units              noteUnitsJSON
	Chart              assess.ChartEditor
	View               assess.ChartView
	AddReason, AddText string
	Cosign             *NoteCosignView // the co-signature, when the signed note needs one (notes_cosign.go)
	// PlanCondition is the library condition of the note's plan of care,
	// whose template is offered first; Applied the template just applied.
	PlanCondition string
	Applied       *care.NoteTemplate
	// SignerName is who signed the note (a member of staff's name).
	SignerName string
}

// NoteTechRow is one row of the techniques or modalities table.
type NoteTechRow struct {
	Index   int
	Key     string
	Minutes string
	Regions []string
	Error   string
}

// Has reports whether the row covers region key.
func (r NoteTechRow) Has(key string) bool { return slices.Contains(r.Regions, key) }

// RegionSummary names the row's regions, or says there are none.
func (r NoteTechRow) RegionSummary() string {
	if len(r.Regions) == 0 {
		return "none chosen"
	}
	var out []string
	for _, k := range r.Regions {
		if reg, ok := assess.RegionByKey(k); ok {
			out = append(out, reg.Name)
		}
	}
	return strings.Join(out, ", ")
}

// extraRows are the empty rows after the filled ones, for use without the script.
const extraRows = 2

// TechRows are the technique rows, with empty ones to add to.
func (p *NotePage) TechRows() []NoteTechRow {
	var out []NoteTechRow
	for i, t := range p.Note.Techniques {
		out = append(out, NoteTechRow{Index: i, Key: t.Technique, Minutes: strconv.Itoa(t.Minutes), Regions: t.Regions, Error: p.Fields["technique."+strconv.Itoa(i)]})
	}
	for i := range extraRows {
		out = append(out, NoteTechRow{Index: len(p.Note.Techniques) + i})
	}
	return out
}

// ModRows are the modality rows, with an empty one to add to.
func (p *NotePage) ModRows() []NoteTechRow {
	var out []NoteTechRow
	for i, m := range p.Note.Modalities {
		out = append(out, NoteTechRow{Index: i, Key: m.Kind, Minutes: strconv.Itoa(m.Minutes), Regions: m.Regions, Error: p.Fields["modality."+strconv.Itoa(i)]})
	}
	return append(out, NoteTechRow{Index: len(p.Note.Modalities)})
}

// Techniques are the catalogue's techniques for the select.
func (*NotePage) Techniques() []assess.Technique { return assess.Techniques }

// Modalities are the modality kinds with their names.
func (*NotePage) Modalities() [][2]string {
	var out [][2]string
	for _, k := range care.ModalityKinds {
		out = append(out, [2]string{k, modalityLabel(k)})
	}
	return out
}

func modalityLabel(k string) string {
	switch k {
	case "hot_pack":
		return "Hot pack"
	case "cold_pack":
		return "Cold pack"
	case "paraffin":
		return "Paraffin bath"
	case "whirlpool":
		return "Whirlpool"
	case "infrared":
		return "Infrared"
	}
	return k
}

// RegionGroups are the body regions, head to foot, by part of the body.
func (*NotePage) RegionGroups() []assess.RegionGroup { return assess.ChartEditor{}.RegionGroups() }

// Tolerances are the tolerance choices.
func (*NotePage) Tolerances() []string { return care.Tolerances }

// Phrases are the quick phrases of a section.
func (*NotePage) Phrases(section string) []care.Phrase { return care.PhrasesFor(section) }

// HomeCareItem is one line of the home-care checklist.
type HomeCareItem struct {
	care.HomeCare
	Checked   bool
	Suggested bool // suits a region treated today
}

// HomeCare is the checklist: the items for the regions of the note's
// techniques first, then the rest of the library; items already on the
// note that the library no longer has stay, so nothing is lost.
func (p *NotePage) HomeCare() []HomeCareItem {
	var regions []string
	for _, t := range p.Note.Techniques {
		regions = append(regions, t.Regions...)
	}
	seen := map[string]bool{}
	var out []HomeCareItem
	for _, h := range care.HomeCareFor(regions) {
		if len(h.Regions) == 0 {
			continue // the general items come with the rest of the library
		}
		seen[h.Key] = true
		out = append(out, HomeCareItem{HomeCare: h, Checked: slices.Contains(p.Note.HomeCare, h.Key), Suggested: true})
	}
	for _, h := range care.HomeCareLibrary {
		if !seen[h.Key] {
			seen[h.Key] = true
			out = append(out, HomeCareItem{HomeCare: h, Checked: slices.Contains(p.Note.HomeCare, h.Key)})
		}
	}
	for _, k := range p.Note.HomeCare {
		if !seen[k] {
			seen[k] = true
			out = append(out, HomeCareItem{HomeCare: care.HomeCare{Key: k, Title: k}, Checked: true})
		}
	}
	return out
}

// HomeCareTitles names the note's home care, for the signed view.
func (p *NotePage) HomeCareTitles() []string {
	var out []string
	for _, k := range p.Note.HomeCare {
		if h, ok := care.HomeCareByKey(k); ok {
			out = append(out, h.Title)
		} else {
			out = append(out, k)
		}
	}
	return out
}

// TechniqueName names a technique key.
func (*NotePage) TechniqueName(k string) string {
	if t, ok := assess.TechniqueByKey(k); ok {
		return t.Name
	}
	return k
}

// ModalityName names a modality kind.
func (*NotePage) ModalityName(k string) string { return modalityLabel(k) }

// RegionNames names region keys.
func (*NotePage) RegionNames(keys []string) string {
	return NoteTechRow{Regions: keys}.RegionSummary()
}

// IntOf writes an optional number ("" when unset).
func (*NotePage) IntOf(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// KindLabel names the note's kind.
func (p *NotePage) KindLabel() string { return noteKindLabel(p.Note.Kind) }

// Signed reports whether the note is signed.
func (p *NotePage) Signed() bool { return p.Note.Status == care.NoteSigned }

// loadNote reads note id with what its page shows, as one audited read.
func (s *Server) loadNote(r *http.Request, a *auth.Actor, id int64) (*NotePage, error) {
	return heldRead(s, r, func(r *http.Request) (*NotePage, error) {
		ctx := r.Context()
		n, adds, err := s.App.Note(ctx, a, id)
		if err != nil {
			return nil, err
		}
		c, err := s.App.Client(ctx, a, n.ClientID)
		if err != nil {
			return nil, err
		}
		p := &NotePage{Page: Page{Title: noteKindLabel(n.Kind) + ": " + c.DisplayName(), Actor: a, Nav: "clients"},
			Note: n, Client: c, Addenda: adds, CanWrite: a.Can(auth.ClinicalWrite), TimeZone: a.Org.TimeZone, Fields: map[string]string{}}
		notes, err := s.App.ClientNotes(ctx, a, c.ID)
		if err != nil {
			return nil, err
		}
		for i := range notes {
			x := &notes[i]
			if x.ID != n.ID && x.Status == care.NoteSigned && x.ServiceDate <= n.ServiceDate && (p.Previous == nil || x.ServiceDate > p.Previous.ServiceDate) {
				p.Previous = x
			}
		}
		if n.Status == care.NoteSigned {
			if u, err := s.App.DB.User(ctx, a.User.OrgID, n.SignedBy); err == nil {
				p.SignerName = u.Name
			}
		}
		if n.Status == care.NoteDraft && p.CanWrite {
			if p.Banner, err = s.screeningBanner(r, a, c); err != nil {
				return nil, err
			}
			sc, err := s.App.CurrentFindings(ctx, a, c.ID)
			if err != nil {
				return nil, err
			}
			p.Findings, p.Blocking = len(sc.Findings), len(sc.Blocking())
		}
		p.Cosign, err = s.noteCosignView(ctx, a, n, p.TimeZone)
		return p, err
	})
}

func (s *Server) fillNotePage(r *http.Request, a *auth.Actor, p *NotePage) {
	label := "Body chart"
	if p.Previous != nil {
		label += " (copied forward: edit what changed)"
	}
	p.Chart = assess.ChartEditor{Name: "marks", Label: label, Marks: p.Note.Marks, Error: p.Fields["marks"]}
	p.View = assess.ChartView{ID: "note-chart", Marks: p.Note.Marks}
	if b, err := s.App.ClientNoteBilling(r.Context(), a, p.Note.ClientID); err == nil {
		p.Units = unitsFor(p.Note, b)
	}
	if p.Note.Status == care.NoteDraft && p.CanWrite {
		p.PlanCondition, _ = s.App.NoteCondition(r.Context(), a, p.Note)
	}
}

func (s *Server) notePage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "session note")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p, err := s.loadNote(r, a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	switch {
	case r.URL.Query().Get("started") == "1":
		p.Flash = "Session started."
	case r.URL.Query().Get("saved") == "1":
		p.Flash = "Draft saved."
	case r.URL.Query().Get("signed") == "1":
		p.Flash = "Note signed."
	case r.URL.Query().Get("addendum") == "1":
		p.Flash = "Addendum added."
	case r.URL.Query().Get("acknowledged") == "1":
		p.Flash = "Safety screening acknowledged."
	case r.URL.Query().Get("cosigned") == "1":
		p.Flash = "Note co-signed."
	case r.URL.Query().Get("template") != "":
		if c, ok := assess.ConditionByKey(r.URL.Query().Get("template")); ok {
			t := care.TemplateFor(c)
			p.Applied = &t
			p.Flash = "Template for " + c.Name + " added: check and edit every line."
		}
	}
	s.fillNotePage(r, a, p)
	s.render(w, r, http.StatusOK, "note", p)
}

// ---- the form ----

// noteFromForm fills n's editable parts from the editor's form; what is
// wrong goes to bad under the form's field names.
func noteFromForm(f url.Values, n *care.SOAPNote, bad errs.FieldErrors) {
	n.ServiceDate = strings.TrimSpace(f.Get("service_date"))
	if k := f.Get("kind"); k != "" {
		n.Kind = k
	}
	n.Subjective, n.Objective, n.Assessment, n.Plan = f.Get("subjective"), f.Get("objective"), f.Get("assessment"), f.Get("plan")
	n.NextVisit = strings.TrimSpace(f.Get("next_visit"))
	n.Tolerance = f.Get("tolerance")
	n.PainBefore = optInt(f, "pain_before", "Pain is rated 0 (none) to 10 (worst imaginable).", bad)
	n.PainAfter = optInt(f, "pain_after", "Pain is rated 0 (none) to 10 (worst imaginable).", bad)
	n.Pressure = optInt(f, "pressure", "Pressure is rated 0 (none) to 5 (deepest).", bad)
	n.HomeCare = nil
	for _, k := range f["home_care"] {
		if k = strings.TrimSpace(k); k != "" && !slices.Contains(n.HomeCare, k) {
			n.HomeCare = append(n.HomeCare, k)
		}
	}
	n.Techniques, n.Modalities = techniquesFromForm(f, bad)
	if _, ok := f["marks"]; ok {
		marks, _, err := assess.MarksFromForm(f, "marks")
		if err != nil {
			bad.Add("marks", errs.Message(err))
		} else {
			n.Marks = marks
		}
	}
}

// techniquesFromForm reads the technique and modality rows: rows whose
// technique (or kind) is empty are left out, and the rest renumbered.
func techniquesFromForm(f url.Values, bad errs.FieldErrors) ([]care.PerformedTechnique, []care.Modality) {
	var techs []care.PerformedTechnique
	var mods []care.Modality
	for i := range 60 {
		p := "technique." + strconv.Itoa(i) + "."
		k := f.Get(p + "technique")
		if k == "" {
			continue
		}
		m, ok := minutesOf(f.Get(p + "minutes"))
		if !ok {
			bad.Add("technique."+strconv.Itoa(len(techs)), "Enter the minutes as a whole number, from 0 to "+strconv.Itoa(care.MaxMinutes)+".")
		}
		techs = append(techs, care.PerformedTechnique{Technique: k, Minutes: m, Regions: regionsOf(f[p+"regions"])})
	}
	for i := range 60 {
		p := "modality." + strconv.Itoa(i) + "."
		k := f.Get(p + "kind")
		if k == "" {
			continue
		}
		m, ok := minutesOf(f.Get(p + "minutes"))
		if !ok {
			bad.Add("modality."+strconv.Itoa(len(mods)), "Enter the minutes as a whole number, from 0 to "+strconv.Itoa(care.MaxMinutes)+".")
		}
		mods = append(mods, care.Modality{Kind: k, Minutes: m, Regions: regionsOf(f[p+"regions"])})
	}
	return techs, mods
}

// regionsOf accepts checked boxes or a comma list of region keys.
func regionsOf(vs []string) []string {
	var out []string
	for _, v := range vs {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

func minutesOf(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	m, err := strconv.Atoi(v)
	if err != nil || m < 0 || m > care.MaxMinutes {
		return 0, false
	}
	return m, true
}

func optInt(f url.Values, name, msg string, bad errs.FieldErrors) *int {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		bad.Add(name, msg)
		return nil
	}
	return &n
}

// ---- units ----

// noteUnitsJSON is the live units of a note.
type noteUnitsJSON struct {
	Explanation string       `json:"explanation"`
	Total       int          `json:"total"`
	Lines       []units.Line `json:"lines"`
	Unbilled    []string     `json:"unbilled"`
	Error       string       `json:"error,omitempty"`
	// Rule is the unit rule applied and RuleWhy why (the payer's or the
	// clinic's default).
	Rule    units.Rule `json:"rule"`
	RuleWhy string     `json:"rule_why,omitempty"`
}

func unitsOf(n *care.SOAPNote, cm care.CodeMap, rule units.Rule) noteUnitsJSON {
	res, un, err := care.NoteUnits(n.Techniques, n.Modalities, cm, rule)
	if err != nil {
		return noteUnitsJSON{Error: errs.Message(err), Lines: []units.Line{}, Unbilled: []string{}}
	}
	out := noteUnitsJSON{Explanation: res.Explanation, Total: res.TotalUnits, Lines: res.Lines, Unbilled: []string{}, Rule: rule}
	for _, u := range un {
		out.Unbilled = append(out.Unbilled, u.String())
	}
	return out
}

// unitsFor is the units of note n by the rule of the payer its session is
// billed to.
func unitsFor(n *care.SOAPNote, b *app.ClientBilling) noteUnitsJSON {
	rule, why := b.Rule(n.ServiceDate)
	out := unitsOf(n, b.Codes, rule)
	out.Rule, out.RuleWhy = rule, why
	return out
}

// noteUnits answers the live units of the techniques and modalities in the
// query (the editor's rows), without reading or saving the note.
func (s *Server) noteUnits(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if _, err := pathNumber(r, "id", "session note"); err != nil {
		writeJSONError(w, http.StatusNotFound, "not_found", errs.Message(err))
		return
	}
	cm, rule, err := s.App.NoteBilling(r.Context(), a)
	if err != nil {
		writeJSONError(w, errs.HTTPStatus(err), "error", errs.Message(err))
		return
	}
	// The page passes the rule of the note's payer, which it was given
	// with the note; this answers a calculation and bills nothing.
	if q := units.Rule(r.URL.Query().Get("rule")); q.Valid() {
		rule = q
	}
	bad := errs.FieldErrors{}
	n := &care.SOAPNote{}
	n.Techniques, n.Modalities = techniquesFromForm(r.URL.Query(), bad)
	out := unitsOf(n, cm, rule)
	if err := bad.Err(); err != nil {
		out = noteUnitsJSON{Error: "Enter the minutes as whole numbers.", Lines: []units.Line{}, Unbilled: []string{}}
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// ---- saving ----

// noteFieldsJSON is a note's editable content as the conflict panel shows it.
type noteFieldsJSON struct {
	Version    int64    `json:"version"`
	Subjective string   `json:"subjective"`
	PainBefore string   `json:"pain_before"`
	Objective  string   `json:"objective"`
	Assessment string   `json:"assessment"`
	PainAfter  string   `json:"pain_after"`
	Tolerance  string   `json:"tolerance"`
	Plan       string   `json:"plan"`
	NextVisit  string   `json:"next_visit"`
	Pressure   string   `json:"pressure"`
	Techniques []string `json:"techniques"`
	Modalities []string `json:"modalities"`
	HomeCare   []string `json:"home_care"`
	Marks      int      `json:"marks"`
	UpdatedAt  string   `json:"updated_at"`
}

func noteFields(n *care.SOAPNote) noteFieldsJSON {
	p := &NotePage{}
	out := noteFieldsJSON{Version: n.Version, Subjective: n.Subjective, PainBefore: p.IntOf(n.PainBefore), Objective: n.Objective,
		Assessment: n.Assessment, PainAfter: p.IntOf(n.PainAfter), Tolerance: n.Tolerance, Plan: n.Plan, NextVisit: n.NextVisit,
		Pressure: p.IntOf(n.Pressure), Techniques: []string{}, Modalities: []string{}, HomeCare: []string{}, Marks: len(n.Marks),
		UpdatedAt: n.UpdatedAt.UTC().Format(time.RFC3339)}
	for _, t := range n.Techniques {
		out.Techniques = append(out.Techniques, p.TechniqueName(t.Technique)+", "+strconv.Itoa(t.Minutes)+" min ("+p.RegionNames(t.Regions)+")")
	}
	for _, m := range n.Modalities {
		out.Modalities = append(out.Modalities, modalityLabel(m.Kind)+", "+strconv.Itoa(m.Minutes)+" min")
	}
	out.HomeCare = (&NotePage{Note: n}).HomeCareTitles()
	if out.HomeCare == nil {
		out.HomeCare = []string{}
	}
	return out
}

// wantsJSON tells the script's requests (fetch sends Accept: application/json)
// from a form posted without it.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func formVersion(f url.Values) (int64, bool) {
	v, err := strconv.ParseInt(f.Get("version"), 10, 64)
	return v, err == nil && v > 0
}

// noteDraft saves the editor's form: JSON {version, saved_at, units} for
// the script (409 with the stored note on a conflict), 303 back otherwise.
func (s *Server) noteDraft(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	js := wantsJSON(r)
	failJSON := func(err error, fields map[string]string) {
		st := errs.HTTPStatus(err)
		msg := errs.Message(err)
		if st >= 500 {
			s.Log.Error("note draft failed", "ref", requestID(r), "err", err)
			msg += " (reference " + requestID(r) + ")"
		}
		writeJSON(w, st, map[string]any{"error": msg, "fields": fields})
	}
	id, err := pathNumber(r, "id", "session note")
	if err == nil {
		if perr := r.ParseForm(); perr != nil {
			err = errs.E(errs.Invalid, "The form could not be read; reload the page and try again.")
		}
	}
	if err != nil {
		if js {
			failJSON(err, nil)
		} else {
			s.fail(w, r, a, err)
		}
		return
	}
	n, base, err := noteOfForm(r.PostForm, id)
	if err == nil {
		var stored *care.SOAPNote
		stored, err = s.App.SaveNoteDraft(r.Context(), a, n, base)
		if err == nil {
			n = stored
		} else if errs.Is(err, errs.Conflict) && stored != nil {
			if js {
				writeJSON(w, http.StatusConflict, map[string]any{"error": errs.Message(err), "signed": stored.Status == care.NoteSigned, "theirs": noteFields(stored)})
				return
			}
			s.noteFormAgain(w, r, a, id, n, err, stored)
			return
		}
	}
	if err != nil {
		if !js {
			s.noteFormAgain(w, r, a, id, n, err, nil)
			return
		}
		failJSON(err, errs.FieldsOf(err))
		return
	}
	if !js {
		http.Redirect(w, r, notePath(id)+"?saved=1", http.StatusSeeOther)
		return
	}
	b, err := s.App.ClientNoteBilling(r.Context(), a, n.ClientID)
	if err != nil {
		failJSON(err, nil)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"version": n.Version, "saved_at": n.UpdatedAt.UTC().Format(time.RFC3339), "units": unitsFor(n, b)})
}

// noteOfForm is the note the form describes, with the version it was based on.
func noteOfForm(f url.Values, id int64) (*care.SOAPNote, int64, error) {
	base, ok := formVersion(f)
	if !ok {
		return nil, 0, errs.E(errs.Invalid, "The form has no version; reload the page and try again.")
	}
	n := &care.SOAPNote{ID: id}
	if p := f.Get("plan_id"); p != "" {
		n.PlanID, _ = strconv.ParseInt(p, 10, 64)
	}
	bad := errs.FieldErrors{}
	noteFromForm(f, n, bad)
	if err := bad.Err(); err != nil {
		return n, base, err
	}
	return n, base, nil
}

// noteFormAgain shows the editor again with what was sent and what is wrong
// (without the script). On a conflict it shows the stored note, with the
// one sent beside it to copy from.
func (s *Server) noteFormAgain(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, sent *care.SOAPNote, err error, stored *care.SOAPNote) {
	st := errs.HTTPStatus(err)
	if st >= 500 || st == http.StatusForbidden || st == http.StatusNotFound || st == http.StatusUnauthorized {
		s.fail(w, r, a, err)
		return
	}
	p, lerr := s.loadNote(r, a, id)
	if lerr != nil {
		s.fail(w, r, a, lerr)
		return
	}
	if p.Note.Status == care.NoteSigned {
		http.Redirect(w, r, notePath(id), http.StatusSeeOther)
		return
	}
	p.Error = errs.Message(err)
	p.Fields = errs.FieldsOf(err)
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	if stored != nil {
		// The page shows the stored note; what was sent is in the panel.
		p.Conflict = sent
	} else if sent != nil {
		sent.ClientID, sent.AppointmentID, sent.TherapistID = p.Note.ClientID, p.Note.AppointmentID, p.Note.TherapistID
		sent.Version, sent.Status = p.Note.Version, p.Note.Status
		sent.ScreeningAcknowledged, sent.ScreeningAckAt = p.Note.ScreeningAcknowledged, p.Note.ScreeningAckAt
		sent.UpdatedAt = p.Note.UpdatedAt
		if sent.ServiceDate == "" {
			sent.ServiceDate = p.Note.ServiceDate
		}
		p.Note = sent
	}
	s.fillNotePage(r, a, p)
	if st < 400 {
		st = http.StatusUnprocessableEntity
	}
	if st == http.StatusBadRequest {
		st = http.StatusUnprocessableEntity
	}
	s.render(w, r, st, "note", p)
}

func (s *Server) noteAcknowledge(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, ok := s.notePost(w, r, a)
	if !ok {
		return
	}
	v, _ := formVersion(r.PostForm)
	_, err := s.App.AcknowledgeScreening(r.Context(), a, id, v)
	if err != nil {
		s.noteFormAgain(w, r, a, id, nil, err, nil)
		return
	}
	http.Redirect(w, r, notePath(id)+"?acknowledged=1#screening", http.StatusSeeOther)
}

// noteSign saves the form (when it carries the note) and signs it: 422 with
// what is missing next to each field.
func (s *Server) noteSign(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, ok := s.notePost(w, r, a)
	if !ok {
		return
	}
	version, ok := formVersion(r.PostForm)
	if !ok {
		s.noteFormAgain(w, r, a, id, nil, errs.E(errs.Invalid, "The form has no version; reload the page and try again."), nil)
		return
	}
	if _, full := r.PostForm["subjective"]; full {
		n, base, err := noteOfForm(r.PostForm, id)
		if err == nil {
			var stored *care.SOAPNote
			stored, err = s.App.SaveNoteDraft(r.Context(), a, n, base)
			if err == nil {
				version = stored.Version
			} else if errs.Is(err, errs.Conflict) && stored != nil {
				if stored.Status == care.NoteSigned {
					http.Redirect(w, r, notePath(id), http.StatusSeeOther)
					return
				}
				s.noteFormAgain(w, r, a, id, n, err, stored)
				return
			}
		}
		if err != nil {
			s.noteFormAgain(w, r, a, id, n, err, nil)
			return
		}
	}
	if _, err := s.App.SignNote(r.Context(), a, id, version); err != nil {
		if errs.Is(err, errs.Invalid) {
			err = &errs.Error{Code: errs.Invalid, Message: "The note is not ready to sign: complete what is marked below. The draft was saved.", Fields: errs.FieldsOf(err)}
		}
		s.noteFormAgain(w, r, a, id, nil, err, nil)
		return
	}
	http.Redirect(w, r, notePath(id)+"?signed=1", http.StatusSeeOther)
}

func (s *Server) noteAddendum(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, ok := s.notePost(w, r, a)
	if !ok {
		return
	}
	reason, text := r.PostForm.Get("reason"), r.PostForm.Get("text")
	if _, err := s.App.AddAddendum(r.Context(), a, id, reason, text); err != nil {
		st := errs.HTTPStatus(err)
		if st >= 500 || st == http.StatusForbidden || st == http.StatusNotFound {
			s.fail(w, r, a, err)
			return
		}
		p, lerr := s.loadNote(r, a, id)
		if lerr != nil {
			s.fail(w, r, a, lerr)
			return
		}
		p.Error, p.Fields, p.AddReason, p.AddText = errs.Message(err), errs.FieldsOf(err), reason, text
		if p.Fields == nil {
			p.Fields = map[string]string{}
		}
		s.fillNotePage(r, a, p)
		s.render(w, r, http.StatusUnprocessableEntity, "note", p)
		return
	}
	http.Redirect(w, r, notePath(id)+"?addendum=1#addenda", http.StatusSeeOther)
}

// notePost reads the note's number from the path and parses the posted
// form, answering the error itself when either is wrong.
func (s *Server) notePost(w http.ResponseWriter, r *http.Request, a *auth.Actor) (int64, bool) {
	id, err := pathNumber(r, "id", "session note")
	if err != nil {
		s.fail(w, r, a, err)
		return 0, false
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; reload the page and try again."))
		return 0, false
	}
	return id, true
}
