package app

import (
	"context"
	"database/sql"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/store"
)

// The clinic's note billing settings: which procedure code each technique
// and modality bills, and the unit rule, by default and per payer. Read on
// every use (one small row): a change applies to the next note at once.

// NoteBilling is how a session note's minutes become units in the actor's
// organisation: the code map from techniques and modalities to procedure
// codes, and the unit rule used unless a note chooses the other one.
func (s *App) NoteBilling(ctx context.Context, a *auth.Actor) (care.CodeMap, units.Rule, error) {
	ns, err := s.NoteSettings(ctx, a)
	if err != nil {
		return nil, "", err
	}
	return ns.CodeMap, ns.Rule, nil
}

// NoteSettings reads the organisation's note billing settings; every role
// that reads notes may see how they are billed.
func (s *App) NoteSettings(ctx context.Context, a *auth.Actor) (store.NoteSettings, error) {
	if err := s.require(ctx, a, auth.ClinicalRead, AuditNoteRead); err != nil {
		return store.NoteSettings{}, err
	}
	return s.DB.NoteSettings(ctx, a.User.OrgID)
}

// RuleForPayer is the unit rule a payer's notes are billed by: the payer's
// own rule (names compared trimmed, without regard to case), else the
// clinic's default.
func (s *App) RuleForPayer(ctx context.Context, a *auth.Actor, payer string) (units.Rule, error) {
	ns, err := s.NoteSettings(ctx, a)
	if err != nil {
		return "", err
	}
	return ns.RuleFor(payer), nil
}

// SaveNoteSettings replaces the note billing settings (owners); audited.
func (s *App) SaveNoteSettings(ctx context.Context, a *auth.Actor, ns store.NoteSettings) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	if err := ns.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SaveNoteSettings(ctx, tx, a.User.OrgID, ns); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "org", a.User.OrgID, audit.OK), "changed note billing settings")}, nil
	})
}
