package web

import (
	"encoding/json"
	"net/http"
	"net/url"
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

// PreviousForm is what the last signed note carried forward (findings,
// pressure, body chart, rows, home care) as the editor's form would post
// it, for the script to compare with the form as it is; "" without one.
func (p *NotePage) PreviousForm() string {
	prev := p.Previous
	if prev == nil {
		return ""
	}
	v := url.Values{"objective": {prev.Objective}, "home_care": prev.HomeCare}
	if prev.Pressure != nil {
		v.Set("pressure", strconv.Itoa(*prev.Pressure))
	}
	if b, err := json.Marshal(prev.Marks); err == nil {
		v.Set("marks", string(b))
	}
	row := func(prefix string, i int, keyField, key string, minutes int, regions []string) {
		k := prefix + "." + strconv.Itoa(i) + "."
		v.Set(k+keyField, key)
		v.Set(k+"minutes", strconv.Itoa(minutes))
		v[k+"regions"] = regions
	}
	for i, t := range prev.Techniques {
		row("technique", i, "technique", t.Technique, t.Minutes, t.Regions)
	}
	for i, m := range prev.Modalities {
		row("modality", i, "kind", m.Kind, m.Minutes, m.Regions)
	}
	return v.Encode()
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
	out, err := s.App.ApplyNoteTemplate(r.Context(), a, n, base, key)
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
