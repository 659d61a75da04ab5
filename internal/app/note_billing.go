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

// SaveNoteSettings replaces the note billing settings (owners); audited.
func (s *App) SaveNoteSettings(ctx context.Context, a *auth.Actor, ns store.NoteSettings) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	// The store validates (and tidies) the settings.
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SaveNoteSettings(ctx, tx, a.User.OrgID, ns); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "org", a.User.OrgID, audit.OK), "changed note billing settings")}, nil
	})
}

// ClientBilling is how one client's notes become units: the clinic's code
// map, and the unit rule of the payer the client's sessions are billed to.
type ClientBilling struct {
	Codes    care.CodeMap
	settings store.NoteSettings
	auths    []care.Authorization // newest first
}

// ClientNoteBilling reads what ClientBilling needs for client id: the
// settings and the client's authorizations, whose payer is the one the
// sessions are billed to (the client's coverage is not recorded elsewhere).
func (s *App) ClientNoteBilling(ctx context.Context, a *auth.Actor, clientID int64) (*ClientBilling, error) {
	if _, err := s.noteClient(ctx, a, auth.ClinicalRead, AuditNoteRead, clientID); err != nil {
		return nil, err
	}
	ns, err := s.DB.NoteSettings(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	auths, err := s.DB.Authorizations(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, err
	}
	return &ClientBilling{Codes: ns.CodeMap, settings: ns, auths: auths}, nil
}

// Payer is the payer a session on date (YYYY-MM-DD) is billed to: that of
// the client's authorization covering the date, else of the latest one
// begun before it; "" when the client has none (self-pay). The
// authorization's number comes with it.
func (b *ClientBilling) Payer(date string) (payer, number string) {
	var before *care.Authorization
	for i := range b.auths {
		au := &b.auths[i]
		if au.StartOn <= date && date <= au.EndOn {
			return au.Payer, au.Number
		}
		if au.StartOn <= date && before == nil {
			before = au
		}
	}
	if before != nil {
		return before.Payer, before.Number
	}
	return "", ""
}

// Rule is the unit rule of a session on date, and why, in words a biller
// checks ("AMA substantial-portion rule: Blue Cross bills by it").
func (b *ClientBilling) Rule(date string) (units.Rule, string) {
	payer, number := b.Payer(date)
	rule := b.settings.RuleFor(payer)
	switch {
	case payer == "":
		return rule, rule.Label() + ": the clinic's default (no payer on file for this date)"
	case rule != b.settings.Rule:
		return rule, rule.Label() + ": " + payer + " (authorization " + number + ") bills by it"
	}
	return rule, rule.Label() + ": the clinic's default, billed to " + payer + " (authorization " + number + ")"
}
