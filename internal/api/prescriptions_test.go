package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

type physicianJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	Credentials string `json:"credentials"`
	NPI         string `json:"npi"`
	Phone       string `json:"phone"`
	Version     int64  `json:"version"`
}

type prescriptionJSON struct {
	ID          int64 `json:"id"`
	ClientID    int64 `json:"client_id"`
	PhysicianID int64 `json:"physician_id"`
	Diagnoses   []struct {
		Code  string `json:"code"`
		Title string `json:"title"`
	} `json:"diagnoses"`
	Visits     int    `json:"visits"`
	StartOn    string `json:"start_on"`
	ExpiresOn  string `json:"expires_on"`
	DocumentID *int64 `json:"document_id"`
}

type authorizationJSON struct {
	ID               int64  `json:"id"`
	PrescriptionID   *int64 `json:"prescription_id"`
	Payer            string `json:"payer"`
	VisitsAuthorized int    `json:"visits_authorized"`
	VisitsUsed       int    `json:"visits_used"`
	VisitsLeft       int    `json:"visits_left"`
}

func decodeAs[T any](t testing.TB, r resp) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatalf("decode: %v (%s)", err, r)
	}
	return v
}

func TestAPIPhysicians(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		tok := s.Token(t, testsrv.FrontDesk)
		r := callS(t, s, tok, http.MethodGet, "/api/v1/physicians?q=kim", "")
		list := decodeAs[struct {
			Physicians []physicianJSON `json:"physicians"`
		}](t, r)
		if r.status != http.StatusOK || len(list.Physicians) != 1 || list.Physicians[0].Name != "Sarah Kim" || len(list.Physicians[0].NPI) != 10 {
			t.Fatalf("search: %s", r)
		}
		r = callS(t, s, tok, http.MethodPost, "/api/v1/physicians", `{"name":"Nina Alvarez","credentials":"MD","npi":"1245 319 599","phone":"512.555.0111","kind":"physician"}`)
		p := decodeAs[physicianJSON](t, r)
		if r.status != http.StatusCreated || p.ID == 0 || p.NPI != "1245319599" || p.Phone != "(512) 555-0111" || p.Version != 1 {
			t.Fatalf("create: %s", r)
		}
		e1 := wantError(t, "the same NPI again", callS(t, s, tok, http.MethodPost, "/api/v1/physicians", `{"name":"Nina R. Alvarez","npi":"1245319599"}`), http.StatusConflict, "conflict")
		if e1.Error.Fields["npi"] == "" {
			t.Errorf("duplicate NPI: no message on npi: %+v", e1)
		}
		e2 := wantError(t, "a bad NPI", callS(t, s, tok, http.MethodPost, "/api/v1/physicians", `{"name":"Bad Npi","npi":"1234567890"}`), http.StatusUnprocessableEntity, "invalid")
		if !strings.Contains(e2.Error.Fields["npi"], "10 digits") {
			t.Errorf("bad NPI message: %+v", e2)
		}
		wantError(t, "unknown field", callS(t, s, tok, http.MethodPost, "/api/v1/physicians", `{"name":"X","ssn":"1"}`), http.StatusUnprocessableEntity, "invalid")
		wantError(t, "bad kind", callS(t, s, tok, http.MethodGet, "/api/v1/physicians?kind=surgeon", ""), http.StatusUnprocessableEntity, "invalid")
		wantError(t, "bad limit", callS(t, s, tok, http.MethodGet, "/api/v1/physicians?limit=0", ""), http.StatusUnprocessableEntity, "invalid")
		// Another organisation sees none of it.
		other := s.Token(t, testsrv.OtherOwner)
		if r := callS(t, s, other, http.MethodGet, "/api/v1/physicians", ""); r.status != http.StatusOK || strings.Contains(r.body, "Kim") || strings.Contains(r.body, "Alvarez") {
			t.Errorf("other org's directory: %s", r)
		}
	})
}

func TestAPIPrescriptionsAndAuthorizations(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		tok := s.Token(t, testsrv.TherapistA) // Downtown only
		c := s.ClientAt(t, s.Downtown.ID)
		base := "/api/v1/clients/" + strconv.FormatInt(c.ID, 10)
		list := decodeAs[struct {
			Physicians []physicianJSON `json:"physicians"`
		}](t, callS(t, s, tok, http.MethodGet, "/api/v1/physicians?q=kim", ""))
		kim := list.Physicians[0].ID
		written := time.Now().AddDate(0, 0, -3).Format("2006-01-02")
		body := func(dx string) string {
			return fmt.Sprintf(`{"physician_id":%d,"written_on":%q,"diagnoses":[%s],"ordered_treatment":"Medical massage, cervical","frequency_per_week":2,"duration_weeks":6,"precautions":"No deep pressure"}`, kim, written, dx)
		}
		before := len(decodeAs[struct {
			Prescriptions []prescriptionJSON `json:"prescriptions"`
		}](t, callS(t, s, tok, http.MethodGet, base+"/prescriptions", "")).Prescriptions)

		r := callS(t, s, tok, http.MethodPost, base+"/prescriptions", body(`"m542","G44.209"`))
		p := decodeAs[prescriptionJSON](t, r)
		if r.status != http.StatusCreated || p.ID == 0 || p.Visits != 12 || len(p.Diagnoses) != 2 || p.Diagnoses[0].Code != "M54.2" || p.Diagnoses[0].Title != "Cervicalgia" ||
			p.DocumentID != nil || p.StartOn != written {
			t.Fatalf("create prescription: %s", r)
		}
		// A category is refused, naming the billable codes beneath it.
		e1 := wantError(t, "a category", callS(t, s, tok, http.MethodPost, base+"/prescriptions", body(`"M54.5"`)), http.StatusUnprocessableEntity, "invalid")
		if d := e1.Error.Fields["diagnoses"]; !strings.Contains(d, "M54.50") || !strings.Contains(d, "M54.51") {
			t.Errorf("category message: %q", d)
		}
		wantError(t, "no diagnosis", callS(t, s, tok, http.MethodPost, base+"/prescriptions", body(``)), http.StatusUnprocessableEntity, "invalid")
		wantError(t, "diagnoses not a list", callS(t, s, tok, http.MethodPost, base+"/prescriptions", strings.Replace(body(`"M54.2"`), `["M54.2"]`, `"M54.2"`, 1)), http.StatusUnprocessableEntity, "invalid")
		after := decodeAs[struct {
			Prescriptions []prescriptionJSON `json:"prescriptions"`
		}](t, callS(t, s, tok, http.MethodGet, base+"/prescriptions", ""))
		if len(after.Prescriptions) != before+1 || after.Prescriptions[0].ID != p.ID {
			t.Errorf("list after: %d (before %d)", len(after.Prescriptions), before)
		}

		// Authorizations.
		r = callS(t, s, tok, http.MethodPost, base+"/authorizations", fmt.Sprintf(`{"prescription_id":%d,"payer":"Aetna","number":"A-1","visits_authorized":12,"visits_used":10,"start_on":%q,"end_on":%q}`, p.ID, p.StartOn, p.ExpiresOn))
		a := decodeAs[authorizationJSON](t, r)
		if r.status != http.StatusCreated || a.VisitsLeft != 2 || a.PrescriptionID == nil || *a.PrescriptionID != p.ID {
			t.Fatalf("create authorization: %s", r)
		}
		as := decodeAs[struct {
			Authorizations []authorizationJSON `json:"authorizations"`
		}](t, callS(t, s, tok, http.MethodGet, base+"/authorizations", ""))
		if len(as.Authorizations) == 0 || as.Authorizations[0].ID != a.ID {
			t.Errorf("authorizations: %+v", as)
		}
		e2 := wantError(t, "more used than authorized", callS(t, s, tok, http.MethodPost, base+"/authorizations", `{"payer":"Aetna","number":"A-2","visits_authorized":2,"visits_used":3,"start_on":"2026-01-01","end_on":"2026-02-01"}`), http.StatusUnprocessableEntity, "invalid")
		if e2.Error.Fields["visits_used"] == "" {
			t.Errorf("no message on visits_used: %+v", e2)
		}
		rr := s.ClientAt(t, s.RoundRock.ID)
		rrBase := "/api/v1/clients/" + strconv.FormatInt(rr.ID, 10)
		owner := s.Token(t, testsrv.Owner)
		wantError(t, "another client's prescription", callS(t, s, owner, http.MethodPost, rrBase+"/authorizations", fmt.Sprintf(`{"prescription_id":%d,"payer":"Aetna","number":"A-3","visits_authorized":2,"start_on":"2026-01-01","end_on":"2026-02-01"}`, p.ID)), http.StatusUnprocessableEntity, "invalid")

		// The therapist and a Round Rock client; another organisation; bad ids.
		wantError(t, "therapist, another location", callS(t, s, tok, http.MethodGet, rrBase+"/prescriptions", ""), http.StatusForbidden, "forbidden")
		wantError(t, "therapist, another location (POST)", callS(t, s, tok, http.MethodPost, rrBase+"/prescriptions", body(`"M54.2"`)), http.StatusForbidden, "forbidden")
		other := s.Token(t, testsrv.OtherOwner)
		wantError(t, "other org", callS(t, s, other, http.MethodGet, base+"/prescriptions", ""), http.StatusNotFound, "not_found")
		wantError(t, "other org authorizations", callS(t, s, other, http.MethodGet, base+"/authorizations", ""), http.StatusNotFound, "not_found")
		for _, bad := range []string{"abc", "0", "-1", "99999999999999999999"} {
			wantError(t, "client "+bad, callS(t, s, tok, http.MethodGet, "/api/v1/clients/"+bad+"/prescriptions", ""), http.StatusNotFound, "not_found")
		}
	})
}
