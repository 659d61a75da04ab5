package app

import (
	"context"
	"database/sql"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/mail"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// The owner's side of scheduling: the service menu, packages, rooms,
// hours, the public page's bios and testimonials, the policy, e-mail
// settings and the job queue. Reads of the menu are open to every role
// that sees the calendar; changes need ScheduleManage and are audited.

// Audit actions of the scheduling settings.
const (
	AuditScheduleSettings = "schedule.settings"
	AuditPackageSell      = "package.sell"
	AuditPackageRead      = "package.read"
	AuditTestimonial      = "testimonial.write"
	AuditJobs             = "jobs.manage"
)

func (s *App) manage(ctx context.Context, a *auth.Actor, what string, id int64, fn func(tx *sql.Tx) error) error {
	if err := s.require(ctx, a, auth.ScheduleManage, AuditScheduleSettings); err != nil {
		return err
	}
	err := s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := fn(tx); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditScheduleSettings, "org", a.User.OrgID, audit.OK), what+" "+i64(id))}, nil
	})
	if err == nil {
		s.cache.forget(a.User.OrgID)
	}
	return err
}

// Services lists the service menu (active and retired).
func (s *App) Services(ctx context.Context, a *auth.Actor) ([]schedule.Service, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	return s.DB.Services(ctx, a.User.OrgID, false)
}

// SaveService creates (ID 0) or updates a service of the menu.
func (s *App) SaveService(ctx context.Context, a *auth.Actor, sv *schedule.Service) error {
	sv.OrgID = a.User.OrgID
	return s.manage(ctx, a, "service", sv.ID, func(tx *sql.Tx) error {
		if sv.ID == 0 {
			return s.DB.CreateService(ctx, tx, sv)
		}
		return s.DB.UpdateService(ctx, tx, sv)
	})
}

// Packages lists the packages the clinic sells.
func (s *App) Packages(ctx context.Context, a *auth.Actor) ([]schedule.Package, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	return s.DB.Packages(ctx, a.User.OrgID)
}

// CreatePackage adds a package to the menu.
func (s *App) CreatePackage(ctx context.Context, a *auth.Actor, p *schedule.Package) error {
	p.OrgID = a.User.OrgID
	return s.manage(ctx, a, "package", 0, func(tx *sql.Tx) error { return s.DB.CreatePackage(ctx, tx, p) })
}

// SellPackage records that a client bought a package, starting today.
func (s *App) SellPackage(ctx context.Context, a *auth.Actor, clientID, packageID int64) (*schedule.ClientPackage, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditPackageSell, clientID); err != nil {
		return nil, err
	}
	if err := s.require(ctx, a, auth.ScheduleWrite, AuditPackageSell); err != nil {
		return nil, err
	}
	cp := &schedule.ClientPackage{OrgID: a.User.OrgID, ClientID: clientID, PackageID: packageID, PurchasedOn: s.ClinicDate(a)}
	err := s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SellPackage(ctx, tx, cp); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, AuditPackageSell, "client", clientID, audit.OK), "package "+i64(cp.ID))}, nil
	})
	return cp, err
}

// ClientPackages lists a client's packages with what is left.
func (s *App) ClientPackages(ctx context.Context, a *auth.Actor, clientID int64) ([]schedule.ClientPackage, error) {
	if _, err := s.careClient(ctx, a, auth.ClientRead, AuditPackageRead, clientID); err != nil {
		return nil, err
	}
	ps, err := s.DB.ClientPackages(ctx, a.User.OrgID, clientID)
	if err != nil {
		return nil, err
	}
	return ps, s.audit(ctx, withDetail(entry(a, AuditPackageRead, "client", clientID, audit.OK), "packages "+i64(int64(len(ps)))))
}

// Rooms lists a location's rooms (0: every location's).
func (s *App) Rooms(ctx context.Context, a *auth.Actor, locationID int64) ([]schedule.Room, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	return s.DB.Rooms(ctx, a.User.OrgID, locationID)
}

// SaveRoom creates (ID 0) or updates a room.
func (s *App) SaveRoom(ctx context.Context, a *auth.Actor, r *schedule.Room) error {
	r.OrgID = a.User.OrgID
	return s.manage(ctx, a, "room", r.ID, func(tx *sql.Tx) error {
		if r.ID == 0 {
			return s.DB.CreateRoom(ctx, tx, r)
		}
		return s.DB.UpdateRoom(ctx, tx, r)
	})
}

// Hours lists weekly hours at a location (0: all).
func (s *App) Hours(ctx context.Context, a *auth.Actor, locationID int64) ([]schedule.Hours, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	return s.DB.WeeklyHours(ctx, a.User.OrgID, locationID)
}

// SetHours replaces a therapist's weekly hours at a location.
func (s *App) SetHours(ctx context.Context, a *auth.Actor, therapistID, locationID int64, hs []schedule.Hours) error {
	return s.manage(ctx, a, "hours of user", therapistID, func(tx *sql.Tx) error {
		return s.DB.SetWeeklyHours(ctx, tx, a.User.OrgID, therapistID, locationID, hs)
	})
}

// Exceptions lists the exceptions to the hours at a location between two dates.
func (s *App) Exceptions(ctx context.Context, a *auth.Actor, locationID int64, from, to string) ([]schedule.Exception, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	return s.DB.Exceptions(ctx, a.User.OrgID, locationID, from, to)
}

// AddException changes a therapist's hours on one date.
func (s *App) AddException(ctx context.Context, a *auth.Actor, e *schedule.Exception) error {
	return s.manage(ctx, a, "hours exception of user", e.TherapistID, func(tx *sql.Tx) error { return s.DB.AddException(ctx, tx, a.User.OrgID, e) })
}

// DeleteException removes an exception.
func (s *App) DeleteException(ctx context.Context, a *auth.Actor, id int64) error {
	return s.manage(ctx, a, "hours exception deleted", id, func(tx *sql.Tx) error { return s.DB.DeleteException(ctx, tx, a.User.OrgID, id) })
}

// TimeOff lists time off overlapping [from, to).
func (s *App) TimeOff(ctx context.Context, a *auth.Actor, from, to time.Time) ([]schedule.TimeOff, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	return s.DB.TimeOffBetween(ctx, a.User.OrgID, from, to)
}

// AddTimeOff blocks a therapist's time. A therapist may add their own.
func (s *App) AddTimeOff(ctx context.Context, a *auth.Actor, t *schedule.TimeOff) error {
	if t.TherapistID == a.User.ID && a.Can(auth.ScheduleWrite) {
		return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
			if err := s.DB.AddTimeOff(ctx, tx, a.User.OrgID, t); err != nil {
				return nil, err
			}
			return []*audit.Entry{withDetail(entry(a, AuditScheduleSettings, "org", a.User.OrgID, audit.OK), "own time off "+i64(t.ID))}, nil
		})
	}
	return s.manage(ctx, a, "time off of user", t.TherapistID, func(tx *sql.Tx) error { return s.DB.AddTimeOff(ctx, tx, a.User.OrgID, t) })
}

// DeleteTimeOff removes time off.
func (s *App) DeleteTimeOff(ctx context.Context, a *auth.Actor, id int64) error {
	return s.manage(ctx, a, "time off deleted", id, func(tx *sql.Tx) error { return s.DB.DeleteTimeOff(ctx, tx, a.User.OrgID, id) })
}

// Profiles lists staff profiles for the public page.
func (s *App) Profiles(ctx context.Context, a *auth.Actor) ([]store.TherapistProfile, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return nil, err
	}
	return s.DB.Profiles(ctx, a.User.OrgID)
}

// SaveProfile saves a bio: the owner edits everyone's.
func (s *App) SaveProfile(ctx context.Context, a *auth.Actor, p *store.TherapistProfile) error {
	p.OrgID = a.User.OrgID
	return s.manage(ctx, a, "profile of user", p.UserID, func(tx *sql.Tx) error { return s.DB.SaveProfile(ctx, tx, p) })
}

// Testimonials lists testimonials, published or not.
func (s *App) Testimonials(ctx context.Context, a *auth.Actor) ([]store.Testimonial, error) {
	if err := s.require(ctx, a, auth.ScheduleManage, AuditTestimonial); err != nil {
		return nil, err
	}
	return s.DB.Testimonials(ctx, a.User.OrgID, false)
}

// AddTestimonial records a client's testimonial with the moment they
// consented to its publication.
func (s *App) AddTestimonial(ctx context.Context, a *auth.Actor, t *store.Testimonial) error {
	t.OrgID, t.CreatedBy = a.User.OrgID, a.User.ID
	if t.ClientID != 0 {
		if _, err := s.careClient(ctx, a, auth.ClientRead, AuditTestimonial, t.ClientID); err != nil {
			return err
		}
	}
	return s.manage(ctx, a, "testimonial", t.ClientID, func(tx *sql.Tx) error { return s.DB.AddTestimonial(ctx, tx, t) })
}

// PublishTestimonial shows or hides a testimonial on the public page.
func (s *App) PublishTestimonial(ctx context.Context, a *auth.Actor, id int64, published bool) error {
	return s.manage(ctx, a, "testimonial published/hidden", id, func(tx *sql.Tx) error {
		return s.DB.SetTestimonialPublished(ctx, tx, a.User.OrgID, id, published)
	})
}

// SchedulePolicy reads the scheduling settings.
func (s *App) SchedulePolicy(ctx context.Context, a *auth.Actor) (schedule.Policy, error) {
	if err := s.require(ctx, a, auth.ScheduleRead, AuditApptList); err != nil {
		return schedule.Policy{}, err
	}
	return s.DB.SchedulePolicy(ctx, a.User.OrgID)
}

// SaveSchedulePolicy saves reminders, the cancellation policy and online booking.
func (s *App) SaveSchedulePolicy(ctx context.Context, a *auth.Actor, p schedule.Policy) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.manage(ctx, a, "scheduling policy", 0, func(tx *sql.Tx) error { return s.DB.SaveSchedulePolicy(ctx, tx, a.User.OrgID, p) })
}

// SMTPSettings reads the e-mail settings; the password is never returned.
func (s *App) SMTPSettings(ctx context.Context, a *auth.Actor) (store.SMTPSettings, error) {
	if err := s.require(ctx, a, auth.ScheduleManage, AuditScheduleSettings); err != nil {
		return store.SMTPSettings{}, err
	}
	set, err := s.DB.SMTPSettings(ctx, a.User.OrgID)
	hasPassword := set.Password != ""
	set.Password = ""
	if hasPassword {
		set.Password = PasswordKept
	}
	return set, err
}

// PasswordKept stands for a stored SMTP password in the settings form.
const PasswordKept = "••••••••"

// SaveSMTPSettings saves how e-mail is sent; an empty password keeps the stored one.
func (s *App) SaveSMTPSettings(ctx context.Context, a *auth.Actor, set store.SMTPSettings) error {
	if set.Password == PasswordKept {
		set.Password = ""
	}
	ms := mail.Settings{Host: set.Host, Port: set.Port, TLS: set.TLS, Username: set.Username, Password: set.Password, From: set.From, FromName: set.FromName}
	if err := ms.Validate(); err != nil {
		return err
	}
	return s.manage(ctx, a, "e-mail settings", 0, func(tx *sql.Tx) error { return s.DB.SaveSMTPSettings(ctx, tx, a.User.OrgID, set) })
}

// SendTestMail sends a test e-mail to the owner through the saved settings.
func (s *App) SendTestMail(ctx context.Context, a *auth.Actor) error {
	if err := s.require(ctx, a, auth.ScheduleManage, AuditScheduleSettings); err != nil {
		return err
	}
	set, org, err := s.mailSettings(ctx, a.User.OrgID)
	if err != nil {
		return err
	}
	if set.Host == "" {
		return errs.E(errs.Invalid, "Save the e-mail settings first.")
	}
	err = s.Mailer.Send(ctx, set, mailTest(org, a.User))
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "The test e-mail could not be sent: %s", errs.Message(err))
	}
	return nil
}

// Jobs lists the organisation's background jobs for the owner.
func (s *App) Jobs(ctx context.Context, a *auth.Actor, status string) ([]store.Job, map[string]int, error) {
	if err := s.require(ctx, a, auth.ScheduleManage, AuditJobs); err != nil {
		return nil, nil, err
	}
	list, err := s.DB.Jobs(ctx, store.JobFilter{OrgID: a.User.OrgID, Status: status, Limit: 200})
	if err != nil {
		return nil, nil, err
	}
	counts, err := s.DB.JobCounts(ctx, a.User.OrgID)
	return list, counts, err
}

// RetryJob sends a job that gave up back to the queue.
func (s *App) RetryJob(ctx context.Context, a *auth.Actor, id int64) error {
	if err := s.require(ctx, a, auth.ScheduleManage, AuditJobs); err != nil {
		return err
	}
	if err := s.DB.RetryJob(ctx, a.User.OrgID, id); err != nil {
		return err
	}
	return s.audit(ctx, withDetail(entry(a, AuditJobs, "job", id, audit.OK), "retried"))
}

// Therapists who may be booked: active therapists and owners.
func Bookable(staff []clinic.User) []clinic.User {
	var out []clinic.User
	for _, u := range staff {
		if u.Active && (u.Role == clinic.RoleTherapist || u.Role == clinic.RoleOwner) {
			out = append(out, u)
		}
	}
	return out
}
