package web_test

// The screening and screening-rule routes in the security route tables.

import (
	"database/sql"
	"fmt"
	"sync"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /clients/{id}/screening", path: "/clients/{client}/screening", access: session},
		route{pattern: "POST /clients/{id}/screening/overrides", path: "/clients/{client}/screening/overrides", access: session, body: func(f *fixture) string {
			return formBody("rule", "default.fever", "reason", "Forged override from another site")
		}},
		route{pattern: "POST /clients/{id}/screening/clearances", path: "/clients/{client}/screening/clearances", access: session, body: func(f *fixture) string {
			return formBody("rule", "default.dvt_history", "physician", "Dr. Forged", "date", "2026-01-02", "document_id", id(screeningFixtureOf(f).doc(f)))
		}},
		route{pattern: "GET /admin/rules", path: "/admin/rules", access: session},
		route{pattern: "GET /admin/rules/new", path: "/admin/rules/new", access: session},
		route{pattern: "POST /admin/rules", path: "/admin/rules", access: session, body: func(f *fixture) string {
			return formBody("kind", "condition", "value_condition", "epilepsy", "level", "avoid", "reason", "Forged rule", "source", "Nobody", "enabled", "1")
		}},
		route{pattern: "GET /admin/rules/{id}", path: "/admin/rules/{rule}", access: session},
		route{pattern: "POST /admin/rules/{id}", path: "/admin/rules/{rule}", access: session, body: func(f *fixture) string {
			r := screeningFixtureOf(f).rule(f)
			return formBody("level", "modify", "modification", "forged", "reason", "Forged", "source", "Nobody", "enabled", "1", "version", fmt.Sprint(r.Version))
		}},
		route{pattern: "POST /admin/rules/{id}/enabled", path: "/admin/rules/{rule}/enabled", access: session, body: func(f *fixture) string { return formBody("enabled", "0") }},
		route{pattern: "POST /admin/rules/{id}/restore", path: "/admin/rules/{rule}/restore", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /admin/rules/{id}/delete", path: "/admin/rules/{customrule}/delete", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /admin/rules/restore", path: "/admin/rules/restore", access: session, body: func(f *fixture) string { return "" }},
	)
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/clients/{id}/screening", path: "/api/v1/clients/{client}/screening", access: token},
		route{pattern: "GET /api/v1/screening/rules", path: "/api/v1/screening/rules", access: token},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		x := screeningFixtureOf(f)
		return []string{"{customrule}", id(x.custom(f)), "{rule}", id(x.rule(f).ID)}
	})
}

// screeningFixture holds, per route-table fixture, a default rule and a
// rule of the clinic's own (to delete), made straight in the store so that
// making them writes nothing to the audit trail.
type screeningFixture struct {
	mu       sync.Mutex
	ruleID   int64
	customID int64
	docID    int64
}

var screeningFixtures sync.Map // *fixture → *screeningFixture

func screeningFixtureOf(f *fixture) *screeningFixture {
	v, _ := screeningFixtures.LoadOrStore(f, &screeningFixture{})
	return v.(*screeningFixture)
}

// rule is the default fever rule as stored now.
func (x *screeningFixture) rule(f *fixture) care.Rule {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.ruleID == 0 {
		rules, err := f.s.DB.ScreeningRules(ctx, f.s.Org.ID)
		if err != nil {
			panic(err)
		}
		for _, r := range rules {
			if r.Key == "default.fever" {
				x.ruleID = r.ID
			}
		}
	}
	r, err := f.s.DB.ScreeningRule(ctx, f.s.Org.ID, x.ruleID)
	if err != nil {
		panic(err)
	}
	return *r
}

func (x *screeningFixture) custom(f *fixture) int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.customID == 0 {
		r := &care.Rule{Trigger: care.Trigger{Kind: care.TriggerCondition, Value: "epilepsy"}, Level: care.LevelModify, Modification: "m",
			Reason: "Fixture rule", Source: "Clinic policy", Enabled: true}
		if err := f.s.DB.Tx(ctx, func(tx *sql.Tx) error { return f.s.DB.CreateScreeningRule(ctx, tx, f.s.Org.ID, 0, r) }); err != nil {
			panic(err)
		}
		x.customID = r.ID
	}
	return x.customID
}

// doc is a clearance letter of the fixture's client, stored in the store directly.
func (x *screeningFixture) doc(f *fixture) int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.docID == 0 {
		x.docID = storeScreeningDoc(f.s, f.client.ID)
	}
	return x.docID
}

func storeScreeningDoc(s *testsrv.Server, clientID int64) int64 {
	cred, err := s.DB.CredentialsByEmail(ctx, testsrv.Owner)
	if err != nil {
		panic(err)
	}
	d := clearanceDoc(s.Org.ID, clientID, cred.UserID)
	if err := s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.DB.CreateDocument(ctx, tx, d, []byte(tinyPDF)) }); err != nil {
		panic(err)
	}
	return d.ID
}
