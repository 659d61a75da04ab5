package web_test

// The appointment API and the calendar-feed account page in the security
// route tables.

import (
	"fmt"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/store"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /account/calendar-feed", path: "/account/calendar-feed", access: session},
		route{pattern: "POST /account/calendar-feed", path: "/account/calendar-feed", access: session, body: func(f *fixture) string { return "" }},
	)
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/appointments", path: "/api/v1/appointments?from={from}&to={to}", access: token},
		route{pattern: "POST /api/v1/appointments", path: "/api/v1/appointments", access: token, body: func(f *fixture) string {
			return fmt.Sprintf(`{"client_id":%d,"therapist_id":%d,"location_id":%d,"service_id":%d,"start":%q}`,
				f.client.ID, f.userID, f.s.Downtown.ID, apptServiceOf(f), freeMonday(f).Format(time.RFC3339))
		}},
		route{pattern: "GET /api/v1/appointments/{id}", path: "/api/v1/appointments/{appt}", access: token},
		route{pattern: "POST /api/v1/appointments/{id}/move", path: "/api/v1/appointments/{appt}/move", access: token, body: func(f *fixture) string {
			return fmt.Sprintf(`{"version":%d,"start":%q}`, apptOf(f).Version, freeMonday(f).Add(3*time.Hour).Format(time.RFC3339))
		}},
		route{pattern: "POST /api/v1/appointments/{id}/status", path: "/api/v1/appointments/{appt}/status", access: token, body: func(f *fixture) string {
			return fmt.Sprintf(`{"version":%d,"status":"cancelled","reason":"forged"}`, apptOf(f).Version)
		}},
		route{pattern: "GET /api/v1/slots", path: "/api/v1/slots?location_id={loc}&service_id={svc}&from={from}&to={to}", access: token},
		route{pattern: "GET /api/v1/services", path: "/api/v1/services", access: token},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		now := time.Now().UTC()
		return []string{"{appt}", id(apptOf(f).ID), "{loc}", id(f.s.Downtown.ID), "{svc}", id(apptServiceOf(f)),
			"{from}", now.Format(time.RFC3339), "{to}", now.Add(7 * 24 * time.Hour).Format(time.RFC3339)}
	})
}

// apptOf is a future appointment of the demo's Downtown location, read
// fresh (its version moves when a forged request gets through).
func apptOf(f *fixture) *struct{ ID, Version int64 } {
	list, err := f.s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: f.s.Org.ID, LocationID: f.s.Downtown.ID, From: time.Now().Add(24 * time.Hour), To: time.Now().Add(10 * 24 * time.Hour)})
	if err != nil || len(list) == 0 {
		panic(fmt.Sprintf("no future demo appointment: %v", err))
	}
	return &struct{ ID, Version int64 }{list[0].ID, list[0].Version}
}

func apptServiceOf(f *fixture) int64 {
	svcs, err := f.s.DB.Services(ctx, f.s.Org.ID, true)
	if err != nil || len(svcs) == 0 {
		panic("no demo services")
	}
	for _, s := range svcs {
		if s.Name == "Relaxation massage, 60 minutes" {
			return s.ID
		}
	}
	return svcs[0].ID
}

// freeMonday is 10:00 on a Monday five weeks ahead at Downtown, inside
// Maria's hours and beyond the demo's appointments.
func freeMonday(f *fixture) time.Time {
	zone := app.LocationZone(f.s.Org, &f.s.Downtown)
	d := time.Now().In(zone).AddDate(0, 0, 35)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, zone)
}

func init() {
	pageRoutes = append(pageRoutes, route{pattern: "GET /codes/units", path: "/codes/units?code=97140&minutes=33", access: session})
}

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /admin/locations", path: "/admin/locations", access: session},
		route{pattern: "POST /admin/locations", path: "/admin/locations", access: session, body: func(f *fixture) string {
			return formBody("name", "Forged Annex", "time_zone", "America/Denver")
		}},
		route{pattern: "POST /admin/locations/{id}", path: "/admin/locations/{loc}", access: session, body: func(f *fixture) string {
			return formBody("name", "Hijacked Downtown", "time_zone", "America/Chicago")
		}},
	)
}

func init() {
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/clients/{id}/notes", path: "/api/v1/clients/{client}/notes", access: token},
		route{pattern: "GET /api/v1/notes/{id}", path: "/api/v1/notes/999999", access: token},
	)
}
