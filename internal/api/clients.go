package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// ClientJSON is a client in the API.
type ClientJSON struct {
	ID                   int64  `json:"id"`
	FirstName            string `json:"first_name"`
	MiddleName           string `json:"middle_name"`
	LastName             string `json:"last_name"`
	Suffix               string `json:"suffix"`
	PreferredName        string `json:"preferred_name"`
	DOB                  string `json:"dob"`
	Sex                  string `json:"sex"`
	Address1             string `json:"address1"`
	Address2             string `json:"address2"`
	City                 string `json:"city"`
	State                string `json:"state"`
	Zip                  string `json:"zip"`
	Phone                string `json:"phone"`
	Email                string `json:"email"`
	EmergencyName        string `json:"emergency_name"`
	EmergencyPhone       string `json:"emergency_phone"`
	EmergencyRelation    string `json:"emergency_relation"`
	PreferredLocationID  int64  `json:"preferred_location_id"`
	PreferredTherapistID int64  `json:"preferred_therapist_id"`
	Status               string `json:"status"`
	Version              int64  `json:"version"`
	CreatedAt            string `json:"created_at"`
	UpdatedAt            string `json:"updated_at"`
}

func clientJSON(c *clinic.Client) ClientJSON {
	return ClientJSON{c.ID, c.FirstName, c.MiddleName, c.LastName, c.Suffix, c.PreferredName, c.DOB, string(c.Sex),
		c.Address1, c.Address2, c.City, c.State, c.Zip, c.Phone, c.Email, c.EmergencyName, c.EmergencyPhone, c.EmergencyRelation,
		c.PreferredLocationID, c.PreferredTherapistID, string(c.Status), c.Version, c.CreatedAt.Format(time.RFC3339), c.UpdatedAt.Format(time.RFC3339)}
}

func (h *API) searchClients(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := r.URL.Query()
	f := clinic.ClientFilter{Query: q.Get("q"), Status: clinic.ClientStatus(q.Get("status")), Limit: 50}
	bad := errs.FieldErrors{}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			bad.Add("limit", "Use a number from 1 to 200.")
		}
		f.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			bad.Add("offset", "Use a number from 0 to 100000.")
		}
		f.Offset = n
	}
	switch f.Status {
	case "", clinic.StatusActive, clinic.StatusInactive, clinic.StatusDischarged:
	default:
		bad.Add("status", "Use active, inactive or discharged.")
	}
	if err := bad.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	cs, err := h.App.SearchClients(r.Context(), a, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := []ClientJSON{}
	for i := range cs {
		out = append(out, clientJSON(&cs[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"clients": out})
}

func (h *API) getClient(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.App.Client(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", `"`+strconv.FormatInt(c.Version, 10)+`"`)
	writeJSON(w, http.StatusOK, clientJSON(c))
}

// clientInput is the body of POST and PATCH: every field optional, so PATCH
// changes only what is sent.
type clientInput struct {
	FirstName            *string `json:"first_name"`
	MiddleName           *string `json:"middle_name"`
	LastName             *string `json:"last_name"`
	Suffix               *string `json:"suffix"`
	PreferredName        *string `json:"preferred_name"`
	DOB                  *string `json:"dob"`
	Sex                  *string `json:"sex"`
	Address1             *string `json:"address1"`
	Address2             *string `json:"address2"`
	City                 *string `json:"city"`
	State                *string `json:"state"`
	Zip                  *string `json:"zip"`
	Phone                *string `json:"phone"`
	Email                *string `json:"email"`
	EmergencyName        *string `json:"emergency_name"`
	EmergencyPhone       *string `json:"emergency_phone"`
	EmergencyRelation    *string `json:"emergency_relation"`
	PreferredLocationID  *int64  `json:"preferred_location_id"`
	PreferredTherapistID *int64  `json:"preferred_therapist_id"`
	Status               *string `json:"status"`
	// Version is the version read; PATCH needs it (or an If-Match header).
	Version *int64 `json:"version"`
	// AllowDuplicate creates the client even if one with the same name and birth date exists.
	AllowDuplicate bool `json:"allow_duplicate"`
}

func (in *clientInput) update() clinic.ClientUpdate {
	u := clinic.ClientUpdate{FirstName: in.FirstName, MiddleName: in.MiddleName, LastName: in.LastName, Suffix: in.Suffix, PreferredName: in.PreferredName,
		DOB: in.DOB, Address1: in.Address1, Address2: in.Address2, City: in.City, State: in.State, Zip: in.Zip, Phone: in.Phone, Email: in.Email,
		EmergencyName: in.EmergencyName, EmergencyPhone: in.EmergencyPhone, EmergencyRelation: in.EmergencyRelation,
		PreferredLocationID: in.PreferredLocationID, PreferredTherapistID: in.PreferredTherapistID}
	if in.Sex != nil {
		s := clinic.Sex(strings.ToUpper(*in.Sex))
		u.Sex = &s
	}
	if in.Status != nil {
		s := clinic.ClientStatus(*in.Status)
		u.Status = &s
	}
	return u
}

func (h *API) createClient(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var in clientInput
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	var c clinic.Client
	in.update().Apply(&c)
	if !in.AllowDuplicate {
		c.Normalize()
		dups, err := h.App.PossibleDuplicates(r.Context(), a, &c)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if len(dups) > 0 {
			ids := []int64{}
			for _, d := range dups {
				ids = append(ids, d.ID)
			}
			writeJSON(w, http.StatusConflict, map[string]any{"error": map[string]any{
				"code": "possible_duplicate", "message": "A client with this name and date of birth already exists. Send \"allow_duplicate\": true to create a new record anyway.",
				"duplicate_ids": ids}})
			return
		}
	}
	if err := h.App.CreateClient(r.Context(), a, &c); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/clients/"+strconv.FormatInt(c.ID, 10))
	w.Header().Set("ETag", `"`+strconv.FormatInt(c.Version, 10)+`"`)
	writeJSON(w, http.StatusCreated, clientJSON(&c))
}

func (h *API) patchClient(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := clientPathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in clientInput
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	var version int64
	if in.Version != nil {
		version = *in.Version
	} else if im := strings.Trim(r.Header.Get("If-Match"), `" `); im != "" {
		version, _ = strconv.ParseInt(strings.TrimPrefix(im, "W/"), 10, 64)
	}
	if version <= 0 {
		h.fail(w, r, &errs.Error{Code: errs.Invalid, Message: "Send the version you read (\"version\" in the body or an If-Match header), so a change made meanwhile by someone else is not overwritten.",
			Fields: map[string]string{"version": "Required."}})
		return
	}
	c, err := h.App.UpdateClient(r.Context(), a, id, version, in.update())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("ETag", `"`+strconv.FormatInt(c.Version, 10)+`"`)
	writeJSON(w, http.StatusOK, clientJSON(c))
}
