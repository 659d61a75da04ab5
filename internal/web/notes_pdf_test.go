package web_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// notePDFText is a served PDF as pdftotext reads it, whitespace collapsed.
func notePDFText(t *testing.T, what string, r resp) string {
	t.Helper()
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-") {
		t.Fatalf("%s: %d %q, want a PDF", what, r.status, r.header.Get("Content-Type"))
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	in := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(in, []byte(r.body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return regexp.MustCompile(`\s+`).ReplaceAllString(string(out), " ")
}

func TestNotePDF(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c := s.ClientAt(t, s.Downtown.ID)
		maria := userID(t, s, testsrv.TherapistA)
		n := mustStoreSignedNote(t, s, c.ID, maria, "2026-03-10", "Neck much easier since the last visit.")
		u := s.URL + "/notes/" + id(n.ID) + "/pdf"

		mc := s.SignIn(t, testsrv.TherapistA)
		reads := auditCount(t, s, s.Org.ID, maria, app.AuditNoteRead)
		r := get(t, mc, u)
		text := notePDFText(t, "the note's PDF", r)
		for _, want := range []string{c.LegalName(), "Neck much easier since the last visit.", "Date of service 03/10/2026",
			"Electronically signed by Maria Lopez", "Myofascial release", "97140"} {
			if !strings.Contains(text, want) {
				t.Errorf("the note's PDF does not say %q", want)
			}
		}
		if cd := r.header.Get("Content-Disposition"); strings.Contains(cd, c.LastName) || !strings.Contains(cd, "note-"+id(n.ID)+".pdf") {
			t.Errorf("Content-Disposition %q: want the note's number, never the client's name", cd)
		}
		if got := auditCount(t, s, s.Org.ID, maria, app.AuditNoteRead); got <= reads {
			t.Errorf("reading the note's PDF wrote no %s audit entry", app.AuditNoteRead)
		}
		// The biller reads notes (the source of the bill).
		notePDFText(t, "the biller's PDF", get(t, s.SignIn(t, testsrv.Biller), u))

		// The front desk does not see notes; another organisation sees nothing.
		if r := get(t, s.SignIn(t, testsrv.FrontDesk), u); r.status != http.StatusForbidden || strings.Contains(r.body, "Neck much easier") {
			t.Errorf("front desk: %d, want 403", r.status)
		}
		r = get(t, s.SignIn(t, testsrv.OtherOwner), u)
		if r.status != http.StatusNotFound || strings.Contains(r.body, c.LastName) {
			t.Errorf("another organisation: %d, want 404", r.status)
		}
		for _, bad := range []string{"/notes/abc/pdf", "/notes/0/pdf", "/notes/99999999/pdf"} {
			if r := get(t, mc, s.URL+bad); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", bad, r.status)
			}
		}
	})
}

func TestNotesPDFRecordsRequest(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		c := s.ClientAt(t, s.Downtown.ID)
		maria := userID(t, s, testsrv.TherapistA)
		mustStoreSignedNote(t, s, c.ID, maria, "2026-02-20", "Before the range: shoulder stiff.")
		mustStoreSignedNote(t, s, c.ID, maria, "2026-03-03", "First in range: headaches twice.")
		mustStoreSignedNote(t, s, c.ID, maria, "2026-03-17", "Second in range: one headache.")
		mustStoreSignedNote(t, s, c.ID, maria, "2026-04-02", "After the range: no headaches.")
		base := s.URL + "/clients/" + id(c.ID) + "/notes.pdf"

		mc := s.SignIn(t, testsrv.TherapistA)
		r := get(t, mc, base+"?from=2026-03-01&to=2026-03-31")
		text := notePDFText(t, "the records request", r)
		for _, want := range []string{c.LegalName(), "03/01/2026 to 03/31/2026", "2 notes", "Produced on",
			"First in range: headaches twice.", "Second in range: one headache."} {
			if !strings.Contains(text, want) {
				t.Errorf("the record does not say %q", want)
			}
		}
		for _, not := range []string{"Before the range", "After the range"} {
			if strings.Contains(text, not) {
				t.Errorf("the record holds a note outside its dates (%q)", not)
			}
		}
		if i, j := strings.Index(text, "First in range"), strings.Index(text, "Second in range"); i > j {
			t.Error("the record is not oldest first")
		}
		if cd := r.header.Get("Content-Disposition"); strings.Contains(cd, c.LastName) {
			t.Errorf("Content-Disposition %q names the client", cd)
		}

		// Dates that are not dates, or the wrong way round: a page saying so.
		for _, q := range []string{"?from=2026-13-01&to=2026-03-31", "?from=2026-03-01&to=soon", "?from=2026-04-01&to=2026-03-01", "?from=%00"} {
			r := get(t, mc, base+q)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "date") || strings.HasPrefix(r.body, "%PDF") {
				t.Errorf("GET notes.pdf%s: %d, want 422 with a page about the dates", q, r.status)
			}
		}
		if r := get(t, s.SignIn(t, testsrv.FrontDesk), base+"?from=2026-03-01&to=2026-03-31"); r.status != http.StatusForbidden {
			t.Errorf("front desk: %d, want 403", r.status)
		}
		r = get(t, s.SignIn(t, testsrv.OtherOwner), base+"?from=2026-03-01&to=2026-03-31")
		if r.status != http.StatusNotFound || strings.Contains(r.body, c.LastName) {
			t.Errorf("another organisation: %d, want 404", r.status)
		}
		// The other organisation's own client through the demo owner: 404.
		if r := get(t, s.SignIn(t, testsrv.Owner), s.URL+"/clients/"+id(s.OtherClient.ID)+"/notes.pdf"); r.status != http.StatusNotFound {
			t.Errorf("demo owner, other organisation's client: %d, want 404", r.status)
		}
	})
}
