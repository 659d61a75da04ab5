package app

import (
	"context"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// ApplyNoteTemplate adds the template of library condition key to draft n
// (the editor's content, based on baseVersion) and saves it, as
// SaveNoteDraft does: a Conflict comes back with the stored note, and a
// signed note is refused.
func (s *App) ApplyNoteTemplate(ctx context.Context, a *auth.Actor, n *care.SOAPNote, baseVersion int64, key string) (*care.SOAPNote, error) {
	c, ok := assess.ConditionByKey(key)
	if !ok {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Choose a condition of the library for the template.",
			Fields: map[string]string{"template": "Choose a condition."}}
	}
	care.TemplateFor(c).ApplyTo(n)
	return s.SaveNoteDraft(ctx, a, n, baseVersion)
}

// NoteCondition is the library condition of the plan of care note n counts
// against ("" when none), for offering its template first. The plan is
// read as part of reading the note, which the caller has done (and
// audited), so this is not audited again.
func (s *App) NoteCondition(ctx context.Context, a *auth.Actor, n *care.SOAPNote) (string, error) {
	if n.PlanID == 0 {
		return "", nil
	}
	if _, err := s.noteClient(ctx, a, auth.ClinicalRead, AuditNoteRead, n.ClientID); err != nil {
		return "", err
	}
	p, err := s.DB.Plan(ctx, a.User.OrgID, n.ClientID, n.PlanID)
	if errs.Is(err, errs.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return p.Condition, nil
}
