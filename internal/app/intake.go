package app

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// Audit actions of the intake area.
const (
	AuditIntakeRead       = "intake.read"
	AuditIntakeLinkCreate = "intake.link_create"
	AuditIntakeLinkRevoke = "intake.link_revoke"
	AuditIntakeSign       = "intake.sign"
	AuditIntakeReview     = "intake.review"
	AuditConsentUpdate    = "consent.update"
)

// KioskLinkLife is how long a link handed to a client on a clinic device
// stays valid: long enough to fill in the form, short enough that a device
// forgotten in kiosk mode does not stay open.
const KioskLinkLife = 2 * time.Hour

// StaleAfter is the age after which an owner who asks for yearly updates
// sees the health history flagged as old.
const StaleAfter = 365 * 24 * time.Hour

// MayReadIntake reports whether the actor's role may see health histories
// and send intake links: owners, therapists and the front desk; billers
// may not. (Which clients also depends on location: see MaySeeClient.)
func MayReadIntake(a *auth.Actor) bool {
	if a == nil || a.User == nil {
		return false
	}
	switch a.User.Role {
	case clinic.RoleOwner, clinic.RoleTherapist, clinic.RoleFrontDesk:
		return true
	}
	return false
}

// MayReviewIntake reports whether the actor may mark an intake reviewed:
// the clinicians (owners and therapists).
func MayReviewIntake(a *auth.Actor) bool {
	return a != nil && a.User != nil && (a.User.Role == clinic.RoleOwner || a.User.Role == clinic.RoleTherapist)
}

// intakeClient opens the client whose health history the actor wants,
// refusing (audited) a role or location that may not see it.
func (s *App) intakeClient(ctx context.Context, a *auth.Actor, clientID int64, action string) (*clinic.Client, error) {
	if !MayReadIntake(a) {
		return nil, s.deny(ctx, a, action, "client", clientID, errs.E(errs.Forbidden, "Your role (%s) does not allow seeing health histories.", a.User.Role.Label()))
	}
	c, err := s.client(ctx, a.User.OrgID, clientID)
	if errs.Is(err, errs.NotFound) {
		return nil, s.deny(ctx, a, action, "client", clientID, err)
	}
	if err != nil {
		return nil, err
	}
	if ok, err := s.maySee(ctx, a, c); err != nil {
		return nil, err
	} else if !ok {
		return nil, s.deny(ctx, a, action, "client", clientID, errs.E(errs.Forbidden, "This client attends a location you do not work at."))
	}
	return c, nil
}

// IntakeLinkCreated is a new link: the plain token is shown once.
type IntakeLinkCreated struct {
	Token string
	Link  *store.IntakeLink
}

// CreateIntakeLink makes a single-use link through which the client fills
// in and signs a health history; it expires after the organisation's link days.
func (s *App) CreateIntakeLink(ctx context.Context, a *auth.Actor, clientID int64) (*IntakeLinkCreated, error) {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeLinkCreate); err != nil {
		return nil, err
	}
	set, err := s.intakeSettings(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	return s.createLink(ctx, a, clientID, false, time.Duration(set.LinkDays)*24*time.Hour)
}

func (s *App) createLink(ctx context.Context, a *auth.Actor, clientID int64, kiosk bool, life time.Duration) (*IntakeLinkCreated, error) {
	tok, err := auth.NewToken("intake")
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "could not make a link")
	}
	l := &store.IntakeLink{OrgID: a.User.OrgID, ClientID: clientID, Kiosk: kiosk, CreatedBy: a.User.ID, ExpiresAt: s.now().Add(life)}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateIntakeLink(ctx, tx, l, auth.HashToken(tok)); err != nil {
			return nil, err
		}
		d := "link " + i64(l.ID)
		if kiosk {
			d += ", handed to the client on this device"
		}
		return []*audit.Entry{withDetail(entry(a, AuditIntakeLinkCreate, "client", clientID, audit.OK), d)}, nil
	})
	if err != nil {
		return nil, err
	}
	return &IntakeLinkCreated{Token: tok, Link: l}, nil
}

// HandToClient puts this device in the client's hands: it makes a short
// kiosk link for the client and ends the staff member's session, so the
// device shows only the form and leaving it takes a staff sign-in.
func (s *App) HandToClient(ctx context.Context, a *auth.Actor, clientID int64) (string, error) {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeLinkCreate); err != nil {
		return "", err
	}
	if a.SessionHash == "" {
		return "", errs.E(errs.Invalid, "Hand the device to the client from the chart page.")
	}
	l, err := s.createLink(ctx, a, clientID, true, KioskLinkLife)
	if err != nil {
		return "", err
	}
	if err := s.SignOut(ctx, a); err != nil {
		return "", err
	}
	return l.Token, nil
}

// RevokeIntakeLink ends a client's unused link.
func (s *App) RevokeIntakeLink(ctx context.Context, a *auth.Actor, clientID, linkID int64) error {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeLinkRevoke); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.RevokeIntakeLink(ctx, tx, a.User.OrgID, clientID, linkID); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditIntakeLinkRevoke, "client", clientID, audit.OK), "link "+i64(linkID))}, nil
	})
}

// IntakeOverview is what the chart shows of a client's health history.
type IntakeOverview struct {
	Latest   *care.Intake // nil when there is none
	Versions int
	// NeedsReview: the latest version has not been reviewed by a therapist.
	NeedsReview bool
	// Stale: the owner asks for yearly updates and the latest is over a year old.
	Stale    bool
	Links    []store.IntakeLink // links still open
	Settings store.IntakeSettings
}

// IntakeOverview reads the client's health history for the chart (audited as a read).
func (s *App) IntakeOverview(ctx context.Context, a *auth.Actor, clientID int64) (*IntakeOverview, error) {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeRead); err != nil {
		return nil, err
	}
	var o IntakeOverview
	var err error
	if o.Settings, err = s.intakeSettings(ctx, a.User.OrgID); err != nil {
		return nil, err
	}
	latest, err := s.latestIntake(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, err
	}
	if o.Links, err = s.DB.OpenIntakeLinks(ctx, a.User.OrgID, clientID); err != nil {
		return nil, err
	}
	detail := "health history: none"
	if latest != nil {
		// Versions are numbered 1, 2, … and never deleted.
		o.Latest, o.Versions = latest, latest.Version
		o.NeedsReview = o.Latest.ReviewedAt.IsZero()
		o.Stale = o.Settings.YearlyUpdate && s.now().Sub(o.Latest.SignedAt) > StaleAfter
		detail = "health history version " + strconv.Itoa(o.Latest.Version)
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditIntakeRead, "client", clientID, audit.OK), detail)); err != nil {
		return nil, err
	}
	return &o, nil
}

// Intakes lists every signed version of a client's health history, newest first (audited).
func (s *App) Intakes(ctx context.Context, a *auth.Actor, clientID int64) ([]care.Intake, error) {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeRead); err != nil {
		return nil, err
	}
	all, err := s.DB.Intakes(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditIntakeRead, "client", clientID, audit.OK), "health history, all "+strconv.Itoa(len(all))+" versions")); err != nil {
		return nil, err
	}
	return all, nil
}

// IntakeVersion reads one version of a client's health history and the
// version before it (nil for the first), for showing what changed (audited).
func (s *App) IntakeVersion(ctx context.Context, a *auth.Actor, clientID int64, version int) (cur, prev *care.Intake, err error) {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeRead); err != nil {
		return nil, nil, err
	}
	if cur, err = s.DB.IntakeVersion(ctx, a.User.OrgID, clientID, version); err != nil {
		return nil, nil, err
	}
	if version > 1 {
		if prev, err = s.DB.IntakeVersion(ctx, a.User.OrgID, clientID, version-1); err != nil {
			return nil, nil, err
		}
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditIntakeRead, "client", clientID, audit.OK), "health history version "+strconv.Itoa(version))); err != nil {
		return nil, nil, err
	}
	return cur, prev, nil
}

// LatestIntake reads the newest version of a client's health history (audited).
func (s *App) LatestIntake(ctx context.Context, a *auth.Actor, clientID int64) (*care.Intake, error) {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeRead); err != nil {
		return nil, err
	}
	in, err := s.DB.LatestIntake(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditIntakeRead, "client", clientID, audit.OK), "health history version "+strconv.Itoa(in.Version))); err != nil {
		return nil, err
	}
	return in, nil
}

// IntakeIntact recomputes the hash of what was signed from the stored
// answers and the consent versions they point at, and compares it with the
// hash stored at signing. The caller has already read in (and was audited).
func (s *App) IntakeIntact(ctx context.Context, a *auth.Actor, in *care.Intake) (bool, error) {
	if !MayReadIntake(a) || in.OrgID != a.User.OrgID {
		return false, errs.E(errs.NotFound, "No such health history.")
	}
	ids := make([]int64, len(in.Consents))
	for i, c := range in.Consents {
		ids[i] = c.ID
	}
	docs, err := s.DB.ConsentsByID(ctx, in.OrgID, ids)
	if err != nil {
		return false, err
	}
	b, err := care.SignedBytes(in, docs)
	if err != nil {
		return false, errs.Wrap(errs.Internal, err, "could not encode the intake")
	}
	stored, hash, err := s.DB.SignedIntake(ctx, in.OrgID, in.ID)
	if err != nil {
		return false, err
	}
	return care.HashSigned(b) == hash && care.HashSigned(stored) == hash && hash == in.ContentHash, nil
}

// ReviewIntake records that a therapist has gone through a version with the
// client (audited). Only clinicians may.
func (s *App) ReviewIntake(ctx context.Context, a *auth.Actor, clientID int64, version int) error {
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeReview); err != nil {
		return err
	}
	if !MayReviewIntake(a) {
		return s.deny(ctx, a, AuditIntakeReview, "client", clientID, errs.E(errs.Forbidden, "Only a therapist or owner can mark a health history reviewed."))
	}
	in, err := s.DB.IntakeVersion(ctx, a.User.OrgID, clientID, version)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.ReviewIntake(ctx, tx, a.User.OrgID, in.ID, a.User.ID); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditIntakeReview, "client", clientID, audit.OK), "health history version "+strconv.Itoa(version))}, nil
	})
}

// PublicIntake is what a live link shows: the clinic's name, the client's
// first name, and the consent texts to agree to. Nothing else of the client.
type PublicIntake struct {
	Link      *store.IntakeLink
	OrgName   string
	FirstName string
	Consents  []care.ConsentDocument
	TimeZone  string
}

// OpenIntakeLink finds the live link of token. An unknown token is
// NotFound; a used, revoked or expired one is Gone; neither says whose it was.
func (s *App) OpenIntakeLink(ctx context.Context, token string) (*PublicIntake, error) {
	l, err := s.DB.IntakeLinkByHash(ctx, auth.HashToken(token))
	if err != nil {
		return nil, err
	}
	if !l.Live(s.now()) {
		return nil, errs.E(errs.Gone, "This link is no longer valid. Please contact the clinic.")
	}
	org, err := s.DB.Org(ctx, l.OrgID)
	if err != nil {
		return nil, err
	}
	c, err := s.DB.Client(ctx, l.OrgID, l.ClientID)
	if err != nil {
		return nil, err
	}
	docs, err := s.DB.CurrentConsents(ctx, l.OrgID)
	if err != nil {
		return nil, err
	}
	first := c.PreferredName
	if first == "" {
		first = c.FirstName
	}
	return &PublicIntake{Link: l, OrgName: org.Name, FirstName: first, Consents: docs, TimeZone: org.TimeZone}, nil
}

// ConsentField is the form field of the checkbox agreeing to a kind of consent.
func ConsentField(kind string) string { return "consent_" + kind }

// SubmitIntake signs the client's intake through the link of token: the
// answers are checked, every current consent must be agreed to (agreed
// maps a kind to the id of the version shown), and then the link is used up
// and the intake stored in one transaction, with an audit entry whose
// actor is the client. formErrs are the problems decoding the form already
// found: they are reported with the rest, so the client sees every problem
// at once. Anything wrong saves nothing.
func (s *App) SubmitIntake(ctx context.Context, token, ip string, in care.Intake, sig care.Signature, agreed map[string]int64, formErrs errs.FieldErrors) (*care.Intake, *PublicIntake, error) {
	p, err := s.OpenIntakeLink(ctx, token)
	if err != nil {
		return nil, nil, err
	}
	f := errs.FieldErrors{}
	for k, v := range formErrs {
		f.Add(k, v)
	}
	for k, v := range in.Check() {
		f.Add(k, v)
	}
	for k, v := range in.CheckDates(s.today(p.TimeZone)) {
		f.Add(k, v)
	}
	for _, d := range p.Consents {
		switch id, ok := agreed[d.Kind]; {
		case !ok || id == 0:
			f.Add(ConsentField(d.Kind), "Tick the box to agree to the "+lower(care.ConsentKindLabel(d.Kind))+".")
		case id != d.ID:
			f.Add(ConsentField(d.Kind), "The clinic updated this document while you were filling in the form. Please read it again and tick the box.")
		}
	}
	if sig.Name == "" {
		f.Add(care.FieldSignatureName, "Type your full name to sign.")
	}
	if err := f.Err(); err != nil {
		return nil, p, err
	}
	in.ID, in.OrgID, in.ClientID, in.Version = 0, p.Link.OrgID, p.Link.ClientID, 0
	in.SignedAt, in.SignedBy, in.SignatureKind, in.SignaturePNG, in.SignedFrom = s.now(), sig.Name, sig.Kind, sig.PNG, ip
	in.Source = "link"
	if p.Link.Kiosk {
		in.Source = "kiosk"
	}
	if err := s.signIntake(ctx, &in, p.Consents, p.Link.ID, &audit.Entry{OrgID: p.Link.OrgID, Actor: "client (" + in.Source + ")", SourceIP: ip}); err != nil {
		return nil, p, err
	}
	return &in, p, nil
}

func (s *App) signIntake(ctx context.Context, in *care.Intake, consents []care.ConsentDocument, linkID int64, e *audit.Entry) error {
	doc, err := care.SignedBytes(in, consents)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "could not encode the intake")
	}
	in.Consents = nil
	for _, c := range consents {
		in.Consents = append(in.Consents, care.ConsentRef{ID: c.ID, Kind: c.Kind, Version: c.Version})
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.InsertIntake(ctx, tx, in, doc, linkID); err != nil {
			return nil, err
		}
		e.Action, e.RecordType, e.RecordID, e.Result = AuditIntakeSign, "client", in.ClientID, audit.OK
		e = withDetail(e, "health history version "+strconv.Itoa(in.Version)+" via "+in.Source)
		return []*audit.Entry{e}, nil
	})
	if err != nil {
		return err
	}
	// The intake is signed whatever screening makes of it; a screening
	// failure is logged for the staff to see, not shown to the client.
	if err := s.Rescreen(ctx, in.OrgID, in.ClientID); err != nil {
		s.Log.Error("rescreen after intake failed", "client", in.ClientID, "err", err)
	}
	return nil
}

// ImportIntake records a health history signed elsewhere (on paper at the
// front desk, or the demo clinic's) with the time it was signed and the
// organisation's current consent documents. Owners only; audited.
func (s *App) ImportIntake(ctx context.Context, a *auth.Actor, clientID int64, in care.Intake, sig care.Signature, signedAt time.Time) (*care.Intake, error) {
	if err := s.require(ctx, a, auth.OrgManage, AuditIntakeSign); err != nil {
		return nil, err
	}
	if _, err := s.intakeClient(ctx, a, clientID, AuditIntakeSign); err != nil {
		return nil, err
	}
	org, err := s.DB.Org(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	f := in.Check()
	for k, v := range in.CheckDates(s.today(org.TimeZone)) {
		f.Add(k, v)
	}
	if sig.Name == "" {
		f.Add(care.FieldSignatureName, "Type the client's name as signed.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	docs, err := s.DB.CurrentConsents(ctx, a.User.OrgID)
	if err != nil {
		return nil, err
	}
	in.ID, in.OrgID, in.ClientID = 0, a.User.OrgID, clientID
	in.SignedAt, in.SignedBy, in.SignatureKind, in.SignaturePNG, in.SignedFrom, in.Source = signedAt, sig.Name, sig.Kind, sig.PNG, a.IP, "import"
	if err := s.signIntake(ctx, &in, docs, 0, entry(a, "", "", 0, "")); err != nil {
		return nil, err
	}
	return &in, nil
}

// today is the date in the clinic's time zone.
func (s *App) today(tz string) string {
	return s.now().In(clinic.Zone(tz)).Format(clinic.DateLayout)
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// IntakeSettings reads the organisation's intake settings.
func (s *App) IntakeSettings(ctx context.Context, a *auth.Actor) (store.IntakeSettings, error) {
	return s.intakeSettings(ctx, a.User.OrgID)
}

// SaveIntakeSettings changes how long links last and whether yearly updates are asked for (owners).
func (s *App) SaveIntakeSettings(ctx context.Context, a *auth.Actor, set store.IntakeSettings) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	defer s.cache.forget(a.User.OrgID)
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SaveIntakeSettings(ctx, tx, a.User.OrgID, set); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "org", a.User.OrgID, audit.OK), "changed intake settings")}, nil
	})
}

// latestIntake is the client's latest health history, nil when there is
// none; read once per held page (the screening and the chart section both
// want it). The caller must not change it.
func (s *App) latestIntake(ctx context.Context, orgID, clientID int64) (*care.Intake, error) {
	return memo(ctx, "intake.latest."+i64(orgID)+"."+i64(clientID), func() (*care.Intake, error) {
		in, err := s.DB.LatestIntake(ctx, orgID, clientID)
		if errs.Is(err, errs.NotFound) {
			return nil, nil
		}
		return in, err
	})
}
