package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// Templates per condition and changes since the copied-forward note, in
// the note editor.

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("POST /notes/{id}/template", s.signedIn(s.noteTemplate))
	})
}

// TemplateOption is a condition in the editor's template list.
type TemplateOption struct {
	Key, Name string
	Plan      bool // the condition of the note's plan of care
}

// TemplateOptions lists the library's conditions by name, the plan of
// care's condition first.
func (p *NotePage) TemplateOptions() []TemplateOption {
	var out []TemplateOption
	for _, c := range assess.Library {
		o := TemplateOption{Key: c.Key, Name: c.Name, Plan: c.Key == p.PlanCondition}
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b TemplateOption) int {
		if a.Plan != b.Plan {
			if a.Plan {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// noteComparable is what carries forward from one note to the next, in
// the form the editor's script compares: rows as "key|minutes|regions"
// (regions sorted), sorted; home care sorted.
type noteComparable struct {
	Date       string        `json:"date"`
	Objective  string        `json:"objective"`
	Pressure   string        `json:"pressure"`
	Marks      []assess.Mark `json:"marks"`
	Techniques []string      `json:"techniques"`
	Modalities []string      `json:"modalities"`
	HomeCare   []string      `json:"home_care"`
}

func rowKey(key string, minutes int, regions []string) string {
	rs := slices.Clone(regions)
	slices.Sort(rs)
	return key + "|" + strconv.Itoa(minutes) + "|" + strings.Join(rs, ",")
}

// PreviousJSON is the last signed note's carried-forward parts, for the
// editor's script to mark what this note changes; "" without one.
func (p *NotePage) PreviousJSON() string {
	prev := p.Previous
	if prev == nil {
		return ""
	}
	c := noteComparable{Date: usDate(prev.ServiceDate), Objective: prev.Objective, Marks: prev.Marks,
		Techniques: []string{}, Modalities: []string{}, HomeCare: slices.Clone(prev.HomeCare)}
	if c.Marks == nil {
		c.Marks = []assess.Mark{}
	}
	if c.HomeCare == nil {
		c.HomeCare = []string{}
	}
	if prev.Pressure != nil {
		c.Pressure = strconv.Itoa(*prev.Pressure)
	}
	for _, t := range prev.Techniques {
		c.Techniques = append(c.Techniques, rowKey(t.Technique, t.Minutes, t.Regions))
	}
	for _, m := range prev.Modalities {
		c.Modalities = append(c.Modalities, rowKey(m.Kind, m.Minutes, m.Regions))
	}
	slices.Sort(c.Techniques)
	slices.Sort(c.Modalities)
	slices.Sort(c.HomeCare)
	b, err := json.Marshal(c)
	if err != nil {
		return ""
	}
	return string(b)
}

// noteTemplate applies a condition's template to the draft as the form
// has it (saving what was typed with it) and shows the editor again.
func (s *Server) noteTemplate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "session note")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; reload the page and try again."))
		return
	}
	n, base, err := noteOfForm(r.PostForm, id)
	if err != nil {
		s.noteFormAgain(w, r, a, id, n, err, nil)
		return
	}
	key := r.PostForm.Get("template")
	out, _, err := s.App.ApplyNoteTemplate(r.Context(), a, n, base, key)
	if err != nil {
		var stored *care.SOAPNote
		if errs.Is(err, errs.Conflict) && out != nil && out.Status == care.NoteDraft {
			stored = out
		}
		s.noteFormAgain(w, r, a, id, n, err, stored)
		return
	}
	http.Redirect(w, r, notePath(id)+"?template="+key+"#note-form", http.StatusSeeOther)
}
