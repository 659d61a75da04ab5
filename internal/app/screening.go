package app

import (
	"context"
	"database/sql"
	"reflect"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// Contraindication screening: running the organisation's rules over a
// client's latest signed intake and prescriptions, reading the findings,
// overriding a blocking finding for a day, recording a physician's
// clearance, and the owner's management of the rules.

// Audit actions of screening. Entries name the client and the override or
// clearance, never the rule or the finding: those are health information.
const (
	AuditScreeningRun       = "screening.run"
	AuditScreeningRead      = "screening.read"
	AuditScreeningOverride  = "screening.override"
	AuditScreeningClearance = "screening.clearance"
	AuditRuleUpdate         = "rule.update"
)

// Who may do what. The permission table (internal/auth) has no screening
// entries yet, so the roles are listed here.
var (
	// Overriding an "avoid" is a clinical decision.
	overrideRoles = []clinic.Role{clinic.RoleOwner, clinic.RoleTherapist}
	// The front desk receives physicians' letters, so it may record clearances too.
	clearanceRoles = []clinic.Role{clinic.RoleOwner, clinic.RoleTherapist, clinic.RoleFrontDesk}
	// Those who treat or book clients may read the rules; owners change them.
	ruleReadRoles = []clinic.Role{clinic.RoleOwner, clinic.RoleTherapist, clinic.RoleFrontDesk}
)

func init() {
	RegisterRescreener(func(ctx context.Context, s *App, orgID, clientID int64) error {
		_, _, err := s.screen(ctx, orgID, clientID, "")
		return err
	})
}

// requireRole returns Forbidden (audited) unless the actor has one of roles.
func (s *App) requireRole(ctx context.Context, a *auth.Actor, action, what string, roles ...clinic.Role) error {
	if a != nil && a.User != nil {
		for _, r := range roles {
			if a.User.Role == r {
				return nil
			}
		}
	}
	role := ""
	if a != nil && a.User != nil {
		role = a.User.Role.Label()
	}
	return s.deny(ctx, a, action, "", 0, errs.E(errs.Forbidden, "Your role (%s) does not allow %s.", role, what))
}

// screeningClient checks the actor may open the client's chart (audited refusal).
func (s *App) screeningClient(ctx context.Context, a *auth.Actor, action string, id int64) (*clinic.Client, error) {
	if err := s.require(ctx, a, auth.ClientRead, action); err != nil {
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

// clinicNow is the current time in the organisation's time zone: its date
// is the clinic's today, which date windows and overrides count in.
func (s *App) clinicNow(ctx context.Context, orgID int64) (time.Time, error) {
	org, err := s.org(ctx, orgID)
	if err != nil {
		return time.Time{}, err
	}
	return s.now().In(clinic.Zone(org.TimeZone)), nil
}

// screen works out a client's findings now and stores them in place of the
// previous ones (audited as screening.run). why is added to the entry.
func (s *App) screen(ctx context.Context, orgID, clientID int64, why string) (*store.ScreeningRun, []care.Finding, error) {
	run, fs, err := s.computeScreening(ctx, orgID, clientID, 0)
	if err != nil {
		return nil, nil, err
	}
	return run, fs, s.saveScreening(ctx, orgID, clientID, run, fs, why)
}

// computeScreening works out a client's findings now, reading only. gen is
// the rules' generation when the caller has just read it (0: read it here).
func (s *App) computeScreening(ctx context.Context, orgID, clientID, gen int64) (*store.ScreeningRun, []care.Finding, error) {
	now, err := s.clinicNow(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	in, err := s.latestIntake(ctx, orgID, clientID)
	if err != nil {
		return nil, nil, err
	}
	// The generation is read before the rules: a change in between leaves
	// an older generation stored, so the next reading works them out again.
	if gen == 0 {
		if gen, err = s.DB.RulesGeneration(ctx, orgID); err != nil {
			return nil, nil, err
		}
	}
	rules, err := s.rulesOf(ctx, orgID, gen)
	if err != nil {
		return nil, nil, err
	}
	day := now.Format(clinic.DateLayout)
	var precautions []string
	ps, err := s.prescriptions(ctx, orgID, clientID)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range ps {
		// Precautions of a prescription in force or still to start; an expired one no longer speaks.
		if p.Precautions != "" && p.ExpiresOn >= day {
			precautions = append(precautions, p.Precautions)
		}
	}
	fs := care.Screen(rules, care.Input{Today: now, Intake: in, Precautions: precautions})
	run := &store.ScreeningRun{Day: day, RulesGeneration: gen}
	if in != nil {
		run.IntakeID, run.IntakeVersion, run.IntakeSigned = in.ID, in.Version, in.SignedAt
	}
	return run, fs, nil
}

type ruleSet struct {
	gen   int64
	rules []care.Rule
}

func (s *App) rulesOf(ctx context.Context, orgID, gen int64) ([]care.Rule, error) {
	if v, ok := s.rulesCache.Load(orgID); ok && v.(ruleSet).gen == gen {
		return v.(ruleSet).rules, nil
	}
	rules, err := s.DB.ScreeningRules(ctx, orgID)
	if err != nil {
		return nil, err
	}
	s.rulesCache.Store(orgID, ruleSet{gen, rules})
	return rules, nil
}

// saveScreening stores findings in place of the client's previous ones, audited.
func (s *App) saveScreening(ctx context.Context, orgID, clientID int64, run *store.ScreeningRun, fs []care.Finding, why string) error {
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SaveScreening(ctx, tx, orgID, clientID, run, fs); err != nil {
			return nil, err
		}
		e := &audit.Entry{OrgID: orgID, Action: AuditScreeningRun, RecordType: "client", RecordID: clientID, Result: audit.OK,
			Detail: "findings " + i64(int64(len(fs))) + ", intake version " + i64(int64(run.IntakeVersion))}
		if why != "" {
			withDetail(e, why)
		}
		return []*audit.Entry{e}, nil
	})
}

// current returns the client's screening as it stands today. Stored
// findings are worked out again first when they are stale: computed on an
// earlier clinic day (date windows move), before a rule changed, or from an
// older intake than the newest signed one.
func (s *App) current(ctx context.Context, orgID, clientID int64) (*care.Screening, error) {
	return s.currentWith(ctx, orgID, clientID, true)
}

// currentWith is current; without history, a client with no findings has
// no overrides or clearances read (they only annotate findings).
func (s *App) currentWith(ctx context.Context, orgID, clientID int64, history bool) (*care.Screening, error) {
	now, err := s.clinicNow(ctx, orgID)
	if err != nil {
		return nil, err
	}
	day := now.Format(clinic.DateLayout)
	// One query tells whether stored findings are current (the rules'
	// generation, the stored run, the newest intake version); the findings
	// themselves are read only when they are.
	st, err := s.DB.ScreeningStateOf(ctx, orgID, clientID)
	if err != nil {
		return nil, err
	}
	gen := st.RulesGeneration
	if gen == 0 { // the organisation's rules are set up (or updated) first
		if gen, err = s.DB.RulesGeneration(ctx, orgID); err != nil {
			return nil, err
		}
	}
	run := st.Run
	var fs []care.Finding
	why := ""
	switch {
	case run == nil:
		why = "first screening"
	case run.Day != day:
		why = "new day"
	case gen != run.RulesGeneration:
		why = "rules changed"
	case st.IntakeVersion != run.IntakeVersion:
		why = "newer intake"
	}
	if run != nil && (why == "" || why == "new day") {
		run, fs, err = s.DB.Screening(ctx, orgID, clientID)
		switch {
		case errs.Is(err, errs.NotFound): // replaced in between: work it out afresh
			run, fs, why = nil, nil, "first screening"
		case err != nil:
			return nil, err
		}
	}
	if why != "" {
		nrun, nfs, err := s.computeScreening(ctx, orgID, clientID, gen)
		if err != nil {
			return nil, err
		}
		// Store only what a reader could otherwise miss: a client with nothing
		// to screen, or whose findings did not change overnight, costs no
		// write on every chart view (the next view works them out again).
		unchanged := why == "first screening" && len(nfs) == 0 && nrun.IntakeID == 0 ||
			why == "new day" && reflect.DeepEqual(fs, nfs) && nrun.IntakeVersion == run.IntakeVersion && nrun.RulesGeneration == run.RulesGeneration
		if !unchanged {
			if err := s.saveScreening(ctx, orgID, clientID, nrun, nfs, why); err != nil {
				return nil, err
			}
		}
		run, fs = nrun, nfs
	}
	sc := &care.Screening{ClientID: clientID, HasIntake: run.IntakeID != 0, IntakeVersion: run.IntakeVersion, IntakeSigned: run.IntakeSigned,
		ComputedAt: run.ComputedAt, Today: day}
	if !history && len(fs) == 0 {
		return sc, nil
	}
	if sc.Overrides, err = s.DB.Overrides(ctx, orgID, clientID, ""); err != nil {
		return nil, err
	}
	if sc.Clearances, err = s.DB.Clearances(ctx, orgID, clientID); err != nil {
		return nil, err
	}
	for _, f := range fs {
		cf := care.ClientFinding{Finding: f}
		if f.Level.Blocks() {
			for i := range sc.Overrides {
				if o := &sc.Overrides[i]; o.RuleKey == f.RuleKey && o.Day == day {
					cf.Override = o
					break
				}
			}
		}
		if f.Level == care.LevelClearance {
			// A clearance holds until a newer intake version is signed.
			for i := range sc.Clearances {
				if c := &sc.Clearances[i]; c.RuleKey == f.RuleKey && c.IntakeVersion >= run.IntakeVersion {
					cf.Clearance = c
					break
				}
			}
		}
		sc.Findings = append(sc.Findings, cf)
	}
	return sc, nil
}

// Findings returns a client's current screening: the findings most severe
// first, with today's overrides and the clearances that close them. Audited.
func (s *App) Findings(ctx context.Context, a *auth.Actor, clientID int64) (*care.Screening, error) {
	return s.findings(ctx, a, clientID, true)
}

// CurrentFindings is Findings for the chart's banner: the overrides and
// clearances are those of today's findings only (none when there are no
// findings), not the client's whole history of them. Audited.
func (s *App) CurrentFindings(ctx context.Context, a *auth.Actor, clientID int64) (*care.Screening, error) {
	return s.findings(ctx, a, clientID, false)
}

func (s *App) findings(ctx context.Context, a *auth.Actor, clientID int64, history bool) (*care.Screening, error) {
	c, err := s.screeningClient(ctx, a, AuditScreeningRead, clientID)
	if err != nil {
		return nil, err
	}
	sc, err := s.currentWith(ctx, a.User.OrgID, c.ID, history)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditScreeningRead, "client", c.ID, audit.OK), "findings "+i64(int64(len(sc.Findings))))); err != nil {
		return nil, err
	}
	return sc, nil
}

// CanStartSession reports whether a session with the client may start
// today: not while a blocking finding ("avoid", "refer urgently") has no
// override made today. blocking lists those findings. Audited.
func (s *App) CanStartSession(ctx context.Context, a *auth.Actor, clientID int64) (ok bool, blocking []care.Finding, err error) {
	c, err := s.screeningClient(ctx, a, AuditScreeningRead, clientID)
	if err != nil {
		return false, nil, err
	}
	sc, err := s.current(ctx, a.User.OrgID, c.ID)
	if err != nil {
		return false, nil, err
	}
	blocking = sc.Blocking()
	if err := s.audit(ctx, withDetail(entry(a, AuditScreeningRead, "client", c.ID, audit.OK), "session check, blocking "+i64(int64(len(blocking))))); err != nil {
		return false, nil, err
	}
	return len(blocking) == 0, blocking, nil
}

// Override lets sessions with the client start today despite the blocking
// finding of ruleKey. The reason (at least 10 characters) is kept and the
// override audited. Owners and therapists only.
func (s *App) Override(ctx context.Context, a *auth.Actor, clientID int64, ruleKey, reason string) (*care.Override, error) {
	if err := s.requireRole(ctx, a, AuditScreeningOverride, "overriding a screening finding; ask a therapist or the owner", overrideRoles...); err != nil {
		return nil, err
	}
	c, err := s.screeningClient(ctx, a, AuditScreeningOverride, clientID)
	if err != nil {
		return nil, err
	}
	sc, err := s.current(ctx, a.User.OrgID, c.ID)
	if err != nil {
		return nil, err
	}
	o := &care.Override{OrgID: a.User.OrgID, ClientID: c.ID, RuleKey: ruleKey, Reason: strings.TrimSpace(reason), Day: sc.Today, ByUserID: a.User.ID, ByName: a.User.Name}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	found := false
	for _, f := range sc.Findings {
		found = found || (f.RuleKey == ruleKey && f.Level.Blocks())
	}
	if !found {
		return nil, &errs.Error{Code: errs.Invalid, Message: "There is no finding to override for this client today.", Fields: map[string]string{"rule": "Only an “avoid” or “refer urgently” finding can be overridden."}}
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateOverride(ctx, tx, o); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditScreeningOverride, "client", c.ID, audit.OK), "override "+i64(o.ID))}, nil
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// ClearanceInput is a physician's clearance as a person records it: the
// scanned letter as an upload, or a document already on the client's file.
type ClearanceInput struct {
	RuleKey    string
	Physician  string
	Date       string // YYYY-MM-DD
	Note       string
	Upload     *Upload
	DocumentID int64
}

// RecordClearance records a physician's clearance of the client's
// "needs physician clearance" finding of in.RuleKey, with the document
// attached (a new scan is stored in the same transaction). It closes the
// finding until a newer intake is signed. Owners, therapists and front desk.
func (s *App) RecordClearance(ctx context.Context, a *auth.Actor, clientID int64, in ClearanceInput) (*care.Clearance, error) {
	if err := s.requireRole(ctx, a, AuditScreeningClearance, "recording a physician's clearance", clearanceRoles...); err != nil {
		return nil, err
	}
	c, err := s.screeningClient(ctx, a, AuditScreeningClearance, clientID)
	if err != nil {
		return nil, err
	}
	sc, err := s.current(ctx, a.User.OrgID, c.ID)
	if err != nil {
		return nil, err
	}
	now, err := s.clinicNow(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	cl := &care.Clearance{OrgID: a.User.OrgID, ClientID: c.ID, RuleKey: in.RuleKey, Physician: strings.TrimSpace(in.Physician), Date: strings.TrimSpace(in.Date),
		Note: strings.TrimSpace(in.Note), DocumentID: in.DocumentID, IntakeVersion: sc.IntakeVersion, ByUserID: a.User.ID, ByName: a.User.Name}
	f := errs.FieldErrors{}
	if err := cl.Validate(now); err != nil {
		for k, v := range errs.FieldsOf(err) {
			f.Add(k, v)
		}
	}
	found := false
	for _, x := range sc.Findings {
		found = found || (x.RuleKey == in.RuleKey && x.Level == care.LevelClearance)
	}
	if !found && in.RuleKey != "" {
		f.Add("rule", "This client has no finding that needs a clearance for this rule.")
	}
	hasUpload := in.Upload != nil && len(in.Upload.Data) > 0
	switch {
	case hasUpload:
		if _, err := clinic.CheckUpload("document", in.Upload.Data); err != nil {
			if errs.Is(err, errs.TooLarge) {
				return nil, err
			}
			for k, v := range errs.FieldsOf(err) {
				f.Add(k, v)
			}
		}
	case in.DocumentID == 0:
		f.Add("document", "Attach the physician's clearance: a PDF, JPEG or PNG scan.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		var es []*audit.Entry
		if hasUpload {
			d := &clinic.Document{ClientID: c.ID, Kind: clinic.DocumentClearance, Filename: in.Upload.Filename}
			e, err := s.saveDocument(ctx, tx, a, d, in.Upload.Data)
			if err != nil {
				return nil, err
			}
			es = append(es, e)
			cl.DocumentID = d.ID
		}
		if err := s.DB.CreateClearance(ctx, tx, cl); err != nil {
			return nil, err
		}
		return append(es, withDetail(entry(a, AuditScreeningClearance, "client", c.ID, audit.OK), "clearance "+i64(cl.ID)+", document "+i64(cl.DocumentID))), nil
	})
	if err != nil {
		return nil, err
	}
	return cl, nil
}

// ScreeningRules lists the organisation's rules (the defaults are added the
// first time). Owners, therapists and front desk.
func (s *App) ScreeningRules(ctx context.Context, a *auth.Actor) ([]care.Rule, error) {
	if err := s.requireRole(ctx, a, "rule.read", "reading the screening rules", ruleReadRoles...); err != nil {
		return nil, err
	}
	return s.DB.ScreeningRules(ctx, a.User.OrgID)
}

// ScreeningRule reads one rule.
func (s *App) ScreeningRule(ctx context.Context, a *auth.Actor, id int64) (*care.Rule, error) {
	if err := s.requireRole(ctx, a, "rule.read", "reading the screening rules", ruleReadRoles...); err != nil {
		return nil, err
	}
	return s.DB.ScreeningRule(ctx, a.User.OrgID, id)
}

// SaveRule adds an organisation's own rule (r.ID 0) or changes a rule at
// r.Version. A default rule keeps its trigger's kind and value; its
// threshold, level and texts may change and can be restored. Owners only;
// audited as rule.update. Clients' findings follow at their next reading.
func (s *App) SaveRule(ctx context.Context, a *auth.Actor, r *care.Rule) error {
	if err := s.require(ctx, a, auth.OrgManage, AuditRuleUpdate); err != nil {
		return err
	}
	r.Region, r.Modification, r.Reason, r.Source = strings.TrimSpace(r.Region), strings.TrimSpace(r.Modification), strings.TrimSpace(r.Reason), strings.TrimSpace(r.Source)
	r.Trigger.Value = strings.TrimSpace(r.Trigger.Value)
	if r.ID == 0 {
		tidyTrigger(&r.Trigger)
		return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
			if err := s.DB.CreateScreeningRule(ctx, tx, a.User.OrgID, a.User.ID, r); err != nil {
				return nil, err
			}
			return []*audit.Entry{withDetail(entry(a, AuditRuleUpdate, "screening_rule", r.ID, audit.OK), "created "+r.Key)}, nil
		})
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		cur, err := s.DB.ScreeningRuleTx(ctx, tx, a.User.OrgID, r.ID)
		if err != nil {
			return nil, err
		}
		if cur.Builtin {
			r.Trigger.Kind, r.Trigger.Value = cur.Trigger.Kind, cur.Trigger.Value
		}
		tidyTrigger(&r.Trigger)
		r.Key, r.Builtin = cur.Key, cur.Builtin
		if err := s.DB.UpdateScreeningRule(ctx, tx, a.User.OrgID, a.User.ID, r); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditRuleUpdate, "screening_rule", r.ID, audit.OK), "changed "+ruleChanges(cur, r)+" of "+r.Key)}, nil
	})
}

// tidyTrigger drops what the trigger's kind does not use (a number left in
// the form from another kind), so it is neither stored nor refused.
func tidyTrigger(t *care.Trigger) {
	if info, ok := care.KindInfo(t.Kind); ok {
		if info.Unit == "" {
			t.N = 0
		}
		if info.Value == "" {
			t.Value = ""
		}
	}
}

func ruleChanges(a, b *care.Rule) string {
	var ch []string
	cmp := func(name string, same bool) {
		if !same {
			ch = append(ch, name)
		}
	}
	cmp("trigger", a.Trigger == b.Trigger)
	cmp("level", a.Level == b.Level)
	cmp("region", a.Region == b.Region)
	cmp("modification", a.Modification == b.Modification)
	cmp("reason", a.Reason == b.Reason)
	cmp("source", a.Source == b.Source)
	cmp("enabled", a.Enabled == b.Enabled)
	if len(ch) == 0 {
		return "nothing"
	}
	return strings.Join(ch, ", ")
}

// SetRuleEnabled turns a rule on or off. Owners only; audited.
func (s *App) SetRuleEnabled(ctx context.Context, a *auth.Actor, id int64, enabled bool) error {
	if err := s.require(ctx, a, auth.OrgManage, AuditRuleUpdate); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		r, err := s.DB.ScreeningRuleTx(ctx, tx, a.User.OrgID, id)
		if err != nil {
			return nil, err
		}
		if err := s.DB.SetScreeningRuleEnabled(ctx, tx, a.User.OrgID, a.User.ID, id, enabled); err != nil {
			return nil, err
		}
		what := "disabled "
		if enabled {
			what = "enabled "
		}
		return []*audit.Entry{withDetail(entry(a, AuditRuleUpdate, "screening_rule", id, audit.OK), what+r.Key)}, nil
	})
}

// DeleteRule removes one of the organisation's own rules. Owners only; audited.
func (s *App) DeleteRule(ctx context.Context, a *auth.Actor, id int64) error {
	if err := s.require(ctx, a, auth.OrgManage, AuditRuleUpdate); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		r, err := s.DB.ScreeningRuleTx(ctx, tx, a.User.OrgID, id)
		if err != nil {
			return nil, err
		}
		if err := s.DB.DeleteScreeningRule(ctx, tx, a.User.OrgID, id); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditRuleUpdate, "screening_rule", id, audit.OK), "deleted "+r.Key)}, nil
	})
}

// RestoreRules puts a default rule (id), or every default rule (id 0),
// back as the release wrote it, enabled. Owners only; audited.
func (s *App) RestoreRules(ctx context.Context, a *auth.Actor, id int64) error {
	if err := s.require(ctx, a, auth.OrgManage, AuditRuleUpdate); err != nil {
		return err
	}
	if _, err := s.DB.ScreeningRules(ctx, a.User.OrgID); err != nil { // the defaults exist before they are restored
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		keys, err := s.DB.RestoreDefaultRules(ctx, tx, a.User.OrgID, a.User.ID, id)
		if err != nil {
			return nil, err
		}
		what := "restored " + strings.Join(keys, ", ")
		if id == 0 {
			what = "restored all " + i64(int64(len(keys))) + " default rules"
		}
		return []*audit.Entry{withDetail(entry(a, AuditRuleUpdate, "screening_rule", id, audit.OK), what)}, nil
	})
}

// ClearanceDocuments lists the client's documents, newest first, that a
// clearance can point to instead of a new upload (without their bytes).
func (s *App) ClearanceDocuments(ctx context.Context, a *auth.Actor, clientID int64) ([]clinic.Document, error) {
	c, err := s.screeningClient(ctx, a, AuditScreeningRead, clientID)
	if err != nil {
		return nil, err
	}
	return s.DB.ClientDocuments(ctx, a.User.OrgID, c.ID)
}
