package web

// Co-signature of session notes: the signed note's co-signature box (who
// co-signed, or whose co-signature it awaits, with the button for whoever
// may give it), the co-signing itself, and the queue of notes to co-sign.
// Who needs one is set on the note settings page (note_settings.go).

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /notes/cosign", s.signedIn(s.notesCosignPage))
		m.HandleFunc("POST /notes/{id}/cosign", s.signedIn(s.noteCosign))
	})
}

// NoteCosignView is the data of partials/note_cosign.html.
type NoteCosignView struct {
	app.CosignStatus
	NoteID   int64
	TimeZone string
}

// noteCosignView is the co-signature box of note n: nil unless n is signed
// and needs a co-signature.
func (s *Server) noteCosignView(ctx context.Context, a *auth.Actor, n *care.SOAPNote, tz string) (*NoteCosignView, error) {
	if n.Status != care.NoteSigned || !n.CosignRequired {
		return nil, nil
	}
	st, err := s.App.NoteCosignStatus(ctx, a, n)
	if err != nil {
		return nil, err
	}
	return &NoteCosignView{CosignStatus: st, NoteID: n.ID, TimeZone: tz}, nil
}

// noteCosign records the actor's co-signature and goes back to the note. A
// note co-signed by someone else meanwhile shows again with why not.
func (s *Server) noteCosign(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, ok := s.notePost(w, r, a)
	if !ok {
		return
	}
	_, err := s.App.CosignNote(r.Context(), a, id)
	if errs.Is(err, errs.Conflict) {
		p, lerr := s.loadNote(r, a, id)
		if lerr != nil {
			s.fail(w, r, a, lerr)
			return
		}
		p.Error = errs.Message(err)
		s.fillNotePage(r, a, p)
		s.render(w, r, http.StatusConflict, "note", p)
		return
	}
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, notePath(id)+"?cosigned=1", http.StatusSeeOther)
}

// NotesCosignPage is the data of notes_cosign.html.
type NotesCosignPage struct {
	Page
	Rows  []NoteCosignRow
	Owner bool // an owner sees every note awaiting a co-signature
	Full  bool // the list stops at app.MaxCosignQueue
	Max   int
}

// NoteCosignRow is one note awaiting a co-signature.
type NoteCosignRow struct {
	NoteID   int64
	Client   string
	Date     string // MM/DD/YYYY
	Kind     string
	Writer   string
	Awaiting string // the supervisor's name, or "" for an owner
	SignedAt time.Time
}

// Path is the note's page.
func (r NoteCosignRow) Path() string { return "/notes/" + strconv.FormatInt(r.NoteID, 10) }

func (s *Server) notesCosignPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	items, err := s.App.NotesAwaitingCosign(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := &NotesCosignPage{Page: Page{Title: "Notes to co-sign", Actor: a, Nav: "cosign"}, Owner: a.User.Role == clinic.RoleOwner,
		Full: len(items) >= app.MaxCosignQueue, Max: app.MaxCosignQueue}
	for _, it := range items {
		p.Rows = append(p.Rows, NoteCosignRow{NoteID: it.NoteID, Client: it.Client.DisplayName(), Date: usDate(it.ServiceDate),
			Kind: noteKindLabel(it.Kind), Writer: it.TherapistName, Awaiting: it.SupervisorName, SignedAt: it.SignedAt})
	}
	s.render(w, r, http.StatusOK, "notes_cosign", p)
}
