package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// The owner's consent documents and intake settings.

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /admin/consents", s.signedIn(s.consentsPage))
		m.HandleFunc("POST /admin/consents/{kind}", s.signedIn(s.consentSave))
		m.HandleFunc("POST /admin/consents/settings", s.signedIn(s.consentSettingsSave))
	})
}

// ConsentsPage is the data of consents.html.
type ConsentsPage struct {
	FormPage
	Kinds    []ConsentKindForm
	Settings store.IntakeSettings
	// LinkDays is what was typed in the settings form.
	LinkDays string
}

// ConsentKindForm is one kind of document: its current version, its
// history, and the edit form (what was typed, after an error).
type ConsentKindForm struct {
	Key, Label  string
	Current     *care.ConsentDocument
	History     []care.ConsentDocument
	Title, Body string
	TitleError  string
	BodyError   string
	Saved       bool
}

func (s *Server) consentsData(r *http.Request, a *auth.Actor, p *ConsentsPage) error {
	p.Title, p.Actor, p.Nav = "Consent documents", a, "settings"
	cur, hist, err := s.App.ConsentDocuments(r.Context(), a)
	if err != nil {
		return err
	}
	if p.Settings, err = s.App.IntakeSettings(r.Context(), a); err != nil {
		return err
	}
	if p.LinkDays == "" {
		p.LinkDays = strconv.Itoa(p.Settings.LinkDays)
	}
	for _, k := range care.ConsentKinds {
		f := ConsentKindForm{Key: k.Key, Label: k.Label, Title: k.Label}
		for i := range cur {
			if cur[i].Kind == k.Key {
				f.Current = &cur[i]
				f.Title, f.Body = cur[i].Title, cur[i].Body
			}
		}
		for _, d := range hist {
			if d.Kind == k.Key {
				f.History = append(f.History, d)
			}
		}
		p.Kinds = append(p.Kinds, f)
	}
	return nil
}

func (s *Server) consentsPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var p ConsentsPage
	if err := s.consentsData(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	switch q := r.URL.Query(); {
	case q.Get("saved") != "":
		for i := range p.Kinds {
			if p.Kinds[i].Key == q.Get("saved") {
				p.Kinds[i].Saved = true
			}
		}
		p.Flash = "Saved as a new version. Intakes signed before keep the version their client agreed to."
	case q.Get("settings") == "1":
		p.Flash = "Intake settings saved."
	}
	s.render(w, r, http.StatusOK, "consents", p)
}

func (s *Server) consentSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	kind := r.PathValue("kind")
	if !a.Can(auth.OrgManage) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "consent.update"))
		return
	}
	if care.ConsentKindLabel(kind) == "" {
		s.fail(w, r, a, errs.E(errs.NotFound, "There is no such consent document."))
		return
	}
	d := &care.ConsentDocument{Kind: kind, Title: strings.TrimSpace(r.PostFormValue("title")), Body: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"))}
	err := s.App.SaveConsent(r.Context(), a, d)
	if err == nil {
		http.Redirect(w, r, "/admin/consents?saved="+kind+"#"+kind, http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) {
		s.fail(w, r, a, err)
		return
	}
	var p ConsentsPage
	if derr := s.consentsData(r, a, &p); derr != nil {
		s.fail(w, r, a, derr)
		return
	}
	p.Error = errs.Message(err)
	for i := range p.Kinds {
		if p.Kinds[i].Key == kind {
			f := errs.FieldsOf(err)
			p.Kinds[i].Title, p.Kinds[i].Body, p.Kinds[i].TitleError, p.Kinds[i].BodyError = d.Title, d.Body, f["title"], f["body"]
		}
	}
	s.render(w, r, errs.HTTPStatus(err), "consents", p)
}

func (s *Server) consentSettingsSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	days := strings.TrimSpace(r.PostFormValue("link_days"))
	n, err := strconv.Atoi(days)
	if err != nil {
		n = 0
	}
	set := store.IntakeSettings{LinkDays: n, YearlyUpdate: r.PostFormValue("yearly_update") == "1"}
	if err := s.App.SaveIntakeSettings(r.Context(), a, set); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) {
			s.fail(w, r, a, err)
			return
		}
		p := ConsentsPage{LinkDays: days}
		if derr := s.consentsData(r, a, &p); derr != nil {
			s.fail(w, r, a, derr)
			return
		}
		p.Settings.YearlyUpdate = set.YearlyUpdate
		p.Error, p.Fields = errs.Message(err), errs.FieldsOf(err)
		s.render(w, r, errs.HTTPStatus(err), "consents", p)
		return
	}
	http.Redirect(w, r, "/admin/consents?settings=1", http.StatusSeeOther)
}
