package care

import (
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

// Consent document kinds: the texts a client agrees to when signing an intake.
const (
	ConsentTreatment    = "treatment"
	ConsentPrivacy      = "privacy"
	ConsentCancellation = "cancellation_financial"
)

// ConsentKinds lists the kinds in the order the intake shows them.
var ConsentKinds = []struct{ Key, Label string }{
	{ConsentTreatment, "Consent to treatment"},
	{ConsentPrivacy, "Privacy notice"},
	{ConsentCancellation, "Cancellation and financial policy"},
}

// ConsentKindLabel returns the label of a kind, or "" for an unknown kind.
func ConsentKindLabel(kind string) string {
	for _, k := range ConsentKinds {
		if k.Key == kind {
			return k.Label
		}
	}
	return ""
}

// ConsentDocument is one version of a consent text, as the owner wrote it.
// A saved version never changes: an edit is a new version, and intakes keep
// pointing at the version their client signed.
type ConsentDocument struct {
	ID            int64
	OrgID         int64
	Kind          string
	Version       int
	Title         string
	Body          string
	CreatedAt     time.Time
	CreatedBy     int64
	CreatedByName string
}

// ConsentRef names the consent version an intake was signed with.
type ConsentRef struct {
	ID      int64
	Kind    string
	Version int
}

// Limits of a consent document.
const (
	MaxConsentTitle = 200
	MaxConsentBody  = 20000
)

// Validate checks a consent document before it is saved.
func (d *ConsentDocument) Validate() errs.FieldErrors {
	f := errs.FieldErrors{}
	if ConsentKindLabel(d.Kind) == "" {
		f.Add("kind", "Choose one of the consent documents.")
	}
	if strings.TrimSpace(d.Title) == "" {
		f.Add("title", "Give the document a title.")
	} else if p := TextProblem(d.Title, MaxConsentTitle, false); p != "" {
		f.Add("title", p)
	}
	if len(strings.TrimSpace(d.Body)) < 20 {
		f.Add("body", "Write the text the client reads and agrees to (at least a sentence).")
	} else if p := TextProblem(d.Body, MaxConsentBody, true); p != "" {
		f.Add("body", p)
	}
	return f
}

// Paragraphs splits a consent text at blank lines, for display.
func (d *ConsentDocument) Paragraphs() []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(d.Body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
