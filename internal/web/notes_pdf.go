package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/pdf"
)

// Session notes as PDF: one note, and a client's notes over a range of
// dates as one document for a records request. Both read through the app,
// which checks ClinicalRead and audits the reads.

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /notes/{id}/pdf", s.signedIn(s.notePDF))
		m.HandleFunc("GET /clients/{id}/notes.pdf", s.signedIn(s.clientNotesPDF))
	})
}

func (s *Server) notePDF(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	b, err := heldRead(s, r, func(r *http.Request) ([]byte, error) {
		id, err := pathNumber(r, "id", "note")
		if err != nil {
			return nil, err
		}
		n, adds, err := s.App.Note(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		nb, err := s.newNotePDF(r, a, n.ClientID)
		if err != nil {
			return nil, err
		}
		return pdf.Note(nb.doc(r.Context(), *n, adds))
	})
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	sendPDF(w, "note-"+r.PathValue("id")+".pdf", b)
}

// clientNotesPDF is the records request: every note of the client dated
// from..to (YYYY-MM-DD, both included), oldest first. Without from, the
// record starts at the first note; without to, it ends today.
func (s *Server) clientNotesPDF(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	b, err := heldRead(s, r, func(r *http.Request) ([]byte, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		from, to, err := noteRange(r.URL.Query().Get("from"), r.URL.Query().Get("to"), s.App.ClinicDate(a))
		if err != nil {
			return nil, err
		}
		notes, err := s.App.ClientNotes(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		nb, err := s.newNotePDF(r, a, id)
		if err != nil {
			return nil, err
		}
		var docs []pdf.NoteDoc
		// ClientNotes is newest first; a record reads oldest first.
		for i := len(notes) - 1; i >= 0; i-- {
			n := notes[i]
			if n.ServiceDate < from || n.ServiceDate > to {
				continue
			}
			// The addenda are part of the record: read through the app, so
			// each note's reading is checked and audited like the list.
			_, adds, err := s.App.Note(r.Context(), a, n.ID)
			if err != nil {
				return nil, err
			}
			docs = append(docs, nb.doc(r.Context(), n, adds))
		}
		if from == "" {
			from = to
			if len(docs) > 0 {
				from = docs[0].Note.ServiceDate
			}
		}
		return pdf.NotesRecord(a.Org.Name, nb.client.LegalName(), nb.client.DOB, from, to, docs)
	})
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	sendPDF(w, "notes-"+r.PathValue("id")+".pdf", b)
}

// noteRange checks the dates of a records request; to defaults to today.
func noteRange(from, to, today string) (string, string, error) {
	bad := errs.FieldErrors{}
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from != "" {
		if _, err := time.Parse(clinic.DateLayout, from); err != nil {
			bad.Add("from", "Enter the first date of service as YYYY-MM-DD.")
		}
	}
	if to == "" {
		to = today
	} else if _, err := time.Parse(clinic.DateLayout, to); err != nil {
		bad.Add("to", "Enter the last date of service as YYYY-MM-DD.")
	}
	if err := bad.Err(); err != nil {
		return "", "", &errs.Error{Code: errs.Invalid, Message: "The dates of the records request are not dates: use YYYY-MM-DD, such as 2026-03-01.", Fields: errs.FieldsOf(err)}
	}
	if from != "" && from > to {
		return "", "", &errs.Error{Code: errs.Invalid, Message: "The first date of service is after the last: swap them.",
			Fields: map[string]string{"from": "After the last date."}}
	}
	return from, to, nil
}

// notePDF gathers, once per request, what every note of one client prints
// beside the note: the clinic, location and zone, the code map and payers'
// rules for the units, the prescriptions for the diagnoses, and staff names.
type notePDF struct {
	s        *Server
	a        *auth.Actor
	client   *clinic.Client
	location string
	zone     *time.Location
	billing  *app.ClientBilling // the code map and each session's unit rule
	rxs      []care.Prescription
	titles   map[string]string
	names    map[int64]string
	locs     []clinic.Location
}

func (s *Server) newNotePDF(r *http.Request, a *auth.Actor, clientID int64) (*notePDF, error) {
	ctx := r.Context()
	c, err := s.App.Client(ctx, a, clientID)
	if err != nil {
		return nil, err
	}
	nb := &notePDF{s: s, a: a, client: c, zone: clinic.Zone(a.Org.TimeZone), names: map[int64]string{}}
	ls, err := s.App.Locations(ctx, a)
	if err != nil {
		return nil, err
	}
	nb.locs = ls
	for _, l := range ls {
		if l.ID == c.PreferredLocationID {
			nb.location = l.Name
			if l.TimeZone != "" {
				nb.zone = clinic.Zone(l.TimeZone)
			}
		}
	}
	if nb.billing, err = s.App.ClientNoteBilling(ctx, a, c.ID); err != nil {
		return nil, err
	}
	if nb.rxs, nb.titles, err = s.App.Prescriptions(ctx, a, c.ID); err != nil {
		return nil, err
	}
	return nb, nil
}

// name is a member of staff's name; staff names are not health
// information, and a user since removed prints as unknown.
func (nb *notePDF) name(ctx context.Context, id int64) string {
	if id == 0 {
		return ""
	}
	if n, ok := nb.names[id]; ok {
		return n
	}
	n := "unknown user"
	if u, err := nb.s.App.DB.User(ctx, nb.a.User.OrgID, id); err == nil {
		n = u.Name
	}
	nb.names[id] = n
	return n
}

func (nb *notePDF) doc(ctx context.Context, n care.SOAPNote, adds []care.Addendum) pdf.NoteDoc {
	rule, _ := nb.billing.Rule(n.ServiceDate)
	res, unbilled, err := care.NoteUnits(n.Techniques, n.Modalities, nb.billing.Codes, rule)
	if err != nil {
		// A note the calculator refuses (a code since removed from the
		// map) still prints; its units line is left out.
		res, unbilled = nil, nil
	}
	// Where the session was: the appointment's location when there is
	// one, else the client's usual location.
	location, zone := nb.location, nb.zone
	if n.AppointmentID != 0 {
		if appt, err := nb.s.App.DB.Appointment(ctx, nb.a.User.OrgID, n.AppointmentID); err == nil {
			for i := range nb.locs {
				if nb.locs[i].ID == appt.LocationID {
					location, zone = nb.locs[i].Name, app.LocationZone(nb.a.Org, &nb.locs[i])
				}
			}
		}
	}
	d := pdf.NoteDoc{
		Org: nb.a.Org.Name, Location: location,
		ClientName: nb.client.LegalName(), DOB: nb.client.DOB,
		TherapistName: nb.name(ctx, n.TherapistID), SignedByName: nb.name(ctx, n.SignedBy), CosignedByName: nb.name(ctx, n.CosignedBy),
		Note: n, Addenda: adds, Codes: nb.billing.Codes, Units: res, Unbilled: unbilled, Zone: zone,
	}
	// The diagnoses of the prescription in force on the date of service.
	if rx := care.InForce(nb.rxs, n.ServiceDate); rx != nil {
		for _, code := range rx.Diagnoses {
			d.Diagnoses = append(d.Diagnoses, strings.TrimSpace(code+" "+nb.titles[code]))
		}
	}
	return d
}
