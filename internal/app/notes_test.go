package app_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// Words only a note holds, to check they never reach a log or the audit trail.
const (
	noteSubjective = "Zebrafinch ache since gardening on Saturday"
	noteObjective  = "Quokka-tight left upper trapezius, tender points"
	noteAddendum   = "Axolotl correction: the pain was on the right"
)

// hasNote reports whether the demo already wrote up appointment x.
func hasNote(t *testing.T, s *testsrv.Server, x *schedule.Appointment) bool {
	t.Helper()
	notes, err := s.DB.Notes(ctx, s.Org.ID, x.ClientID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		if n.AppointmentID == x.ID {
			return true
		}
	}
	return false
}

// pastAppointment finds a completed appointment of Maria's, two to seven
// days ago, of a Downtown client with nothing blocking treatment and no
// note yet.
func pastAppointment(t *testing.T, s *testsrv.Server, owner *auth.Actor) (*schedule.Appointment, clinic.Client) {
	t.Helper()
	now := time.Now()
	list, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: s.Org.ID, TherapistID: userID(t, s, testsrv.TherapistA),
		From: now.AddDate(0, 0, -8), To: now.AddDate(0, 0, -2)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		x := &list[i]
		if x.Status != schedule.Completed || hasNote(t, s, x) {
			continue
		}
		c, err := s.DB.Client(ctx, s.Org.ID, x.ClientID)
		if err != nil {
			t.Fatal(err)
		}
		if c.PreferredLocationID != s.Downtown.ID {
			continue
		}
		// A client with no note yet (the demo writes some), so the test's
		// note is their first.
		if ns, err := s.DB.Notes(ctx, s.Org.ID, c.ID, "", ""); err != nil || len(ns) > 0 {
			continue
		}
		if ok, _, err := s.App.CanStartSession(ctx, owner, c.ID); err != nil || !ok {
			continue
		}
		return x, *c
	}
	t.Fatal("no completed appointment of Maria's with a Downtown client without notes to write a note for")
	return nil, clinic.Client{}
}

func score(n int) *int { return &n }

func TestNoteLifecycle(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const addr = "203.0.113.9"
		owner, _ := signIn(t, s, testsrv.Owner, addr)
		maria, _ := signIn(t, s, testsrv.TherapistA, addr)
		desk, _ := signIn(t, s, testsrv.FrontDesk, addr)
		biller, _ := signIn(t, s, testsrv.Biller, addr)
		other, _ := signIn(t, s, testsrv.OtherOwner, addr)
		appt, client := pastAppointment(t, s, owner)
		as := func(a *auth.Actor, action, result, detail string) audit.Entry {
			return audit.Entry{Action: action, OrgID: a.User.OrgID, UserID: a.User.ID, Actor: a.User.Email, RecordType: "client", RecordID: client.ID,
				SourceIP: addr, Result: result, Detail: detail}
		}

		// Start from the appointment: a draft dated the appointment's local day.
		var st *app.SessionStart
		es := audited(t, s, func() {
			var err error
			if st, err = s.App.StartSession(ctx, maria, client.ID, appt.ID, 0); err != nil {
				t.Fatal(err)
			}
		})
		n := st.Note
		zone := app.LocationZone(s.Org, &s.Downtown)
		if n.ID == 0 || n.Status != care.NoteDraft || n.Version != 1 || n.AppointmentID != appt.ID || n.TherapistID != maria.User.ID ||
			n.ServiceDate != appt.Start.In(zone).Format(clinic.DateLayout) {
			t.Fatalf("started %+v for appointment %d on %s", n, appt.ID, appt.Start.In(zone))
		}
		if st.Previous != nil || len(st.Blocking) != 0 {
			t.Errorf("first note: previous %v, blocking %v", st.Previous, st.Blocking)
		}
		if (n.Kind == care.NoteProgress) != st.ProgressDue || (st.ProgressDue && st.ProgressWhy == "") {
			t.Errorf("kind %s with progress due %v (%q)", n.Kind, st.ProgressDue, st.ProgressWhy)
		}
		one(t, "start", es, as(maria, app.AuditNoteWrite, audit.OK, "started note "+itoa(int(n.ID))))

		// Starting the same appointment again opens the same draft.
		again, err := s.App.StartSession(ctx, maria, client.ID, appt.ID, 0)
		if err != nil || again.Note.ID != n.ID {
			t.Fatalf("restart: %v, note %+v", err, again)
		}
		// Another client's appointment is refused.
		cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{s.Downtown.ID}, Limit: 2})
		if err != nil || len(cs) < 2 {
			t.Fatalf("two Downtown clients: %v", err)
		}
		someoneElse := cs[0].ID
		if someoneElse == client.ID {
			someoneElse = cs[1].ID
		}
		if _, err := s.App.StartSession(ctx, maria, someoneElse, appt.ID, 0); errs.FieldsOf(err)["appointment_id"] == "" {
			t.Errorf("started a session on another client's appointment: %v", err)
		}

		// Two saves, then a save from a device still at the first version.
		n.Subjective, n.PainBefore = noteSubjective, score(6)
		n.Objective = noteObjective
		n.Marks = []assess.Mark{{View: "posterior", Region: "upper_trapezius", Side: "left", X: 0.4, Y: 0.2, Kind: "pain", Intensity: 2}}
		n.Techniques = []care.PerformedTechnique{{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}, Minutes: 25},
			{Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 15}}
		v2, err := s.App.SaveNoteDraft(ctx, maria, n, 1)
		if err != nil || v2.Version != 2 {
			t.Fatalf("first save: %v, %+v", err, v2)
		}
		second := *v2
		second.Assessment, second.Plan, second.Tolerance = "Tissue softened, more range", "Continue twice a week", "good"
		second.Pressure, second.HomeCare = score(3), []string{"Heat 15 minutes each evening"}
		second.Modalities = []care.Modality{{Kind: "hot_pack", Minutes: 10}}
		if _, err := s.App.SaveNoteDraft(ctx, maria, &second, 2); err != nil {
			t.Fatal(err)
		}
		stale := *v2
		stale.Plan = "A plan from the other device"
		var stored *care.SOAPNote
		es = audited(t, s, func() { stored, err = s.App.SaveNoteDraft(ctx, maria, &stale, 2) })
		if !errs.Is(err, errs.Conflict) || stored == nil || stored.Version != 3 || stored.Plan != second.Plan {
			t.Fatalf("stale save: %v, stored %+v", err, stored)
		}
		if len(es) != 0 {
			t.Errorf("a save that saved nothing was audited: %v", actions(es))
		}

		// Signing an incomplete note says what is missing, field by field.
		_, err = s.App.SignNote(ctx, maria, n.ID, 3)
		if f := errs.FieldsOf(err); !errs.Is(err, errs.Invalid) || f["pain_after"] == "" || f["screening"] == "" || f["subjective"] != "" {
			t.Fatalf("sign incomplete: %v, fields %v", err, f)
		}
		// The form cannot acknowledge the screening by itself.
		stored.PainAfter, stored.ScreeningAcknowledged = score(3), true
		v4, err := s.App.SaveNoteDraft(ctx, maria, stored, 3)
		if err != nil || v4.ScreeningAcknowledged {
			t.Fatalf("save with acknowledgement: %v, acknowledged %v", err, v4.ScreeningAcknowledged)
		}
		es = audited(t, s, func() { v4, err = s.App.AcknowledgeScreening(ctx, maria, n.ID, 4) })
		if err != nil || !v4.ScreeningAcknowledged || v4.ScreeningAckAt.IsZero() || v4.Version != 5 {
			t.Fatalf("acknowledge: %v, %+v", err, v4)
		}
		one(t, "acknowledge", es, as(maria, app.AuditNoteWrite, audit.OK, "acknowledged the screening on note "+itoa(int(n.ID))+", version 5"))

		// The biller reads notes but neither writes nor signs them.
		if _, err := s.App.SignNote(ctx, biller, n.ID, 5); !errs.Is(err, errs.Forbidden) {
			t.Errorf("biller signs: %v", err)
		}
		if _, err := s.App.SaveNoteDraft(ctx, biller, v4, 5); !errs.Is(err, errs.Forbidden) {
			t.Errorf("biller saves: %v", err)
		}

		// Signed days after the appointment: a late entry.
		var signed *care.SOAPNote
		es = audited(t, s, func() { signed, err = s.App.SignNote(ctx, maria, n.ID, 5) })
		if err != nil || signed.Status != care.NoteSigned || signed.SignedBy != maria.User.ID || !signed.LateEntry {
			t.Fatalf("sign: %v, %+v", err, signed)
		}
		one(t, "sign", es, as(maria, app.AuditNoteSign, audit.OK, "signed note "+itoa(int(n.ID))+", late entry"))

		// After signing, a save is refused and the attempt audited.
		change := *signed
		change.Subjective = "Rewritten after the fact"
		var back *care.SOAPNote
		es = audited(t, s, func() { back, err = s.App.SaveNoteDraft(ctx, maria, &change, signed.Version) })
		if !errs.Is(err, errs.Conflict) || back == nil || back.Subjective != noteSubjective {
			t.Fatalf("save after signing: %v, %+v", err, back)
		}
		one(t, "refused save", es, as(maria, app.AuditNoteRefused, audit.Refused, ""))
		if _, err := s.App.SignNote(ctx, owner, n.ID, signed.Version); !errs.Is(err, errs.Conflict) {
			t.Errorf("signed twice: %v", err)
		}

		// An addendum corrects the signed note.
		var ad *care.Addendum
		es = audited(t, s, func() { ad, err = s.App.AddAddendum(ctx, maria, n.ID, "Side recorded wrongly", noteAddendum) })
		if err != nil || ad.ID == 0 || ad.SignedBy != maria.User.ID {
			t.Fatalf("addendum: %v, %+v", err, ad)
		}
		one(t, "addendum", es, as(maria, app.AuditNoteAddendum, audit.OK, "addendum "+itoa(int(ad.ID))+" to note "+itoa(int(n.ID))))
		if _, err := s.App.AddAddendum(ctx, maria, n.ID, "short", noteAddendum); !errs.Is(err, errs.Invalid) {
			t.Errorf("addendum without a reason: %v", err)
		}

		// The next session, a walk-in, copies forward what carries over.
		walk, err := s.App.StartSession(ctx, maria, client.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		w := walk.Note
		if walk.Previous == nil || walk.Previous.ID != n.ID {
			t.Fatalf("previous %+v, want note %d", walk.Previous, n.ID)
		}
		if w.ID == n.ID || w.AppointmentID != 0 || w.ServiceDate != time.Now().In(clinic.Zone(s.Org.TimeZone)).Format(clinic.DateLayout) {
			t.Errorf("walk-in %+v", w)
		}
		if w.Objective != noteObjective || !reflect.DeepEqual(w.Marks, signed.Marks) || !reflect.DeepEqual(w.Techniques, signed.Techniques) ||
			!reflect.DeepEqual(w.Modalities, signed.Modalities) || !reflect.DeepEqual(w.HomeCare, signed.HomeCare) || w.Pressure == nil || *w.Pressure != 3 {
			t.Errorf("copied forward %+v\nfrom %+v", w, signed)
		}
		if w.Subjective != "" || w.Assessment != "" || w.PainBefore != nil || w.PainAfter != nil || w.ScreeningAcknowledged {
			t.Errorf("copied what is today's to say: %+v", w)
		}
		w.Subjective, w.Assessment, w.Plan, w.PainBefore, w.PainAfter = "Better since last week", "Less guarding", "Continue", score(4), score(2)
		if w, err = s.App.SaveNoteDraft(ctx, maria, w, 1); err != nil {
			t.Fatal(err)
		}
		if w, err = s.App.AcknowledgeScreening(ctx, maria, w.ID, w.Version); err != nil {
			t.Fatal(err)
		}
		// The owner may sign any note; signed the same day it is on time.
		if w, err = s.App.SignNote(ctx, owner, w.ID, w.Version); err != nil || w.LateEntry || w.SignedBy != owner.User.ID {
			t.Fatalf("sign walk-in: %v, %+v", err, w)
		}

		// The front desk sees no notes; the refusal is audited.
		es = audited(t, s, func() { _, _, err = s.App.Note(ctx, desk, n.ID) })
		if !errs.Is(err, errs.Forbidden) {
			t.Errorf("front desk reads: %v", err)
		}
		one(t, "front desk", es, audit.Entry{Action: audit.Denied, OrgID: s.Org.ID, UserID: desk.User.ID, Actor: desk.User.Email,
			RecordType: "note", RecordID: n.ID, SourceIP: addr, Result: audit.Refused, Detail: "tried " + app.AuditNoteRead})
		for what, err := range map[string]error{
			"list":  func() error { _, err := s.App.ClientNotes(ctx, desk, client.ID); return err }(),
			"start": func() error { _, err := s.App.StartSession(ctx, desk, client.ID, 0, 0); return err }(),
		} {
			if !errs.Is(err, errs.Forbidden) {
				t.Errorf("front desk %s: %v", what, err)
			}
		}

		// The biller reads the note with its addendum, and the client's list.
		var adds []care.Addendum
		var read *care.SOAPNote
		es = audited(t, s, func() { read, adds, err = s.App.Note(ctx, biller, n.ID) })
		if err != nil || read.Subjective != noteSubjective || len(adds) != 1 || adds[0].Text != noteAddendum || adds[0].SignedByName == "" {
			t.Fatalf("biller reads: %v, %+v, %+v", err, read, adds)
		}
		one(t, "read", es, as(biller, app.AuditNoteRead, audit.OK, "note "+itoa(int(n.ID))))
		var list []care.SOAPNote
		es = audited(t, s, func() { list, err = s.App.ClientNotes(ctx, biller, client.ID) })
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %v, %d notes", err, len(list))
		}
		one(t, "list", es, as(biller, app.AuditNoteRead, audit.OK, "notes 2"))

		// Another organisation cannot tell the note exists.
		if _, _, err := s.App.Note(ctx, other, n.ID); !errs.Is(err, errs.NotFound) {
			t.Errorf("other organisation reads: %v", err)
		}
		if _, err := s.App.AddAddendum(ctx, other, n.ID, "Side recorded wrongly", "x"); !errs.Is(err, errs.NotFound) {
			t.Errorf("other organisation adds: %v", err)
		}

		// No word of a note in the logs or the trail.
		for _, org := range []int64{0, s.Org.ID} {
			all, err := s.DB.ListAudit(ctx, store.AuditFilter{OrgID: org})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range all {
				for _, w := range []string{"Zebrafinch", "Quokka", "Axolotl", "Heat 15"} {
					if strings.Contains(e.Detail, w) {
						t.Errorf("audit entry %s holds note text: %q", e.Action, e.Detail)
					}
				}
			}
		}
		for _, w := range []string{"Zebrafinch", "Quokka", "Axolotl", client.LastName} {
			if strings.Contains(s.Log.String(), w) {
				t.Errorf("the log holds %q", w)
			}
		}
		noHealthInformation(t, s)
	})
}

// A cancelled or missed appointment has no session to write up.
func TestNoteForCancelledAppointment(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, "203.0.113.9")
		maria, _ := signIn(t, s, testsrv.TherapistA, "203.0.113.9")
		missed, _ := pastAppointment(t, s, owner)
		now := time.Now()
		future, err := s.DB.Appointments(ctx, store.AppointmentFilter{OrgID: s.Org.ID, TherapistID: maria.User.ID, From: now.Add(24 * time.Hour), To: now.AddDate(0, 0, 8)})
		if err != nil || len(future) == 0 {
			t.Fatalf("no future appointment of Maria's: %v", err)
		}
		for _, c := range []struct {
			appt   schedule.Appointment
			status string
		}{{*missed, schedule.NoShow}, {future[0], schedule.Cancelled}} {
			before, err := s.DB.Notes(ctx, s.Org.ID, c.appt.ClientID, "", "")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.SetAppointmentStatus(ctx, owner, c.appt.ID, app.StatusRequest{Version: c.appt.Version, Status: c.status, Reason: "Client was unwell", WaiveFee: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.StartSession(ctx, owner, c.appt.ClientID, c.appt.ID, 0); !errs.Is(err, errs.Conflict) {
				t.Errorf("started a note for a %s appointment: %v", c.status, err)
			}
			if notes, err := s.DB.Notes(ctx, s.Org.ID, c.appt.ClientID, "", ""); err != nil || len(notes) != len(before) {
				t.Errorf("notes written: %v, %d (were %d)", err, len(notes), len(before))
			}
		}
	})
}
