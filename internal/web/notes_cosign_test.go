package web_test

// Co-signature through the real server: the signed note says whose
// co-signature it awaits and offers the button only to whoever may give
// it; the supervisor co-signs from the queue and the note says so; a
// second co-signature is refused; the owner names and removes supervisors
// on the note settings page, with errors next to the field.

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/demo"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func TestNoteCosignPages(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		maria := s.SignIn(t, testsrv.TherapistA)

		// The demo's student note awaiting Maria, from her queue.
		items, err := s.DB.NotesAwaitingCosign(ctx, s.Org.ID, userID(t, s, testsrv.TherapistA), 10)
		if err != nil || len(items) != 1 {
			t.Fatalf("the demo's note awaiting Maria: %+v, %v", items, err)
		}
		it := items[0]
		notePath := "/notes/" + id(it.NoteID)
		button := `action="` + notePath + `/cosign"`
		q := get(t, maria, s.URL+"/notes/cosign")
		if q.status != http.StatusOK || !strings.Contains(q.body, html.EscapeString(it.Client.DisplayName())) || !strings.Contains(q.body, `href="`+notePath+`"`) ||
			!strings.Contains(q.body, html.EscapeString(demo.Student.Name)) || !strings.Contains(q.body, `href="/notes/cosign" aria-current="page"`) {
			t.Fatalf("Maria's queue: %s", q)
		}

		// The note: awaiting Maria; the button for her and the owner only.
		for _, c := range []struct {
			who    string
			email  string
			button bool
		}{
			{"the supervisor", testsrv.TherapistA, true},
			{"the owner", testsrv.Owner, true},
			{"the student who wrote it", demo.Student.Email, false},
			{"another therapist", aishaEmail, false},
			{"the biller", testsrv.Biller, false},
		} {
			r := get(t, s.SignIn(t, c.email), s.URL+notePath)
			if r.status != http.StatusOK || !strings.Contains(r.body, "Awaiting co-signature by Maria Lopez, LMT.") {
				t.Errorf("%s opens the note: %s", c.who, r)
			}
			if strings.Contains(r.body, button) != c.button {
				t.Errorf("%s: co-sign button shown %v, want %v", c.who, !c.button, c.button)
			}
		}

		// The client's chart marks the note.
		chart := get(t, maria, s.URL+"/clients/"+id(it.Client.ID))
		if !strings.Contains(chart.body, "awaiting co-signature") {
			t.Error("the chart does not mark the note awaiting co-signature")
		}

		// Maria co-signs; the note says by whom and when.
		r := post(t, maria, s.URL+notePath+"/cosign", nil)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != notePath+"?cosigned=1" {
			t.Fatalf("co-sign: %s, Location %q", r, r.header.Get("Location"))
		}
		r = get(t, maria, s.URL+notePath+"?cosigned=1")
		if !strings.Contains(r.body, "Note co-signed.") || !strings.Contains(r.body, "Co-signed</span> by Maria Lopez, LMT on ") ||
			strings.Contains(r.body, "Awaiting co-signature") || strings.Contains(r.body, button) {
			t.Errorf("the co-signed note: %s", r)
		}
		if chart := get(t, maria, s.URL+"/clients/"+id(it.Client.ID)); strings.Contains(chart.body, "awaiting co-signature") {
			t.Error("the chart still marks the co-signed note")
		}
		stored, _, _ := s.DB.Note(ctx, s.Org.ID, it.NoteID)
		if stored.CosignedBy != userID(t, s, testsrv.TherapistA) {
			t.Fatalf("stored co-signer %d", stored.CosignedBy)
		}
		// Twice: refused on the note's page, nothing changed.
		if r := post(t, s.SignIn(t, testsrv.Owner), s.URL+notePath+"/cosign", nil); r.status != http.StatusConflict || !strings.Contains(r.body, "already co-signed") {
			t.Errorf("co-signing again: %s", r)
		}
		if again, _, _ := s.DB.Note(ctx, s.Org.ID, it.NoteID); again.CosignedBy != stored.CosignedBy || !again.CosignedAt.Equal(stored.CosignedAt) {
			t.Errorf("the second co-signature changed the note: %+v", again)
		}
		if q := get(t, maria, s.URL+"/notes/cosign"); !strings.Contains(q.body, "No note awaits your co-signature.") {
			t.Errorf("Maria's queue once co-signed: %s", q)
		}

		// A note that needs none shows no co-signature at all.
		free := mustStoreSignedNote(t, s, it.Client.ID, userID(t, s, testsrv.TherapistA), it.ServiceDate, "Fixture note without supervision")
		if r := get(t, maria, s.URL+"/notes/"+id(free.ID)); r.status != http.StatusOK || strings.Contains(r.body, `id="cosign"`) {
			t.Errorf("a note needing no co-signature: %s", r)
		}
		if r := post(t, maria, s.URL+"/notes/"+id(free.ID)+"/cosign", nil); r.status != http.StatusConflict {
			t.Errorf("co-signing a note that needs none: %s", r)
		}
	})
}

func TestNoteSupervisionSettingsPage(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		owner := s.SignIn(t, testsrv.Owner)
		page := s.URL + "/admin/note-settings"
		james, aisha, maria := userID(t, s, testsrv.TherapistB), userID(t, s, aishaEmail), userID(t, s, testsrv.TherapistA)

		r := get(t, owner, page)
		if r.status != http.StatusOK || !strings.Contains(r.body, "<td>"+html.EscapeString(demo.Student.Name)+"</td>") ||
			!strings.Contains(r.body, `<label for="sup_user">Therapist</label>`) || !strings.Contains(r.body, `<label for="sup_supervisor">Co-signed by</label>`) {
			t.Fatalf("the settings page: %s", r)
		}

		// James co-signed by Aisha.
		form := url.Values{"user_id": {id(james)}, "supervisor_id": {id(aisha)}, "reason": {store.SupervisionSupervised}}
		if r := post(t, owner, page+"/supervision", form); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/note-settings?supervision=saved#supervision" {
			t.Fatalf("save: %s", r)
		}
		r = get(t, owner, page+"?supervision=saved")
		if !strings.Contains(r.body, "<td>James Chen, LMT</td>") || !strings.Contains(r.body, "Notes this therapist signs from now on need the co-signature.") {
			t.Errorf("after saving: %s", r)
		}
		if sup, err := s.DB.NoteSupervisionOf(ctx, s.Org.ID, james); err != nil || sup.SupervisorID != aisha || sup.Reason != store.SupervisionSupervised {
			t.Errorf("stored: %+v, %v", sup, err)
		}

		// Refused next to the field, nothing changed.
		for _, c := range []struct {
			what, field string
			form        url.Values
		}{
			{"a supervisor of another location", "sup_supervisor", url.Values{"user_id": {id(james)}, "supervisor_id": {id(maria)}, "reason": {"supervised"}}},
			{"no therapist", "sup_user", url.Values{"user_id": {""}, "supervisor_id": {id(aisha)}, "reason": {"student"}}},
			{"an unknown reason", "sup_reason", url.Values{"user_id": {id(james)}, "supervisor_id": {id(aisha)}, "reason": {"probation"}}},
			{"their own supervisor", "sup_supervisor", url.Values{"user_id": {id(james)}, "supervisor_id": {id(james)}, "reason": {"student"}}},
		} {
			r := post(t, owner, page+"/supervision", c.form)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="`+c.field+`-error"`) || !strings.Contains(r.body, `href="#`+c.field+`"`) {
				t.Errorf("%s: want 422 with the error at %s, got %s", c.what, c.field, r)
			}
		}
		if sup, _ := s.DB.NoteSupervisionOf(ctx, s.Org.ID, james); sup.SupervisorID != aisha {
			t.Errorf("a refused save changed the supervisor to %d", sup.SupervisorID)
		}

		// Removed.
		if r := post(t, owner, page+"/supervision/"+id(james)+"/remove", nil); r.status != http.StatusSeeOther {
			t.Fatalf("remove: %s", r)
		}
		if r := get(t, owner, page+"?supervision=removed"); strings.Contains(r.body, "<td>James Chen, LMT</td>") || !strings.Contains(r.body, "Removed.") {
			t.Errorf("after removing: %s", r)
		}
		if r := post(t, owner, page+"/supervision/"+id(james)+"/remove", nil); r.status != http.StatusNotFound {
			t.Errorf("removing twice: %s", r)
		}

		// A therapist may not open or change it.
		mc := s.SignIn(t, testsrv.TherapistA)
		if r := get(t, mc, page); r.status != http.StatusForbidden {
			t.Errorf("therapist opens the settings: %d", r.status)
		}
		if r := post(t, mc, page+"/supervision", form); r.status != http.StatusForbidden {
			t.Errorf("therapist saves a supervision: %d", r.status)
		}
		if _, err := s.DB.NoteSupervisionOf(ctx, s.Org.ID, james); err == nil {
			t.Errorf("a therapist's save was stored")
		}
	})
}
