package api_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

type intakeLinkJSON struct {
	URL       string `json:"url"`
	ExpiresAt string `json:"expires_at"`
}

type intakeJSON struct {
	ID             int64    `json:"id"`
	ClientID       int64    `json:"client_id"`
	Version        int      `json:"version"`
	ReasonForVisit string   `json:"reason_for_visit"`
	Conditions     []string `json:"conditions"`
	Medications    []struct {
		Name  string `json:"name"`
		Class string `json:"class"`
	} `json:"medications"`
	SignedBy    string `json:"signed_by"`
	ContentHash string `json:"content_hash"`
	Consents    []struct {
		Kind    string `json:"kind"`
		Version int    `json:"version"`
	} `json:"consents"`
	ReviewedAt *string `json:"reviewed_at"`
}

func TestAPIIntakes(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		ftok := s.Token(t, testsrv.FrontDesk)
		// A client without a health history yet.
		r := callS(t, s, ftok, http.MethodPost, "/api/v1/clients", `{"first_name":"Api","last_name":"Intaker","dob":"1980-02-03","preferred_location_id":`+strconv.FormatInt(s.Downtown.ID, 10)+`}`)
		if r.status != http.StatusCreated {
			t.Fatalf("create client: %s", r)
		}
		c := decodeClient(t, r)
		base := "/api/v1/clients/" + strconv.FormatInt(c.ID, 10)
		wantError(t, "latest of none", callS(t, s, ftok, http.MethodGet, base+"/intakes/latest", ""), http.StatusNotFound, "not_found")
		r = callS(t, s, ftok, http.MethodGet, base+"/intakes", "")
		if r.status != http.StatusOK || strings.TrimSpace(r.body) != `{"intakes":[]}` {
			t.Errorf("empty list: %s", r)
		}

		// A link, with or without an empty body.
		for _, body := range []string{"", "{}"} {
			r = callS(t, s, ftok, http.MethodPost, base+"/intake-links", body)
			var l intakeLinkJSON
			if r.status != http.StatusCreated || json.Unmarshal([]byte(r.body), &l) != nil || !strings.HasPrefix(l.URL, s.URL+"/intake/intake_") {
				t.Fatalf("create link with body %q: %s", body, r)
			}
			exp, err := time.Parse(time.RFC3339, l.ExpiresAt)
			if err != nil || exp.Sub(time.Now()) < 6*24*time.Hour || exp.Sub(time.Now()) > 8*24*time.Hour {
				t.Errorf("expires_at %q", l.ExpiresAt)
			}
			if page := callS(t, s, "", http.MethodGet, strings.TrimPrefix(l.URL, s.URL), ""); page.status != http.StatusOK || !strings.Contains(page.body, "Hello Api.") {
				t.Errorf("the link does not open the form: %d", page.status)
			}
		}
		wantError(t, "link with unknown fields", callS(t, s, ftok, http.MethodPost, base+"/intake-links", `{"client_id":1}`), http.StatusUnprocessableEntity, "invalid")

		// Two versions signed (as the demo clinic records paper intakes).
		owner := ownerActor(t, s)
		for _, reason := range []string{"First", "Second"} {
			in := demoIntake(reason)
			if _, err := s.App.ImportIntake(ctx, owner, c.ID, in, sigOf("Api Intaker"), time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		r = callS(t, s, ftok, http.MethodGet, base+"/intakes", "")
		var list struct {
			Intakes []intakeJSON `json:"intakes"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &list) != nil || len(list.Intakes) != 2 ||
			list.Intakes[0].Version != 2 || list.Intakes[1].ReasonForVisit != "First" || list.Intakes[0].ContentHash == "" ||
			len(list.Intakes[0].Consents) != 3 || list.Intakes[0].ReviewedAt != nil || list.Intakes[0].Medications[0].Class != "anticoagulant" {
			t.Fatalf("list: %s", r)
		}
		r = callS(t, s, ftok, http.MethodGet, base+"/intakes/latest", "")
		var latest intakeJSON
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &latest) != nil || latest.Version != 2 || latest.ReasonForVisit != "Second" || latest.SignedBy != "Api Intaker" {
			t.Errorf("latest: %s", r)
		}

		// Who may not.
		btok := s.Token(t, testsrv.Biller)
		for _, p := range []string{base + "/intakes", base + "/intakes/latest"} {
			wantError(t, "biller GET "+p, callS(t, s, btok, http.MethodGet, p, ""), http.StatusForbidden, "forbidden")
		}
		wantError(t, "biller link", callS(t, s, btok, http.MethodPost, base+"/intake-links", ""), http.StatusForbidden, "forbidden")
		jtok := s.Token(t, testsrv.TherapistB) // Round Rock only
		wantError(t, "therapist of another location", callS(t, s, jtok, http.MethodGet, base+"/intakes", ""), http.StatusForbidden, "forbidden")
		wantError(t, "therapist of another location, link", callS(t, s, jtok, http.MethodPost, base+"/intake-links", ""), http.StatusForbidden, "forbidden")
		otok := s.Token(t, testsrv.OtherOwner)
		for _, p := range []string{base + "/intakes", base + "/intakes/latest"} {
			r := callS(t, s, otok, http.MethodGet, p, "")
			wantError(t, "other org GET "+p, r, http.StatusNotFound, "not_found")
			if strings.Contains(r.body, "Second") {
				t.Errorf("another organisation sees the intake")
			}
		}
		wantError(t, "other org link", callS(t, s, otok, http.MethodPost, base+"/intake-links", ""), http.StatusNotFound, "not_found")
		for _, p := range []string{"/api/v1/clients/abc/intakes", "/api/v1/clients/0/intakes/latest", "/api/v1/clients/99999999/intakes"} {
			wantError(t, "GET "+p, callS(t, s, ftok, http.MethodGet, p, ""), http.StatusNotFound, "not_found")
		}

		// Every read and link is audited.
		es, _ := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: s.Org.ID, RecordType: "client", RecordID: c.ID})
		counts := map[string]int{}
		for _, e := range es {
			counts[e.Action]++
		}
		if counts[app.AuditIntakeRead] < 3 || counts[app.AuditIntakeLinkCreate] != 2 || counts[app.AuditIntakeSign] != 2 {
			t.Errorf("audit entries: %v", counts)
		}
	})
}

func ownerActor(t *testing.T, s *testsrv.Server) *auth.Actor {
	t.Helper()
	res, err := s.App.SignIn(ctx, testsrv.Owner, testsrv.Password, "127.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func demoIntake(reason string) care.Intake {
	return care.Intake{ReasonForVisit: reason, Conditions: []string{"dvt_history"},
		Medications: []care.Medication{{Name: "Apixaban", Class: "anticoagulant", Dose: "5 mg"}}}
}

func sigOf(name string) care.Signature { return care.Signature{Kind: "typed", Name: name} }
