package app

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
)

// ConsentDocuments lists the organisation's consent documents: the current
// version of each kind, and every version (owners).
func (s *App) ConsentDocuments(ctx context.Context, a *auth.Actor) (current, history []care.ConsentDocument, err error) {
	if err := s.require(ctx, a, auth.OrgManage, AuditConsentUpdate); err != nil {
		return nil, nil, err
	}
	if current, err = s.DB.CurrentConsents(ctx, a.User.OrgID); err != nil {
		return nil, nil, err
	}
	if history, err = s.DB.ConsentHistory(ctx, a.User.OrgID); err != nil {
		return nil, nil, err
	}
	return current, history, nil
}

// SaveConsent saves a new version of a consent document (owners, audited).
// Intakes already signed keep the version their client agreed to.
func (s *App) SaveConsent(ctx context.Context, a *auth.Actor, d *care.ConsentDocument) error {
	if err := s.require(ctx, a, auth.OrgManage, AuditConsentUpdate); err != nil {
		return err
	}
	d.OrgID, d.CreatedBy = a.User.OrgID, a.User.ID
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SaveConsent(ctx, tx, d); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditConsentUpdate, "consent_document", d.ID, audit.OK), d.Kind+" version "+strconv.Itoa(d.Version))}, nil
	})
}
