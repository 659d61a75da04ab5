package app

import (
	"context"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
)

// NoteBilling is how a session note's minutes become units in the actor's
// organisation: the code map from techniques and modalities to procedure
// codes, and the unit rule used unless a note chooses the other one.
func (s *App) NoteBilling(ctx context.Context, a *auth.Actor) (care.CodeMap, units.Rule, error) {
	if err := s.require(ctx, a, auth.ClinicalRead, AuditNoteRead); err != nil {
		return nil, "", err
	}
	return care.DefaultCodeMap(), units.CMS, nil
}
