package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
)

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/clients/{id}/authorizations", h.auth(h.authorizations))
		m.HandleFunc("POST /api/v1/clients/{id}/authorizations", h.auth(h.createAuthorization))
	})
	endpoints = append(endpoints, "GET /api/v1/clients/{id}/authorizations", "POST /api/v1/clients/{id}/authorizations")
}

// AuthorizationJSON is a payer's authorization of visits in the API.
type AuthorizationJSON struct {
	ID               int64  `json:"id"`
	ClientID         int64  `json:"client_id"`
	PrescriptionID   *int64 `json:"prescription_id"`
	Payer            string `json:"payer"`
	Number           string `json:"number"`
	VisitsAuthorized int    `json:"visits_authorized"`
	VisitsUsed       int    `json:"visits_used"`
	VisitsLeft       int    `json:"visits_left"`
	StartOn          string `json:"start_on"`
	EndOn            string `json:"end_on"`
	Version          int64  `json:"version"`
	CreatedAt        string `json:"created_at"`
}

func authorizationJSON(a *care.Authorization) AuthorizationJSON {
	out := AuthorizationJSON{ID: a.ID, ClientID: a.ClientID, Payer: a.Payer, Number: a.Number, VisitsAuthorized: a.VisitsAuthorized, VisitsUsed: a.VisitsUsed,
		VisitsLeft: a.VisitsLeft(), StartOn: a.StartOn, EndOn: a.EndOn, Version: a.Version, CreatedAt: a.CreatedAt.Format(time.RFC3339)}
	if a.PrescriptionID != 0 {
		id := a.PrescriptionID
		out.PrescriptionID = &id
	}
	return out
}

func (h *API) authorizations(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	as, err := h.App.Authorizations(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []AuthorizationJSON{}
	for i := range as {
		out = append(out, authorizationJSON(&as[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"authorizations": out})
}

func (h *API) createAuthorization(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		PrescriptionID   int64  `json:"prescription_id"`
		Payer            string `json:"payer"`
		Number           string `json:"number"`
		VisitsAuthorized int    `json:"visits_authorized"`
		VisitsUsed       int    `json:"visits_used"`
		StartOn          string `json:"start_on"`
		EndOn            string `json:"end_on"`
	}
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	au := care.Authorization{ClientID: id, PrescriptionID: in.PrescriptionID, Payer: in.Payer, Number: in.Number, VisitsAuthorized: in.VisitsAuthorized,
		VisitsUsed: in.VisitsUsed, StartOn: in.StartOn, EndOn: in.EndOn}
	if err := h.App.CreateAuthorization(r.Context(), a, &au); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/clients/"+strconv.FormatInt(id, 10)+"/authorizations")
	writeJSON(w, http.StatusCreated, authorizationJSON(&au))
}
