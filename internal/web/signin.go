package web

import (
	"net/http"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/errs"
)

// SignInPage is the data of signin.html.
type SignInPage struct {
	Page
	Email   string
	Error   string
	Notice  string
	Fields  map[string]string
	CodeFor string // the email whose two-factor code is asked for
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	p := SignInPage{Page: Page{Title: "Sign in", Bare: true}}
	switch r.URL.Query().Get("reason") {
	case "idle":
		p.Notice = "You were signed out after a period without activity. Please sign in again."
	case "signedout":
		p.Notice = "You are signed out."
	}
	s.render(w, r, http.StatusOK, "signin", p)
}

func (s *Server) signInPost(w http.ResponseWriter, r *http.Request) {
	email, password := r.PostFormValue("email"), r.PostFormValue("password")
	old := ""
	if c, err := r.Cookie(SessionCookie); err == nil {
		old = auth.HashToken(c.Value)
	}
	res, err := s.App.SignIn(r.Context(), email, password, ClientIP(r), old)
	if err != nil {
		if errs.HTTPStatus(err) >= 500 {
			s.fail(w, r, nil, err)
			return
		}
		status := errs.HTTPStatus(err)
		if status == http.StatusUnauthorized {
			status = http.StatusOK // a wrong password is a form error, not a missing session
		}
		s.render(w, r, status, "signin", SignInPage{Page: Page{Title: "Sign in", Bare: true}, Email: email, Error: errs.Message(err)})
		return
	}
	s.setCookie(w, r, res.SessionID)
	switch {
	case res.NeedMFA:
		http.Redirect(w, r, "/signin/code", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/clients", http.StatusSeeOther)
	}
}

func (s *Server) codePage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if a.Session.MFAOK {
		http.Redirect(w, r, "/clients", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "code", SignInPage{Page: Page{Title: "Two-factor code", Bare: true}, CodeFor: a.User.Email})
}

func (s *Server) codePost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := s.App.VerifyMFA(r.Context(), a, r.PostFormValue("code")); err != nil {
		if errs.HTTPStatus(err) >= 500 {
			s.fail(w, r, a, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "code", SignInPage{Page: Page{Title: "Two-factor code", Bare: true}, CodeFor: a.User.Email, Error: errs.Message(err), Fields: errs.FieldsOf(err)})
		return
	}
	http.Redirect(w, r, "/clients", http.StatusSeeOther)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := s.App.SignOut(r.Context(), a); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.clearCookie(w, r)
	http.Redirect(w, r, "/signin?reason=signedout", http.StatusSeeOther)
}
