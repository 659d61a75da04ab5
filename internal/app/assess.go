package app

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// Audit actions of evaluations and plans of care. Details name the record
// and what happened to it, never its clinical content.
const (
	AuditEvaluationCreate = "evaluation.create"
	AuditEvaluationUpdate = "evaluation.update"
	AuditEvaluationSign   = "evaluation.sign"
	AuditEvaluationRead   = "evaluation.read"
	AuditEvaluationList   = "evaluation.list"
	AuditPlanCreate       = "plan.create"
	AuditPlanUpdate       = "plan.update"
	AuditPlanSign         = "plan.sign"
	AuditPlanRead         = "plan.read"
	AuditPlanSend         = "plan.send"
	AuditPlanCosign       = "plan.cosign"
)

// Who may do what: evaluations and plans are the clinical record, so a
// therapist (for their locations' clients) and the owner write, read and
// sign them; billing reads them (payers ask for the plan of care); the
// front desk does not see them (auth.ClinicalRead, auth.ClinicalWrite).

// clinicalClient checks p and that the actor may see the client (audited refusal).
func (s *App) clinicalClient(ctx context.Context, a *auth.Actor, p auth.Permission, action string, clientID int64) (*clinic.Client, error) {
	if !a.Can(p) {
		return nil, s.deny(ctx, a, action, "client", clientID, errs.E(errs.Forbidden, "Your role (%s) does not allow %s.", a.User.Role.Label(), map[auth.Permission]string{
			auth.ClinicalRead: "reading evaluations and plans of care", auth.ClinicalWrite: "writing evaluations and plans of care"}[p]))
	}
	return s.careClient(ctx, a, auth.ClientRead, action, clientID)
}

// ClinicalRecord is what the chart shows of evaluations and plans.
type ClinicalRecord struct {
	Evaluations []store.EvaluationSummary
	Plans       []assess.Plan // every version, current series first
}

// Current is the plan in force: the newest signed version (nil when none).
func (r *ClinicalRecord) Current() *assess.Plan {
	for i := range r.Plans {
		if r.Plans[i].Status == assess.Signed {
			return &r.Plans[i]
		}
	}
	return nil
}

// ClientClinicalRecord lists a client's evaluations and plans (one audited read).
func (s *App) ClientClinicalRecord(ctx context.Context, a *auth.Actor, clientID int64) (*ClinicalRecord, error) {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalRead, AuditEvaluationList, clientID); err != nil {
		return nil, err
	}
	var r ClinicalRecord
	var err error
	if r.Evaluations, err = s.DB.Evaluations(ctx, a.User.OrgID, clientID); err != nil {
		return nil, err
	}
	if r.Plans, err = s.DB.Plans(ctx, a.User.OrgID, clientID); err != nil {
		return nil, err
	}
	e := withDetail(entry(a, AuditEvaluationList, "client", clientID, audit.OK),
		"evaluations "+strconv.Itoa(len(r.Evaluations))+", plans "+strconv.Itoa(len(r.Plans)))
	return &r, s.audit(ctx, e)
}

// StartEvaluation creates a draft: an initial evaluation (prefilled from a
// condition of the library when condition is set) or, when kind is a
// re-evaluation, one that starts from the client's latest signed evaluation.
func (s *App) StartEvaluation(ctx context.Context, a *auth.Actor, clientID int64, kind, condition, date string) (*assess.Evaluation, error) {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalWrite, AuditEvaluationCreate, clientID); err != nil {
		return nil, err
	}
	d, ok := s.ServiceDate(a, date)
	if !ok {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Enter the date of service as a date.", Fields: map[string]string{"date": "Enter a date."}}
	}
	if condition != "" {
		if _, ok := assess.ConditionByKey(condition); !ok {
			return nil, &errs.Error{Code: errs.Invalid, Message: "Choose a condition of the library, or none.", Fields: map[string]string{"condition": "Unknown condition."}}
		}
	}
	e := &assess.Evaluation{Kind: assess.Initial, ClientID: clientID, Date: d.Format(clinic.DateLayout), Condition: condition}
	if kind == assess.Reeval {
		prev, err := s.DB.LatestSignedEvaluation(ctx, a.User.OrgID, clientID)
		if errs.Is(err, errs.NotFound) {
			return nil, errs.E(errs.Invalid, "A re-evaluation starts from a signed evaluation: sign the initial evaluation first.")
		}
		if err != nil {
			return nil, err
		}
		e = assess.StartReeval(prev, e.Date)
		if condition != "" {
			e.Condition = condition
		}
	}
	e.OrgID, e.TherapistID = a.User.OrgID, a.User.ID
	th, err := s.romThresholds(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateEvaluation(ctx, tx, e, th); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditEvaluationCreate, "evaluation", e.ID, audit.OK), "client "+i64(clientID)+", "+e.Kind)}, nil
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Evaluation reads one evaluation of a client (audited).
func (s *App) Evaluation(ctx context.Context, a *auth.Actor, clientID, id int64) (*assess.Evaluation, error) {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalRead, AuditEvaluationRead, clientID); err != nil {
		return nil, err
	}
	e, err := s.DB.Evaluation(ctx, a.User.OrgID, clientID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, AuditEvaluationRead, "evaluation", id, err)
	}
	if err != nil {
		return nil, err
	}
	return e, s.audit(ctx, withDetail(entry(a, AuditEvaluationRead, "evaluation", id, audit.OK), "client "+i64(clientID)))
}

// PreviousEvaluation reads the evaluation a re-evaluation started from, or nil.
func (s *App) PreviousEvaluation(ctx context.Context, a *auth.Actor, e *assess.Evaluation) (*assess.Evaluation, error) {
	if e.PreviousID == 0 {
		return nil, nil
	}
	return s.Evaluation(ctx, a, e.ClientID, e.PreviousID)
}

// SaveEvaluation saves a draft at e.Version (a Conflict if someone saved
// since, or it was signed), and signs it when sign is set.
func (s *App) SaveEvaluation(ctx context.Context, a *auth.Actor, e *assess.Evaluation, sign bool) error {
	action := AuditEvaluationUpdate
	if sign {
		action = AuditEvaluationSign
	}
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalWrite, action, e.ClientID); err != nil {
		return err
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return err
	}
	if sign {
		if err := e.ReadyToSign(); err != nil {
			return err
		}
	}
	e.OrgID = a.User.OrgID
	version := e.Version
	th, err := s.romThresholds(ctx, a.User.OrgID)
	if err != nil {
		return err
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.UpdateEvaluation(ctx, tx, e, th); err != nil {
			return nil, err
		}
		es := []*audit.Entry{withDetail(entry(a, AuditEvaluationUpdate, "evaluation", e.ID, audit.OK), "client "+i64(e.ClientID)+", version "+i64(e.Version))}
		if sign {
			if err := s.DB.SignEvaluation(ctx, tx, e.OrgID, e.ClientID, e.ID, e.Version, a.User.ID); err != nil {
				return nil, err
			}
			e.Status, e.SignedBy, e.SignedByName, e.SignedAt = assess.Signed, a.User.ID, a.User.Name, s.now()
			es = append(es, withDetail(entry(a, AuditEvaluationSign, "evaluation", e.ID, audit.OK), "client "+i64(e.ClientID)))
		}
		return es, nil
	})
	if err != nil {
		// Nothing was saved: the form shown again posts the version it had.
		e.Version, e.Status = version, assess.Draft
	}
	return err
}

// StartPlan creates a draft plan of care for a client: from a condition of
// the library and the evaluation it follows (the latest signed one when
// evaluationID is 0), with the diagnoses of the prescription in force and
// the precautions of the safety screening.
func (s *App) StartPlan(ctx context.Context, a *auth.Actor, clientID int64, condition string, evaluationID int64) (*assess.Plan, error) {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalWrite, AuditPlanCreate, clientID); err != nil {
		return nil, err
	}
	org := a.User.OrgID
	var ev *assess.Evaluation
	var err error
	if evaluationID != 0 {
		ev, err = s.DB.Evaluation(ctx, org, clientID, evaluationID)
	} else {
		ev, err = s.DB.LatestSignedEvaluation(ctx, org, clientID)
		if errs.Is(err, errs.NotFound) {
			ev, err = nil, nil
		}
	}
	if err != nil {
		return nil, err
	}
	c, ok := assess.ConditionByKey(condition)
	if !ok && condition != "" {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Choose a condition of the library, or none.", Fields: map[string]string{"condition": "Unknown condition."}}
	}
	if !ok && ev != nil && ev.Condition != "" {
		c, ok = assess.ConditionByKey(ev.Condition)
	}
	today := s.ClinicDate(a)
	p := assess.PrefillPlan(c, ev, today)
	if !ok {
		p.Condition = ""
	}
	p.ClientID, p.OrgID, p.TherapistID = clientID, org, a.User.ID
	if err := s.planFromRecord(ctx, a, p, today); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreatePlan(ctx, tx, p); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditPlanCreate, "plan", p.ID, audit.OK), "client "+i64(clientID)+", version 1")}, nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// planFromRecord fills a new plan's diagnoses and physician from the
// prescription in force today, and its precautions from the screening.
func (s *App) planFromRecord(ctx context.Context, a *auth.Actor, p *assess.Plan, today string) error {
	ps, err := s.DB.Prescriptions(ctx, a.User.OrgID, p.ClientID)
	if err != nil {
		return err
	}
	if x := care.InForce(ps, today); x != nil {
		p.Diagnoses, p.PrescriptionID, p.PhysicianID = append([]string(nil), x.Diagnoses...), x.ID, x.PhysicianID
	}
	sc, err := s.current(ctx, a.User.OrgID, p.ClientID)
	if err != nil {
		return err
	}
	for _, f := range sc.Findings {
		if f.Level == care.LevelModify || f.Level == care.LevelAvoidLocal || f.Level == care.LevelClearance {
			line := f.Modification
			if line == "" {
				line = f.Reason
			}
			if w := f.Where(); w != "" {
				line = w + ": " + line
			}
			p.Precautions = append(p.Precautions, line)
		}
	}
	return nil
}

// Plan reads one plan of a client (audited).
func (s *App) Plan(ctx context.Context, a *auth.Actor, clientID, id int64) (*assess.Plan, error) {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalRead, AuditPlanRead, clientID); err != nil {
		return nil, err
	}
	p, err := s.DB.Plan(ctx, a.User.OrgID, clientID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, AuditPlanRead, "plan", id, err)
	}
	if err != nil {
		return nil, err
	}
	return p, s.audit(ctx, withDetail(entry(a, AuditPlanRead, "plan", id, audit.OK), "client "+i64(clientID)))
}

// SavePlan saves a draft plan at p.RowVersion, and signs it when sign is
// set (which supersedes the signed version before it).
func (s *App) SavePlan(ctx context.Context, a *auth.Actor, p *assess.Plan, sign bool) error {
	action := AuditPlanUpdate
	if sign {
		action = AuditPlanSign
	}
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalWrite, action, p.ClientID); err != nil {
		return err
	}
	p.Normalize()
	codes, err := s.codesOn(ctx, p.StartDate)
	if err != nil {
		return err
	}
	for i, c := range p.Diagnoses {
		if code, err := codes.Check(c); err == nil {
			p.Diagnoses[i] = code.Code
		}
	}
	if err := p.Validate(func(c string) bool { _, err := codes.Check(c); return err == nil }); err != nil {
		return err
	}
	if sign {
		if err := p.ReadyToSign(); err != nil {
			return err
		}
	}
	p.OrgID = a.User.OrgID
	version := p.RowVersion
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.UpdatePlan(ctx, tx, p); err != nil {
			return nil, err
		}
		es := []*audit.Entry{withDetail(entry(a, AuditPlanUpdate, "plan", p.ID, audit.OK), "client "+i64(p.ClientID)+", version "+strconv.Itoa(p.Version))}
		if sign {
			if err := s.DB.SignPlan(ctx, tx, p.OrgID, p.ClientID, p.ID, p.RowVersion, a.User.ID); err != nil {
				return nil, err
			}
			p.RowVersion++
			p.Status, p.SignedBy, p.SignedByName, p.SignedAt = assess.Signed, a.User.ID, a.User.Name, s.now()
			es = append(es, withDetail(entry(a, AuditPlanSign, "plan", p.ID, audit.OK), "client "+i64(p.ClientID)+", version "+strconv.Itoa(p.Version)))
		}
		return es, nil
	})
	if err != nil {
		p.RowVersion, p.Status = version, assess.Draft
	}
	return err
}

// RevisePlan starts the next version of a signed plan as a draft copy of it.
func (s *App) RevisePlan(ctx context.Context, a *auth.Actor, clientID, id int64) (*assess.Plan, error) {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalWrite, AuditPlanCreate, clientID); err != nil {
		return nil, err
	}
	old, err := s.DB.Plan(ctx, a.User.OrgID, clientID, id)
	if err != nil {
		return nil, err
	}
	if old.Status != assess.Signed {
		return nil, errs.E(errs.Conflict, "Only the signed, current plan is revised; a draft is edited.")
	}
	p := *old
	p.ID, p.TherapistID, p.StartDate = 0, a.User.ID, s.ClinicDate(a)
	// The goals keep their spacing from the start: a target six weeks out
	// stays six weeks out from the new version's start.
	p.Goals = append([]assess.Goal(nil), old.Goals...)
	if from, err := time.Parse(clinic.DateLayout, old.StartDate); err == nil {
		if to, err := time.Parse(clinic.DateLayout, p.StartDate); err == nil && to.After(from) {
			for i, g := range p.Goals {
				if d, err := time.Parse(clinic.DateLayout, g.TargetDate); err == nil {
					p.Goals[i].TargetDate = d.Add(to.Sub(from)).Format(clinic.DateLayout)
				}
			}
		}
	}
	p.SignedBy, p.SignedByName, p.SignedAt = 0, "", time.Time{}
	p.SentAt, p.CosignedOn, p.CosignedBy, p.CosignDocument = time.Time{}, "", "", 0
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreatePlan(ctx, tx, &p); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditPlanCreate, "plan", p.ID, audit.OK), "client "+i64(clientID)+", version "+strconv.Itoa(p.Version))}, nil
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// MarkPlanSent records that the signed plan was sent to physicianID.
func (s *App) MarkPlanSent(ctx context.Context, a *auth.Actor, clientID, id, physicianID int64) error {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalWrite, AuditPlanSend, clientID); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.MarkPlanSent(ctx, tx, a.User.OrgID, clientID, id, physicianID); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditPlanSend, "plan", id, audit.OK), "client "+i64(clientID)+", physician "+i64(physicianID))}, nil
	})
}

// RecordCosign records the physician's co-signature returned on date on
// (YYYY-MM-DD, not in the future), by name, with the scanned copy if filed.
func (s *App) RecordCosign(ctx context.Context, a *auth.Actor, clientID, id int64, on, by string, documentID int64) error {
	if _, err := s.clinicalClient(ctx, a, auth.ClinicalWrite, AuditPlanCosign, clientID); err != nil {
		return err
	}
	bad := errs.FieldErrors{}
	d, ok := s.ServiceDate(a, on)
	if !ok || on == "" {
		bad.Add("cosigned_on", "Enter the date the physician signed.")
	} else if d.After(s.clinicDay(a)) {
		bad.Add("cosigned_on", "The physician cannot have signed in the future.")
	}
	if by == "" || len(by) > 200 {
		bad.Add("cosigned_by", "Enter the physician's name as signed.")
	}
	if err := bad.Err(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.RecordCosign(ctx, tx, a.User.OrgID, clientID, id, d.Format(clinic.DateLayout), by, documentID); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditPlanCosign, "plan", id, audit.OK), "client "+i64(clientID))}, nil
	})
}

// ROMThresholds are the organisation's range-of-motion flags; anyone
// signed in reads them (every evaluation shows them).
func (s *App) ROMThresholds(ctx context.Context, a *auth.Actor) (assess.Thresholds, error) {
	return s.romThresholds(ctx, a.User.OrgID)
}

// SaveROMThresholds changes when a motion is flagged restricted (owners).
// Evaluations already signed keep the count they were signed with; pages
// and PDFs show every evaluation against the thresholds in force.
func (s *App) SaveROMThresholds(ctx context.Context, a *auth.Actor, th assess.Thresholds) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	if err := th.Validate(); err != nil {
		return err
	}
	defer s.cache.forget(a.User.OrgID)
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SaveROMThresholds(ctx, tx, a.User.OrgID, th); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "org", a.User.OrgID, audit.OK), "changed range-of-motion flags")}, nil
	})
}
