package app

import (
	"context"
	"database/sql"
	"maps"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// Audit actions of prescriptions and authorizations.
const (
	AuditPrescriptionCreate  = "prescription.create"
	AuditPrescriptionList    = "prescription.list"
	AuditAuthorizationCreate = "authorization.create"
	AuditAuthorizationList   = "authorization.list"
)

// Who may do what with prescriptions and authorizations: they are part of
// the client's record, so they follow the client's own permissions. Every
// role that may open a chart reads them (the owner, the front desk and
// billing for every location, a therapist for their own locations'
// clients), and every role that may edit a client records them: the
// therapist and the front desk take the paper from the client, billing
// enters authorizations the payer grants. Every read and write is audited.

// codesOn is the ICD-10-CM code set in force on date (YYYY-MM-DD).
func (s *App) codesOn(ctx context.Context, date string) (*icd10.Set, error) {
	on, err := time.Parse(clinic.DateLayout, date)
	if err != nil {
		on = s.now()
	}
	return s.ICD10(ctx, on)
}

// CareRecord is what the chart shows of a client's prescriptions and
// authorizations, and who referred them.
type CareRecord struct {
	Referral       *clinic.Referral // nil when nobody is recorded
	Prescriptions  []care.Prescription
	Authorizations []care.Authorization
	Warnings       []care.Warning
	// Titles of the prescriptions' diagnoses, by code.
	Titles map[string]string
	Today  string
}

// ClientCareRecord reads a client's referral, prescriptions and
// authorizations with the warnings due today, for the chart. One audit
// entry records the read.
func (s *App) ClientCareRecord(ctx context.Context, a *auth.Actor, clientID int64) (*CareRecord, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditPrescriptionList, clientID); err != nil {
		return nil, err
	}
	org := a.User.OrgID
	rec := &CareRecord{Today: s.ClinicDate(a), Titles: map[string]string{}}
	var err error
	if rec.Referral, err = s.DB.Referral(ctx, org, clientID); err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	if rec.Prescriptions, err = s.prescriptions(ctx, org, clientID); err != nil {
		return nil, err
	}
	if rec.Authorizations, err = s.DB.Authorizations(ctx, org, clientID); err != nil {
		return nil, err
	}
	rec.Warnings = care.Warnings(s.clinicDay(a), rec.Prescriptions, rec.Authorizations)
	if err := s.titles(ctx, rec.Prescriptions, rec.Titles); err != nil {
		return nil, err
	}
	e := withDetail(entry(a, AuditPrescriptionList, "client", clientID, audit.OK),
		"prescriptions "+i64(int64(len(rec.Prescriptions)))+", authorizations "+i64(int64(len(rec.Authorizations))))
	if err := s.audit(ctx, e); err != nil {
		return nil, err
	}
	return rec, nil
}

// titles fills m with the titles of the prescriptions' diagnoses, each
// from the code set in force when the prescription was written.
func (s *App) titles(ctx context.Context, ps []care.Prescription, m map[string]string) error {
	for _, p := range ps {
		set, err := s.codesOn(ctx, p.WrittenOn)
		if err != nil {
			return err
		}
		for _, c := range p.Diagnoses {
			if _, ok := m[c]; !ok {
				if code, ok := set.Lookup(c); ok {
					m[c] = code.Title
				}
			}
		}
	}
	return nil
}

// DiagnosisTitles names codes as the code set in force on date does
// (codes it does not know are left out), for a form shown again.
func (s *App) DiagnosisTitles(ctx context.Context, date string, codes []string) (map[string]string, error) {
	set, err := s.codesOn(ctx, date)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, c := range codes {
		if code, ok := set.Lookup(c); ok {
			m[c] = code.Title
		}
	}
	return m, nil
}

// Prescriptions lists a client's prescriptions, the newest first.
func (s *App) Prescriptions(ctx context.Context, a *auth.Actor, clientID int64) ([]care.Prescription, map[string]string, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditPrescriptionList, clientID); err != nil {
		return nil, nil, err
	}
	ps, err := s.DB.Prescriptions(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, nil, err
	}
	titles := map[string]string{}
	if err := s.titles(ctx, ps, titles); err != nil {
		return nil, nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditPrescriptionList, "client", clientID, audit.OK), "prescriptions "+i64(int64(len(ps))))); err != nil {
		return nil, nil, err
	}
	return ps, titles, nil
}

// CreatePrescription records a prescription of p.ClientID, with its
// scanned paper when scan is not nil. The diagnoses are checked against
// the ICD-10-CM set in force on the date it was written: a category is
// refused with the billable codes beneath it named. Every problem of the
// form and of the scan is reported at once, and nothing is stored unless
// all is well. Screening is re-run afterwards: a prescription's
// precautions and diagnoses can change what is safe.
func (s *App) CreatePrescription(ctx context.Context, a *auth.Actor, p *care.Prescription, scan *Upload) error {
	if _, err := s.careClient(ctx, a, auth.ClientWrite, AuditPrescriptionCreate, p.ClientID); err != nil {
		return err
	}
	p.OrgID, p.ID, p.CreatedBy, p.DocumentID = a.User.OrgID, 0, a.User.ID, 0
	p.Normalize()
	set, err := s.codesOn(ctx, p.WrittenOn)
	if err != nil {
		return err
	}
	fields := errs.FieldErrors{}
	verr := p.Validate(s.clinicDay(a), set)
	maps.Copy(fields, errs.FieldsOf(verr))
	if verr != nil && len(fields) == 0 {
		return verr
	}
	if scan != nil {
		if _, err := clinic.CheckUpload("document", scan.Data); err != nil {
			maps.Copy(fields, errs.FieldsOf(err))
			if len(fields) == 1 {
				return err // the scan alone: keep its code (too large is 413)
			}
		}
	}
	if err := fields.Err(); err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		var es []*audit.Entry
		if scan != nil {
			d := &clinic.Document{ClientID: p.ClientID, Kind: clinic.DocumentPrescription, Filename: scan.Filename}
			e, err := s.saveDocument(ctx, tx, a, d, scan.Data)
			if err != nil {
				return nil, err
			}
			p.DocumentID = d.ID
			es = append(es, e)
		}
		if err := s.DB.CreatePrescription(ctx, tx, p); err != nil {
			return nil, err
		}
		return append(es, withDetail(entry(a, AuditPrescriptionCreate, "prescription", p.ID, audit.OK), "client "+i64(p.ClientID))), nil
	})
	if err != nil {
		p.DocumentID = 0
		return err
	}
	// The prescription is saved whatever screening answers; a failure to
	// re-run it is logged (screening runs again at the next change).
	if err := s.Rescreen(ctx, p.OrgID, p.ClientID); err != nil {
		s.Log.Error("rescreen after a new prescription failed", "prescription", p.ID, "err", err)
	}
	return nil
}

// Authorizations lists a client's authorizations, the newest first.
func (s *App) Authorizations(ctx context.Context, a *auth.Actor, clientID int64) ([]care.Authorization, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditAuthorizationList, clientID); err != nil {
		return nil, err
	}
	as, err := s.DB.Authorizations(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditAuthorizationList, "client", clientID, audit.OK), "authorizations "+i64(int64(len(as))))); err != nil {
		return nil, err
	}
	return as, nil
}

// CreateAuthorization records a payer's authorization of au.ClientID's visits.
func (s *App) CreateAuthorization(ctx context.Context, a *auth.Actor, au *care.Authorization) error {
	if _, err := s.careClient(ctx, a, auth.ClientWrite, AuditAuthorizationCreate, au.ClientID); err != nil {
		return err
	}
	au.OrgID, au.ID, au.CreatedBy = a.User.OrgID, 0, a.User.ID
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateAuthorization(ctx, tx, au); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditAuthorizationCreate, "authorization", au.ID, audit.OK), "client "+i64(au.ClientID))}, nil
	})
}

// prescriptions are the client's prescriptions, read once per held page.
// The caller must not change them.
func (s *App) prescriptions(ctx context.Context, orgID, clientID int64) ([]care.Prescription, error) {
	return memo(ctx, "prescriptions."+i64(orgID)+"."+i64(clientID), func() ([]care.Prescription, error) {
		return s.DB.Prescriptions(ctx, orgID, clientID)
	})
}
