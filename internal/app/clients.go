package app

import (
	"context"
	"database/sql"
	"strings"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// SearchClients finds clients the actor may see. The search itself is
// audited (who searched, how many results), not the words searched for,
// which may be a client's name.
func (s *App) SearchClients(ctx context.Context, a *auth.Actor, f clinic.ClientFilter) ([]clinic.Client, error) {
	if err := s.require(ctx, a, auth.ClientRead, audit.ClientSearch); err != nil {
		return nil, err
	}
	f.LocationIDs = a.ClientLocations()
	cs, err := s.DB.SearchClients(ctx, a.User.OrgID, f)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, audit.ClientSearch, "client", 0, audit.OK), "results "+i64(int64(len(cs))))); err != nil {
		return nil, err
	}
	return cs, nil
}

// Client opens one client's record. Another organisation's client is not
// found; a client of a location the therapist does not work at is refused.
func (s *App) Client(ctx context.Context, a *auth.Actor, id int64) (*clinic.Client, error) {
	if err := s.require(ctx, a, auth.ClientRead, audit.ClientRead); err != nil {
		return nil, err
	}
	c, err := s.client(ctx, a.User.OrgID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, audit.ClientRead, "client", id, err)
	}
	if err != nil {
		return nil, err
	}
	if ok, err := s.maySee(ctx, a, c); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.deny(ctx, a, audit.ClientRead, "client", id, errs.E(errs.Forbidden, "This client attends a location you do not work at."))
	}
	if err := s.audit(ctx, entry(a, audit.ClientRead, "client", id, audit.OK)); err != nil {
		return nil, err
	}
	return c, nil
}

// PossibleDuplicates lists clients with the same legal name and birth date,
// shown before a second record is created. Only clients the actor may see are listed.
func (s *App) PossibleDuplicates(ctx context.Context, a *auth.Actor, c *clinic.Client) ([]clinic.Client, error) {
	if err := s.require(ctx, a, auth.ClientRead, audit.ClientSearch); err != nil {
		return nil, err
	}
	// An invalid client has no duplicates to show: creating it reports what is wrong.
	if cp := *c; cp.Validate(s.now()) != nil {
		return nil, nil
	}
	all, err := s.DB.PossibleDuplicates(ctx, a.User.OrgID, c.FirstName, c.LastName, c.DOB, c.ID)
	if err != nil {
		return nil, err
	}
	var out []clinic.Client
	for _, d := range all {
		if a.MaySeeClient(d.PreferredLocationID) {
			out = append(out, d)
		}
	}
	return out, nil
}

// CreateClient stores a new client of the actor's organisation.
func (s *App) CreateClient(ctx context.Context, a *auth.Actor, c *clinic.Client) error {
	if err := s.require(ctx, a, auth.ClientWrite, audit.ClientCreate); err != nil {
		return err
	}
	c.OrgID, c.ID = a.User.OrgID, 0
	if c.PreferredLocationID != 0 && !a.MaySeeClient(c.PreferredLocationID) {
		return &errs.Error{Code: errs.Invalid, Message: "Choose a location you work at.", Fields: map[string]string{"preferred_location_id": "You can only add clients to your own locations."}}
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateClient(ctx, tx, c); err != nil {
			return nil, err
		}
		return []*audit.Entry{entry(a, audit.ClientCreate, "client", c.ID, audit.OK)}, nil
	})
}

// UpdateClient applies u to the client if it is still at version; someone
// else's save in between gives a Conflict and changes nothing.
func (s *App) UpdateClient(ctx context.Context, a *auth.Actor, id, version int64, u clinic.ClientUpdate) (*clinic.Client, error) {
	if err := s.require(ctx, a, auth.ClientWrite, audit.ClientUpdate); err != nil {
		return nil, err
	}
	var out *clinic.Client
	err := s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		c, err := s.DB.ClientForUpdate(ctx, tx, a.User.OrgID, id)
		if err != nil {
			return nil, err
		}
		if !a.MaySeeClient(c.PreferredLocationID) {
			return nil, errs.E(errs.Forbidden, "This client attends a location you do not work at.")
		}
		before := *c
		u.Apply(c)
		if u.PreferredLocationID != nil && !a.MaySeeClient(c.PreferredLocationID) {
			return nil, &errs.Error{Code: errs.Invalid, Message: "Choose a location you work at.", Fields: map[string]string{"preferred_location_id": "You can only move clients to your own locations."}}
		}
		if version != 0 {
			c.Version = version
		}
		if err := s.DB.UpdateClient(ctx, tx, c); err != nil {
			return nil, err
		}
		out = c
		// Name the fields changed, never their values: the trail holds no health information.
		return []*audit.Entry{withDetail(entry(a, audit.ClientUpdate, "client", id, audit.OK), "changed "+changedFields(&before, c))}, nil
	})
	if errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, audit.ClientUpdate, "client", id, err)
	}
	return out, err
}

func changedFields(a, b *clinic.Client) string {
	var ch []string
	cmp := func(name, x, y string) {
		if x != y {
			ch = append(ch, name)
		}
	}
	cmp("first_name", a.FirstName, b.FirstName)
	cmp("middle_name", a.MiddleName, b.MiddleName)
	cmp("last_name", a.LastName, b.LastName)
	cmp("suffix", a.Suffix, b.Suffix)
	cmp("preferred_name", a.PreferredName, b.PreferredName)
	cmp("dob", a.DOB, b.DOB)
	cmp("sex", string(a.Sex), string(b.Sex))
	cmp("address", a.Address1+a.Address2+a.City+a.State+a.Zip, b.Address1+b.Address2+b.City+b.State+b.Zip)
	cmp("phone", a.Phone, b.Phone)
	cmp("email", a.Email, b.Email)
	cmp("emergency_contact", a.EmergencyName+a.EmergencyPhone+a.EmergencyRelation, b.EmergencyName+b.EmergencyPhone+b.EmergencyRelation)
	cmp("preferred_location", i64(a.PreferredLocationID), i64(b.PreferredLocationID))
	cmp("preferred_therapist", i64(a.PreferredTherapistID), i64(b.PreferredTherapistID))
	cmp("status", string(a.Status), string(b.Status))
	if len(ch) == 0 {
		return "nothing"
	}
	return strings.Join(ch, ", ")
}

// Locations lists the actor's organisation's locations.
func (s *App) Locations(ctx context.Context, a *auth.Actor) ([]clinic.Location, error) {
	return s.locations(ctx, a.User.OrgID)
}

// Therapists lists the organisation's active therapists.
func (s *App) Therapists(ctx context.Context, a *auth.Actor) ([]clinic.User, error) {
	us, err := s.staff(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	var out []clinic.User
	for _, u := range us {
		if u.Role == clinic.RoleTherapist && u.Active {
			out = append(out, u)
		}
	}
	return out, nil
}

// maySee reports whether the actor may see client c: its role lets it see
// clients, and the client attends one of the actor's locations — usually
// (their preferred location) or by an appointment there that was not
// cancelled, so a therapist can document a client who came from another
// location. The appointment is read only when the usual location does not
// already decide.
func (s *App) maySee(ctx context.Context, a *auth.Actor, c *clinic.Client) (bool, error) {
	if a.MaySeeClient(c.PreferredLocationID) {
		return true, nil
	}
	if !a.Can(auth.ClientRead) {
		return false, nil
	}
	// Once per page, which checks its client in each of its sections.
	return memo(ctx, "bookedat."+i64(a.User.ID)+"."+i64(c.ID), func() (bool, error) {
		return s.DB.ClientBookedAt(ctx, a.User.OrgID, c.ID, a.User.LocationIDs)
	})
}
