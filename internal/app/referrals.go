package app

import (
	"context"
	"database/sql"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// Audit actions of clients' referrals.
const (
	AuditReferralRead   = "referral.read"
	AuditReferralSet    = "referral.set"
	AuditReferralClear  = "referral.clear"
	AuditReferralReport = "referral.report"
)

// clinicDay is the actor's clinic's date, at midnight UTC so date arithmetic
// ignores daylight saving.
func (s *App) clinicDay(a *auth.Actor) time.Time {
	now := s.now()
	if a != nil && a.Org != nil {
		now = now.In(clinic.Zone(a.Org.TimeZone))
	}
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// ServiceDate reads a date of service (YYYY-MM-DD) as a date at midnight
// UTC; "" is the actor's clinic's today. ok is false for anything else or a
// year outside 2000–2100.
func (s *App) ServiceDate(a *auth.Actor, v string) (d time.Time, ok bool) {
	if v == "" {
		return s.clinicDay(a), true
	}
	d, err := time.Parse(clinic.DateLayout, v)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return time.Time{}, false
	}
	return d, true
}

// ClinicDate is the actor's clinic's date (YYYY-MM-DD), for forms to offer.
func (s *App) ClinicDate(a *auth.Actor) string { return s.clinicDay(a).Format(clinic.DateLayout) }

// Referral reads who referred a client: NotFound when nobody is recorded.
// Whoever may open the chart may read it.
func (s *App) Referral(ctx context.Context, a *auth.Actor, clientID int64) (*clinic.Referral, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditReferralRead, clientID); err != nil {
		return nil, err
	}
	r, err := s.DB.Referral(ctx, a.User.OrgID, clientID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	if aerr := s.audit(ctx, entry(a, AuditReferralRead, "client", clientID, audit.OK)); aerr != nil {
		return nil, aerr
	}
	return r, err
}

// SetReferral records who referred a client (replacing what was recorded);
// whoever may edit the client's details may set it.
func (s *App) SetReferral(ctx context.Context, a *auth.Actor, r *clinic.Referral) error {
	if _, err := s.careClient(ctx, a, auth.ClientWrite, AuditReferralSet, r.ClientID); err != nil {
		return err
	}
	if err := r.Validate(s.clinicDay(a)); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SetReferral(ctx, tx, a.User.OrgID, r, a.User.ID); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditReferralSet, "client", r.ClientID, audit.OK), "physician "+i64(r.PhysicianID))}, nil
	})
}

// ClearReferral forgets who referred a client.
func (s *App) ClearReferral(ctx context.Context, a *auth.Actor, clientID int64) error {
	if _, err := s.careClient(ctx, a, auth.ClientWrite, AuditReferralClear, clientID); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.ClearReferral(ctx, tx, a.User.OrgID, clientID); err != nil {
			return nil, err
		}
		return []*audit.Entry{entry(a, AuditReferralClear, "client", clientID, audit.OK)}, nil
	})
}

// ReferralReport is referrals per source per month over the last months.
type ReferralReport struct {
	clinic.ReferralTable
	// Physicians by id, for the rows' names.
	Physicians map[int64]clinic.Physician
	// AllLocations is false when the counts are of the actor's own locations' clients only.
	AllLocations bool
}

// maySeeReferralReport: the report is for the owner and the therapists,
// who network with the physicians that refer; the front desk and billing
// do not need it. (auth's permission table has no entry for it yet, so
// the roles are named here.) A therapist's counts are of their own
// locations' clients, as their client search is.
func maySeeReferralReport(a *auth.Actor) bool {
	return a != nil && a.User != nil && (a.User.Role == clinic.RoleOwner || a.User.Role == clinic.RoleTherapist)
}

// ReferralReport counts the clients each source referred in each of the
// last months (12 when months is 0), this month included. It is audited:
// it reads clients' referrals, if only as counts.
func (s *App) ReferralReport(ctx context.Context, a *auth.Actor, months int) (*ReferralReport, error) {
	if !maySeeReferralReport(a) {
		return nil, s.Forbid(ctx, a, AuditReferralReport)
	}
	if months <= 0 || months > 36 {
		months = 12
	}
	ms := clinic.LastMonths(s.clinicDay(a), months)
	to := s.clinicDay(a).Format(clinic.DateLayout)
	locs := a.ClientLocations()
	counts, err := s.DB.ReferralCounts(ctx, a.User.OrgID, ms[0]+"-01", to, locs)
	if err != nil {
		return nil, err
	}
	rep := &ReferralReport{ReferralTable: clinic.BuildReferralTable(ms, counts), Physicians: map[int64]clinic.Physician{}, AllLocations: locs == nil}
	ps, err := s.DB.SearchPhysicians(ctx, a.User.OrgID, clinic.PhysicianFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		rep.Physicians[p.ID] = p
	}
	for _, r := range rep.Rows {
		if _, ok := rep.Physicians[r.PhysicianID]; !ok {
			p, err := s.DB.Physician(ctx, a.User.OrgID, r.PhysicianID)
			if err != nil {
				return nil, err
			}
			rep.Physicians[p.ID] = *p
		}
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditReferralReport, "", 0, audit.OK), "months "+i64(int64(months)))); err != nil {
		return nil, err
	}
	return rep, nil
}
