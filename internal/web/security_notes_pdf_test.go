package web_test

// The session-note PDF routes in the security route tables.

import (
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func init() {
	pageRoutes = append(pageRoutes,
		route{pattern: "GET /notes/{id}/pdf", path: "/notes/{notepdf}/pdf", access: session},
		route{pattern: "GET /clients/{id}/notes.pdf", path: "/clients/{client}/notes.pdf?from=2000-01-01&to=2100-12-31", access: session},
	)
	placeholders = append(placeholders, func(f *fixture) []string {
		return []string{"{notepdf}", id(notePDFFixtureOf(f))}
	})
}

// notePDFFixtures holds, per route-table fixture, a signed note of its client.
var notePDFFixtures sync.Map // *fixture → *notePDFFixture

type notePDFFixture struct {
	once sync.Once
	id   int64
}

func notePDFFixtureOf(f *fixture) int64 {
	v, _ := notePDFFixtures.LoadOrStore(f, &notePDFFixture{})
	x := v.(*notePDFFixture)
	x.once.Do(func() {
		n, err := storeSignedNote(f.s, f.client.ID, f.userID, time.Now().Format(clinic.DateLayout), "Fixture note: neck easier this week.")
		if err != nil {
			panic(fmt.Sprintf("note fixture: %v", err))
		}
		x.id = n.ID
	})
	return x.id
}

// storeSignedNote writes a complete note of clientID by therapist, signed
// on the spot, straight through the store: the route tables count audit
// entries, and making a fixture must not add any.
func storeSignedNote(s *testsrv.Server, clientID, therapist int64, date, subjective string) (*care.SOAPNote, error) {
	before, after, pressure := 6, 3, 3
	n := &care.SOAPNote{OrgID: s.Org.ID, ClientID: clientID, TherapistID: therapist, ServiceDate: date, Kind: care.NoteDaily,
		Subjective: subjective, PainBefore: &before, Objective: "Hypertonic upper trapezius, right.",
		Assessment: "Tissue softened; pain down.", PainAfter: &after, Tolerance: "good", Plan: "Continue weekly.",
		Pressure: &pressure, HomeCare: []string{"chin_tucks"}, NextVisit: "Next week",
		Techniques:            []care.PerformedTechnique{{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}, Minutes: 30}},
		ScreeningAcknowledged: true, ScreeningAckAt: time.Now()}
	var out *care.SOAPNote
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.DB.CreateNote(ctx, tx, n); err != nil {
			return err
		}
		var err error
		out, err = s.DB.SignNote(ctx, tx, s.Org.ID, n.ID, n.Version, therapist, time.Now(), time.Now())
		return err
	})
	return out, err
}

// mustStoreSignedNote is storeSignedNote for tests.
func mustStoreSignedNote(t testing.TB, s *testsrv.Server, clientID, therapist int64, date, subjective string) *care.SOAPNote {
	t.Helper()
	n, err := storeSignedNote(s, clientID, therapist, date, subjective)
	if err != nil {
		t.Fatalf("store a signed note: %v", err)
	}
	return n
}
