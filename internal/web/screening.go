package web

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"strconv"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// The screening banner at the top of the chart (and, later, of every
// session), the screening page with its history, and the override and
// clearance forms.

func init() {
	chartSections = append(chartSections, ChartSection{Order: 0, Banner: true, Render: func(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
		return s.screeningBanner(r, a, c)
	}})
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /clients/{id}/screening", s.signedIn(s.screeningPage))
		m.HandleFunc("POST /clients/{id}/screening/overrides", s.signedIn(s.screeningOverride))
		m.HandleFunc("POST /clients/{id}/screening/clearances", s.signedIn(s.screeningClearance))
	})
}

// ScreeningView is the data of the "screening" partial: a client's findings
// with the forms the actor may use.
type ScreeningView struct {
	Client    *clinic.Client
	Screening *care.Screening
	TimeZone  string
	// What the actor may do.
	CanOverride, CanClear bool
	// Full is the screening page: history and documents on file are shown.
	Full bool
	// Documents are the client's documents a clearance may point to (Full only).
	Documents []clinic.Document
	// Form is the form being corrected, shown open with its errors.
	Form ScreeningForm
	// Failed is set when the screening could not be read: the banner says so.
	Failed string
}

// ScreeningForm is an override or clearance form as it was sent.
type ScreeningForm struct {
	Kind       string // "override" or "clearance"
	Rule       string
	Reason     string
	Physician  string
	Date       string
	Note       string
	DocumentID int64
	Error      string
	Fields     map[string]string
}

// Open reports whether this form is the one for rule of kind.
func (f ScreeningForm) Open(kind, rule string) bool { return f.Kind == kind && f.Rule == rule }

// Err is the error of field, if this form is the one being corrected.
func (f ScreeningForm) Err(kind, rule, field string) string {
	if !f.Open(kind, rule) {
		return ""
	}
	return f.Fields[field]
}

func hasRole(a *auth.Actor, roles ...clinic.Role) bool {
	for _, r := range roles {
		if a != nil && a.User != nil && a.User.Role == r {
			return true
		}
	}
	return false
}

func (s *Server) screeningView(r *http.Request, a *auth.Actor, c *clinic.Client, full bool) (*ScreeningView, error) {
	find := s.App.Findings
	if !full {
		find = s.App.CurrentFindings
	}
	sc, err := find(r.Context(), a, c.ID)
	if err != nil {
		return nil, err
	}
	v := &ScreeningView{Client: c, Screening: sc, TimeZone: a.Org.TimeZone, Full: full,
		CanOverride: hasRole(a, clinic.RoleOwner, clinic.RoleTherapist),
		CanClear:    hasRole(a, clinic.RoleOwner, clinic.RoleTherapist, clinic.RoleFrontDesk)}
	if full && v.CanClear {
		if v.Documents, err = s.App.ClearanceDocuments(r.Context(), a, c.ID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// screeningBanner renders the chart's safety banner; the sessions area
// shows the same banner when a session starts.
func (s *Server) screeningBanner(r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	v, err := s.screeningView(r, a, c, false)
	if err != nil {
		if errs.HTTPStatus(err) < 500 {
			return "", err
		}
		// A chart without its safety banner must say so rather than look clear.
		s.Log.Error("screening banner failed", "ref", requestID(r), "err", err)
		v = &ScreeningView{Client: c, Failed: "Safety screening could not be shown (reference " + requestID(r) + "). Check the health history before treating."}
	}
	return s.renderPartial("screening_banner", v)
}

// ScreeningPage is the data of screening.html.
type ScreeningPage struct {
	Page
	View *ScreeningView
}

func (s *Server) screeningClient(w http.ResponseWriter, r *http.Request, a *auth.Actor) (*clinic.Client, bool) {
	id, err := pathID(r)
	if err == nil {
		var c *clinic.Client
		if c, err = s.App.Client(r.Context(), a, id); err == nil {
			return c, true
		}
	}
	s.fail(w, r, a, err)
	return nil, false
}

func (s *Server) renderScreeningPage(w http.ResponseWriter, r *http.Request, a *auth.Actor, c *clinic.Client, status int, form ScreeningForm) {
	v, err := s.screeningView(r, a, c, true)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	v.Form = form
	p := ScreeningPage{Page: Page{Title: "Safety screening · " + c.DisplayName(), Actor: a, Nav: "clients"}, View: v}
	switch r.URL.Query().Get("saved") {
	case "override":
		p.Flash = "Override recorded for today."
	case "clearance":
		p.Flash = "Clearance recorded."
	}
	s.render(w, r, status, "screening", p)
}

func (s *Server) screeningPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	c, ok := s.screeningClient(w, r, a)
	if !ok {
		return
	}
	s.renderScreeningPage(w, r, a, c, http.StatusOK, ScreeningForm{})
}

// back is where a saved form returns to: the page it was sent from (the chart or the screening page).
func screeningBack(r *http.Request, c *clinic.Client, saved string) string {
	base := "/clients/" + strconv.FormatInt(c.ID, 10)
	if r.PostFormValue("from") == "screening" {
		return base + "/screening?saved=" + saved
	}
	return base + "?saved=1#screening"
}

// formFailed shows a refused form on the screening page with its errors,
// or the error page when it is not about the form.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, a *auth.Actor, c *clinic.Client, err error, form ScreeningForm) {
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) || errs.Is(err, errs.Unauthorized) {
		s.fail(w, r, a, err)
		return
	}
	form.Error, form.Fields = errs.Message(err), errs.FieldsOf(err)
	if form.Fields == nil {
		form.Fields = map[string]string{}
	}
	s.renderScreeningPage(w, r, a, c, errs.HTTPStatus(err), form)
}

func (s *Server) screeningOverride(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	c, ok := s.screeningClient(w, r, a)
	if !ok {
		return
	}
	form := ScreeningForm{Kind: "override", Rule: r.PostFormValue("rule"), Reason: r.PostFormValue("reason")}
	if _, err := s.App.Override(r.Context(), a, c.ID, form.Rule, form.Reason); err != nil {
		s.formFailed(w, r, a, c, err, form)
		return
	}
	http.Redirect(w, r, screeningBack(r, c, "override"), http.StatusSeeOther)
}

// maxClearanceBody is the largest clearance form: the scan and a little text.
const maxClearanceBody = clinic.MaxDocumentSize + 1<<20

func (s *Server) screeningClearance(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, maxClearanceBody)
	var upload *app.Upload
	tooLarge := false
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			s.fail(w, r, a, errs.E(errs.Invalid, "The form could not be read; send it again."))
			return
		}
		tooLarge = true
	}
	c, ok := s.screeningClient(w, r, a)
	if !ok {
		return
	}
	docID, _ := strconv.ParseInt(r.PostFormValue("document_id"), 10, 64)
	form := ScreeningForm{Kind: "clearance", Rule: r.PostFormValue("rule"), Physician: r.PostFormValue("physician"), Date: r.PostFormValue("date"),
		Note: r.PostFormValue("note"), DocumentID: docID}
	if tooLarge {
		s.formFailed(w, r, a, c, &errs.Error{Code: errs.Invalid, Message: "The file is larger than 10 MB.",
			Fields: map[string]string{"document": "The file is larger than 10 MB; scan at a lower resolution or in black and white."}}, form)
		return
	}
	if f, hdr, err := r.FormFile("document"); err == nil {
		data, rerr := io.ReadAll(io.LimitReader(f, clinic.MaxDocumentSize+1))
		f.Close()
		if rerr != nil {
			s.fail(w, r, a, errs.E(errs.Invalid, "The file could not be read; send it again."))
			return
		}
		if len(data) > 0 {
			upload = &app.Upload{Filename: hdr.Filename, Data: data}
		}
	}
	if _, err := s.App.RecordClearance(r.Context(), a, c.ID, app.ClearanceInput{RuleKey: form.Rule, Physician: form.Physician, Date: form.Date, Note: form.Note,
		Upload: upload, DocumentID: docID}); err != nil {
		if errs.Is(err, errs.TooLarge) {
			err = &errs.Error{Code: errs.Invalid, Message: errs.Message(err), Fields: errs.FieldsOf(err)}
		}
		s.formFailed(w, r, a, c, err, form)
		return
	}
	http.Redirect(w, r, screeningBack(r, c, "clearance"), http.StatusSeeOther)
}
