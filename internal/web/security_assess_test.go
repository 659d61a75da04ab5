package web_test

// The evaluation routes in the security route tables.

import (
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "POST /clients/{id}/evaluations", path: "/clients/{client}/evaluations", access: session, body: func(f *fixture) string {
			return formBody("kind", "initial", "condition", "chronic_neck_pain")
		}},
		route{pattern: "GET /clients/{id}/evaluations/{eid}", path: "/clients/{client}/evaluations/{evaluation}", access: session},
		route{pattern: "POST /clients/{id}/evaluations/{eid}", path: "/clients/{client}/evaluations/{evaluation}", access: session, body: func(f *fixture) string {
			return formBody("version", "1", "chief_complaint", "Hijacked complaint", "assessment", "Hijacked")
		}},
		route{pattern: "GET /clients/{id}/evaluations/{eid}/pdf", path: "/clients/{client}/evaluations/{evaluation}/pdf", access: session},
		route{pattern: "POST /admin/settings/rom", path: "/admin/settings/rom", access: session, body: func(f *fixture) string {
			return formBody("min_percent", "60", "max_side_diff", "30")
		}},
	)
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/clients/{id}/evaluations", path: "/api/v1/clients/{client}/evaluations", access: token},
		route{pattern: "GET /api/v1/clients/{id}/evaluations/{eid}", path: "/api/v1/clients/{client}/evaluations/{evaluation}", access: token},
		route{pattern: "GET /api/v1/clients/{id}/plans", path: "/api/v1/clients/{client}/plans", access: token},
		route{pattern: "GET /api/v1/clients/{id}/plans/{pid}", path: "/api/v1/clients/{client}/plans/{plan}", access: token},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		return []string{"{evaluation}", id(evalFixtureOf(f))}
	})
}

// evalFixtures holds, per route-table fixture, a draft evaluation of its client.
var evalFixtures sync.Map // *fixture → *evalFixture

type evalFixture struct {
	once sync.Once
	id   int64
}

func evalFixtureOf(f *fixture) int64 {
	v, _ := evalFixtures.LoadOrStore(f, &evalFixture{})
	x := v.(*evalFixture)
	x.once.Do(func() {
		// Straight to the store: the route tables' checks count audit
		// entries, and making the fixture must not add any.
		e := &assess.Evaluation{OrgID: f.s.Org.ID, ClientID: f.client.ID, Kind: assess.Initial, Date: time.Now().Format("2006-01-02"), TherapistID: f.userID}
		if err := f.s.DB.Tx(ctx, func(tx *sql.Tx) error { return f.s.DB.CreateEvaluation(ctx, tx, e, assess.DefaultThresholds) }); err != nil {
			panic(fmt.Sprintf("evaluation fixture: %v", err))
		}
		x.id = e.ID
	})
	return x.id
}
