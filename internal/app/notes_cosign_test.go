package app_test

import (
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/demo"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

const (
	aishaEmail = "aisha.patel@demo.test" // a therapist of both locations
)

// writeAndSign starts a walk-in session of clientID as a, completes the
// draft, acknowledges the screening and signs it.
func writeAndSign(t *testing.T, s *testsrv.Server, a *auth.Actor, clientID int64) (draft, signed *care.SOAPNote) {
	t.Helper()
	st, err := s.App.StartSession(ctx, a, clientID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	draft = st.Note
	n := *draft
	n.Subjective, n.Objective, n.Assessment, n.Plan = "Shoulder easier this week", "Tight upper trapezius", "Softened with work", "Continue weekly"
	n.PainBefore, n.PainAfter, n.Tolerance = score(5), score(3), "good"
	n.Techniques = []care.PerformedTechnique{{Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 30}}
	saved, err := s.App.SaveNoteDraft(ctx, a, &n, n.Version)
	if err != nil {
		t.Fatal(err)
	}
	if saved, err = s.App.AcknowledgeScreening(ctx, a, saved.ID, saved.Version); err != nil {
		t.Fatal(err)
	}
	if signed, err = s.App.SignNote(ctx, a, saved.ID, saved.Version); err != nil {
		t.Fatal(err)
	}
	return draft, signed
}

// queue lists the note IDs awaiting a's co-signature.
func queue(t *testing.T, s *testsrv.Server, a *auth.Actor) []int64 {
	t.Helper()
	items, err := s.App.NotesAwaitingCosign(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.NoteID)
	}
	return ids
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestNoteSupervisionSettings: the owner names who co-signs a therapist's
// notes and removes it again, each change audited; a supervisor who could
// not see the notes is refused with the field named; other roles and
// organisations may not read or change it.
func TestNoteSupervisionSettings(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const addr = "203.0.113.21"
		owner, _ := signIn(t, s, testsrv.Owner, addr)
		maria, _ := signIn(t, s, testsrv.TherapistA, addr)
		other, _ := signIn(t, s, testsrv.OtherOwner, addr)
		james, aisha := userID(t, s, testsrv.TherapistB), userID(t, s, aishaEmail)
		names := func() string {
			t.Helper()
			ss, err := s.App.NoteSupervisions(ctx, owner)
			if err != nil {
				t.Fatal(err)
			}
			var b []string
			for _, x := range ss {
				b = append(b, x.UserName+" ← "+x.SupervisorName+" ("+x.ReasonLabel()+")")
			}
			return strings.Join(b, "; ")
		}
		// The demo's student.
		if got := names(); got != demo.Student.Name+" ← Maria Lopez, LMT (Student)" {
			t.Fatalf("the demo's supervision: %q", got)
		}

		es := audited(t, s, func() {
			if err := s.App.SaveNoteSupervision(ctx, owner, store.NoteSupervision{UserID: james, SupervisorID: aisha, Reason: store.SupervisionSupervised}); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "set", es, audit.Entry{Action: audit.OrgUpdate, OrgID: s.Org.ID, UserID: owner.User.ID, Actor: testsrv.Owner, RecordType: "org", RecordID: s.Org.ID,
			SourceIP: addr, Result: audit.OK, Detail: "note co-signature of user " + itoa(int(james)) + " by user " + itoa(int(aisha)) + " (supervised)"})
		if got := names(); !strings.Contains(got, "James Chen, LMT ← Aisha Patel, LMT, CLT (Supervised therapist)") {
			t.Errorf("after setting: %q", got)
		}

		// Maria works at Downtown only: she could never open James's Round Rock notes.
		var err error
		es = audited(t, s, func() {
			err = s.App.SaveNoteSupervision(ctx, owner, store.NoteSupervision{UserID: james, SupervisorID: maria.User.ID, Reason: store.SupervisionSupervised})
		})
		if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)["supervisor_id"] == "" || len(es) != 0 {
			t.Errorf("a supervisor of another location: %v, audited %v", err, actions(es))
		}

		// A therapist may neither read nor change it; each refusal audited.
		for what, call := range map[string]func() error{
			"list": func() error { _, err := s.App.NoteSupervisions(ctx, maria); return err },
			"save": func() error {
				return s.App.SaveNoteSupervision(ctx, maria, store.NoteSupervision{UserID: james, SupervisorID: maria.User.ID})
			},
			"remove": func() error { return s.App.RemoveNoteSupervision(ctx, maria, james) },
		} {
			var err error
			es := audited(t, s, func() { err = call() })
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("therapist %s: %v", what, err)
			}
			one(t, "therapist "+what, es, audit.Entry{Action: audit.Denied, OrgID: s.Org.ID, UserID: maria.User.ID, Actor: testsrv.TherapistA,
				SourceIP: addr, Result: audit.Refused, Detail: "tried " + audit.OrgUpdate})
		}
		// Another organisation cannot reach the demo's therapists.
		if err := s.App.RemoveNoteSupervision(ctx, other, james); !errs.Is(err, errs.NotFound) {
			t.Errorf("another organisation removes: %v", err)
		}
		if err := s.App.SaveNoteSupervision(ctx, other, store.NoteSupervision{UserID: james, SupervisorID: other.User.ID, Reason: store.SupervisionStudent}); errs.FieldsOf(err)["user_id"] == "" {
			t.Errorf("another organisation supervises a demo therapist: %v", err)
		}
		if got, _ := s.App.NoteSupervisions(ctx, other); len(got) != 0 {
			t.Errorf("another organisation lists %+v", got)
		}

		es = audited(t, s, func() {
			if err := s.App.RemoveNoteSupervision(ctx, owner, james); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "remove", es, audit.Entry{Action: audit.OrgUpdate, OrgID: s.Org.ID, UserID: owner.User.ID, Actor: testsrv.Owner, RecordType: "org", RecordID: s.Org.ID,
			SourceIP: addr, Result: audit.OK, Detail: "note co-signature of user " + itoa(int(james)) + " no longer required"})
		if err := s.App.RemoveNoteSupervision(ctx, owner, james); !errs.Is(err, errs.NotFound) {
			t.Errorf("removing twice: %v", err)
		}
		if got := names(); got != demo.Student.Name+" ← Maria Lopez, LMT (Student)" {
			t.Errorf("after removing: %q", got)
		}
	})
}

// TestNoteCosign: the student's notes need a co-signature from the moment
// the draft starts; a therapist supervised after starting a draft signs a
// note that needs one too. The supervisor or an owner co-signs, once;
// the writer, other therapists, the biller and the front desk cannot, and
// every refusal is audited. The queue lists what awaits the actor, newest
// first.
func TestNoteCosign(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const addr = "203.0.113.22"
		owner, _ := signIn(t, s, testsrv.Owner, addr)
		maria, _ := signIn(t, s, testsrv.TherapistA, addr)
		leah, _ := signIn(t, s, demo.Student.Email, addr)
		aisha, _ := signIn(t, s, aishaEmail, addr)
		james, _ := signIn(t, s, testsrv.TherapistB, addr)
		desk, _ := signIn(t, s, testsrv.FrontDesk, addr)
		biller, _ := signIn(t, s, testsrv.Biller, addr)
		other, _ := signIn(t, s, testsrv.OtherOwner, addr)

		// The demo: one of Leah's notes awaits Maria's co-signature.
		var items []store.CosignItem
		var err error
		es := audited(t, s, func() { items, err = s.App.NotesAwaitingCosign(ctx, maria) })
		if err != nil || len(items) != 1 || items[0].TherapistID != leah.User.ID || items[0].SupervisorID != maria.User.ID || items[0].Client.PreferredLocationID != s.Downtown.ID {
			t.Fatalf("Maria's queue in the demo: %+v, %v", items, err)
		}
		one(t, "queue", es, audit.Entry{Action: app.AuditNoteRead, OrgID: s.Org.ID, UserID: maria.User.ID, Actor: testsrv.TherapistA,
			SourceIP: addr, Result: audit.OK, Detail: "notes awaiting co-signature 1"})
		demoNote, client := items[0].NoteID, items[0].Client.ID
		for who, a := range map[string]*auth.Actor{"Leah (the writer)": leah, "Aisha": aisha, "James": james} {
			if got := queue(t, s, a); len(got) != 0 {
				t.Errorf("%s's queue: %v", who, got)
			}
		}
		for who, a := range map[string]*auth.Actor{"front desk": desk, "biller": biller} {
			if _, err := s.App.NotesAwaitingCosign(ctx, a); !errs.Is(err, errs.Forbidden) {
				t.Errorf("%s's queue: %v", who, err)
			}
		}

		// Leah's new draft needs the co-signature from the start.
		draft, signed := writeAndSign(t, s, leah, client)
		if !draft.CosignRequired || !signed.CosignRequired || signed.CosignedBy != 0 {
			t.Fatalf("the student's note: draft requires %v, signed requires %v", draft.CosignRequired, signed.CosignRequired)
		}
		if got := queue(t, s, maria); !sameIDs(got, []int64{signed.ID, demoNote}) {
			t.Errorf("Maria's queue: %v, want the new note before the demo's", got)
		}
		if got := queue(t, s, owner); !sameIDs(got, []int64{signed.ID, demoNote}) {
			t.Errorf("the owner's queue: %v", got)
		}
		if st, err := s.App.NoteCosignStatus(ctx, maria, signed); err != nil || !st.Required || !st.May || st.SupervisorName != "Maria Lopez, LMT" {
			t.Errorf("status for Maria: %+v, %v", st, err)
		}
		for who, a := range map[string]*auth.Actor{"Leah": leah, "Aisha": aisha, "biller": biller} {
			if st, err := s.App.NoteCosignStatus(ctx, a, signed); err != nil || !st.Required || st.May {
				t.Errorf("status for %s: %+v, %v", who, st, err)
			}
		}

		// Who may not co-sign: refused, audited, and the note unchanged.
		for _, c := range []struct {
			who    string
			a      *auth.Actor
			code   string
			denied bool // an auth.denied entry
		}{
			{"the writer", leah, errs.Forbidden, true},
			{"a therapist who is not the supervisor", aisha, errs.Forbidden, true},
			{"a therapist of another location", james, errs.Forbidden, true},
			{"the biller", biller, errs.Forbidden, true},
			{"the front desk", desk, errs.Forbidden, true},
			{"another organisation", other, errs.NotFound, true},
		} {
			var err error
			es := audited(t, s, func() { _, err = s.App.CosignNote(ctx, c.a, signed.ID) })
			if errs.Code(err) != c.code {
				t.Errorf("%s co-signs: %v, want %s", c.who, err, c.code)
			}
			if len(es) != 1 || es[0].Action != audit.Denied || es[0].UserID != c.a.User.ID || es[0].Detail != "tried "+app.AuditNoteCosign {
				t.Errorf("%s co-signs: audited %+v", c.who, es)
			}
			if n, _, _ := s.DB.Note(ctx, s.Org.ID, signed.ID); n.CosignedBy != 0 {
				t.Fatalf("%s co-signed the note", c.who)
			}
		}

		// The supervisor co-signs, once.
		var cos *care.SOAPNote
		es = audited(t, s, func() { cos, err = s.App.CosignNote(ctx, maria, signed.ID) })
		if err != nil || cos.CosignedBy != maria.User.ID || cos.CosignedAt.IsZero() {
			t.Fatalf("Maria co-signs: %v, %+v", err, cos)
		}
		one(t, "co-sign", es, audit.Entry{Action: app.AuditNoteCosign, OrgID: s.Org.ID, UserID: maria.User.ID, Actor: testsrv.TherapistA,
			RecordType: "client", RecordID: client, SourceIP: addr, Result: audit.OK, Detail: "co-signed note " + itoa(int(signed.ID))})
		stored, _, _ := s.DB.Note(ctx, s.Org.ID, signed.ID)
		if stored.CosignedBy != maria.User.ID || !stored.CosignedAt.Equal(cos.CosignedAt) || stored.Version != signed.Version {
			t.Errorf("stored co-signature: %+v", stored)
		}
		for who, a := range map[string]*auth.Actor{"Maria again": maria, "the owner after her": owner} {
			es := audited(t, s, func() { _, err = s.App.CosignNote(ctx, a, signed.ID) })
			if !errs.Is(err, errs.Conflict) {
				t.Errorf("%s: %v", who, err)
			}
			one(t, who, es, audit.Entry{Action: app.AuditNoteRefused, OrgID: s.Org.ID, UserID: a.User.ID, Actor: a.User.Email,
				RecordType: "client", RecordID: client, SourceIP: addr, Result: audit.Refused})
		}
		if st, err := s.App.NoteCosignStatus(ctx, biller, stored); err != nil || st.CosignedByName != "Maria Lopez, LMT" || st.May || !st.CosignedAt.Equal(stored.CosignedAt) {
			t.Errorf("status once co-signed: %+v, %v", st, err)
		}

		// An owner may co-sign in the supervisor's place.
		if _, err := s.App.CosignNote(ctx, owner, demoNote); err != nil {
			t.Fatalf("the owner co-signs: %v", err)
		}
		if got := queue(t, s, maria); len(got) != 0 {
			t.Errorf("Maria's queue once all are co-signed: %v", got)
		}

		// A note that needs none, and a draft, are not co-signed.
		_, free := writeAndSign(t, s, maria, client)
		if free.CosignRequired {
			t.Fatalf("an unsupervised therapist's note requires a co-signature")
		}
		if _, err := s.App.CosignNote(ctx, owner, free.ID); !errs.Is(err, errs.Conflict) {
			t.Errorf("co-signing a note that needs none: %v", err)
		}
		st, err := s.App.StartSession(ctx, leah, client, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.CosignNote(ctx, maria, st.Note.ID); !errs.Is(err, errs.Conflict) {
			t.Errorf("co-signing a draft: %v", err)
		}

		// Supervised after the draft began: the signed note needs the co-signature.
		rr := treatable(t, s, james, s.RoundRock.ID)
		jst, err := s.App.StartSession(ctx, james, rr, 0, 0)
		if err != nil || jst.Note.CosignRequired {
			t.Fatalf("James's draft: %v, requires %v", err, jst != nil && jst.Note.CosignRequired)
		}
		if err := s.App.SaveNoteSupervision(ctx, owner, store.NoteSupervision{UserID: james.User.ID, SupervisorID: aisha.User.ID, Reason: store.SupervisionSupervised}); err != nil {
			t.Fatal(err)
		}
		n := *jst.Note
		n.Subjective, n.Objective, n.Assessment, n.Plan = "Low back easier", "Guarding of lumbar erectors", "Less guarding", "Continue"
		n.PainBefore, n.PainAfter = score(6), score(4)
		n.Techniques = []care.PerformedTechnique{{Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 25}}
		saved, err := s.App.SaveNoteDraft(ctx, james, &n, n.Version)
		if err == nil {
			saved, err = s.App.AcknowledgeScreening(ctx, james, saved.ID, saved.Version)
		}
		if err != nil {
			t.Fatal(err)
		}
		jsigned, err := s.App.SignNote(ctx, james, saved.ID, saved.Version)
		if err != nil || !jsigned.CosignRequired {
			t.Fatalf("James signs after being supervised: %v, requires %v", err, jsigned != nil && jsigned.CosignRequired)
		}
		if got := queue(t, s, aisha); !sameIDs(got, []int64{jsigned.ID}) {
			t.Errorf("Aisha's queue: %v", got)
		}
		if _, err := s.App.CosignNote(ctx, aisha, jsigned.ID); err != nil {
			t.Errorf("Aisha co-signs: %v", err)
		}
		noHealthInformation(t, s)
	})
}

// treatable is a client of location loc whom a may see and treat today.
func treatable(t *testing.T, s *testsrv.Server, a *auth.Actor, loc int64) int64 {
	t.Helper()
	cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{loc}, Limit: 40})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if ok, _, err := s.App.CanStartSession(ctx, a, c.ID); err == nil && ok {
			return c.ID
		}
	}
	t.Fatalf("no client of location %d to treat", loc)
	return 0
}
