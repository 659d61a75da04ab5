// Package api is Fascia's JSON API under /api/v1, authenticated by API
// tokens (Authorization: Bearer …), with the same use cases, permissions and
// audit as the pages. docs/api.md documents every endpoint.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// areas register the endpoints of the care loop's areas (codes,
// prescriptions, …), each from its own file's init.
var areas []func(h *API, m *http.ServeMux)

// endpoints lists every endpoint for the index; areas append theirs.
var endpoints = []string{"GET /api/v1/me", "GET /api/v1/locations", "GET /api/v1/clients?q=", "POST /api/v1/clients",
	"GET /api/v1/clients/{id}", "PATCH /api/v1/clients/{id}", "GET /api/v1/users", "GET /api/v1/tokens",
	"POST /api/v1/tokens", "DELETE /api/v1/tokens/{id}", "GET /api/v1/audit"}

// API serves /api/v1.
type API struct {
	App *app.App
	Log *slog.Logger
	mux *http.ServeMux
}

// New builds the API's routes.
func New(a *app.App, log *slog.Logger) *API {
	h := &API{App: a, Log: log, mux: http.NewServeMux()}
	m := h.mux
	m.HandleFunc("GET /api/v1/{$}", h.index)
	m.HandleFunc("GET /api/v1/me", h.auth(h.me))
	m.HandleFunc("GET /api/v1/locations", h.auth(h.locations))
	m.HandleFunc("GET /api/v1/clients", h.auth(h.searchClients))
	m.HandleFunc("POST /api/v1/clients", h.auth(h.createClient))
	m.HandleFunc("GET /api/v1/clients/{id}", h.auth(h.getClient))
	m.HandleFunc("PATCH /api/v1/clients/{id}", h.auth(h.patchClient))
	m.HandleFunc("GET /api/v1/users", h.auth(h.users))
	m.HandleFunc("GET /api/v1/tokens", h.auth(h.tokens))
	m.HandleFunc("POST /api/v1/tokens", h.auth(h.createToken))
	m.HandleFunc("DELETE /api/v1/tokens/{id}", h.auth(h.revokeToken))
	m.HandleFunc("GET /api/v1/audit", h.auth(h.audit))
	for _, area := range areas {
		area(h, m)
	}
	m.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errs.E(errs.NotFound, "No such endpoint: %s %s. See docs/api.md.", r.Method, r.URL.Path))
	})
	return h
}

func (h *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// errorBody is the one shape of every error.
type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, err error) {
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Fields = errs.Code(err), errs.Message(err), errs.FieldsOf(err)
	if b.Error.Code == "" {
		b.Error.Code = errs.Internal
	}
	writeJSON(w, errs.HTTPStatus(err), b)
}

func (h *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errs.HTTPStatus(err) >= 500 {
		h.Log.Error("api request failed", "path", r.URL.Path, "err", err)
	}
	writeError(w, err)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (h *API) auth(fn func(w http.ResponseWriter, r *http.Request, a *auth.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := r.Header.Get("Authorization")
		tok, ok := strings.CutPrefix(hd, "Bearer ")
		if !ok || strings.TrimSpace(tok) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="fascia"`)
			writeError(w, errs.E(errs.Unauthorized, "Send an API token as 'Authorization: Bearer <token>'. Create one under My account → API tokens."))
			return
		}
		a, err := h.App.AuthenticateToken(r.Context(), strings.TrimSpace(tok), clientIP(r))
		if err != nil {
			if errs.Is(err, errs.Unauthorized) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="fascia", error="invalid_token"`)
			}
			h.fail(w, r, err)
			return
		}
		fn(w, r, a)
	}
}

// decode reads a JSON body strictly: known fields only, one object, at most 1 MB.
func decode(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errs.E(errs.Invalid, "Send the body as application/json.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20+1))
	if err != nil {
		return errs.E(errs.Invalid, "The request body could not be read.")
	}
	if len(body) > 1<<20 {
		return errs.E(errs.TooLarge, "The request body is larger than 1 MB.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return errs.E(errs.Invalid, "The request body is empty; send a JSON object.")
		case errors.As(err, &se):
			return errs.E(errs.Invalid, "The body is not valid JSON (at byte %d).", se.Offset)
		case errors.As(err, &te) && te.Field == "":
			return errs.E(errs.Invalid, "Send a JSON object.")
		case errors.As(err, &te):
			return &errs.Error{Code: errs.Invalid, Message: "A field has the wrong type.", Fields: map[string]string{te.Field: "Expected " + te.Type.String() + "."}}
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return errs.E(errs.Invalid, "Unknown field %s.", strings.TrimPrefix(err.Error(), "json: unknown field "))
		default:
			return errs.E(errs.Invalid, "The body could not be read as JSON.")
		}
	}
	if dec.More() {
		return errs.E(errs.Invalid, "Send exactly one JSON object.")
	}
	return nil
}

func (h *API) index(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"name": "Fascia API", "version": "v1", "documentation": "docs/api.md in the Fascia repository",
		"endpoints": endpoints,
	})
}

// UserJSON is a member of staff in the API.
type UserJSON struct {
	ID          int64   `json:"id"`
	Email       string  `json:"email"`
	Name        string  `json:"name"`
	Role        string  `json:"role"`
	LocationIDs []int64 `json:"location_ids"`
	Active      bool    `json:"active"`
	TOTPEnabled bool    `json:"totp_enabled"`
}

func userJSON(u *clinic.User) UserJSON {
	ids := u.LocationIDs
	if ids == nil {
		ids = []int64{}
	}
	return UserJSON{u.ID, u.Email, u.Name, string(u.Role), ids, u.Active, u.TOTPEnabled}
}

func (h *API) me(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	writeJSON(w, http.StatusOK, map[string]any{"user": userJSON(a.User), "organisation": map[string]any{"id": a.Org.ID, "name": a.Org.Name, "slug": a.Org.Slug}})
}

func (h *API) locations(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	ls, err := h.App.Locations(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []map[string]any{}
	for _, l := range ls {
		out = append(out, map[string]any{"id": l.ID, "name": l.Name, "address1": l.Address1, "city": l.City, "state": l.State, "zip": l.Zip, "phone": l.Phone, "time_zone": l.TimeZone})
	}
	writeJSON(w, http.StatusOK, map[string]any{"locations": out})
}

func (h *API) users(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	us, err := h.App.Users(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []UserJSON{}
	for i := range us {
		out = append(out, userJSON(&us[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
}

func (h *API) tokens(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	ts, err := h.App.Tokens(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []map[string]any{}
	for _, t := range ts {
		out = append(out, tokenJSON(&t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}

func tokenJSON(t *store.APIToken) map[string]any {
	m := map[string]any{"id": t.ID, "user_id": t.UserID, "name": t.Name, "created_at": t.CreatedAt.Format(time.RFC3339), "last_used_at": nil, "revoked_at": nil}
	if !t.LastUsedAt.IsZero() {
		m["last_used_at"] = t.LastUsedAt.Format(time.RFC3339)
	}
	if !t.RevokedAt.IsZero() {
		m["revoked_at"] = t.RevokedAt.Format(time.RFC3339)
	}
	return m
}

func (h *API) createToken(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	plain, t, err := h.App.CreateToken(r.Context(), a, strings.TrimSpace(in.Name))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m := tokenJSON(t)
	m["token"] = plain
	writeJSON(w, http.StatusCreated, m)
}

func (h *API) revokeToken(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, errs.E(errs.NotFound, "No such token."))
		return
	}
	if err := h.App.RevokeToken(r.Context(), a, id); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// AuditJSON is one audit entry in the API.
type AuditJSON struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	UserID     int64  `json:"user_id"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	RecordType string `json:"record_type"`
	RecordID   int64  `json:"record_id"`
	SourceIP   string `json:"source_ip"`
	Result     string `json:"result"`
	Detail     string `json:"detail"`
	Hash       string `json:"hash"`
}

func (h *API) audit(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := r.URL.Query()
	f := store.AuditFilter{Action: q.Get("action"), RecordType: q.Get("record_type"), Limit: 100}
	var bad errs.FieldErrors = errs.FieldErrors{}
	num := func(k string) int64 {
		if q.Get(k) == "" {
			return 0
		}
		n, err := strconv.ParseInt(q.Get(k), 10, 64)
		if err != nil || n < 0 {
			bad.Add(k, "Use a positive whole number.")
		}
		return n
	}
	f.UserID, f.RecordID, f.BeforeSeq = num("user_id"), num("record_id"), num("before")
	if l := num("limit"); l > 0 && l <= 1000 {
		f.Limit = int(l)
	}
	for _, k := range []string{"from", "to"} {
		if v := q.Get(k); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				bad.Add(k, "Use an RFC 3339 time such as 2026-11-01T00:00:00Z.")
			}
			if k == "from" {
				f.From = t
			} else {
				f.To = t
			}
		}
	}
	if err := bad.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	es, err := h.App.AuditTrail(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []AuditJSON{}
	for _, e := range es {
		out = append(out, auditJSON(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out})
}

func auditJSON(e audit.Entry) AuditJSON {
	return AuditJSON{e.Seq, e.At.Format(time.RFC3339Nano), e.UserID, e.Actor, e.Action, e.RecordType, e.RecordID, e.SourceIP, e.Result, e.Detail, e.Hash}
}
