package web_test

// The evaluation routes in the security route tables.

import (
	"fmt"
	"sync"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/testsrv"
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
		res, err := f.s.App.SignIn(ctx, testsrv.Owner, testsrv.Password, "127.0.0.1", "")
		if err != nil {
			panic(fmt.Sprintf("sign in: %v", err))
		}
		a, err := f.s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
		if err != nil {
			panic(fmt.Sprintf("authenticate: %v", err))
		}
		e, err := f.s.App.StartEvaluation(ctx, a, f.client.ID, assess.Initial, "", "")
		if err != nil {
			panic(fmt.Sprintf("start evaluation: %v", err))
		}
		x.id = e.ID
	})
	return x.id
}
