package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// FormPage is the data of the small account and settings forms.
type FormPage struct {
	Page
	Error  string
	Fields map[string]string
	Notice string
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p := FormPage{Page: Page{Title: "Change password", Actor: a, Nav: "account"}}
	if a.User.MustChangePassword {
		p.Notice = "Your password was set by an owner. Choose your own password to continue."
	}
	s.render(w, r, http.StatusOK, "password", p)
}

func (s *Server) passwordPost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	next := r.PostFormValue("password")
	if next != r.PostFormValue("confirm") {
		s.render(w, r, http.StatusUnprocessableEntity, "password", FormPage{Page: Page{Title: "Change password", Actor: a, Nav: "account"},
			Error: "The two new passwords differ.", Fields: map[string]string{"confirm": "Type the same new password twice."}})
		return
	}
	if err := s.App.ChangePassword(r.Context(), a, r.PostFormValue("current"), next); err != nil {
		if errs.HTTPStatus(err) >= 500 {
			s.fail(w, r, a, err)
			return
		}
		s.render(w, r, errs.HTTPStatus(err), "password", FormPage{Page: Page{Title: "Change password", Actor: a, Nav: "account"}, Error: errs.Message(err), Fields: errs.FieldsOf(err)})
		return
	}
	http.Redirect(w, r, "/account/security?changed=1", http.StatusSeeOther)
}

// SecurityPage is the data of security.html: two-factor set-up.
type SecurityPage struct {
	FormPage
	Secret  string
	URI     string
	Enabled bool
	Must    bool
	// QR is the otpauth URI as a PNG data URL, for phones to scan.
	QR template.URL
}

func (p *SecurityPage) setQR() {
	if p.URI == "" {
		return
	}
	if png, err := auth.TOTPQRCodePNG(p.URI); err == nil {
		p.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
	}
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p := SecurityPage{FormPage: FormPage{Page: Page{Title: "My account", Actor: a, Nav: "account"}}, Enabled: a.User.TOTPEnabled, Must: a.Org.RequireMFA}
	var err error
	if p.Secret, p.URI, err = s.App.PendingTOTP(r.Context(), a); err != nil {
		s.fail(w, r, a, err)
		return
	}
	p.setQR()
	switch {
	case r.URL.Query().Get("changed") == "1":
		p.Flash = "Your password is changed. Your other sessions were signed out."
	case r.URL.Query().Get("mfa") == "1":
		p.Flash = "Two-factor sign-in is on."
	case p.Must && !p.Enabled:
		p.Notice = "Your practice requires two-factor sign-in. Set it up to continue."
	}
	s.render(w, r, http.StatusOK, "security", p)
}

func (s *Server) totpBegin(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if _, _, err := s.App.BeginTOTP(r.Context(), a); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/account/security#totp", http.StatusSeeOther)
}

func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := s.App.ConfirmTOTP(r.Context(), a, r.PostFormValue("code")); err != nil {
		if errs.HTTPStatus(err) >= 500 {
			s.fail(w, r, a, err)
			return
		}
		p := SecurityPage{FormPage: FormPage{Page: Page{Title: "My account", Actor: a, Nav: "account"}, Error: errs.Message(err), Fields: errs.FieldsOf(err)}, Must: a.Org.RequireMFA}
		p.Secret, p.URI, _ = s.App.PendingTOTP(r.Context(), a)
		p.setQR()
		s.render(w, r, errs.HTTPStatus(err), "security", p)
		return
	}
	http.Redirect(w, r, "/account/security?mfa=1", http.StatusSeeOther)
}

// TokensPage is the data of tokens.html.
type TokensPage struct {
	FormPage
	Tokens []store.APIToken
	// New is the token just created, shown once.
	New   string
	Users map[int64]string
}

func (s *Server) tokensData(r *http.Request, a *auth.Actor, p *TokensPage) error {
	p.Title, p.Actor, p.Nav = "API tokens", a, "account"
	var err error
	if p.Tokens, err = s.App.Tokens(r.Context(), a); err != nil {
		return err
	}
	p.Users = map[int64]string{a.User.ID: a.User.Name}
	if a.Can(auth.UserManage) {
		us, err := s.App.Users(r.Context(), a)
		if err != nil {
			return err
		}
		for _, u := range us {
			p.Users[u.ID] = u.Name
		}
	}
	return nil
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var p TokensPage
	if err := s.tokensData(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "tokens", p)
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var p TokensPage
	plain, _, err := s.App.CreateToken(r.Context(), a, r.PostFormValue("name"))
	status := http.StatusOK
	if err != nil {
		if errs.HTTPStatus(err) >= 500 {
			s.fail(w, r, a, err)
			return
		}
		p.Error, p.Fields, status = errs.Message(err), errs.FieldsOf(err), errs.HTTPStatus(err)
	}
	p.New = plain
	if err := s.tokensData(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, status, "tokens", p)
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, a, errs.E(errs.NotFound, "No such token."))
		return
	}
	if err := s.App.RevokeToken(r.Context(), a, id); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
}
