package app

import (
	"context"
	"database/sql"
	"strings"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
)

// SaveLocation adds (ID 0) or changes one of the organisation's locations:
// its name, address, phone and time zone, in which its calendar, hours
// and reminders are kept. The owner's (OrgManage); audited.
func (s *App) SaveLocation(ctx context.Context, a *auth.Actor, l *clinic.Location) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	l.OrgID = a.User.OrgID
	for _, f := range []*string{&l.Name, &l.Address1, &l.City, &l.State, &l.Zip, &l.Phone, &l.TimeZone} {
		*f = strings.TrimSpace(*f)
	}
	defer s.cache.forget(l.OrgID)
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		what := "location changed: "
		if l.ID == 0 {
			if err := s.DB.CreateLocation(ctx, tx, l); err != nil {
				return nil, err
			}
			what = "location added: "
		} else if err := s.DB.UpdateLocation(ctx, tx, l); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "location", l.ID, audit.OK), what+l.Name+", "+l.TimeZone)}, nil
	})
}
