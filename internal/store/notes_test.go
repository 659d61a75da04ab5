package store_test

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

type noteFixture struct {
	apptFixture
	client *clinic.Client
	plan   *assess.Plan
}

func setupNotes(t *testing.T, db *store.DB) noteFixture {
	t.Helper()
	f := noteFixture{apptFixture: setupAppts(t, db)}
	f.client = f.clients[0]
	f.plan = &assess.Plan{OrgID: f.org.ID, ClientID: f.client.ID, StartDate: "2030-03-01", TherapistID: f.therapist.ID, PerWeek: 2, Weeks: 6,
		Techniques: []assess.PlannedTechnique{{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}}}}
	if err := db.Tx(context.Background(), func(tx *sql.Tx) error { return db.CreatePlan(context.Background(), tx, f.plan) }); err != nil {
		t.Fatal(err)
	}
	return f
}

// bookAt books a 60-minute session of the fixture's client at start.
func (f noteFixture) bookAt(t *testing.T, db *store.DB, start time.Time) int64 {
	t.Helper()
	a := f.appt(f.therapist, f.client, start, 60)
	if err := book(db, a); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// completeNote is a routine follow-up, ready to sign.
func (f noteFixture) completeNote(apptID int64, date string) *care.SOAPNote {
	return &care.SOAPNote{OrgID: f.org.ID, ClientID: f.client.ID, AppointmentID: apptID, PlanID: f.plan.ID, TherapistID: f.therapist.ID,
		ServiceDate: date, Kind: care.NoteDaily,
		Subjective: "Neck stiffness eased for two days after the last visit.", PainBefore: intp(5),
		Objective: "Hypertonic right upper trapezius, trigger point refers to the temple.", Assessment: "Tissue softened; rotation freer.",
		PainAfter: intp(2), Tolerance: "good", Plan: "Continue twice weekly.", HomeCare: []string{"Upper trapezius stretch, 3 × 30 s"},
		Pressure: intp(3), Techniques: []care.PerformedTechnique{{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}, Minutes: 25},
			{Technique: "trigger_point", Regions: []string{"upper_trapezius"}, Minutes: 15}},
		Modalities:            []care.Modality{{Kind: "hot_pack", Minutes: 10, Regions: []string{"upper_trapezius"}}},
		ScreeningAcknowledged: true, ScreeningAckAt: t0.Add(5 * time.Minute)}
}

func TestNoteDraftsSigningAndLock(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return t0.Add(30 * time.Minute) }
		f := setupNotes(t, db)
		apptID := f.bookAt(t, db, t0)

		n := &care.SOAPNote{OrgID: f.org.ID, ClientID: f.client.ID, AppointmentID: apptID, PlanID: f.plan.ID, TherapistID: f.therapist.ID,
			ServiceDate: "2030-03-04", Kind: care.NoteDaily, Subjective: "Neck stiff"}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, n) }); err != nil {
			t.Fatal(err)
		}
		if n.ID == 0 || n.Version != 1 || n.Status != care.NoteDraft {
			t.Fatalf("new note: id %d version %d status %q", n.ID, n.Version, n.Status)
		}

		// Two saves from one device, each from the version the last one returned.
		var saved *care.SOAPNote
		for i, s := range []string{"Neck stiff since Tuesday", "Neck stiffness eased for two days after the last visit."} {
			d := *n
			d.Subjective = s
			err := tx(t, db, func(tx *sql.Tx) error {
				var err error
				saved, err = db.SaveDraft(ctx, tx, &d, n.Version)
				return err
			})
			if err != nil {
				t.Fatalf("save %d: %v", i+1, err)
			}
			if saved.Version != int64(i+2) {
				t.Fatalf("save %d: version %d, want %d", i+1, saved.Version, i+2)
			}
			n = saved
		}

		// A second device still at version 2 loses nothing and overwrites nothing.
		stale := *n
		stale.Subjective = "Typed on the tablet"
		var stored *care.SOAPNote
		err := tx(t, db, func(tx *sql.Tx) error {
			var err error
			stored, err = db.SaveDraft(ctx, tx, &stale, 2)
			return err
		})
		if !errs.Is(err, errs.Conflict) || !strings.Contains(errs.Message(err), "Someone else saved") {
			t.Fatalf("stale save: %v", err)
		}
		if stored == nil || stored.Version != 3 || stored.Subjective != "Neck stiffness eased for two days after the last visit." {
			t.Fatalf("stale save should return the stored version 3, got %+v", stored)
		}
		got, _, err := db.Note(ctx, f.org.ID, n.ID)
		if err != nil || got.Subjective != n.Subjective || got.Version != 3 {
			t.Fatalf("after the refused save the note is %+v, %v", got, err)
		}

		// Signing an incomplete note names what is missing.
		sessionEnd := t0.Add(time.Hour)
		_, err = signNote(db, f.org.ID, n.ID, 3, f.therapist.ID, sessionEnd.Add(time.Hour), sessionEnd)
		fields := errs.FieldsOf(err)
		for _, want := range []string{"objective", "assessment", "plan", "techniques", "pain_before", "pain_after", "screening"} {
			if _, ok := fields[want]; !ok {
				t.Errorf("signing an incomplete note: no error for %s (%v)", want, err)
			}
		}
		if _, ok := fields["subjective"]; ok {
			t.Errorf("subjective is written, yet refused: %v", fields)
		}

		full := f.completeNote(apptID, "2030-03-04")
		full.ID = n.ID
		if err := tx(t, db, func(tx *sql.Tx) error { _, err := db.SaveDraft(ctx, tx, full, 3); return err }); err != nil {
			t.Fatal(err)
		}
		if _, err := signNote(db, f.org.ID, n.ID, 3, f.therapist.ID, sessionEnd.Add(time.Hour), sessionEnd); !errs.Is(err, errs.Conflict) {
			t.Fatalf("signing a version someone has since saved over: %v", err)
		}
		signed, err := signNote(db, f.org.ID, n.ID, 4, f.therapist.ID, sessionEnd.Add(time.Hour), sessionEnd)
		if err != nil {
			t.Fatal(err)
		}
		if signed.Status != care.NoteSigned || signed.SignedBy != f.therapist.ID || !signed.SignedAt.Equal(sessionEnd.Add(time.Hour)) || signed.LateEntry {
			t.Fatalf("signed note: status %s by %d at %v late %v", signed.Status, signed.SignedBy, signed.SignedAt, signed.LateEntry)
		}
		if !reflect.DeepEqual(noteContent(signed), noteContent(full)) {
			t.Fatalf("signed content differs from the draft:\n got %+v\nwant %+v", noteContent(signed), noteContent(full))
		}

		// The store refuses any change now.
		again := *full
		again.Plan = "Changed my mind"
		var back *care.SOAPNote
		err = tx(t, db, func(tx *sql.Tx) error {
			var err error
			back, err = db.SaveDraft(ctx, tx, &again, signed.Version)
			return err
		})
		if !errs.Is(err, errs.Conflict) || !strings.Contains(errs.Message(err), "addendum") || back == nil || back.Plan != full.Plan {
			t.Fatalf("saving over a signed note: %v, %+v", err, back)
		}
		if _, err := signNote(db, f.org.ID, n.ID, signed.Version, f.therapist.ID, sessionEnd, sessionEnd); !errs.Is(err, errs.Conflict) {
			t.Fatalf("signing twice: %v", err)
		}

		// Nor can anyone with the database in hand.
		for _, q := range []string{
			"UPDATE session_notes SET body = '{}' WHERE id = $1",
			"UPDATE session_notes SET status = 'draft' WHERE id = $1",
			"UPDATE session_notes SET signed_at = signed_at + 1 WHERE id = $1",
			"UPDATE session_notes SET cosigned_by = therapist_id, cosigned_at = 1 WHERE id = $1", // no co-signature was required
			"DELETE FROM session_notes WHERE id = $1",
		} {
			if _, err := db.ExecForTest(ctx, q, n.ID); err == nil {
				t.Errorf("%s: allowed on a signed note", q)
			}
		}
		if db.Engine == store.SQLite {
			if _, err := db.ExecForTest(ctx, `INSERT OR REPLACE INTO session_notes (id, org_id, client_id, therapist_id, service_date, kind, body, created_at, updated_at)
				VALUES ($1, $2, $3, $4, '2030-03-04', 'daily', '{}', 0, 0)`, n.ID, f.org.ID, f.client.ID, f.therapist.ID); err == nil {
				t.Error("INSERT OR REPLACE over a signed note allowed")
			}
		}
		got, _, err = db.Note(ctx, f.org.ID, n.ID)
		if err != nil || !reflect.DeepEqual(noteContent(got), noteContent(full)) || got.Status != care.NoteSigned {
			t.Fatalf("after the attempts the note is %+v, %v", got, err)
		}

		// Another organisation sees nothing.
		if _, _, err := db.Note(ctx, f.otherOrg.ID, n.ID); !errs.Is(err, errs.NotFound) {
			t.Fatalf("other organisation reading the note: %v", err)
		}
		if _, err := signNote(db, f.otherOrg.ID, n.ID, signed.Version, f.therapist.ID, sessionEnd, sessionEnd); !errs.Is(err, errs.NotFound) {
			t.Fatalf("other organisation signing the note: %v", err)
		}
		if list, err := db.Notes(ctx, f.otherOrg.ID, f.client.ID, "", ""); err != nil || len(list) != 0 {
			t.Fatalf("other organisation's list: %d notes, %v", len(list), err)
		}
	})
}

func signNote(db *store.DB, orgID, id, version, userID int64, at, end time.Time) (*care.SOAPNote, error) {
	var n *care.SOAPNote
	err := db.Tx(context.Background(), func(tx *sql.Tx) error {
		var err error
		n, err = db.SignNote(context.Background(), tx, orgID, id, version, userID, at, end)
		return err
	})
	return n, err
}

// noteContent is what a reader of a note sees of its clinical content.
func noteContent(n *care.SOAPNote) []any {
	return []any{n.ClientID, n.AppointmentID, n.PlanID, n.TherapistID, n.ServiceDate, n.Kind, n.Subjective, *n.PainBefore, n.Objective, n.Marks,
		n.Assessment, *n.PainAfter, n.Tolerance, n.Plan, n.HomeCare, n.NextVisit, *n.Pressure, n.Techniques, n.Modalities,
		n.ScreeningAcknowledged, n.ScreeningAckAt.UnixMilli()}
}

func TestNoteAddendaAndCosign(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return t0 }
		f := setupNotes(t, db)
		n := f.completeNote(f.bookAt(t, db, t0), "2030-03-04")
		n.CosignRequired = true
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, n) }); err != nil {
			t.Fatal(err)
		}
		add := &care.Addendum{OrgID: f.org.ID, NoteID: n.ID, Reason: "Wrong side charted", Text: "The trigger point was on the left.", SignedBy: f.therapist.ID}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.AddAddendum(ctx, tx, add) }); !errs.Is(err, errs.Conflict) {
			t.Fatalf("addendum on a draft: %v", err)
		}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CosignNote(ctx, tx, f.org.ID, n.ID, f.other.ID, t0) }); !errs.Is(err, errs.Conflict) {
			t.Fatalf("co-signing a draft: %v", err)
		}
		if _, err := signNote(db, f.org.ID, n.ID, 1, f.therapist.ID, t0.Add(2*time.Hour), t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}

		// Co-signature: not by the signer, then once by the supervisor.
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CosignNote(ctx, tx, f.org.ID, n.ID, f.therapist.ID, t0) }); !errs.Is(err, errs.Conflict) {
			t.Fatalf("co-signing one's own note: %v", err)
		}
		cosignAt := t0.Add(26 * time.Hour)
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CosignNote(ctx, tx, f.org.ID, n.ID, f.other.ID, cosignAt) }); err != nil {
			t.Fatal(err)
		}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CosignNote(ctx, tx, f.org.ID, n.ID, f.other.ID, cosignAt) }); !errs.Is(err, errs.Conflict) {
			t.Fatalf("co-signing twice: %v", err)
		}
		if _, err := db.ExecForTest(ctx, "UPDATE session_notes SET cosigned_by = $1 WHERE id = $2", f.therapist.ID, n.ID); err == nil {
			t.Error("replacing the co-signer directly was allowed")
		}
		got, _, err := db.Note(ctx, f.org.ID, n.ID)
		if err != nil || got.CosignedBy != f.other.ID || !got.CosignedAt.Equal(cosignAt) {
			t.Fatalf("co-signature: by %d at %v, %v", got.CosignedBy, got.CosignedAt, err)
		}

		// Addenda: validated, appended, never changed.
		bad := &care.Addendum{OrgID: f.org.ID, NoteID: n.ID, Reason: "typo", Text: " ", SignedBy: f.therapist.ID}
		err = tx(t, db, func(tx *sql.Tx) error { return db.AddAddendum(ctx, tx, bad) })
		if fs := errs.FieldsOf(err); fs["reason"] == "" || fs["text"] == "" {
			t.Fatalf("a short reason and empty text: %v", err)
		}
		add.SignedAt = t0.Add(48 * time.Hour)
		if err := tx(t, db, func(tx *sql.Tx) error { return db.AddAddendum(ctx, tx, add) }); err != nil {
			t.Fatal(err)
		}
		_, adds, err := db.Note(ctx, f.org.ID, n.ID)
		if err != nil || len(adds) != 1 || adds[0].Reason != add.Reason || adds[0].Text != add.Text || adds[0].SignedByName != "Tess" || !adds[0].SignedAt.Equal(add.SignedAt) {
			t.Fatalf("addenda read back: %+v, %v", adds, err)
		}
		for _, q := range []string{"UPDATE note_addenda SET body = 'nothing happened' WHERE id = $1", "DELETE FROM note_addenda WHERE id = $1"} {
			if _, err := db.ExecForTest(ctx, q, add.ID); err == nil {
				t.Errorf("%s: allowed on an addendum", q)
			}
		}
		_, adds, _ = db.Note(ctx, f.org.ID, n.ID)
		if len(adds) != 1 || adds[0].Text != add.Text {
			t.Fatalf("the addendum changed: %+v", adds)
		}
		// An addendum row cannot be slipped under a draft either.
		d := f.completeNote(0, "2030-03-05")
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, d) }); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecForTest(ctx, "INSERT INTO note_addenda (org_id, note_id, reason, body, signed_by, signed_at) VALUES ($1, $2, 'a reason long enough', 'x', $3, 1)",
			f.org.ID, d.ID, f.therapist.ID); err == nil {
			t.Error("an addendum on a draft was inserted directly")
		}
	})
}

func TestNoteLateEntryAndOnePerAppointment(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return t0 }
		f := setupNotes(t, db)
		appt := f.bookAt(t, db, t0)
		end := t0.Add(time.Hour)

		n := f.completeNote(appt, "2030-03-04")
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, n) }); err != nil {
			t.Fatal(err)
		}
		dup := f.completeNote(appt, "2030-03-04")
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, dup) }); !errs.Is(err, errs.Conflict) {
			t.Fatalf("a second note for one appointment: %v", err)
		}
		signed, err := signNote(db, f.org.ID, n.ID, 1, f.therapist.ID, end.Add(25*time.Hour), end)
		if err != nil {
			t.Fatal(err)
		}
		if !signed.LateEntry {
			t.Fatal("signed 25 hours after the session, yet not a late entry")
		}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, dup) }); !errs.Is(err, errs.Conflict) {
			t.Fatalf("a second note for an appointment with a signed note: %v", err)
		}

		// A walk-in (no appointment) has no such limit; its session ends with its day.
		walkEnd, _ := care.ServiceDateEnd("2030-03-05", time.UTC)
		for i := 0; i < 2; i++ {
			w := f.completeNote(0, "2030-03-05")
			if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, w) }); err != nil {
				t.Fatalf("walk-in %d: %v", i, err)
			}
			s, err := signNote(db, f.org.ID, w.ID, 1, f.therapist.ID, walkEnd.Add(23*time.Hour), walkEnd)
			if err != nil || s.LateEntry {
				t.Fatalf("walk-in signed 23 h after its day: late %v, %v", s != nil && s.LateEntry, err)
			}
		}

		// References must be the organisation's, and the appointment this client's.
		other := f.completeNote(0, "2030-03-06")
		other.ClientID = f.clients[1].ID
		other.AppointmentID = appt
		other.PlanID = 0
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, other) }); errs.FieldsOf(err)["appointment_id"] == "" {
			t.Fatalf("another client's appointment: %v", err)
		}
		foreign := f.completeNote(0, "2030-03-06")
		foreign.OrgID = f.otherOrg.ID
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, foreign) }); !errs.Is(err, errs.NotFound) {
			t.Fatalf("a note in another organisation for this client: %v", err)
		}

		list, err := db.Notes(ctx, f.org.ID, f.client.ID, "2030-03-04", "2030-03-05")
		if err != nil || len(list) != 3 || list[0].ServiceDate != "2030-03-05" || list[2].ServiceDate != "2030-03-04" {
			t.Fatalf("notes of the two days, newest first: %d, %v", len(list), err)
		}
		if list, _ := db.Notes(ctx, f.org.ID, f.client.ID, "2030-03-05", ""); len(list) != 2 {
			t.Fatalf("notes from the 5th: %d, want 2", len(list))
		}
	})
}

// TestSignedSessionsCountAsVisitsUsed: a prescription's visits used are the
// client's signed notes within its dates; an authorization's are what was
// recorded at entry plus the sessions signed since within its dates.
// Drafts count for neither.
func TestSignedSessionsCountAsVisitsUsed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return t0 }
		f := setupNotes(t, db)
		doc := &clinic.Physician{OrgID: f.org.ID, Name: "Kim Lee", Credentials: "MD"}
		addPhysician(t, db, doc)
		rx := &care.Prescription{OrgID: f.org.ID, ClientID: f.client.ID, PhysicianID: doc.ID, WrittenOn: "2030-02-25", Diagnoses: []string{"M54.2"},
			OrderedTreatment: "Medical massage, neck", Visits: 8, StartOn: "2030-03-01", ExpiresOn: "2030-03-31", CreatedBy: f.therapist.ID}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreatePrescription(ctx, tx, rx) }); err != nil {
			t.Fatal(err)
		}
		au := &care.Authorization{OrgID: f.org.ID, ClientID: f.client.ID, Payer: "Blue Cross", Number: "A-1", VisitsAuthorized: 6, VisitsUsed: 2,
			StartOn: "2030-03-01", EndOn: "2030-03-31", CreatedBy: f.therapist.ID}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateAuthorization(ctx, tx, au) }); err != nil {
			t.Fatal(err)
		}
		for i, c := range []struct {
			date string
			sign bool
		}{{"2030-03-04", true}, {"2030-03-07", true}, {"2030-03-11", false}, {"2030-04-02", true}} {
			n := f.completeNote(0, c.date)
			if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateNote(ctx, tx, n) }); err != nil {
				t.Fatalf("note %d: %v", i, err)
			}
			if c.sign {
				if _, err := signNote(db, f.org.ID, n.ID, 1, f.therapist.ID, t0.Add(time.Hour), t0.Add(time.Hour)); err != nil {
					t.Fatalf("note %d: %v", i, err)
				}
			}
		}
		ps, err := db.Prescriptions(ctx, f.org.ID, f.client.ID)
		if err != nil || len(ps) != 1 || ps[0].VisitsUsed != 2 || ps[0].VisitsLeft() != 6 {
			t.Errorf("prescription visits used: %+v %v; want 2 (two signed notes in March)", ps, err)
		}
		as, err := db.Authorizations(ctx, f.org.ID, f.client.ID)
		if err != nil || len(as) != 1 || as[0].VisitsUsed != 4 || as[0].VisitsLeft() != 2 {
			t.Errorf("authorization visits used: %+v %v; want 2 recorded + 2 signed", as, err)
		}
	})
}
