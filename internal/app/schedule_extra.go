package app

import (
	"context"
	"database/sql"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/errs"
)

// SetPackageActive puts a package of the menu on sale or takes it off.
// Clients who bought it keep what they bought: a sale copies the terms.
func (s *App) SetPackageActive(ctx context.Context, a *auth.Actor, id int64, active bool) error {
	what := "package taken off sale"
	if active {
		what = "package put on sale"
	}
	// Read before the transaction: a read on another connection while it
	// holds one can starve the pool on PostgreSQL (see notify.go).
	ps, err := s.DB.Packages(ctx, a.User.OrgID)
	if err != nil {
		return err
	}
	return s.manage(ctx, a, what, id, func(tx *sql.Tx) error {
		for _, p := range ps {
			if p.ID == id {
				p.Active = active
				return s.DB.UpdatePackage(ctx, tx, &p)
			}
		}
		return errs.E(errs.NotFound, "There is no such package.")
	})
}
