package web_test

// The routes of physicians, referrals, prescriptions, authorizations and
// documents in the security route tables, and the checks of who may use them.

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /physicians", path: "/physicians?q=kim", access: session},
		route{pattern: "GET /physicians/new", path: "/physicians/new", access: session},
		route{pattern: "POST /physicians", path: "/physicians", access: session, body: func(f *fixture) string {
			return formBody("kind", "physician", "name", "Crossite Forgerydoc", "credentials", "MD")
		}},
		route{pattern: "GET /physicians/{id}", path: "/physicians/{physician}", access: session},
		route{pattern: "POST /physicians/{id}", path: "/physicians/{physician}", access: session, body: func(f *fixture) string {
			p := rxFixtureOf(f).physician(f)
			return formBody("kind", string(p.Kind), "name", "Hijacked Doctor", "version", id(p.Version))
		}},
		route{pattern: "GET /reports/referrals", path: "/reports/referrals", access: session},
		route{pattern: "GET /clients/{id}/referral", path: "/clients/{client}/referral", access: session},
		route{pattern: "POST /clients/{id}/referral", path: "/clients/{client}/referral", access: session, body: func(f *fixture) string {
			return formBody("physician_id", id(rxFixtureOf(f).physician(f).ID), "referred_on", time.Now().AddDate(0, 0, -3).Format(clinic.DateLayout))
		}},
		route{pattern: "GET /clients/{id}/prescriptions/new", path: "/clients/{client}/prescriptions/new", access: session},
		route{pattern: "POST /clients/{id}/prescriptions", path: "/clients/{client}/prescriptions", access: session, body: func(f *fixture) string {
			return rxForm(rxFixtureOf(f).physician(f).ID).Encode()
		}},
		route{pattern: "GET /clients/{id}/authorizations/new", path: "/clients/{client}/authorizations/new", access: session},
		route{pattern: "POST /clients/{id}/authorizations", path: "/clients/{client}/authorizations", access: session, body: func(f *fixture) string {
			return authForm().Encode()
		}},
		route{pattern: "GET /documents/{id}", path: "/documents/{document}", access: session},
	)
	apiRoutes = append(apiRoutes,
		route{pattern: "GET /api/v1/physicians", path: "/api/v1/physicians?q=kim", access: token},
		route{pattern: "POST /api/v1/physicians", path: "/api/v1/physicians", access: token, body: func(f *fixture) string {
			return `{"name":"Crossite Apidoctor","credentials":"MD"}`
		}},
		route{pattern: "GET /api/v1/clients/{id}/prescriptions", path: "/api/v1/clients/{client}/prescriptions", access: token},
		route{pattern: "POST /api/v1/clients/{id}/prescriptions", path: "/api/v1/clients/{client}/prescriptions", access: token, body: func(f *fixture) string {
			return rxJSON(rxFixtureOf(f).physician(f).ID)
		}},
		route{pattern: "GET /api/v1/clients/{id}/authorizations", path: "/api/v1/clients/{client}/authorizations", access: token},
		route{pattern: "POST /api/v1/clients/{id}/authorizations", path: "/api/v1/clients/{client}/authorizations", access: token, body: func(f *fixture) string {
			return `{"payer":"Aetna","number":"CROSS-1","visits_authorized":6,"start_on":"2026-01-01","end_on":"2026-12-31"}`
		}},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		x := rxFixtureOf(f)
		return []string{"{physician}", id(x.physician(f).ID), "{document}", id(x.document(f))}
	})
}

// rxFixture holds, per route-table fixture, a demo physician and a scanned
// document of the fixture's client.
type rxFixture struct {
	mu    sync.Mutex
	phys  clinic.Physician
	docID int64
}

var rxFixtures sync.Map // *fixture → *rxFixture

func rxFixtureOf(f *fixture) *rxFixture {
	v, _ := rxFixtures.LoadOrStore(f, &rxFixture{})
	return v.(*rxFixture)
}

// physician is the demo's Sarah Kim as stored now (its version changes).
func (x *rxFixture) physician(f *fixture) clinic.Physician {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.phys.ID == 0 {
		ps, err := f.s.DB.SearchPhysicians(ctx, f.s.Org.ID, clinic.PhysicianFilter{Query: "sarah kim"})
		if err != nil || len(ps) == 0 {
			panic(fmt.Sprintf("no demo physician: %v", err))
		}
		x.phys = ps[0]
	}
	p, err := f.s.DB.Physician(ctx, f.s.Org.ID, x.phys.ID)
	if err != nil {
		panic(err)
	}
	return *p
}

// document is a scan of the fixture's client, stored on first use
// straight in the store: the route tests compare the audit trail's head
// before and after, so making the fixture must not write to it.
func (x *rxFixture) document(f *fixture) int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.docID == 0 {
		cred, err := f.s.DB.CredentialsByEmail(ctx, testsrv.Owner)
		if err != nil {
			panic(err)
		}
		d := &clinic.Document{OrgID: f.s.Org.ID, ClientID: f.client.ID, Kind: clinic.DocumentPrescription, Filename: "fixture.pdf", UploadedBy: cred.UserID}
		if err := f.s.DB.Tx(ctx, func(tx *sql.Tx) error { return f.s.DB.CreateDocument(ctx, tx, d, []byte(tinyPDF)) }); err != nil {
			panic(err)
		}
		x.docID = d.ID
	}
	return x.docID
}

// rxForm is a whole prescription form, as the page posts it (urlencoded, no scan).
func rxForm(physicianID int64) url.Values {
	return url.Values{"physician_id": {id(physicianID)}, "written_on": {time.Now().AddDate(0, 0, -3).Format(clinic.DateLayout)},
		"diagnoses": {"M54.2, G44.209"}, "ordered_treatment": {"Medical massage, cervical"}, "frequency_per_week": {"2"}, "duration_weeks": {"4"}}
}

func rxJSON(physicianID int64) string {
	return fmt.Sprintf(`{"physician_id":%d,"written_on":%q,"diagnoses":["M54.2","G44.209"],"ordered_treatment":"Medical massage, cervical","frequency_per_week":2,"duration_weeks":4}`,
		physicianID, time.Now().AddDate(0, 0, -3).Format(clinic.DateLayout))
}

func authForm() url.Values {
	return url.Values{"payer": {"Aetna"}, "number": {"CROSS-1"}, "visits_authorized": {"6"}, "visits_used": {"0"}, "start_on": {"2026-01-01"}, "end_on": {"2026-12-31"}}
}

// tinyPDF is a whole, minimal PDF document.
const tinyPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// careCounts snapshots what the prescription area stores for client c.
func careCounts(t testing.TB, s *testsrv.Server, orgID, c int64) string {
	t.Helper()
	ps, err := s.DB.Prescriptions(ctx, orgID, c)
	if err != nil {
		t.Fatal(err)
	}
	as, _ := s.DB.Authorizations(ctx, orgID, c)
	ds, _ := s.DB.ClientDocuments(ctx, orgID, c)
	ref := "none"
	if r, err := s.DB.Referral(ctx, orgID, c); err == nil {
		ref = fmt.Sprint(r.PhysicianID, r.ReferredOn)
	}
	return fmt.Sprintf("prescriptions %d authorizations %d documents %d referral %s", len(ps), len(as), len(ds), ref)
}

// TestSecurityPrescriptionRoles: a therapist reaches only her locations'
// clients' prescriptions, authorizations, referral and scans; another
// organisation reaches nothing of the demo's, and sees none of its
// directory; every refusal is audited and changes nothing.
func TestSecurityPrescriptionRoles(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		ownerTok := s.Token(t, testsrv.Owner)
		f := newFixture(t, s, ownerTok)
		x := rxFixtureOf(f)
		kim := x.physician(f)
		rr := s.ClientAt(t, s.RoundRock.ID)
		rrDoc := &clinic.Document{ClientID: rr.ID, Kind: clinic.DocumentPrescription, Filename: "rr.pdf"}
		if err := s.App.SaveDocument(ctx, ownerActor(s), rrDoc, []byte(tinyPDF)); err != nil {
			t.Fatal(err)
		}
		maria := userID(t, s, testsrv.TherapistA)
		mc := s.SignIn(t, testsrv.TherapistA)
		mtok := s.Token(t, testsrv.TherapistA)
		before := careCounts(t, s, s.Org.ID, rr.ID)
		deniedBefore := auditCount(t, s, s.Org.ID, maria, audit.Denied)
		rid := id(rr.ID)
		for _, p := range []string{"/clients/" + rid + "/referral", "/clients/" + rid + "/prescriptions/new", "/clients/" + rid + "/authorizations/new", "/documents/" + id(rrDoc.ID)} {
			if r := get(t, mc, s.URL+p); r.status != http.StatusForbidden {
				t.Errorf("Downtown therapist GET %s: %d, want 403", p, r.status)
			}
		}
		for p, form := range map[string]url.Values{
			"/clients/" + rid + "/referral":       {"physician_id": {id(kim.ID)}, "referred_on": {"2026-01-05"}},
			"/clients/" + rid + "/prescriptions":  rxForm(kim.ID),
			"/clients/" + rid + "/authorizations": authForm(),
		} {
			if r := post(t, mc, s.URL+p, form); r.status != http.StatusForbidden {
				t.Errorf("Downtown therapist POST %s: %d, want 403", p, r.status)
			}
		}
		for _, c := range []struct{ method, path, body string }{
			{http.MethodGet, "/api/v1/clients/" + rid + "/prescriptions", ""},
			{http.MethodPost, "/api/v1/clients/" + rid + "/prescriptions", rxJSON(kim.ID)},
			{http.MethodGet, "/api/v1/clients/" + rid + "/authorizations", ""},
			{http.MethodPost, "/api/v1/clients/" + rid + "/authorizations", `{"payer":"Aetna","number":"X","visits_authorized":6,"start_on":"2026-01-01","end_on":"2026-12-31"}`},
		} {
			wantAPIError(t, "Downtown therapist API "+c.method+" "+c.path, api(t, s, mtok, c.method, c.path, c.body), http.StatusForbidden, "forbidden")
		}
		if got := auditCount(t, s, s.Org.ID, maria, audit.Denied); got < deniedBefore+11 {
			t.Errorf("auth.denied entries for the therapist: %d → %d, want one per refusal", deniedBefore, got)
		}
		if after := careCounts(t, s, s.Org.ID, rr.ID); after != before {
			t.Errorf("refused requests changed the record: %s → %s", before, after)
		}
		// Her own location's client: she may.
		if r := get(t, mc, s.URL+"/documents/"+id(x.document(f))); r.status != http.StatusOK {
			t.Errorf("Downtown therapist downloading her client's scan: %d", r.status)
		}
		// The front desk may not see the referral report; the therapist may.
		if r := get(t, s.SignIn(t, testsrv.FrontDesk), s.URL+"/reports/referrals"); r.status != http.StatusForbidden {
			t.Errorf("front desk referral report: %d, want 403", r.status)
		}
		if r := get(t, mc, s.URL+"/reports/referrals"); r.status != http.StatusOK || !strings.Contains(r.body, "at your locations") {
			t.Errorf("therapist referral report: %d", r.status)
		}

		// Another organisation: 404 for every record of the demo's, its directory invisible.
		oc := s.SignIn(t, testsrv.OtherOwner)
		otok := s.Token(t, testsrv.OtherOwner)
		dt := f.client
		cid := id(dt.ID)
		secrets := []string{dt.LastName, kim.Name, kim.NPI}
		beforeDT := careCounts(t, s, s.Org.ID, dt.ID)
		for _, p := range []string{"/physicians/" + id(kim.ID), "/clients/" + cid + "/referral", "/clients/" + cid + "/prescriptions/new", "/clients/" + cid + "/authorizations/new", "/documents/" + id(x.document(f))} {
			r := get(t, oc, s.URL+p)
			if r.status != http.StatusNotFound {
				t.Errorf("other org GET %s: %d, want 404", p, r.status)
			}
			for _, sec := range secrets {
				if strings.Contains(r.body, sec) {
					t.Errorf("other org GET %s reveals %q", p, sec)
				}
			}
		}
		for p, form := range map[string]url.Values{
			"/physicians/" + id(kim.ID):           {"kind": {"physician"}, "name": {"Taken Over"}, "version": {id(kim.Version)}},
			"/clients/" + cid + "/referral":       {"physician_id": {id(kim.ID)}, "referred_on": {"2026-01-05"}},
			"/clients/" + cid + "/prescriptions":  rxForm(kim.ID),
			"/clients/" + cid + "/authorizations": authForm(),
		} {
			if r := post(t, oc, s.URL+p, form); r.status != http.StatusNotFound {
				t.Errorf("other org POST %s: %d, want 404", p, r.status)
			}
		}
		for _, c := range []struct{ method, path, body string }{
			{http.MethodGet, "/api/v1/clients/" + cid + "/prescriptions", ""},
			{http.MethodPost, "/api/v1/clients/" + cid + "/prescriptions", rxJSON(kim.ID)},
			{http.MethodGet, "/api/v1/clients/" + cid + "/authorizations", ""},
		} {
			wantAPIError(t, "other org API "+c.method+" "+c.path, api(t, s, otok, c.method, c.path, c.body), http.StatusNotFound, "not_found")
		}
		for _, q := range []string{"", "kim", kim.NPI[:4]} {
			if r := get(t, oc, s.URL+"/physicians?q="+url.QueryEscape(q)); r.status != http.StatusOK || strings.Contains(r.body, kim.Name) {
				t.Errorf("other org directory %q: %d, or it lists the demo's physician", q, r.status)
			}
			if r := api(t, s, otok, http.MethodGet, "/api/v1/physicians?q="+url.QueryEscape(q), ""); r.status != http.StatusOK || strings.Contains(r.body, kim.Name) {
				t.Errorf("other org API directory %q: %s", q, r)
			}
		}
		// Their own client with the demo's physician: refused as unknown.
		other := id(s.OtherClient.ID)
		if r := post(t, oc, s.URL+"/clients/"+other+"/prescriptions", rxForm(kim.ID)); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Unknown physician") {
			t.Errorf("other org prescription naming the demo's physician: %d", r.status)
		}
		if r := post(t, oc, s.URL+"/clients/"+other+"/referral", url.Values{"physician_id": {id(kim.ID)}, "referred_on": {"2026-01-05"}}); r.status != http.StatusUnprocessableEntity {
			t.Errorf("other org referral naming the demo's physician: %d", r.status)
		}
		if after := careCounts(t, s, s.Org.ID, dt.ID); after != beforeDT {
			t.Errorf("another organisation changed the demo client's record: %s → %s", beforeDT, after)
		}
		if now, _ := s.DB.Physician(ctx, s.Org.ID, kim.ID); now.Name != kim.Name || now.Version != kim.Version {
			t.Errorf("another organisation changed the demo's physician: %+v", now)
		}
	})
}

// TestSecurityPrescriptionMarkupAndBadInput: what people type shows as
// text on every page of the area, and hostile input is a 4xx that stores
// nothing.
func TestSecurityPrescriptionMarkupAndBadInput(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "alert(1)")
		oc := s.SignIn(t, testsrv.Owner)
		c := s.ClientAt(t, s.Downtown.ID)
		cid := id(c.ID)
		r := post(t, oc, s.URL+"/physicians", url.Values{"kind": {"physician"}, "name": {markup[0]}, "credentials": {markup[1]}, "specialty": {markup[2]},
			"practice": {markup[3]}, "city": {markup[0]}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("physician with markup: %s", r)
		}
		ps, _ := s.DB.SearchPhysicians(ctx, s.Org.ID, clinic.PhysicianFilter{Query: "script"})
		if len(ps) != 1 {
			t.Fatalf("the physician with markup is not found by a word of its name: %v", ps)
		}
		pid := id(ps[0].ID)
		form := rxForm(ps[0].ID)
		form.Set("ordered_treatment", markup[0])
		form.Set("precautions", markup[1]+markup[3])
		if r := post(t, oc, s.URL+"/clients/"+cid+"/prescriptions", form); r.status != http.StatusSeeOther {
			t.Fatalf("prescription with markup: %s", r)
		}
		af := authForm()
		af.Set("payer", markup[0])
		af.Set("number", markup[2])
		if r := post(t, oc, s.URL+"/clients/"+cid+"/authorizations", af); r.status != http.StatusSeeOther {
			t.Fatalf("authorization with markup: %s", r)
		}
		if r := post(t, oc, s.URL+"/clients/"+cid+"/referral", url.Values{"physician_id": {pid}, "referred_on": {time.Now().AddDate(0, 0, -1).Format(clinic.DateLayout)}}); r.status != http.StatusSeeOther {
			t.Fatalf("referral: %s", r)
		}
		for name, p := range map[string]string{
			"chart": "/clients/" + cid, "directory": "/physicians", "directory search": "/physicians?q=" + url.QueryEscape(markup[0]),
			"physician": "/physicians/" + pid, "report": "/reports/referrals", "referral form": "/clients/" + cid + "/referral",
			"authorization form": "/clients/" + cid + "/authorizations/new", "prescription form": "/clients/" + cid + "/prescriptions/new",
		} {
			r := get(t, oc, s.URL+p)
			if r.status != http.StatusOK {
				t.Errorf("%s %s: %d", name, p, r.status)
				continue
			}
			wantEscaped(t, name, r.body)
		}
		// A form shown again with the markup typed into it.
		bad := rxForm(ps[0].ID)
		bad.Set("diagnoses", markup[0])
		bad.Set("ordered_treatment", markup[1])
		r = post(t, oc, s.URL+"/clients/"+cid+"/prescriptions", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("prescription with a markup diagnosis: %d", r.status)
		}
		wantEscaped(t, "prescription form shown again", r.body)

		// Hostile input to every form of the area: a 4xx, never a 5xx, nothing stored.
		kim := ps[0]
		before := careCounts(t, s, s.Org.ID, c.ID)
		nPhys, _ := s.DB.SearchPhysicians(ctx, s.Org.ID, clinic.PhysicianFilter{})
		big := strings.Repeat("x", 100<<10)
		huge := "99999999999999999999"
		for _, k := range []struct {
			path string
			form func() url.Values
			bad  map[string][]string
		}{
			{"/clients/" + cid + "/prescriptions", func() url.Values { return rxForm(kim.ID) }, map[string][]string{
				"physician_id":       {"", "abc", "-1", "0", huge, "1.5", "99999999", "\x00"},
				"written_on":         {"", "abc", "2026-13-45", "2999-01-01", "\x00", big},
				"diagnoses":          {"", "<b>", "M54", "M54.5", "Q99.99", "\xff\xfe", big, "M54.2, m542", strings.Repeat("M54.2 ", 13)},
				"ordered_treatment":  {"", " ", "\x00", "\xff\xfe", big},
				"frequency_per_week": {"abc", "-1", "8", huge, "1.5"},
				"duration_weeks":     {"abc", "-1", "105", huge},
				"visits":             {"abc", "-1", "401", huge},
				"start_on":           {"abc", "2026-13-45", "1999-01-01"},
				"expires_on":         {"abc", "1999-01-01"},
				"precautions":        {"\x00", "\xff\xfe", big},
			}},
			{"/clients/" + cid + "/authorizations", authForm, map[string][]string{
				"payer":             {"", "\x00", big},
				"number":            {"", " ", big},
				"visits_authorized": {"", "abc", "0", "-1", "401", huge},
				"visits_used":       {"abc", "-1", "7", huge},
				"start_on":          {"", "abc"},
				"end_on":            {"", "2025-01-01"},
				"prescription_id":   {"abc", "-5", "99999999", huge},
			}},
			{"/clients/" + cid + "/referral", func() url.Values { return url.Values{"physician_id": {id(kim.ID)}, "referred_on": {"2026-01-05"}} }, map[string][]string{
				"physician_id": {"", "abc", "0", "-1", "99999999", huge},
				"referred_on":  {"", "abc", "2999-01-01", "2026-13-45", "\x00"},
			}},
			{"/physicians", func() url.Values { return url.Values{"kind": {"physician"}, "name": {"Valid Name"}} }, map[string][]string{
				"name":  {"", " ", "\x00", "\xff\xfe", big},
				"npi":   {"1234567890", "abc", "12345", "\x00", big},
				"kind":  {"surgeon", "\x00"},
				"phone": {"12", big},
				"state": {"ZZ"},
				"zip":   {"1234"},
			}},
		} {
			for field, values := range k.bad {
				for _, v := range values {
					f := k.form()
					f.Set(field, v)
					if r := post(t, oc, s.URL+k.path, f); r.status < 400 || r.status > 499 {
						t.Errorf("POST %s with %s=%.20q: %d, want 4xx", k.path, field, v, r.status)
					}
				}
			}
		}
		if r := post(t, oc, s.URL+"/physicians/"+pid, url.Values{"kind": {"physician"}, "name": {"Stale"}, "version": {"999"}}); r.status != http.StatusConflict {
			t.Errorf("stale physician save: %d, want 409", r.status)
		}
		for _, p := range []string{"/physicians/abc", "/physicians/99999999", "/physicians/-1", "/documents/abc", "/documents/99999999", "/documents/0",
			"/clients/99999999/referral", "/clients/abc/prescriptions/new", "/clients/99999999/authorizations/new"} {
			if r := get(t, oc, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.status)
			}
		}
		if after := careCounts(t, s, s.Org.ID, c.ID); after != before {
			t.Errorf("hostile input changed the record: %s → %s", before, after)
		}
		if n, _ := s.DB.SearchPhysicians(ctx, s.Org.ID, clinic.PhysicianFilter{}); len(n) != len(nPhys) {
			t.Errorf("hostile input added %d directory entries", len(n)-len(nPhys))
		}
	})
}

// ownerActor is the demo owner as a signed-in actor, for fixtures made through the app.
func ownerActor(s *testsrv.Server) *auth.Actor {
	res, err := s.App.SignIn(ctx, testsrv.Owner, testsrv.Password, "127.0.0.1", "")
	if err != nil {
		panic(err)
	}
	a, err := s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
	if err != nil {
		panic(err)
	}
	return a
}
