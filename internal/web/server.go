// Package web serves Fascia's HTML pages: html/template with embedded
// templates and static files, one file per page, the same use cases as the
// API (package app) behind them.
package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

//go:embed templates static
var assets embed.FS

// SessionCookie is the name of the session cookie.
const SessionCookie = "fascia_session"

// areas register the routes of the care loop's areas (intake, prescriptions,
// physicians, …), each from its own file's init, so each area keeps its
// routes beside its handlers.
var areas []func(s *Server, m *http.ServeMux)

// Server is the HTTP side of Fascia: pages, the API (mounted by the caller), health checks.
type Server struct {
	App *app.App
	Log *slog.Logger
	// SecureCookies marks cookies Secure even on plain HTTP (behind a TLS proxy).
	SecureCookies bool

	mux       *http.ServeMux
	pages     map[string]*template.Template
	partials  *template.Template // layout and partials/*.html, for pieces rendered alone
	staticURL map[string]string  // name → /static/<hash>/name
	staticBy  map[string][]byte  // hash/name → content
}

// New builds the server and its routes; api (may be nil) is mounted under /api/v1/.
func New(a *app.App, log *slog.Logger, api http.Handler) (*Server, error) {
	s := &Server{App: a, Log: log, mux: http.NewServeMux(), staticURL: map[string]string{}, staticBy: map[string][]byte{}}
	if err := s.loadStatic(); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	if api != nil {
		s.mux.Handle("/api/v1/", api)
	}
	return s, nil
}

func (s *Server) loadStatic() error {
	return fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := assets.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		h := hex.EncodeToString(sum[:6])
		s.staticURL[name] = "/static/" + h + "/" + name
		s.staticBy[h+"/"+name] = b
		return nil
	})
}

func (s *Server) loadTemplates() error {
	funcs := template.FuncMap{
		"static": func(name string) string { return s.staticURL[name] },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("Jan 2, 2006")
		},
		"datetime": func(t time.Time, tz string) string {
			if t.IsZero() {
				return ""
			}
			t = t.In(clinic.Zone(tz))
			return t.Format(dateTimeLayout)
		},
		"usdate":    usDate,
		"roleLabel": func(r clinic.Role) string { return r.Label() },
		"initial": func(s string) string {
			for _, r := range s {
				return string(r)
			}
			return ""
		},
		"eq64": func(a, b int64) bool { return a == b },
		"inc":  func(i int) int { return i + 1 },
		"list": func(xs ...string) []string { return xs },
		// dict builds the data of a sub-template from name, value pairs.
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				if k, ok := kv[i].(string); ok {
					m[k] = kv[i+1]
				}
			}
			return m
		},
		"sides": func() []string { return []string{"left", "right", "bilateral"} },
		"has": func(ids []int64, id int64) bool {
			for _, x := range ids {
				if x == id {
					return true
				}
			}
			return false
		},
	}
	layout, err := template.New("layout").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return err
	}
	s.partials = layout
	chrome.Store(layout)
	pages, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, p := range pages {
		name := path.Base(p)
		if name == "layout.html" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(assets, p)
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[strings.TrimSuffix(name, ".html")] = t
	}
	return nil
}

// dateTimeLayout is how pages write an instant, in the clinic's time zone.
const dateTimeLayout = "Jan 2, 2006 3:04 PM MST"

// usDate writes a YYYY-MM-DD date as US readers expect, MM/DD/YYYY.
func usDate(d string) string {
	if t, err := time.Parse(clinic.DateLayout, d); err == nil {
		return t.Format("01/02/2006")
	}
	return d
}

// Page is what every page template gets besides its own data.
type Page struct {
	Title string
	Actor *auth.Actor
	// Nav marks the current section in the menu.
	Nav   string
	Flash string
	// Bare pages (sign-in) have no menu.
	Bare bool
}

// IdleSeconds tells the page script when the server will sign the user out.
func (p Page) IdleSeconds() int {
	if p.Actor == nil || p.Actor.Org == nil {
		return 0
	}
	return int(p.Actor.Org.IdleTimeout / time.Second)
}

// Can lets templates show only what the role allows.
func (p Page) Can(perm string) bool { return p.Actor.Can(auth.Permission(perm)) }

// chrome holds the templates of the layout's "assets" and "topbar", which
// every page shows; what they render is cached (topbars by who and where),
// as executing them for every page was a sixth of a page's time.
var (
	chrome       atomic.Pointer[template.Template]
	assetsOnce   sync.Once
	assetsHTML   template.HTML
	topbars      sync.Map // topbarKey → template.HTML
	topbarsCount atomic.Int32
)

type topbarKey struct {
	user      int64
	name, org string
	role      clinic.Role
	nav       string
}

// Assets are the page's stylesheet and scripts.
func (p Page) Assets() template.HTML {
	assetsOnce.Do(func() {
		var b strings.Builder
		if err := chrome.Load().ExecuteTemplate(&b, "assets", p); err == nil {
			assetsHTML = template.HTML(b.String())
		}
	})
	return assetsHTML
}

// TopBar is the menu bar for the page's actor, at the page's place in the menu.
func (p Page) TopBar() (template.HTML, error) {
	u := p.Actor.User
	k := topbarKey{u.ID, u.Name, p.Actor.Org.Name, u.Role, p.Nav}
	if v, ok := topbars.Load(k); ok {
		return v.(template.HTML), nil
	}
	var b strings.Builder
	if err := chrome.Load().ExecuteTemplate(&b, "topbar", p); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	if topbarsCount.Add(1) > 10_000 { // renamed staff and organisations leave old keys: start again
		topbars.Clear()
		topbarsCount.Store(0)
	}
	topbars.Store(k, h)
	return h, nil
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.Log.Error("no such template", "template", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	entry := "layout"
	if r.Header.Get("HX-Request") == "true" && t.Lookup("partial") != nil {
		entry = "partial"
	}
	if err := t.ExecuteTemplate(&b, entry, data); err != nil {
		s.Log.Error("template failed", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}

// renderPartial executes one template of templates/partials into HTML, for
// sections that pages compose (the chart's sections).
func (s *Server) renderPartial(name string, data any) (template.HTML, error) {
	var b strings.Builder
	if err := s.partials.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// ErrorPage is the data of error.html.
type ErrorPage struct {
	Page
	Status  int
	Message string
}

// fail shows err as a page with the status its code maps to. Internal
// errors are logged with a reference; the person sees only the reference.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, a *auth.Actor, err error) {
	status := errs.HTTPStatus(err)
	msg := errs.Message(err)
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if status >= 500 {
		ref := requestID(r)
		s.Log.Error("request failed", "ref", ref, "path", r.URL.Path, "err", err)
		msg += " (reference " + ref + ")"
	}
	title := http.StatusText(status)
	s.render(w, r, status, "error", ErrorPage{Page: Page{Title: title, Actor: a}, Status: status, Message: msg})
}

type ctxKey int

const (
	keyActor ctxKey = iota
	keyReqID
)

func requestID(r *http.Request) string {
	if v, ok := r.Context().Value(keyReqID).(string); ok {
		return v
	}
	return ""
}

func actorOf(r *http.Request) *auth.Actor {
	a, _ := r.Context().Value(keyActor).(*auth.Actor)
	return a
}

// ClientIP is the request's source address (the TCP peer; Fascia does not
// trust forwarding headers it cannot check).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Handler is the whole server with its middleware: request ids and logs,
// panic recovery, security headers and cross-origin protection.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Log.Warn("cross-origin request refused", "method", r.Method, "path", r.URL.Path, "ip", ClientIP(r))
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeJSONError(w, http.StatusForbidden, "cross_origin", "Cross-origin requests are refused.")
			return
		}
		http.Error(w, "Cross-origin request refused: this form must be sent from Fascia's own pages.", http.StatusForbidden)
	}))
	return s.logRequests(s.recoverPanics(securityHeaders(cop.Handler(s.mux))))
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`+"\n", code, msg)
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=63072000")
		}
		h.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(s int) { w.status = s; w.ResponseWriter.WriteHeader(s) }
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = 200
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs method, path, status and duration. The query string and
// body are never logged: a search query can be a client's name.
func (s *Server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		ctx := context.WithValue(r.Context(), keyReqID, id)
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r.WithContext(ctx))
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" {
			return
		}
		path := r.URL.Path
		path = redactPath(path)
		s.Log.Info("request", "id", id, "method", r.Method, "path", path, "status", sw.status, "bytes", sw.bytes, "ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// redactPath leaves the secret part of a link's path out of the log: an
// intake link's token, a client's appointment or waitlist link, a
// therapist's calendar feed.
func redactPath(path string) string {
	switch {
	case strings.HasPrefix(path, "/intake/"):
		return "/intake/…"
	case strings.HasPrefix(path, "/feed/"):
		return "/feed/…"
	case strings.HasPrefix(path, "/book/"):
		if i := strings.Index(path, "/appointment/"); i > 0 {
			return path[:i] + "/appointment/…"
		}
		if i := strings.Index(path, "/offer/"); i > 0 {
			return path[:i] + "/offer/…"
		}
	}
	return path
}

func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "ref", requestID(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				http.Error(w, "Something went wrong on our side (reference "+requestID(r)+").", http.StatusInternalServerError)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	b, ok := s.staticBy[r.PathValue("hash")+"/"+r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(r.PathValue("name")) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}

// signedIn wraps a page that needs a signed-in user. It also sends users
// who still owe a two-factor code, a password change or a two-factor
// enrolment to that step first.
func (s *Server) signedIn(h func(w http.ResponseWriter, r *http.Request, a *auth.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(SessionCookie)
		if err != nil {
			s.toSignIn(w, r, "")
			return
		}
		a, err := s.App.Authenticate(r.Context(), c.Value, ClientIP(r))
		if err != nil {
			if errs.Is(err, errs.Unauthorized) {
				s.clearCookie(w, r)
				reason := ""
				if strings.Contains(errs.Message(err), "without activity") {
					reason = "idle"
				}
				s.toSignIn(w, r, reason)
				return
			}
			s.fail(w, r, nil, err)
			return
		}
		p := r.URL.Path
		switch {
		case !a.Session.MFAOK && p != "/signin/code" && p != "/signout":
			http.Redirect(w, r, "/signin/code", http.StatusSeeOther)
			return
		case a.Session.MFAOK && a.User.MustChangePassword && p != "/account/password" && p != "/signout":
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return
		case a.Session.MFAOK && !a.User.MustChangePassword && a.Org.RequireMFA && !a.User.TOTPEnabled && p != "/account/security" && p != "/signout":
			http.Redirect(w, r, "/account/security", http.StatusSeeOther)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), keyActor, a)), a)
	}
}

func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request, reason string) {
	u := "/signin"
	if reason != "" {
		u += "?reason=" + reason
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", u)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, value string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || s.SecureCookies})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || s.SecureCookies})
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /static/{hash}/{name}", s.serveStatic)
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	m.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.App.DB.Ping(ctx); err != nil {
			http.Error(w, "database not ready", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	m.HandleFunc("GET /{$}", s.signedIn(func(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
		http.Redirect(w, r, "/clients", http.StatusSeeOther)
	}))
	m.HandleFunc("GET /signin", s.signInPage)
	m.HandleFunc("POST /signin", s.signInPost)
	m.HandleFunc("GET /signin/code", s.signedIn(s.codePage))
	m.HandleFunc("POST /signin/code", s.signedIn(s.codePost))
	m.HandleFunc("POST /signout", s.signedIn(s.signOut))

	m.HandleFunc("GET /clients", s.signedIn(s.clientsPage))
	m.HandleFunc("GET /clients/new", s.signedIn(s.clientNewPage))
	m.HandleFunc("POST /clients", s.signedIn(s.clientCreate))
	m.HandleFunc("GET /clients/{id}", s.signedIn(s.clientChart))
	m.HandleFunc("GET /clients/{id}/edit", s.signedIn(s.clientEditPage))
	m.HandleFunc("POST /clients/{id}", s.signedIn(s.clientUpdate))

	m.HandleFunc("GET /account/password", s.signedIn(s.passwordPage))
	m.HandleFunc("POST /account/password", s.signedIn(s.passwordPost))
	m.HandleFunc("GET /account/security", s.signedIn(s.securityPage))
	m.HandleFunc("POST /account/security/totp", s.signedIn(s.totpBegin))
	m.HandleFunc("POST /account/security/totp/confirm", s.signedIn(s.totpConfirm))
	m.HandleFunc("GET /account/tokens", s.signedIn(s.tokensPage))
	m.HandleFunc("POST /account/tokens", s.signedIn(s.tokenCreate))
	m.HandleFunc("POST /account/tokens/{id}/revoke", s.signedIn(s.tokenRevoke))

	m.HandleFunc("GET /admin/users", s.signedIn(s.usersPage))
	m.HandleFunc("POST /admin/users", s.signedIn(s.userCreate))
	m.HandleFunc("GET /admin/users/{id}", s.signedIn(s.userEditPage))
	m.HandleFunc("POST /admin/users/{id}", s.signedIn(s.userUpdate))
	m.HandleFunc("POST /admin/users/{id}/password", s.signedIn(s.userResetPassword))
	m.HandleFunc("GET /admin/settings", s.signedIn(s.settingsPage))
	m.HandleFunc("POST /admin/settings", s.signedIn(s.settingsPost))
	m.HandleFunc("GET /admin/audit", s.signedIn(s.auditPage))
	m.HandleFunc("GET /admin/audit.csv", s.signedIn(s.auditCSV))

	for _, area := range areas {
		area(s, m)
	}

	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusNotFound, "error", ErrorPage{Page: Page{Title: "Not found", Bare: true}, Status: 404, Message: "There is no page at this address."})
	})
}

// ServerGCPercent is the garbage collector's target that fascia serve and
// demo run with unless GOGC is set: the heap may grow to three times what
// is live (instead of Go's default two) between collections. A page
// allocates a few hundred short-lived kilobytes; the collector's share of
// the CPU under load falls by about half, and the idle server still stays
// well inside its memory budget (docs/benchmarks.md).
const ServerGCPercent = 200

// TuneRuntime applies ServerGCPercent unless the environment sets GOGC.
func TuneRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(ServerGCPercent)
	}
}
