package web_test

// The session note routes in the security route tables.

import (
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/care"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "POST /appointments/{id}/session", path: "/appointments/{calappt}/session", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /clients/{id}/session", path: "/clients/{client}/session", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "GET /notes/{id}", path: "/notes/{note}", access: session},
		route{pattern: "GET /notes/{id}/units", path: "/notes/{note}/units?technique.0.technique=swedish&technique.0.minutes=30", access: session},
		route{pattern: "POST /notes/{id}/draft", path: "/notes/{note}/draft", access: session, body: func(f *fixture) string {
			return formBody("version", "1", "service_date", time.Now().Format("2006-01-02"), "kind", "daily", "subjective", "Hijacked report")
		}},
		route{pattern: "POST /notes/{id}/acknowledge", path: "/notes/{note}/acknowledge", access: session, body: func(f *fixture) string {
			return formBody("version", "1")
		}},
		route{pattern: "POST /notes/{id}/sign", path: "/notes/{note}/sign", access: session, body: func(f *fixture) string {
			return formBody("version", "1")
		}},
		route{pattern: "POST /notes/{id}/template", path: "/notes/{note}/template", access: session, body: func(f *fixture) string {
			return formBody("version", "1", "service_date", time.Now().Format("2006-01-02"), "kind", "daily", "template", "chronic_neck_pain")
		}},
		route{pattern: "POST /notes/{id}/addenda", path: "/notes/{note}/addenda", access: session, body: func(f *fixture) string {
			return formBody("reason", "Forged correction reason", "text", "Forged addendum")
		}},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		return []string{"{note}", id(noteFixtureOf(f))}
	})
}

// noteFixtures holds, per route-table fixture, a draft note of its client.
var noteFixtures sync.Map // *fixture → *noteFixture

type noteFixture struct {
	once sync.Once
	id   int64
}

func noteFixtureOf(f *fixture) int64 {
	v, _ := noteFixtures.LoadOrStore(f, &noteFixture{})
	x := v.(*noteFixture)
	x.once.Do(func() {
		// Straight to the store: making the fixture must write no audit entry.
		n := &care.SOAPNote{OrgID: f.s.Org.ID, ClientID: f.client.ID, TherapistID: f.userID, ServiceDate: time.Now().Format("2006-01-02"), Kind: care.NoteDaily}
		if err := f.s.DB.Tx(ctx, func(tx *sql.Tx) error { return f.s.DB.CreateNote(ctx, tx, n) }); err != nil {
			panic(fmt.Sprintf("note fixture: %v", err))
		}
		x.id = n.ID
	})
	return x.id
}
