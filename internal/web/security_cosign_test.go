package web_test

// The co-signature routes in the security route tables, and who may use
// them: the queue for owners and therapists, the co-signature for the
// note's supervisor or an owner, the supervision setting for owners.

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/demo"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

const aishaEmail = "aisha.patel@demo.test" // a therapist of both locations

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /notes/cosign", path: "/notes/cosign", access: session},
		route{pattern: "POST /notes/{id}/cosign", path: "/notes/{cosignnote}/cosign", access: session, body: func(f *fixture) string { return "" }},
		route{pattern: "POST /admin/note-settings/supervision", path: "/admin/note-settings/supervision", access: session, body: func(f *fixture) string {
			// James (Round Rock) co-signed by Aisha (both locations): valid.
			return formBody("user_id", id(staffID(f, testsrv.TherapistB)), "supervisor_id", id(staffID(f, aishaEmail)), "reason", "supervised")
		}},
		route{pattern: "POST /admin/note-settings/supervision/{id}/remove", path: "/admin/note-settings/supervision/{student}/remove", access: session,
			body: func(f *fixture) string { return "" }},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		return []string{"{cosignnote}", id(cosignFixtureOf(f)), "{student}", id(staffID(f, demo.Student.Email))}
	})
}

func staffID(f *fixture, email string) int64 {
	cred, err := f.s.DB.CredentialsByEmail(ctx, email)
	if err != nil {
		panic(fmt.Sprintf("staff %s: %v", email, err))
	}
	return cred.UserID
}

// cosignFixtures holds, per route-table fixture, a note of its client by
// the demo's student, signed and awaiting Maria's co-signature.
var cosignFixtures sync.Map // *fixture → *cosignFixture

type cosignFixture struct {
	once sync.Once
	id   int64
}

func cosignFixtureOf(f *fixture) int64 {
	v, _ := cosignFixtures.LoadOrStore(f, &cosignFixture{})
	x := v.(*cosignFixture)
	x.once.Do(func() {
		n, err := storeCosignNote(f.s, f.client.ID, staffID(f, demo.Student.Email), time.Now().Format("2006-01-02"))
		if err != nil {
			panic(fmt.Sprintf("co-signature fixture: %v", err))
		}
		x.id = n.ID
	})
	return x.id
}

// storeCosignNote writes a complete note of clientID by the writer, which
// requires a co-signature, signed on the spot, straight through the store
// (no audit entry).
func storeCosignNote(s *testsrv.Server, clientID, writer int64, date string) (*care.SOAPNote, error) {
	before, after := 5, 2
	n := &care.SOAPNote{OrgID: s.Org.ID, ClientID: clientID, TherapistID: writer, ServiceDate: date, Kind: care.NoteDaily,
		Subjective: "Fixture note: shoulder easier.", PainBefore: &before, Objective: "Tight upper trapezius.", Assessment: "Softened.",
		PainAfter: &after, Tolerance: "good", Plan: "Continue weekly.", CosignRequired: true,
		Techniques:            []care.PerformedTechnique{{Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 30}},
		ScreeningAcknowledged: true, ScreeningAckAt: time.Now()}
	var out *care.SOAPNote
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.CreateNote(ctx, tx, n); err != nil {
			return err
		}
		var err error
		out, err = s.DB.SignNote(ctx, tx, s.Org.ID, n.ID, n.Version, writer, time.Now(), time.Now())
		return err
	})
	return out, err
}

// TestSecurityCosignRoles: the front desk and billing have no queue; no one
// but the note's supervisor or an owner co-signs (403, or 404 for another
// organisation, each audited) and the note stays as it was; only owners
// change who is supervised.
func TestSecurityCosignRoles(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		f := newFixture(t, s, s.Token(t, testsrv.Owner))
		noteURL := s.URL + "/notes/" + id(cosignFixtureOf(f))
		student := staffID(f, demo.Student.Email)
		supervision := func() string {
			ss, err := s.DB.NoteSupervisions(ctx, s.Org.ID)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("%+v", ss)
		}
		before := supervision()

		for _, c := range []struct {
			who              string
			email            string
			queue, cosign    int
			setting, removal int
		}{
			{"the student (the writer)", demo.Student.Email, http.StatusOK, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden},
			{"a therapist who is not the supervisor", aishaEmail, http.StatusOK, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden},
			{"a therapist of another location", testsrv.TherapistB, http.StatusOK, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden},
			{"the biller", testsrv.Biller, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden},
			{"the front desk", testsrv.FrontDesk, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden},
			{"another organisation's owner", testsrv.OtherOwner, http.StatusOK, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusNotFound},
			{"another organisation's therapist", testsrv.OtherTherapist, http.StatusOK, http.StatusNotFound, http.StatusForbidden, http.StatusForbidden},
		} {
			c2 := s.SignIn(t, c.email)
			uid := userID(t, s, c.email)
			r := get(t, c2, s.URL+"/notes/cosign")
			if r.status != c.queue || strings.Contains(r.body, f.client.LastName) {
				t.Errorf("%s opens the queue: %d, want %d without the client", c.who, r.status, c.queue)
			}
			if page := get(t, c2, noteURL); strings.Contains(page.body, `action="/notes/`+id(cosignFixtureOf(f))+`/cosign"`) {
				t.Errorf("%s is offered the co-sign button", c.who)
			}
			org := s.Org.ID
			if strings.HasSuffix(c.email, "@other.test") {
				org = s.OtherOrg.ID
			}
			denied := auditCount(t, s, org, uid, audit.Denied)
			if r := post(t, c2, noteURL+"/cosign", nil); r.status != c.cosign || strings.Contains(r.body, f.client.LastName) {
				t.Errorf("%s co-signs: %d, want %d without the client", c.who, r.status, c.cosign)
			}
			if got := auditCount(t, s, org, uid, audit.Denied); got != denied+1 {
				t.Errorf("%s co-signs: %d auth.denied entries, want %d", c.who, got, denied+1)
			}
			form := url.Values{"user_id": {id(staffID(f, testsrv.TherapistB))}, "supervisor_id": {id(staffID(f, aishaEmail))}, "reason": {"supervised"}}
			if r := post(t, c2, s.URL+"/admin/note-settings/supervision", form); r.status != c.setting {
				t.Errorf("%s sets a supervision: %d, want %d", c.who, r.status, c.setting)
			}
			if r := post(t, c2, s.URL+"/admin/note-settings/supervision/"+id(student)+"/remove", nil); r.status != c.removal {
				t.Errorf("%s removes the student's supervision: %d, want %d", c.who, r.status, c.removal)
			}
		}
		if n, _, _ := s.DB.Note(ctx, s.Org.ID, cosignFixtureOf(f)); n.CosignedBy != 0 {
			t.Errorf("the note was co-signed by user %d", n.CosignedBy)
		}
		if after := supervision(); after != before {
			t.Errorf("the supervision changed:\n%s\n→ %s", before, after)
		}
		if got := auditCount(t, s, s.Org.ID, 0, app.AuditNoteCosign); got != 0 {
			t.Errorf("%d co-signatures audited", got)
		}

		// The supervisor may.
		mc := s.SignIn(t, testsrv.TherapistA)
		if r := post(t, mc, noteURL+"/cosign", nil); r.status != http.StatusSeeOther {
			t.Errorf("the supervisor co-signs: %s", r)
		}
	})
}
