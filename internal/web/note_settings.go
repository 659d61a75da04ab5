package web

// The clinic's note settings (owners): the procedure code of each technique
// and modality, the default unit rule, and payers' own rules; and whose
// notes need a co-signature, by whom (supervised therapists and students).

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /admin/note-settings", s.signedIn(s.noteSettingsPage))
		m.HandleFunc("POST /admin/note-settings", s.signedIn(s.noteSettingsSave))
		m.HandleFunc("POST /admin/note-settings/supervision", s.signedIn(s.noteSupervisionSave))
		m.HandleFunc("POST /admin/note-settings/supervision/{id}/remove", s.signedIn(s.noteSupervisionRemove))
	})
}

// NoteSettingsPage is the data of note_settings.html.
type NoteSettingsPage struct {
	FormPage
	Techniques []NoteCodeRow
	Modalities []NoteCodeRow
	Codes      []units.Code
	Rule       units.Rule
	Rules      []units.Rule
	Payers     []NotePayerRow // the payers with a rule of their own
	Blank      []NotePayerRow // empty rows to add payers; the first is shown open

	// The co-signature section: who is supervised, the choices of its form
	// and what the form was sent with.
	Supervision  []store.NoteSupervision
	Supervisable []clinic.User // active therapists
	Supervisors  []clinic.User // active owners and therapists
	Reasons      []string
	Sup          NoteSupervisionForm
}

// NoteSupervisionForm is the co-signature form as sent.
type NoteSupervisionForm struct {
	UserID, SupervisorID int64
	Reason               string
}

// ReasonLabel names a reason of the co-signature form.
func (NoteSettingsPage) ReasonLabel(r string) string { return store.SupervisionReasonLabel(r) }

// noteSupervisionFields are the co-signature form's fields by the store's
// names for them.
var noteSupervisionFields = map[string]string{"user_id": "sup_user", "supervisor_id": "sup_supervisor", "reason": "sup_reason"}

// NoteCodeRow is one technique or modality and the code it bills.
type NoteCodeRow struct {
	Key, Name, Code, Default string
}

// Field is the row's form field, as care.CodeMap.Validate names it.
func (r NoteCodeRow) Field() string { return "code." + r.Key }

// NotePayerRow is one payer row of the form; Index ties its fields together.
type NotePayerRow struct {
	Index int
	Name  string
	Rule  units.Rule
}

// NameField and RuleField are the row's form fields.
func (r NotePayerRow) NameField() string { return "payer_name." + strconv.Itoa(r.Index) }
func (r NotePayerRow) RuleField() string { return "payer_rule." + strconv.Itoa(r.Index) }

// CodeLabel names a code in the pick list.
func (p NoteSettingsPage) CodeLabel(c units.Code) string {
	kind := "timed"
	if !c.Timed {
		kind = "untimed"
	}
	return c.Code + " " + c.What + " (" + kind + ")"
}

// E is the error of a field, if any.
func (p NoteSettingsPage) E(field string) string { return p.Fields[field] }

// noteModalityNames are the modalities as the settings page lists them.
var noteModalityNames = map[string]string{
	"hot_pack": "Hot pack", "cold_pack": "Cold pack", "paraffin": "Paraffin bath", "whirlpool": "Whirlpool", "infrared": "Infrared",
}

// noteBlankRows is how many payers the form adds at once.
const noteBlankRows = 10

// notePayerIndexes bounds the row numbers read from a form: the stored
// payers plus the blank rows, with room to spare.
const notePayerIndexes = store.MaxPayerRules + noteBlankRows + 50

func newNoteSettingsPage(a *auth.Actor, ns store.NoteSettings, payers []NotePayerRow) *NoteSettingsPage {
	p := &NoteSettingsPage{FormPage: FormPage{Page: Page{Title: "Procedure codes and unit rules", Actor: a, Nav: "settings"}},
		Codes: units.Codes, Rule: ns.Rule, Rules: []units.Rule{units.CMS, units.AMA}, Payers: payers}
	def := care.DefaultCodeMap()
	for _, t := range assess.Techniques {
		p.Techniques = append(p.Techniques, NoteCodeRow{Key: t.Key, Name: t.Name, Code: ns.CodeMap[t.Key], Default: def[t.Key]})
	}
	for _, k := range care.ModalityKinds {
		name := noteModalityNames[k]
		if name == "" {
			name = k
		}
		p.Modalities = append(p.Modalities, NoteCodeRow{Key: k, Name: name, Code: ns.CodeMap[k], Default: def[k]})
	}
	next := 0
	for _, r := range payers {
		next = max(next, r.Index+1)
	}
	// A new payer most likely bills by the rule the clinic does not use.
	other := units.AMA
	if ns.Rule == units.AMA {
		other = units.CMS
	}
	for i := range min(noteBlankRows, max(0, store.MaxPayerRules-len(payers))) {
		p.Blank = append(p.Blank, NotePayerRow{Index: next + i, Rule: other})
	}
	return p
}

func (s *Server) noteSettingsPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !a.Can(auth.OrgManage) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "org.settings"))
		return
	}
	ns, err := s.App.NoteSettings(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	var payers []NotePayerRow
	for i, name := range ns.PayerNames() {
		payers = append(payers, NotePayerRow{Index: i, Name: name, Rule: ns.PayerRules[name]})
	}
	p := newNoteSettingsPage(a, ns, payers)
	switch q := r.URL.Query(); {
	case q.Get("saved") == "1":
		p.Flash = "Saved. Notes written from now on bill by these settings."
	case q.Get("supervision") == "saved":
		p.Flash = "Saved. Notes this therapist signs from now on need the co-signature."
	case q.Get("supervision") == "removed":
		p.Flash = "Removed. Notes this therapist starts from now on need no co-signature; those already signed still do."
	}
	if err := s.fillSupervision(r, a, p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "note_settings", p)
}

// fillSupervision adds the co-signature section's list and choices.
func (s *Server) fillSupervision(r *http.Request, a *auth.Actor, p *NoteSettingsPage) error {
	var err error
	if p.Supervision, err = s.App.NoteSupervisions(r.Context(), a); err != nil {
		return err
	}
	staff, err := s.App.Users(r.Context(), a)
	if err != nil {
		return err
	}
	for _, u := range staff {
		if !u.Active {
			continue
		}
		switch u.Role {
		case clinic.RoleTherapist:
			p.Supervisable = append(p.Supervisable, u)
			p.Supervisors = append(p.Supervisors, u)
		case clinic.RoleOwner:
			p.Supervisors = append(p.Supervisors, u)
		}
	}
	p.Reasons = store.SupervisionReasons
	if p.Sup.Reason == "" {
		p.Sup.Reason = store.SupervisionStudent
	}
	return nil
}

// SupervisorOf names who co-signs user id's notes ("" when no one does).
func (p NoteSettingsPage) SupervisorOf(id int64) string {
	for _, x := range p.Supervision {
		if x.UserID == id {
			return x.SupervisorName
		}
	}
	return ""
}

// noteSupervisionSave names who co-signs a therapist's notes: 303 back to
// the section, or the page again (422) with what is wrong next to the field.
func (s *Server) noteSupervisionSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !a.Can(auth.OrgManage) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "org.settings"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	f := NoteSupervisionForm{Reason: r.PostForm.Get("reason")}
	bad := errs.FieldErrors{}
	var ok bool
	if f.UserID, ok = formNumber(r.PostForm.Get("user_id")); !ok {
		bad.Add("user_id", "Choose the therapist whose notes need a co-signature.")
	}
	if f.SupervisorID, ok = formNumber(r.PostForm.Get("supervisor_id")); !ok {
		bad.Add("supervisor_id", "Choose who co-signs the notes.")
	}
	err := bad.Err()
	if err == nil {
		err = s.App.SaveNoteSupervision(r.Context(), a, store.NoteSupervision{UserID: f.UserID, SupervisorID: f.SupervisorID, Reason: f.Reason})
	}
	if err == nil {
		http.Redirect(w, r, "/admin/note-settings?supervision=saved#supervision", http.StatusSeeOther)
		return
	}
	if st := errs.HTTPStatus(err); st >= 500 || st == http.StatusForbidden || st == http.StatusNotFound {
		s.fail(w, r, a, err)
		return
	}
	ns, err2 := s.App.NoteSettings(r.Context(), a)
	if err2 != nil {
		s.fail(w, r, a, err2)
		return
	}
	var payers []NotePayerRow
	for i, name := range ns.PayerNames() {
		payers = append(payers, NotePayerRow{Index: i, Name: name, Rule: ns.PayerRules[name]})
	}
	p := newNoteSettingsPage(a, ns, payers)
	p.Sup, p.Error, p.Fields = f, "The co-signature was not saved: correct what is marked below.", map[string]string{}
	for k, msg := range errs.FieldsOf(err) {
		if at, ok := noteSupervisionFields[k]; ok {
			p.Fields[at] = msg
		} else {
			p.Fields["sup_user"] = msg
		}
	}
	if err := s.fillSupervision(r, a, p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "note_settings", p)
}

// formNumber reads a chosen record's number; "" or "0" is no choice.
func formNumber(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil && n > 0
}

// noteSupervisionRemove ends a therapist's supervision.
func (s *Server) noteSupervisionRemove(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !a.Can(auth.OrgManage) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "org.settings"))
		return
	}
	id, err := pathNumber(r, "id", "therapist")
	if err == nil {
		err = s.App.RemoveNoteSupervision(r.Context(), a, id)
	}
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/note-settings?supervision=removed#supervision", http.StatusSeeOther)
}

func (s *Server) noteSettingsSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !a.Can(auth.OrgManage) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "org.settings"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	cur, err := s.App.NoteSettings(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	ns, rows, f := noteSettingsFromForm(r, cur)
	err = f.Err()
	if err == nil {
		err = s.App.SaveNoteSettings(r.Context(), a, ns)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/note-settings?saved=1", http.StatusSeeOther)
		return
	}
	if st := errs.HTTPStatus(err); st >= 500 || st == http.StatusForbidden || st == http.StatusNotFound {
		s.fail(w, r, a, err)
		return
	}
	p := newNoteSettingsPage(a, ns, rows)
	p.Error, p.Fields = errs.Message(err), notePayerFields(errs.FieldsOf(err), rows)
	if err := s.fillSupervision(r, a, p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusUnprocessableEntity, "note_settings", p)
}

// noteSettingsFromForm reads the form over the current settings: a line the
// form does not carry keeps its code, a payer row with no name is dropped.
// It checks the payer rows itself, so that errors land on the row.
func noteSettingsFromForm(r *http.Request, cur store.NoteSettings) (store.NoteSettings, []NotePayerRow, errs.FieldErrors) {
	v := r.PostForm
	ns := store.NoteSettings{CodeMap: care.CodeMap{}, Rule: units.Rule(v.Get("rule")), PayerRules: map[string]units.Rule{}}
	for k, code := range cur.CodeMap {
		ns.CodeMap[k] = code
		if posted, ok := v["code."+k]; ok && len(posted) > 0 {
			ns.CodeMap[k] = strings.TrimSpace(posted[0])
		}
	}
	f := errs.FieldErrors{}
	var idx []int
	for key := range v {
		if n, ok := strings.CutPrefix(key, "payer_name."); ok {
			if i, err := strconv.Atoi(n); err == nil && i >= 0 && i < notePayerIndexes {
				idx = append(idx, i)
			}
		}
	}
	slices.Sort(idx)
	var rows []NotePayerRow
	seen := map[string]bool{}
	for _, i := range idx {
		row := NotePayerRow{Index: i, Name: strings.TrimSpace(v.Get("payer_name." + strconv.Itoa(i))), Rule: units.Rule(v.Get("payer_rule." + strconv.Itoa(i)))}
		if row.Name == "" {
			continue // an empty row, or a payer removed by clearing its name
		}
		rows = append(rows, row)
		switch low := strings.ToLower(row.Name); {
		case seen[low]:
			f.Add(row.NameField(), "This payer is already in the list; give each payer once.")
		default:
			seen[low] = true
			ns.PayerRules[row.Name] = row.Rule
		}
		if !row.Rule.Valid() {
			f.Add(row.RuleField(), "Choose the CMS or the AMA rule for this payer.")
		}
	}
	if len(rows) > store.MaxPayerRules {
		f.Add("payers", "Keep to 50 payers with a rule of their own; the others use the default rule.")
	}
	return ns, rows, f
}

// notePayerFields moves the store's "payer.<name>" errors onto the form's
// row of that payer.
func notePayerFields(fields map[string]string, rows []NotePayerRow) map[string]string {
	out := map[string]string{}
	for k, msg := range fields {
		name, ok := strings.CutPrefix(k, "payer.")
		if !ok {
			out[k] = msg
			continue
		}
		at := "payers"
		for _, r := range rows {
			if r.Name == name {
				at = r.NameField()
				break
			}
		}
		if _, taken := out[at]; !taken {
			out[at] = msg
		}
	}
	return out
}
