package store_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// TestNoteSupervision: the owner names who co-signs a therapist's notes;
// the rules refuse what could never work (with the field named, and nothing
// stored); a replacement replaces, a removal removes; another organisation
// sees none of it.
func TestNoteSupervision(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return t0 }
		f := setupNotes(t, db) // Tess and Omar: therapists of Downtown
		owner := menuUser(t, db, f.org.ID, "Olive Owner", clinic.RoleOwner, f.locA.ID, f.locB.ID)
		desk := menuUser(t, db, f.org.ID, "Fran Desk", clinic.RoleFrontDesk, f.locA.ID)
		north := menuUser(t, db, f.org.ID, "Nina North", clinic.RoleTherapist, f.locB.ID)
		both := menuUser(t, db, f.org.ID, "Bo Both", clinic.RoleTherapist, f.locA.ID, f.locB.ID)
		gone := menuUser(t, db, f.org.ID, "Gil Gone", clinic.RoleTherapist, f.locA.ID)
		gone.Active = false
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdateUser(ctx, tx, gone) }); err != nil {
			t.Fatal(err)
		}
		outsider := menuUser(t, db, f.otherOrg.ID, "Olga Other", clinic.RoleTherapist, f.otherOrgLoc.ID)

		set := func(s store.NoteSupervision) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SetNoteSupervision(ctx, tx, &s) })
		}
		list := func(orgID int64) string {
			t.Helper()
			ss, err := db.NoteSupervisions(ctx, orgID)
			if err != nil {
				t.Fatal(err)
			}
			var b []string
			for _, s := range ss {
				b = append(b, s.UserName+"←"+s.SupervisorName+" ("+s.ReasonLabel()+")")
			}
			return strings.Join(b, "; ")
		}

		// Tess is a student co-signed by Omar.
		if err := set(store.NoteSupervision{OrgID: f.org.ID, UserID: f.therapist.ID, SupervisorID: f.other.ID, Reason: store.SupervisionStudent}); err != nil {
			t.Fatal(err)
		}
		if got := list(f.org.ID); got != "Tess←Omar (Student)" {
			t.Fatalf("after setting: %q", got)
		}
		s, err := db.NoteSupervisionOf(ctx, f.org.ID, f.therapist.ID)
		if err != nil || s.SupervisorID != f.other.ID || !s.UpdatedAt.Equal(t0) || !s.UserActive || !s.SupervisorActive {
			t.Fatalf("NoteSupervisionOf: %+v, %v", s, err)
		}
		if _, err := db.NoteSupervisionOf(ctx, f.org.ID, f.other.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("an unsupervised therapist's supervision: %v", err)
		}
		if _, err := db.NoteSupervisionOf(ctx, f.otherOrg.ID, f.therapist.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organisation reads the supervision: %v", err)
		}
		if got := list(f.otherOrg.ID); got != "" {
			t.Errorf("another organisation lists %q", got)
		}

		// Refused, with the field named, and nothing changed.
		for _, c := range []struct {
			what  string
			s     store.NoteSupervision
			field string
		}{
			{"no reason", store.NoteSupervision{UserID: both.ID, SupervisorID: owner.ID}, "reason"},
			{"unknown reason", store.NoteSupervision{UserID: both.ID, SupervisorID: owner.ID, Reason: "probation"}, "reason"},
			{"no therapist", store.NoteSupervision{SupervisorID: owner.ID, Reason: store.SupervisionStudent}, "user_id"},
			{"another organisation's therapist", store.NoteSupervision{UserID: outsider.ID, SupervisorID: owner.ID, Reason: store.SupervisionStudent}, "user_id"},
			{"an owner supervised", store.NoteSupervision{UserID: owner.ID, SupervisorID: both.ID, Reason: store.SupervisionSupervised}, "user_id"},
			{"the front desk supervised", store.NoteSupervision{UserID: desk.ID, SupervisorID: owner.ID, Reason: store.SupervisionStudent}, "user_id"},
			{"an inactive therapist", store.NoteSupervision{UserID: gone.ID, SupervisorID: owner.ID, Reason: store.SupervisionStudent}, "user_id"},
			{"a supervisor supervised", store.NoteSupervision{UserID: f.other.ID, SupervisorID: owner.ID, Reason: store.SupervisionSupervised}, "user_id"},
			{"no supervisor", store.NoteSupervision{UserID: both.ID, Reason: store.SupervisionStudent}, "supervisor_id"},
			{"their own supervisor", store.NoteSupervision{UserID: both.ID, SupervisorID: both.ID, Reason: store.SupervisionStudent}, "supervisor_id"},
			{"the front desk supervising", store.NoteSupervision{UserID: both.ID, SupervisorID: desk.ID, Reason: store.SupervisionStudent}, "supervisor_id"},
			{"an inactive supervisor", store.NoteSupervision{UserID: both.ID, SupervisorID: gone.ID, Reason: store.SupervisionStudent}, "supervisor_id"},
			{"another organisation's supervisor", store.NoteSupervision{UserID: both.ID, SupervisorID: outsider.ID, Reason: store.SupervisionStudent}, "supervisor_id"},
			{"a supervised supervisor", store.NoteSupervision{UserID: both.ID, SupervisorID: f.therapist.ID, Reason: store.SupervisionStudent}, "supervisor_id"},
			{"a supervisor missing a location", store.NoteSupervision{UserID: both.ID, SupervisorID: north.ID, Reason: store.SupervisionStudent}, "supervisor_id"},
		} {
			c.s.OrgID = f.org.ID
			err := set(c.s)
			wantCode(t, c.what, err, errs.Invalid)
			if _, ok := errs.FieldsOf(err)[c.field]; !ok {
				t.Errorf("%s: fields %v, want %q", c.what, errs.FieldsOf(err), c.field)
			}
		}
		if got := list(f.org.ID); got != "Tess←Omar (Student)" {
			t.Fatalf("after the refusals: %q", got)
		}

		// A therapist of every location may supervise one of fewer; an
		// owner anyone. Setting again replaces.
		if err := set(store.NoteSupervision{OrgID: f.org.ID, UserID: north.ID, SupervisorID: both.ID, Reason: store.SupervisionSupervised}); err != nil {
			t.Fatal(err)
		}
		if err := set(store.NoteSupervision{OrgID: f.org.ID, UserID: f.therapist.ID, SupervisorID: owner.ID, Reason: store.SupervisionSupervised}); err != nil {
			t.Fatal(err)
		}
		if got := list(f.org.ID); got != "Nina North←Bo Both (Supervised therapist); Tess←Olive Owner (Supervised therapist)" {
			t.Fatalf("after replacing: %q", got)
		}

		// Removing.
		if err := tx(t, db, func(tx *sql.Tx) error { return db.RemoveNoteSupervision(ctx, tx, f.otherOrg.ID, north.ID) }); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organisation removing a supervision: %v", err)
		}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.RemoveNoteSupervision(ctx, tx, f.org.ID, north.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.RemoveNoteSupervision(ctx, tx, f.org.ID, north.ID) }); !errs.Is(err, errs.NotFound) {
			t.Errorf("removing twice: %v", err)
		}
		if got := list(f.org.ID); got != "Tess←Olive Owner (Supervised therapist)" {
			t.Fatalf("after removing: %q", got)
		}
	})
}

// TestNotesAwaitingCosign: a supervised writer's draft is marked as needing
// the co-signature before signing (its version kept), the signed note waits
// in its supervisor's queue and the owner's, newest first, and leaves both
// once co-signed.
func TestNotesAwaitingCosign(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return t0 }
		f := setupNotes(t, db)
		both := menuUser(t, db, f.org.ID, "Bo Both", clinic.RoleTherapist, f.locA.ID, f.locB.ID)
		if err := tx(t, db, func(tx *sql.Tx) error {
			return db.SetNoteSupervision(ctx, tx, &store.NoteSupervision{OrgID: f.org.ID, UserID: f.therapist.ID, SupervisorID: f.other.ID, Reason: store.SupervisionStudent})
		}); err != nil {
			t.Fatal(err)
		}

		// write creates a complete draft by therapist on date, and signs it
		// after requiring the co-signature the writer's supervision asks for.
		write := func(therapist *clinic.User, date string, signAt time.Time) (*care.SOAPNote, bool) {
			t.Helper()
			n := f.completeNote(0, date)
			n.TherapistID = therapist.ID
			var required bool
			err := tx(t, db, func(tx *sql.Tx) error {
				if err := db.CreateNote(ctx, tx, n); err != nil {
					return err
				}
				var err error
				if required, err = db.RequireSupervisedCosign(ctx, tx, f.org.ID, n.ID); err != nil {
					return err
				}
				again, err := db.RequireSupervisedCosign(ctx, tx, f.org.ID, n.ID)
				if again {
					t.Errorf("a draft already requiring the co-signature changed again")
				}
				if err != nil {
					return err
				}
				// Signed at the version read before: the marking kept it.
				n, err = db.SignNote(ctx, tx, f.org.ID, n.ID, n.Version, therapist.ID, signAt, signAt)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return n, required
		}
		older, req := write(f.therapist, "2030-03-02", t0.Add(-48*time.Hour))
		if !req || !older.CosignRequired {
			t.Fatalf("a supervised writer's note: marked %v, requires %v", req, older.CosignRequired)
		}
		newer, _ := write(f.therapist, "2030-03-04", t0)
		free, req := write(both, "2030-03-04", t0)
		if req || free.CosignRequired {
			t.Fatalf("an unsupervised writer's note: marked %v, requires %v", req, free.CosignRequired)
		}
		if err := tx(t, db, func(tx *sql.Tx) error {
			changed, err := db.RequireSupervisedCosign(ctx, tx, f.org.ID, free.ID)
			if changed {
				t.Errorf("marking a signed note reported a change")
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := db.Note(ctx, f.org.ID, free.ID); got.Version != free.Version || got.CosignRequired {
			t.Errorf("marking a signed note changed it: %+v", got)
		}

		queue := func(orgID, supervisor int64) string {
			t.Helper()
			items, err := db.NotesAwaitingCosign(ctx, orgID, supervisor, 50)
			if err != nil {
				t.Fatal(err)
			}
			var b []string
			for _, it := range items {
				if it.Client.ID != f.client.ID || it.Client.LastName != f.client.LastName || it.Client.PreferredLocationID != f.locA.ID || it.SignedBy != it.TherapistID {
					t.Errorf("queue item %+v: client or signer wrong", it)
				}
				b = append(b, id64(it.NoteID)+" "+it.ServiceDate+" by "+it.TherapistName+" for "+it.SupervisorName)
			}
			return strings.Join(b, "; ")
		}
		want := id64(newer.ID) + " 2030-03-04 by Tess for Omar; " + id64(older.ID) + " 2030-03-02 by Tess for Omar"
		for _, c := range []struct {
			what     string
			org, sup int64
			want     string
		}{
			{"the owner's queue", f.org.ID, 0, want},
			{"the supervisor's queue", f.org.ID, f.other.ID, want},
			{"another therapist's queue", f.org.ID, both.ID, ""},
			{"the writer's own queue", f.org.ID, f.therapist.ID, ""},
			{"another organisation's queue", f.otherOrg.ID, 0, ""},
		} {
			if got := queue(c.org, c.sup); got != c.want {
				t.Errorf("%s: %q, want %q", c.what, got, c.want)
			}
		}
		if items, _ := db.NotesAwaitingCosign(ctx, f.org.ID, 0, 1); len(items) != 1 || items[0].NoteID != newer.ID {
			t.Errorf("limit 1: %+v", items)
		}

		// Co-signed, it leaves the queues; without a supervisor now, the
		// owner's queue still holds the other one.
		if err := tx(t, db, func(tx *sql.Tx) error {
			return db.CosignNote(ctx, tx, f.org.ID, newer.ID, f.other.ID, t0.Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.RemoveNoteSupervision(ctx, tx, f.org.ID, f.therapist.ID) }); err != nil {
			t.Fatal(err)
		}
		if got := queue(f.org.ID, 0); got != id64(older.ID)+" 2030-03-02 by Tess for " {
			t.Errorf("after co-signing one and removing the supervision: %q", got)
		}
		if got := queue(f.org.ID, f.other.ID); got != "" {
			t.Errorf("the former supervisor's queue: %q", got)
		}
	})
}

func id64(n int64) string { return strconv.FormatInt(n, 10) }
