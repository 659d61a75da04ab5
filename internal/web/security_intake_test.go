package web_test

import (
	"database/sql"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/web"
)

// The intake area's routes in the security route tables. Records the paths
// need (links, an intake version) are made through the store, not the app,
// so they leave no audit entries for the cross-site test's snapshot to see.

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /intake/{token}", path: "/intake/{intake_token}", access: public},
		route{pattern: "POST /intake/{token}", path: "/intake/{intake_token_post}", access: public, body: func(f *fixture) string {
			return intakeFixtureOf(f).form
		}},
		route{pattern: "POST /clients/{id}/intake-links", path: "/clients/{client}/intake-links", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /clients/{id}/intake-links/{link}/revoke", path: "/clients/{client}/intake-links/{intake_link}/revoke", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /clients/{id}/hand-to-client", path: "/clients/{client}/hand-to-client", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "GET /clients/{id}/intakes", path: "/clients/{client}/intakes", access: session},
		route{pattern: "GET /clients/{id}/intakes/{version}", path: "/clients/{client}/intakes/{intake_version}", access: session},
		route{pattern: "GET /clients/{id}/intakes/{version}/review", path: "/clients/{client}/intakes/{intake_version}/review", access: session},
		route{pattern: "POST /clients/{id}/intakes/{version}/review", path: "/clients/{client}/intakes/{intake_version}/review", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "GET /admin/consents", path: "/admin/consents", access: session},
		route{pattern: "POST /admin/consents/{kind}", path: "/admin/consents/treatment", access: session, body: func(f *fixture) string {
			return formBody("title", "Forged consent", "body", "A text the owner never wrote, long enough to be saved.")
		}},
		route{pattern: "POST /admin/consents/settings", path: "/admin/consents/settings", access: session, body: func(f *fixture) string {
			return formBody("link_days", "60", "yearly_update", "0")
		}},
	)
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/clients/{id}/intakes", path: "/api/v1/clients/{client}/intakes", access: token},
		route{pattern: "GET /api/v1/clients/{id}/intakes/latest", path: "/api/v1/clients/{client}/intakes/latest", access: token},
		route{pattern: "POST /api/v1/clients/{id}/intake-links", path: "/api/v1/clients/{client}/intake-links", access: token, body: func(f *fixture) string { return "{}" }},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		x := intakeFixtureOf(f)
		return []string{"{intake_token}", x.token, "{intake_token_post}", x.postToken, "{intake_link}", strconv.FormatInt(x.linkID, 10),
			"{intake_version}", strconv.Itoa(x.version)}
	})
}

// intakeRecords are what one fixture's intake routes refer to.
type intakeRecords struct {
	token, postToken string // live links of the fixture client
	linkID           int64  // a third live link, to revoke
	version          int    // a signed version of the fixture client's intake
	form             string // a valid signed intake for postToken
}

var intakeFixtures sync.Map // *fixture → *intakeRecords

func intakeFixtureOf(f *fixture) *intakeRecords {
	if x, ok := intakeFixtures.Load(f); ok {
		return x.(*intakeRecords)
	}
	db := f.s.DB
	x := &intakeRecords{}
	link := func() (string, int64) {
		tok, err := auth.NewToken("intake")
		if err != nil {
			panic(err)
		}
		l := &store.IntakeLink{OrgID: f.s.Org.ID, ClientID: f.client.ID, ExpiresAt: time.Now().Add(24 * time.Hour)}
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return db.CreateIntakeLink(ctx, tx, l, auth.HashToken(tok)) }); err != nil {
			panic(err)
		}
		return tok, l.ID
	}
	x.token, _ = link()
	x.postToken, _ = link()
	_, x.linkID = link()
	docs, err := db.CurrentConsents(ctx, f.s.Org.ID)
	if err != nil {
		panic(err)
	}
	in := care.Intake{OrgID: f.s.Org.ID, ClientID: f.client.ID, ReasonForVisit: "Fixture", SignedBy: "Fixture Client", SignatureKind: "typed", Source: "link"}
	doc, err := care.SignedBytes(&in, docs)
	if err != nil {
		panic(err)
	}
	if err := db.Tx(ctx, func(tx *sql.Tx) error { return db.InsertIntake(ctx, tx, &in, doc, 0) }); err != nil {
		panic(err)
	}
	x.version = in.Version
	v := web.IntakeFormValues(care.Intake{ReasonForVisit: "Forged through another site"})
	for _, d := range docs {
		v.Set("consent_"+d.Kind, fmt.Sprint(d.ID))
	}
	v.Set(care.FieldSignatureName, "Someone Else")
	x.form = v.Encode()
	intakeFixtures.Store(f, x)
	return x
}
