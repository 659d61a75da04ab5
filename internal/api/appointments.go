package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/appointments", h.auth(h.appointments))
		m.HandleFunc("POST /api/v1/appointments", h.auth(h.book))
		m.HandleFunc("GET /api/v1/appointments/{id}", h.auth(h.appointment))
		m.HandleFunc("POST /api/v1/appointments/{id}/move", h.auth(h.moveAppointment))
		m.HandleFunc("POST /api/v1/appointments/{id}/status", h.auth(h.appointmentStatus))
		m.HandleFunc("GET /api/v1/slots", h.auth(h.slots))
		m.HandleFunc("GET /api/v1/services", h.auth(h.services))
	})
	endpoints = append(endpoints, "GET /api/v1/appointments?from=&to=&therapist_id=", "POST /api/v1/appointments", "GET /api/v1/appointments/{id}",
		"POST /api/v1/appointments/{id}/move", "POST /api/v1/appointments/{id}/status",
		"GET /api/v1/slots?location_id=&service_id=&from=&to=", "GET /api/v1/services")
}

// AppointmentJSON is an appointment in the API. Times are RFC 3339 in UTC.
type AppointmentJSON struct {
	ID            int64    `json:"id"`
	ClientID      int64    `json:"client_id"`
	ClientName    string   `json:"client_name"`
	TherapistID   int64    `json:"therapist_id"`
	TherapistName string   `json:"therapist_name"`
	LocationID    int64    `json:"location_id"`
	ServiceID     int64    `json:"service_id"`
	ServiceName   string   `json:"service_name"`
	RoomID        *int64   `json:"room_id"`
	Start         string   `json:"start"`
	End           string   `json:"end"`
	BufferBefore  int      `json:"buffer_before"`
	BufferAfter   int      `json:"buffer_after"`
	Status        string   `json:"status"`
	Source        string   `json:"source"`
	SeriesID      *int64   `json:"series_id"`
	PackageID     *int64   `json:"client_package_id"`
	Note          string   `json:"note"`
	CancelReason  string   `json:"cancel_reason,omitempty"`
	FeeCents      int64    `json:"fee_cents"`
	Version       int64    `json:"version"`
	Warnings      []string `json:"warnings,omitempty"`
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func appointmentJSON(a *schedule.Appointment) AppointmentJSON {
	return AppointmentJSON{ID: a.ID, ClientID: a.ClientID, ClientName: a.ClientName, TherapistID: a.TherapistID, TherapistName: a.TherapistName,
		LocationID: a.LocationID, ServiceID: a.ServiceID, ServiceName: a.ServiceName, RoomID: optID(a.RoomID),
		Start: a.Start.UTC().Format(time.RFC3339), End: a.End.UTC().Format(time.RFC3339), BufferBefore: a.BufferBefore, BufferAfter: a.BufferAfter,
		Status: a.Status, Source: a.Source, SeriesID: optID(a.SeriesID), PackageID: optID(a.PackageID), Note: a.Note, CancelReason: a.CancelReason,
		FeeCents: a.FeeCents, Version: a.Version}
}

// rfc3339 reads a required RFC 3339 time from a field.
func rfc3339(field, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, &errs.Error{Code: errs.Invalid, Message: "Give " + field + " in RFC 3339, for example 2026-12-01T09:00:00-05:00.",
			Fields: map[string]string{field: "Give a time in RFC 3339, for example 2026-12-01T09:00:00-05:00."}}
	}
	return t, nil
}

// queryRange reads the required from and to of the query string.
func queryRange(r *http.Request) (from, to time.Time, err error) {
	if from, err = rfc3339("from", r.URL.Query().Get("from")); err != nil {
		return from, to, err
	}
	to, err = rfc3339("to", r.URL.Query().Get("to"))
	return from, to, err
}

// queryID reads an optional positive ID from the query string.
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, &errs.Error{Code: errs.Invalid, Message: name + " must be a positive number.", Fields: map[string]string{name: "Give a positive number."}}
	}
	return id, nil
}

func queryIDs(r *http.Request, names ...string) ([]int64, error) {
	out := make([]int64, len(names))
	for i, n := range names {
		id, err := queryID(r, n)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

func (h *API) appointments(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	ids, err := queryIDs(r, "location_id", "therapist_id", "room_id", "client_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	from, to, err := queryRange(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.App.Appointments(r.Context(), a, app.AppointmentQuery{LocationID: ids[0], TherapistID: ids[1], RoomID: ids[2], ClientID: ids[3],
		From: from, To: to, Cancelled: r.URL.Query().Get("cancelled") == "true"})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := make([]AppointmentJSON, 0, len(list))
	for i := range list {
		out = append(out, appointmentJSON(&list[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"appointments": out})
}

func (h *API) book(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	var in struct {
		ClientID    int64  `json:"client_id"`
		TherapistID int64  `json:"therapist_id"`
		LocationID  int64  `json:"location_id"`
		ServiceID   int64  `json:"service_id"`
		RoomID      int64  `json:"room_id"`
		PackageID   int64  `json:"client_package_id"`
		PlanID      int64  `json:"plan_id"`
		Start       string `json:"start"`
		Minutes     int    `json:"minutes"`
		Note        string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	start, err := rfc3339("start", in.Start)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := h.App.Book(r.Context(), a, app.BookRequest{ClientID: in.ClientID, TherapistID: in.TherapistID, LocationID: in.LocationID, ServiceID: in.ServiceID,
		RoomID: in.RoomID, PackageID: in.PackageID, PlanID: in.PlanID, Start: start, Minutes: in.Minutes, Note: in.Note})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	full, err := h.App.Appointment(r.Context(), a, b.Appointment.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := appointmentJSON(full)
	out.Warnings = b.Warnings
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	w.Header().Set("Location", "/api/v1/appointments/"+strconv.FormatInt(full.ID, 10))
	writeJSON(w, http.StatusCreated, out)
}

func (h *API) appointment(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathInt(r, "id", "appointment")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	appt, err := h.App.Appointment(r.Context(), a, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, appointmentJSON(appt))
}

func (h *API) moveAppointment(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathInt(r, "id", "appointment")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Version     int64  `json:"version"`
		Start       string `json:"start"`
		Minutes     int    `json:"minutes"`
		TherapistID int64  `json:"therapist_id"`
		RoomID      int64  `json:"room_id"`
	}
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	var start time.Time
	if in.Start != "" {
		if start, err = rfc3339("start", in.Start); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if in.Version <= 0 {
		h.fail(w, r, &errs.Error{Code: errs.Invalid, Message: "Send the version you read, so a change made meanwhile is not overwritten.", Fields: map[string]string{"version": "Required."}})
		return
	}
	if _, err := h.App.MoveAppointment(r.Context(), a, id, app.MoveRequest{Version: in.Version, Start: start, Minutes: in.Minutes, TherapistID: in.TherapistID, RoomID: in.RoomID}); err != nil {
		h.fail(w, r, err)
		return
	}
	h.appointment(w, r, a)
}

func (h *API) appointmentStatus(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathInt(r, "id", "appointment")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in app.StatusRequest
	if err := decode(r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Version <= 0 {
		h.fail(w, r, &errs.Error{Code: errs.Invalid, Message: "Send the version you read, so a change made meanwhile is not overwritten.", Fields: map[string]string{"version": "Required."}})
		return
	}
	if _, err := h.App.SetAppointmentStatus(r.Context(), a, id, in); err != nil {
		h.fail(w, r, err)
		return
	}
	h.appointment(w, r, a)
}

func (h *API) slots(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	ids, err := queryIDs(r, "location_id", "service_id", "therapist_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	from, to, err := queryRange(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	slots, err := h.App.OpenSlots(r.Context(), a, app.SlotRequest{LocationID: ids[0], ServiceID: ids[1], TherapistID: ids[2], From: from, To: to})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	type slotJSON struct {
		TherapistID int64  `json:"therapist_id"`
		Start       string `json:"start"`
		End         string `json:"end"`
	}
	out := make([]slotJSON, 0, len(slots))
	for _, s := range slots {
		out = append(out, slotJSON{s.TherapistID, s.Start.UTC().Format(time.RFC3339), s.End.UTC().Format(time.RFC3339)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"slots": out})
}

func (h *API) services(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	svcs, err := h.App.Services(r.Context(), a)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if svcs == nil {
		svcs = []schedule.Service{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"services": svcs})
}
