package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// UsersPage is the data of users.html and user_edit.html.
type UsersPage struct {
	FormPage
	Users     []clinic.User
	Locations []clinic.Location
	LocName   map[int64]string
	Roles     []clinic.Role
	Form      clinic.User // the add form, or the user being edited
}

func (s *Server) usersData(r *http.Request, a *auth.Actor, p *UsersPage) error {
	p.Title, p.Actor, p.Nav, p.Roles = "Staff", a, "users", clinic.Roles
	var err error
	if p.Users, err = s.App.Users(r.Context(), a); err != nil {
		return err
	}
	if p.Locations, err = s.App.Locations(r.Context(), a); err != nil {
		return err
	}
	p.LocName = map[int64]string{}
	for _, l := range p.Locations {
		p.LocName[l.ID] = l.Name
	}
	return nil
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p := UsersPage{Form: clinic.User{Role: clinic.RoleTherapist}}
	if err := s.usersData(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Saved."
	}
	s.render(w, r, http.StatusOK, "users", p)
}

func userFromForm(r *http.Request) clinic.User {
	r.ParseForm()
	u := clinic.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Role: clinic.Role(r.PostFormValue("role")), Active: r.PostFormValue("active") != "0"}
	for _, v := range r.PostForm["locations"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			u.LocationIDs = append(u.LocationIDs, id)
		}
	}
	return u
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	u := userFromForm(r)
	if err := s.App.CreateUser(r.Context(), a, &u, r.PostFormValue("password")); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) {
			s.fail(w, r, a, err)
			return
		}
		p := UsersPage{Form: u}
		if derr := s.usersData(r, a, &p); derr != nil {
			s.fail(w, r, a, derr)
			return
		}
		p.Error, p.Fields = errs.Message(err), errs.FieldsOf(err)
		s.render(w, r, errs.HTTPStatus(err), "users", p)
		return
	}
	http.Redirect(w, r, "/admin/users?saved=1", http.StatusSeeOther)
}

func (s *Server) userEditPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	var p UsersPage
	if err := s.usersData(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	found := false
	for _, u := range p.Users {
		if u.ID == id {
			p.Form, found = u, true
		}
	}
	if !found {
		s.fail(w, r, a, errs.E(errs.NotFound, "No such user."))
		return
	}
	if r.URL.Query().Get("reset") == "1" {
		p.Flash = "Password reset. Tell the user their temporary password in person or by phone; they must change it when they sign in."
	}
	p.Title = p.Form.Name
	s.render(w, r, http.StatusOK, "user_edit", p)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	u := userFromForm(r)
	u.ID = id
	if cur, err := s.App.DB.User(r.Context(), a.User.OrgID, id); err == nil {
		u.Email = cur.Email
	}
	if err := s.App.UpdateUser(r.Context(), a, &u); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
			s.fail(w, r, a, err)
			return
		}
		p := UsersPage{Form: u}
		if derr := s.usersData(r, a, &p); derr != nil {
			s.fail(w, r, a, derr)
			return
		}
		p.Error, p.Fields, p.Title = errs.Message(err), errs.FieldsOf(err), u.Name
		s.render(w, r, errs.HTTPStatus(err), "user_edit", p)
		return
	}
	http.Redirect(w, r, "/admin/users?saved=1", http.StatusSeeOther)
}

func (s *Server) userResetPassword(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := s.App.ResetPassword(r.Context(), a, id, r.PostFormValue("password")); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
			s.fail(w, r, a, err)
			return
		}
		var p UsersPage
		if derr := s.usersData(r, a, &p); derr != nil {
			s.fail(w, r, a, derr)
			return
		}
		for _, u := range p.Users {
			if u.ID == id {
				p.Form = u
			}
		}
		p.Title, p.Error, p.Fields = p.Form.Name, errs.Message(err), errs.FieldsOf(err)
		s.render(w, r, errs.HTTPStatus(err), "user_edit", p)
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?reset=1", http.StatusSeeOther)
}

// SettingsPage is the data of settings.html.
type SettingsPage struct {
	FormPage
	IdleMinutes int
	RequireMFA  bool
	// The range-of-motion flags (assess.go), as typed.
	ROMMinPercent, ROMMaxSideDiff string
	ROMError                      string
	ROMFields                     map[string]string
}

// withROM fills the range-of-motion flags in force.
func (s *Server) withROM(r *http.Request, a *auth.Actor, p *SettingsPage) {
	if p.ROMMinPercent != "" {
		return
	}
	if th, err := s.App.ROMThresholds(r.Context(), a); err == nil {
		p.ROMMinPercent, p.ROMMaxSideDiff = strconv.FormatFloat(th.MinPercent, 'f', -1, 64), strconv.FormatFloat(th.MaxSideDiff, 'f', -1, 64)
	}
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !a.Can(auth.OrgManage) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, "org.settings"))
		return
	}
	p := SettingsPage{FormPage: FormPage{Page: Page{Title: "Settings", Actor: a, Nav: "settings"}}, IdleMinutes: int(a.Org.IdleTimeout.Minutes()), RequireMFA: a.Org.RequireMFA}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Saved."
	}
	s.withROM(r, a, &p)
	s.render(w, r, http.StatusOK, "settings", p)
}

func (s *Server) settingsPost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	mins, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("idle_minutes")))
	if err != nil {
		mins = 0
	}
	must := r.PostFormValue("require_mfa") == "1"
	if err := s.App.UpdateOrgSecurity(r.Context(), a, time.Duration(mins)*time.Minute, must); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) {
			s.fail(w, r, a, err)
			return
		}
		p := SettingsPage{FormPage: FormPage{Page: Page{Title: "Settings", Actor: a, Nav: "settings"}, Error: errs.Message(err), Fields: errs.FieldsOf(err)}, IdleMinutes: mins, RequireMFA: must}
		if f := p.Fields["idle_timeout"]; f != "" {
			p.Fields["idle_minutes"] = f
		}
		s.withROM(r, a, &p)
		s.render(w, r, errs.HTTPStatus(err), "settings", p)
		return
	}
	http.Redirect(w, r, "/admin/settings?saved=1", http.StatusSeeOther)
}

// AuditPage is the data of audit.html.
type AuditPage struct {
	Page
	Entries    []audit.Entry
	Users      []clinic.User
	UserID     int64
	Action     string
	RecordType string
	RecordID   string
	From, To   string
	Actions    []string
	Query      string // the filter as a query string, for the CSV link
	Error      string
	More       bool
	Before     int64
}

func (s *Server) auditFilter(r *http.Request) (store.AuditFilter, AuditPage, error) {
	q := r.URL.Query()
	var f store.AuditFilter
	p := AuditPage{Action: q.Get("action"), RecordType: q.Get("record_type"), RecordID: q.Get("record_id"), From: q.Get("from"), To: q.Get("to")}
	f.UserID, _ = strconv.ParseInt(q.Get("user_id"), 10, 64)
	p.UserID = f.UserID
	f.Action, f.RecordType = p.Action, p.RecordType
	f.RecordID, _ = strconv.ParseInt(p.RecordID, 10, 64)
	f.BeforeSeq, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	var bad []string
	if p.From != "" {
		t, err := time.Parse(clinic.DateLayout, p.From)
		if err != nil {
			bad = append(bad, "from")
		}
		f.From = t
	}
	if p.To != "" {
		t, err := time.Parse(clinic.DateLayout, p.To)
		if err != nil {
			bad = append(bad, "to")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	qs := q
	qs.Del("before")
	p.Query = qs.Encode()
	if len(bad) > 0 {
		return f, p, &errs.Error{Code: errs.Invalid, Message: "Write dates as YYYY-MM-DD."}
	}
	return f, p, nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	f, p, ferr := s.auditFilter(r)
	p.Page = Page{Title: "Audit trail", Actor: a, Nav: "audit"}
	p.Actions = []string{"client.", audit.ClientRead, audit.ClientSearch, audit.ClientCreate, audit.ClientUpdate, "auth.", audit.SignIn, audit.SignInFailed, audit.SignInLocked, audit.SignOut, audit.Denied, audit.PasswordReset, "user.", "token.", audit.AuditExport,
		"intake.", "consent.", "screening.", "rule.", "prescription.", "authorization.", "referral.", "physician.", "document.", "codes."}
	if ferr != nil {
		p.Error = errs.Message(ferr)
		f = store.AuditFilter{}
	}
	f.Limit = 101
	es, err := s.App.AuditTrail(r.Context(), a, f)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if len(es) > 100 {
		es, p.More, p.Before = es[:100], true, es[99].Seq
	}
	p.Entries = es
	if p.Users, err = s.App.Users(r.Context(), a); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "audit", p)
}

func (s *Server) auditCSV(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	f, _, err := s.auditFilter(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	es, err := s.App.AuditExport(r.Context(), a, f)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="fascia-audit-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.Write([]string{"seq", "time_utc", "user_id", "user", "action", "record_type", "record_id", "source_address", "result", "detail", "hash"})
	for _, e := range es {
		rid := ""
		if e.RecordID != 0 {
			rid = strconv.FormatInt(e.RecordID, 10)
		}
		cw.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339), strconv.FormatInt(e.UserID, 10), csvSafe(e.Actor), e.Action, e.RecordType, rid, e.SourceIP, e.Result, csvSafe(e.Detail), e.Hash})
	}
	cw.Flush()
}

// csvSafe stops a spreadsheet from reading a value as a formula (CSV injection).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
