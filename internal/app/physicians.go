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

// Audit actions of the physician directory.
const (
	AuditPhysicianCreate = "physician.create"
	AuditPhysicianUpdate = "physician.update"
)

// Who may use the directory of physicians and referral sources: everyone
// who may open charts reads it (a prescription names its prescriber), and
// everyone who may edit clients adds and corrects entries — in practice
// the front desk keeps it, and a therapist adds the doctor of a new
// prescription in front of them. Entries hold no client information, so
// reading them is not audited; every change is.

// SearchPhysicians lists the directory, narrowed by f.
func (s *App) SearchPhysicians(ctx context.Context, a *auth.Actor, f clinic.PhysicianFilter) ([]clinic.Physician, error) {
	if err := s.require(ctx, a, auth.ClientRead, "physician.search"); err != nil {
		return nil, err
	}
	return s.DB.SearchPhysicians(ctx, a.User.OrgID, f)
}

// Physician reads one entry of the directory.
func (s *App) Physician(ctx context.Context, a *auth.Actor, id int64) (*clinic.Physician, error) {
	if err := s.require(ctx, a, auth.ClientRead, "physician.read"); err != nil {
		return nil, err
	}
	return s.DB.Physician(ctx, a.User.OrgID, id)
}

// CreatePhysician adds an entry to the actor's organisation's directory.
func (s *App) CreatePhysician(ctx context.Context, a *auth.Actor, p *clinic.Physician) error {
	if err := s.require(ctx, a, auth.ClientWrite, AuditPhysicianCreate); err != nil {
		return err
	}
	p.OrgID, p.ID = a.User.OrgID, 0
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreatePhysician(ctx, tx, p); err != nil {
			return nil, err
		}
		return []*audit.Entry{entry(a, AuditPhysicianCreate, "physician", p.ID, audit.OK)}, nil
	})
}

// UpdatePhysician saves p if nobody saved the entry since version p.Version.
func (s *App) UpdatePhysician(ctx context.Context, a *auth.Actor, p *clinic.Physician) error {
	if err := s.require(ctx, a, auth.ClientWrite, AuditPhysicianUpdate); err != nil {
		return err
	}
	p.OrgID = a.User.OrgID
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		before, err := s.DB.Physician(ctx, p.OrgID, p.ID)
		if err != nil {
			return nil, err
		}
		if err := s.DB.UpdatePhysician(ctx, tx, p); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditPhysicianUpdate, "physician", p.ID, audit.OK), "changed "+physicianChanges(before, p))}, nil
	})
}

func physicianChanges(a, b *clinic.Physician) string {
	var ch []string
	for _, f := range []struct{ name, x, y string }{
		{"kind", string(a.Kind), string(b.Kind)}, {"name", a.Name, b.Name}, {"credentials", a.Credentials, b.Credentials},
		{"specialty", a.Specialty, b.Specialty}, {"npi", a.NPI, b.NPI}, {"practice", a.Practice, b.Practice},
		{"phone", a.Phone, b.Phone}, {"fax", a.Fax, b.Fax},
		{"address", a.Address1 + a.City + a.State + a.Zip, b.Address1 + b.City + b.State + b.Zip},
	} {
		if f.x != f.y {
			ch = append(ch, f.name)
		}
	}
	if len(ch) == 0 {
		return "nothing"
	}
	return strings.Join(ch, ", ")
}

// careClient opens client id for a use case of the care record (referral,
// prescriptions, authorizations, documents) with permission p, refusing
// (and auditing the refusal of) another organisation's client or a client
// of a location the actor does not work at. It writes no audit entry of
// its own: the caller's entry names what was read or written.
func (s *App) careClient(ctx context.Context, a *auth.Actor, p auth.Permission, action string, id int64) (*clinic.Client, error) {
	if err := s.require(ctx, a, p, action); err != nil {
		return nil, err
	}
	c, err := s.client(ctx, a.User.OrgID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, action, "client", id, err)
	}
	if err != nil {
		return nil, err
	}
	if ok, err := s.maySee(ctx, a, c); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.deny(ctx, a, action, "client", id, errs.E(errs.Forbidden, "This client attends a location you do not work at."))
	}
	return c, nil
}
