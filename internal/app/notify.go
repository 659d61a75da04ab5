package app

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/jobs"
	"github.com/fascia-health/fascia/internal/mail"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// Kinds of background jobs. E-mails are queued in the same transaction as
// the change that causes them, so a booking is never without its
// confirmation, and sent by the job runner with retries.
const (
	MailConfirmation = "mail.confirmation"
	MailReminder     = "mail.reminder"
	MailChanged      = "mail.changed"
	MailCancelled    = "mail.cancelled"
	MailWaitlist     = "mail.waitlist_offer"
	JobPruneClaims   = "claims.prune"
)

// apptMail is the payload of an appointment's e-mail: the time it was
// queued for, so a reminder of a moved appointment is not sent.
type apptMail struct {
	AppointmentID int64 `json:"appointment_id"`
	StartMS       int64 `json:"start_ms"`
}

// queueBookingMail queues kind for appt and, for a new or moved
// appointment, its reminder under the policy pol. It reads nothing: a
// read on another connection while the transaction holds its locks could
// wait for a connection that waiting bookings hold.
func (s *App) queueBookingMail(ctx context.Context, tx *sql.Tx, appt *schedule.Appointment, kind string, pol schedule.Policy) error {
	now := s.now()
	p := apptMail{AppointmentID: appt.ID, StartMS: appt.Start.UnixMilli()}
	key := kind + ":" + i64(appt.ID) + ":" + i64(appt.Version)
	if _, err := jobs.Enqueue(ctx, s.DB, tx, appt.OrgID, kind, p, now, key); err != nil {
		return err
	}
	if kind == MailCancelled || pol.ReminderHours <= 0 {
		return nil
	}
	at := appt.Start.Add(-time.Duration(pol.ReminderHours) * time.Hour)
	if !at.After(now) {
		return nil // the confirmation comes inside the reminder's window
	}
	_, err := jobs.Enqueue(ctx, s.DB, tx, appt.OrgID, MailReminder, p, at, MailReminder+":"+i64(appt.ID)+":"+i64(p.StartMS))
	return err
}

// Handlers are the job handlers of the scheduling work, for the runner.
func (s *App) Handlers() map[string]jobs.Handler {
	return map[string]jobs.Handler{
		MailConfirmation: s.sendAppointmentMail,
		MailReminder:     s.sendAppointmentMail,
		MailChanged:      s.sendAppointmentMail,
		MailCancelled:    s.sendAppointmentMail,
		MailWaitlist:     s.sendWaitlistOffers,
		JobPruneClaims:   s.pruneClaims,
	}
}

// ScheduleDailyJobs queues tomorrow's maintenance (once, whichever server
// process asks first).
func (s *App) ScheduleDailyJobs(ctx context.Context) error {
	next := s.now().UTC().Truncate(24 * time.Hour).Add(24*time.Hour + 3*time.Hour)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := jobs.Enqueue(ctx, s.DB, tx, 0, JobPruneClaims, struct{}{}, next, JobPruneClaims+":"+next.Format(clinic.DateLayout))
		return err
	})
}

func (s *App) pruneClaims(ctx context.Context, j *store.Job) error {
	if _, err := s.DB.PruneClaims(ctx, s.now().Add(-time.Hour)); err != nil {
		return err
	}
	return s.ScheduleDailyJobs(ctx)
}

// errNoMail ends a job that has nobody or no server to send to.
func (s *App) skipMail(j *store.Job, why string) error {
	s.Log.Info("e-mail not sent", "job", j.ID, "kind", j.Kind, "why", why)
	return nil
}

// mailSettings reads the organisation's SMTP settings as the sender wants them.
func (s *App) mailSettings(ctx context.Context, orgID int64) (mail.Settings, *clinic.Organisation, error) {
	set, err := s.DB.SMTPSettings(ctx, orgID)
	if err != nil {
		return mail.Settings{}, nil, err
	}
	if set.PasswordUnreadable {
		// Retried, then shown in the job queue: the owner types it again.
		return mail.Settings{}, nil, &errs.Error{Code: errs.Invalid, Message: "The saved SMTP password was kept with another secret key than this server's: type it again under Scheduling → E-mail.",
			Fields: map[string]string{"password": "Type the password again."}}
	}
	org, err := s.org(ctx, orgID)
	if err != nil {
		return mail.Settings{}, nil, err
	}
	ms := mail.Settings{Host: set.Host, Port: set.Port, TLS: set.TLS, Username: set.Username, Password: set.Password, From: set.From, FromName: set.FromName}
	if ms.FromName == "" {
		ms.FromName = org.Name
	}
	return ms, org, nil
}

// sendAppointmentMail sends a confirmation, reminder, change or
// cancellation of one appointment to its client.
func (s *App) sendAppointmentMail(ctx context.Context, j *store.Job) error {
	var p apptMail
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("bad payload of job %d", j.ID)
	}
	appt, err := s.DB.Appointment(ctx, j.OrgID, p.AppointmentID)
	if errs.Is(err, errs.NotFound) {
		return s.skipMail(j, "the appointment is gone")
	} else if err != nil {
		return err
	}
	if j.Kind == MailReminder && (appt.Start.UnixMilli() != p.StartMS || !schedule.Holds(appt.Status)) {
		return s.skipMail(j, "the appointment was moved or cancelled")
	}
	if j.Kind == MailReminder && !appt.Start.After(s.now()) {
		return s.skipMail(j, "the appointment has begun")
	}
	client, err := s.DB.Client(ctx, j.OrgID, appt.ClientID)
	if err != nil {
		return err
	}
	if client.Email == "" {
		return s.skipMail(j, "the client has no e-mail address")
	}
	set, org, err := s.mailSettings(ctx, j.OrgID)
	if err != nil {
		return err
	}
	if set.Host == "" || set.From == "" {
		return s.skipMail(j, "e-mail is not set up")
	}
	msg, err := s.appointmentMessage(ctx, j.Kind, org, appt, client, set.From)
	if err != nil {
		return err
	}
	return s.Mailer.Send(ctx, set, *msg)
}

// appointmentMessage writes the e-mail of kind about appt.
func (s *App) appointmentMessage(ctx context.Context, kind string, org *clinic.Organisation, appt *schedule.Appointment, c *clinic.Client, from string) (*mail.Message, error) {
	locs, err := s.locations(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	var loc clinic.Location
	for _, l := range locs {
		if l.ID == appt.LocationID {
			loc = l
		}
	}
	zone := LocationZone(org, &loc)
	when := appt.Start.In(zone).Format("Monday, January 2, 2006 at 3:04 PM") + " (" + appt.Start.In(zone).Format("MST") + ")"
	name := c.FirstName
	if c.PreferredName != "" {
		name = c.PreferredName
	}
	where := loc.Name
	if addr := strings.TrimSpace(strings.Join(nonEmpty(loc.Address1, strings.TrimSpace(loc.City+", "+loc.State+" "+loc.Zip)), ", ")); addr != "" && addr != "," {
		where += ", " + strings.Trim(addr, ", ")
	}
	manage, err := s.appointmentLink(ctx, org, appt.ID)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", name)
	subject, method := "", "REQUEST"
	switch kind {
	case MailConfirmation:
		subject = "Your appointment is booked: " + appt.Start.In(zone).Format("Mon Jan 2, 3:04 PM")
		fmt.Fprintf(&b, "Your appointment is booked.\n\n")
	case MailReminder:
		subject = "Reminder: your appointment " + appt.Start.In(zone).Format("Mon Jan 2, 3:04 PM")
		fmt.Fprintf(&b, "This is a reminder of your appointment.\n\n")
	case MailChanged:
		subject = "Your appointment has moved: " + appt.Start.In(zone).Format("Mon Jan 2, 3:04 PM")
		fmt.Fprintf(&b, "Your appointment has a new time.\n\n")
	case MailCancelled:
		subject, method = "Your appointment is cancelled: "+appt.Start.In(zone).Format("Mon Jan 2, 3:04 PM"), "CANCEL"
		fmt.Fprintf(&b, "Your appointment has been cancelled.\n\n")
	}
	fmt.Fprintf(&b, "What:  %s\nWhen:  %s\nWith:  %s\nWhere: %s\n", appt.ServiceName, when, appt.TherapistName, where)
	if appt.PackageID != 0 && kind != MailCancelled {
		if cp, err := s.DB.ClientPackage(ctx, org.ID, appt.PackageID); err == nil {
			fmt.Fprintf(&b, "Package: %s, %d of %d sessions left to book (valid until %s)\n", cp.Name, cp.Remaining(), cp.Sessions, cp.ExpiresOn)
		}
	}
	if kind != MailCancelled {
		pol, err := s.policy(ctx, org.ID)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "\nTo cancel or see your appointment: %s\n", manage)
		if pol.CancelWindowHours > 0 && pol.LateCancelFeeCents > 0 {
			fmt.Fprintf(&b, "Please cancel at least %d hours ahead; later cancellations are charged %s.\n", pol.CancelWindowHours, Money(pol.LateCancelFeeCents))
		}
		if kind == MailConfirmation {
			link, err := s.intakeLinkFor(ctx, org.ID, c.ID)
			if err != nil {
				return nil, err
			}
			if link != "" {
				fmt.Fprintf(&b, "\nBefore your first visit, please fill in your health history here (it takes about ten minutes):\n%s\n", link)
			}
		}
	}
	fmt.Fprintf(&b, "\n%s\n", org.Name)
	if loc.Phone != "" {
		fmt.Fprintf(&b, "%s\n", loc.Phone)
	}
	ev := schedule.Event{UID: "appt-" + i64(appt.ID) + "@" + org.Slug + ".fascia", Sequence: int(appt.Version), Start: appt.Start, End: appt.End, Stamp: s.now(),
		Summary: appt.ServiceName + " with " + appt.TherapistName, Description: org.Name, Location: where, URL: manage, Cancelled: kind == MailCancelled,
		Organizer: from, Attendee: c.Email}
	m := &mail.Message{To: c.Email, ToName: c.FirstName + " " + c.LastName, Subject: subject, Text: b.String(),
		Calendar: schedule.Calendar(org.Name, org.Name, method, []schedule.Event{ev}), CalendarMethod: method}
	return m, nil
}

// intakeLinkFor makes a health-history link for a client who has none
// signed, for the confirmation e-mail ("" when one is on file).
func (s *App) intakeLinkFor(ctx context.Context, orgID, clientID int64) (string, error) {
	in, err := s.DB.LatestIntake(ctx, orgID, clientID)
	if err == nil && in != nil {
		return "", nil
	}
	if err != nil && !errs.Is(err, errs.NotFound) {
		return "", err
	}
	set, err := s.intakeSettings(ctx, orgID)
	if err != nil {
		return "", err
	}
	l, err := s.createLink(ctx, systemActor(orgID, "", "mail"), clientID, false, time.Duration(set.LinkDays)*24*time.Hour)
	if err != nil {
		return "", err
	}
	return s.BaseURL + "/intake/" + l.Token, nil
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" && strings.TrimSpace(s) != "," {
			out = append(out, s)
		}
	}
	return out
}

// Money writes cents as dollars: $45.00.
func Money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s$%d.%02d", sign, cents/100, cents%100)
}

// Signed links. A link in a client's e-mail names a record and a purpose
// and carries an HMAC under the organisation's link secret, so no link is
// stored and any e-mail can carry one again.

func (s *App) linkSecret(ctx context.Context, orgID int64) ([]byte, error) {
	sec, err := s.DB.LinkSecret(ctx, orgID, func() string {
		b := make([]byte, 32)
		rand.Read(b)
		return hex.EncodeToString(b)
	})
	if err != nil {
		return nil, err
	}
	return []byte(sec), nil
}

// signLink makes the token of a link for purpose about record id (and a
// second number, such as the offered appointment).
func (s *App) signLink(ctx context.Context, orgID int64, purpose string, id, extra int64) (string, error) {
	key, err := s.linkSecret(ctx, orgID)
	if err != nil {
		return "", err
	}
	body := i64(id) + "-" + i64(extra)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose + ":" + body))
	return body + "-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18]), nil
}

// verifyLink reads a token signLink made; NotFound for anything else.
func (s *App) verifyLink(ctx context.Context, orgID int64, purpose, token string) (id, extra int64, err error) {
	bad := errs.E(errs.NotFound, "This link is not valid. Please call the clinic.")
	// The signature is base64url and may itself hold "-": split twice only.
	parts := strings.SplitN(token, "-", 3)
	if len(parts) != 3 || len(token) > 100 {
		return 0, 0, bad
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	extra, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, bad
	}
	want, err := s.signLink(ctx, orgID, purpose, id, extra)
	if err != nil {
		return 0, 0, err
	}
	if !hmac.Equal([]byte(want), []byte(token)) {
		return 0, 0, bad
	}
	return id, extra, nil
}

// appointmentLink is the client's page of an appointment, to see or cancel it.
func (s *App) appointmentLink(ctx context.Context, org *clinic.Organisation, id int64) (string, error) {
	t, err := s.signLink(ctx, org.ID, "appointment", id, 0)
	if err != nil {
		return "", err
	}
	return s.BaseURL + "/book/" + org.Slug + "/appointment/" + t, nil
}

// waitOffer is the payload of a waitlist offer: the freed appointment.
type waitOffer struct {
	AppointmentID int64 `json:"appointment_id"`
}

// queueWaitlistOffer queues offers of a freed time to the waitlist.
func (s *App) queueWaitlistOffer(ctx context.Context, tx *sql.Tx, freed *schedule.Appointment) error {
	if !freed.Start.After(s.now().Add(time.Hour)) {
		return nil
	}
	_, err := jobs.Enqueue(ctx, s.DB, tx, freed.OrgID, MailWaitlist, waitOffer{freed.ID}, s.now(), MailWaitlist+":"+i64(freed.ID)+":"+i64(freed.Version))
	return err
}

// MaxOffers is how many waiting clients are offered one freed time; the
// first to take it gets it.
const MaxOffers = 3

// sendWaitlistOffers e-mails the longest-waiting clients whose wish fits a
// freed time a link that books it.
func (s *App) sendWaitlistOffers(ctx context.Context, j *store.Job) error {
	var p waitOffer
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return fmt.Errorf("bad payload of job %d", j.ID)
	}
	freed, err := s.DB.Appointment(ctx, j.OrgID, p.AppointmentID)
	if err != nil {
		return err
	}
	org, err := s.org(ctx, j.OrgID)
	if err != nil {
		return err
	}
	zone, err := s.zoneOf(ctx, org.ID, freed.LocationID)
	if err != nil {
		return err
	}
	matches, err := s.waitlistFor(ctx, org, freed, zone)
	if err != nil {
		return err
	}
	set, _, err := s.mailSettings(ctx, j.OrgID)
	if err != nil {
		return err
	}
	sent := 0
	for _, w := range matches {
		if sent == MaxOffers {
			break
		}
		if w.ClientEmail == "" || set.Host == "" || set.From == "" {
			continue
		}
		tok, err := s.signLink(ctx, org.ID, "offer", w.ID, freed.ID)
		if err != nil {
			return err
		}
		link := s.BaseURL + "/book/" + org.Slug + "/offer/" + tok
		when := freed.Start.In(zone).Format("Monday, January 2 at 3:04 PM")
		text := fmt.Sprintf("Hello,\n\nA time has opened up at %s: %s with %s, %s.\n\nYou are on our waitlist. To take this time, open:\n%s\n\nThe first person to take it gets it.\n\n%s\n",
			org.Name, freed.ServiceName, freed.TherapistName, when, link, org.Name)
		if err := s.Mailer.Send(ctx, set, mail.Message{To: w.ClientEmail, ToName: w.ClientName, Subject: "A time has opened up: " + freed.Start.In(zone).Format("Mon Jan 2, 3:04 PM"), Text: text}); err != nil {
			return err
		}
		if err := s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.DB.SetWaitlistStatus(ctx, tx, org.ID, w.ID, store.WaitOffered) }); err != nil {
			return err
		}
		sent++
	}
	return nil
}

// waitlistFor lists the waiting entries a freed appointment's time suits:
// same location, its date in their range, their therapist or anyone, and
// a service no longer than the freed time. zone is the location's.
func (s *App) waitlistFor(ctx context.Context, org *clinic.Organisation, freed *schedule.Appointment, zone *time.Location) ([]store.WaitlistEntry, error) {
	list, err := s.DB.Waitlist(ctx, store.WaitlistFilter{OrgID: org.ID, LocationID: freed.LocationID, OnDate: freed.Start.In(zone).Format(clinic.DateLayout), TherapistID: freed.TherapistID})
	if err != nil {
		return nil, err
	}
	svcs, err := s.services(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	minutes := map[int64]int{}
	for _, sv := range svcs {
		minutes[sv.ID] = sv.Minutes
	}
	var out []store.WaitlistEntry
	for _, w := range list {
		m, ok := minutes[w.ServiceID]
		if w.ClientID == freed.ClientID || !ok || time.Duration(m)*time.Minute > freed.End.Sub(freed.Start) {
			continue
		}
		out = append(out, w)
	}
	return out, nil
}

// mailTest is the message that checks an owner's e-mail settings.
func mailTest(org *clinic.Organisation, u *clinic.User) mail.Message {
	return mail.Message{To: u.Email, ToName: u.Name, Subject: "Fascia test e-mail from " + org.Name,
		Text: "This is a test e-mail. Fascia can send appointment confirmations and reminders through these settings.\n"}
}

// AppointmentLinkForTest is the link a client's e-mail carries, for tests.
func (s *App) AppointmentLinkForTest(ctx context.Context, org *clinic.Organisation, id int64) (string, error) {
	return s.appointmentLink(ctx, org, id)
}
