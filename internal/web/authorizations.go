package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /clients/{id}/authorizations/new", s.signedIn(s.authorizationNewPage))
		m.HandleFunc("POST /clients/{id}/authorizations", s.signedIn(s.authorizationCreate))
	})
	chartSections = append(chartSections, ChartSection{Order: 42, Render: renderAuthorizationSection})
}

// authorizationSection is the data of the chart's "Authorizations" section.
type authorizationSection struct {
	Client         *clinic.Client
	Authorizations []care.Authorization
	Today          string
	CanWrite       bool
}

// Status says where an authorization stands today: "active", "ended" or "upcoming".
func (d authorizationSection) Status(a care.Authorization) string {
	switch {
	case a.EndOn < d.Today:
		return "ended"
	case a.StartOn > d.Today:
		return "upcoming"
	}
	return "active"
}

func renderAuthorizationSection(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	rec, err := s.careRecord(r, a, c)
	if err != nil {
		return "", err
	}
	return s.renderPartial("authorization_section", authorizationSection{Client: c, Authorizations: rec.Authorizations, Today: rec.Today, CanWrite: a.Can(auth.ClientWrite)})
}

// AuthorizationFormPage is the data of authorization_form.html.
type AuthorizationFormPage struct {
	FormPage
	Client        *clinic.Client
	Prescriptions []care.Prescription
	Form          url.Values
}

// V is the value of a form field as sent.
func (p AuthorizationFormPage) V(name string) string { return p.Form.Get(name) }

// T is a required text input; N a number; D a required date.
func (p AuthorizationFormPage) T(id, label, hint string) FieldView {
	f := rxField(p.Fields, id, label, "text", p.V(id), hint)
	f.Required = true
	return f
}

func (p AuthorizationFormPage) N(id, label, hint string, required bool) FieldView {
	f := rxField(p.Fields, id, label, "number", p.V(id), hint)
	f.Required, f.Min, f.Max = required, "0", "400"
	return f
}

func (p AuthorizationFormPage) D(id, label, hint string) FieldView {
	f := rxField(p.Fields, id, label, "date", p.V(id), hint)
	f.Required = true
	return f
}

// PrescriptionLabel names a prescription in the list to choose from.
func (p AuthorizationFormPage) PrescriptionLabel(rx care.Prescription) string {
	return rxUsDate(rx.WrittenOn) + ", " + rx.PhysicianName + " (" + strings.Join(rx.Diagnoses, ", ") + ")"
}

func rxUsDate(d string) string {
	if v, ok := clinic.ParseDate(d); ok {
		return v[5:7] + "/" + v[8:10] + "/" + v[:4]
	}
	return d
}

func (s *Server) authorizationForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, form url.Values) (*AuthorizationFormPage, bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	p := &AuthorizationFormPage{FormPage: FormPage{Page: Page{Title: "New authorization · " + c.DisplayName(), Actor: a, Nav: "clients"}}, Client: c, Form: form}
	if p.Prescriptions, _, err = s.App.Prescriptions(r.Context(), a, c.ID); err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	return p, true
}

func (s *Server) authorizationNewPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, ok := s.authorizationForm(w, r, a, url.Values{"visits_used": {"0"}})
	if !ok {
		return
	}
	if !a.Can(auth.ClientWrite) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "authorization.create"))
		return
	}
	// The newest prescription in force is the likeliest one.
	today := s.App.ClinicDate(a)
	for _, rx := range p.Prescriptions {
		if rx.Active(today) {
			p.Form.Set("prescription_id", strconv.FormatInt(rx.ID, 10))
			break
		}
	}
	s.render(w, r, http.StatusOK, "authorization_form", p)
}

func (s *Server) authorizationCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; reload the page and try again."))
		return
	}
	p, ok := s.authorizationForm(w, r, a, r.PostForm)
	if !ok {
		return
	}
	num := func(k string) int {
		v := strings.TrimSpace(r.PostFormValue(k))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			return -1
		}
		return n
	}
	au := care.Authorization{ClientID: p.Client.ID, Payer: r.PostFormValue("payer"), Number: r.PostFormValue("number"),
		VisitsAuthorized: num("visits_authorized"), VisitsUsed: num("visits_used"), StartOn: r.PostFormValue("start_on"), EndOn: r.PostFormValue("end_on")}
	if v := r.PostFormValue("prescription_id"); v != "" && v != "0" {
		if au.PrescriptionID, _ = strconv.ParseInt(v, 10, 64); au.PrescriptionID <= 0 {
			au.PrescriptionID = -1
		}
	}
	err := s.App.CreateAuthorization(r.Context(), a, &au)
	if err == nil {
		http.Redirect(w, r, "/clients/"+strconv.FormatInt(p.Client.ID, 10)+"?saved=1", http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		s.fail(w, r, a, err)
		return
	}
	p.Error, p.Fields = errs.Message(err), errs.FieldsOf(err)
	s.render(w, r, errs.HTTPStatus(err), "authorization_form", p)
}
