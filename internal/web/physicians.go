package web

import (
	"net/http"
	"strconv"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /physicians", s.signedIn(s.physiciansPage))
		m.HandleFunc("GET /physicians/new", s.signedIn(s.physicianNewPage))
		m.HandleFunc("POST /physicians", s.signedIn(s.physicianCreate))
		m.HandleFunc("GET /physicians/{id}", s.signedIn(s.physicianEditPage))
		m.HandleFunc("POST /physicians/{id}", s.signedIn(s.physicianUpdate))
	})
}

// PhysiciansPage is the data of physicians.html: the directory of
// physicians and other referral sources, with its live search.
type PhysiciansPage struct {
	Page
	Query      string
	Kind       string
	Kinds      []clinic.PhysicianKind
	Physicians []clinic.Physician
	// ReportLink shows the referrals report to those who may see it.
	ReportLink bool
}

func (s *Server) physiciansPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := r.URL.Query()
	p := PhysiciansPage{Page: Page{Title: "Physicians and referral sources", Actor: a, Nav: "physicians"}, Query: q.Get("q"), Kind: q.Get("kind"),
		Kinds: clinic.PhysicianKinds, ReportLink: a.User.Role == clinic.RoleOwner || a.User.Role == clinic.RoleTherapist}
	if !clinic.PhysicianKind(p.Kind).Valid() {
		p.Kind = ""
	}
	var err error
	p.Physicians, err = s.App.SearchPhysicians(r.Context(), a, clinic.PhysicianFilter{Query: p.Query, Kind: clinic.PhysicianKind(p.Kind)})
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Saved."
	}
	s.render(w, r, http.StatusOK, "physicians", p)
}

// PhysicianFormPage is the data of physician_form.html.
type PhysicianFormPage struct {
	FormPage
	Physician clinic.Physician
	IsNew     bool
	Kinds     []clinic.PhysicianKind
	// Back is where Cancel and a successful save go (the prescription form
	// that sent the user here to add a prescriber, or the directory).
	Back string
}

// backTo accepts only a path of our own prescription form as a place to
// return to, never another site.
func rxBackTo(v string) string {
	if len(v) > 9 && v[:9] == "/clients/" {
		rest := v[9:]
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i > 0 && rest[i:] == "/prescriptions/new" {
			return v
		}
	}
	return "/physicians"
}

func physicianFromForm(r *http.Request) clinic.Physician {
	f := r.PostFormValue
	p := clinic.Physician{Kind: clinic.PhysicianKind(f("kind")), Name: f("name"), Credentials: f("credentials"), Specialty: f("specialty"), NPI: f("npi"),
		Practice: f("practice"), Phone: f("phone"), Fax: f("fax"), Address1: f("address1"), City: f("city"), State: f("state"), Zip: f("zip")}
	p.Version, _ = strconv.ParseInt(f("version"), 10, 64)
	return p
}

func (s *Server) physicianNewPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !a.Can(auth.ClientWrite) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "physician.create"))
		return
	}
	p := PhysicianFormPage{FormPage: FormPage{Page: Page{Title: "Add to the directory", Actor: a, Nav: "physicians"}}, IsNew: true,
		Physician: clinic.Physician{Kind: clinic.KindPhysician, State: "TX"}, Kinds: clinic.PhysicianKinds, Back: rxBackTo(r.URL.Query().Get("back"))}
	s.render(w, r, http.StatusOK, "physician_form", p)
}

func (s *Server) physicianCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	ph := physicianFromForm(r)
	back := rxBackTo(r.PostFormValue("back"))
	if err := s.App.CreatePhysician(r.Context(), a, &ph); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) {
			s.fail(w, r, a, err)
			return
		}
		p := PhysicianFormPage{FormPage: FormPage{Page: Page{Title: "Add to the directory", Actor: a, Nav: "physicians"}, Error: errs.Message(err), Fields: errs.FieldsOf(err)},
			IsNew: true, Physician: ph, Kinds: clinic.PhysicianKinds, Back: back}
		s.render(w, r, errs.HTTPStatus(err), "physician_form", p)
		return
	}
	if back != "/physicians" {
		http.Redirect(w, r, back+"?physician_id="+strconv.FormatInt(ph.ID, 10), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/physicians?saved=1", http.StatusSeeOther)
}

func (s *Server) physicianEditPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	ph, err := s.App.Physician(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := PhysicianFormPage{FormPage: FormPage{Page: Page{Title: ph.DisplayName(), Actor: a, Nav: "physicians"}}, Physician: *ph, Kinds: clinic.PhysicianKinds, Back: "/physicians"}
	s.render(w, r, http.StatusOK, "physician_form", p)
}

func (s *Server) physicianUpdate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	ph := physicianFromForm(r)
	ph.ID = id
	if ph.Version <= 0 {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form is missing its version; reload the page and try again."))
		return
	}
	err = s.App.UpdatePhysician(r.Context(), a, &ph)
	if err == nil {
		http.Redirect(w, r, "/physicians?saved=1", http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		s.fail(w, r, a, err)
		return
	}
	p := PhysicianFormPage{FormPage: FormPage{Page: Page{Title: "Edit " + ph.Name, Actor: a, Nav: "physicians"}, Error: errs.Message(err), Fields: errs.FieldsOf(err)},
		Physician: ph, Kinds: clinic.PhysicianKinds, Back: "/physicians"}
	if errs.Is(err, errs.Conflict) && errs.FieldsOf(err) == nil {
		// Someone else saved first: the form keeps the user's values and now
		// carries the saved version, so saving again keeps them deliberately.
		if saved, rerr := s.App.Physician(r.Context(), a, id); rerr == nil {
			p.Physician.Version = saved.Version
			p.Error = "Someone else saved this entry while you were editing (" + saved.DisplayName() + ", " + saved.Practice + "). Nothing of yours was saved yet: check the form, then save again to keep your values."
		}
	}
	s.render(w, r, errs.HTTPStatus(err), "physician_form", p)
}

// FieldView is one input of the directory, prescription, authorization
// and referral forms, for the partial "rx_field": label, hint, value and
// the message of what is wrong with it, tied together for screen readers.
type FieldView struct {
	ID, Label, Type, Value, Hint, Error string
	Required                            bool
	// Autocomplete is the input's autocomplete token ("off", "tel", …).
	Autocomplete string
	// Min and Max bound a number.
	Min, Max string
}

// field builds a FieldView, taking its error from fields.
func rxField(fields map[string]string, id, label, typ, value, hint string) FieldView {
	return FieldView{ID: id, Label: label, Type: typ, Value: value, Hint: hint, Error: fields[id], Autocomplete: "off"}
}

// F is a text input of the directory form.
func (p PhysicianFormPage) F(id, label, value, hint string) FieldView {
	return rxField(p.Fields, id, label, "text", value, hint)
}

// R is a required text input of the directory form.
func (p PhysicianFormPage) R(id, label, value, hint string) FieldView {
	f := p.F(id, label, value, hint)
	f.Required = true
	return f
}
