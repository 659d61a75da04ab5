package web

// The scheduling policy, the e-mail (SMTP) settings and the job queue, in
// the scheduling settings.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// ---- policy ----

// SchedPolicyPage is the data of scheduling_policy.html.
type SchedPolicyPage struct {
	SchedPage
	Steps []int
}

// StepChosen reports whether step is the slot step in the form.
func (p SchedPolicyPage) StepChosen(step int) bool {
	return p.V("policy", "slot_step") == strconv.Itoa(step)
}

// schedFeeFields maps the policy's fee fields to the form's, which are in dollars.
var schedFeeFields = map[string]string{"late_cancel_fee_cents": "late_cancel_fee", "no_show_fee_cents": "no_show_fee"}

func schedPolicyValues(pol schedule.Policy) url.Values {
	v := url.Values{
		"reminder_hours":      {strconv.Itoa(pol.ReminderHours)},
		"cancel_window_hours": {strconv.Itoa(pol.CancelWindowHours)},
		"late_cancel_fee":     {schedDollars(pol.LateCancelFeeCents)},
		"no_show_fee":         {schedDollars(pol.NoShowFeeCents)},
		"horizon_days":        {strconv.Itoa(pol.HorizonDays)},
		"min_notice_hours":    {strconv.Itoa(pol.MinNoticeHours)},
		"slot_step":           {strconv.Itoa(pol.SlotStep)},
	}
	if pol.OnlineBooking {
		v.Set("online_booking", "1")
	}
	return v
}

// schedPolicyFromForm reads the policy form; fees are typed in dollars and an
// empty fee is no fee.
func schedPolicyFromForm(v url.Values) (schedule.Policy, errs.FieldErrors) {
	f := errs.FieldErrors{}
	hours := "Enter a whole number of hours, such as 24."
	pol := schedule.Policy{
		ReminderHours:      schedInt(f, v, "reminder_hours", hours),
		CancelWindowHours:  schedInt(f, v, "cancel_window_hours", hours),
		LateCancelFeeCents: schedDollarsField(f, v, "late_cancel_fee", false),
		NoShowFeeCents:     schedDollarsField(f, v, "no_show_fee", false),
		OnlineBooking:      schedChecked(v, "online_booking"),
		HorizonDays:        schedInt(f, v, "horizon_days", "Enter a whole number of days, such as 60."),
		MinNoticeHours:     schedInt(f, v, "min_notice_hours", hours),
		SlotStep:           schedInt(f, v, "slot_step", "Choose 5, 10, 15, 20, 30 or 60 minutes."),
	}
	check := pol
	if err := check.Validate(); err != nil {
		schedAddFields(f, err, schedFeeFields)
	}
	return pol, f
}

func (s *Server) schedPolicy(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	pol, err := s.App.SchedulePolicy(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := SchedPolicyPage{SchedPage: schedPage(r, a, "policy", "Scheduling policy"), Steps: schedule.SlotSteps}
	p.Form, p.Values = "policy", schedPolicyValues(pol)
	s.render(w, r, http.StatusOK, "scheduling_policy", p)
}

func (s *Server) schedPolicySave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	pol, f := schedPolicyFromForm(r.PostForm)
	err := f.Err()
	if err == nil {
		err = schedRename(s.App.SaveSchedulePolicy(r.Context(), a, pol), schedFeeFields)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/scheduling/policy?saved=1", http.StatusSeeOther)
		return
	}
	p := SchedPolicyPage{SchedPage: schedPage(r, a, "policy", "Scheduling policy"), Steps: schedule.SlotSteps}
	if !p.sendBack("policy", r, err) {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_policy", p)
}

// ---- e-mail ----

// SchedEmailPage is the data of scheduling_email.html.
type SchedEmailPage struct {
	SchedPage
	// PasswordSaved says a password is stored; it is never sent to the page.
	PasswordSaved bool
	PasswordKept  string
	// PasswordUnreadable: the saved password was sealed with another
	// secret key than this server's; it must be typed again.
	PasswordUnreadable bool
	Configured         bool
	To                 string // where the test e-mail goes
	TestError          string // why the test e-mail could not be sent
	Modes              []SchedEmailMode
}

// SchedEmailMode is a choice of how the connection to the mail server is secured.
type SchedEmailMode struct{ Value, Label string }

var schedEmailModes = []SchedEmailMode{
	{"starttls", "STARTTLS (usually port 587)"},
	{"tls", "TLS from the start (usually port 465)"},
	{"none", "None (only for a server on this machine)"},
}

// schedTLSLabel names a connection security mode.
func schedTLSLabel(mode string) string {
	switch mode {
	case "starttls":
		return "STARTTLS"
	case "tls":
		return "TLS"
	case "none":
		return "no encryption"
	}
	return mode
}

// schedSMTPFields maps the mail settings' field names to the form's.
var schedSMTPFields = map[string]string{"tls_mode": "tls", "from_addr": "from"}

func (s *Server) schedEmailPage(r *http.Request, a *auth.Actor) (SchedEmailPage, error) {
	p := SchedEmailPage{SchedPage: schedPage(r, a, "email", "E-mail settings"), PasswordKept: app.PasswordKept, To: a.User.Email, Modes: schedEmailModes}
	if r.URL.Query().Get("tested") == "1" {
		p.Flash = "The test e-mail was handed to the mail server for " + a.User.Email + ". Check that it arrived."
	}
	set, err := s.App.SMTPSettings(r.Context(), a)
	if err != nil {
		return p, err
	}
	p.PasswordSaved, p.Configured, p.PasswordUnreadable = set.Password != "", set.Host != "", set.PasswordUnreadable
	p.Form = "smtp"
	p.Values = url.Values{"host": {set.Host}, "port": {strconv.Itoa(set.Port)}, "tls": {set.TLS}, "username": {set.Username}, "from": {set.From}, "from_name": {set.FromName}}
	return p, nil
}

func (s *Server) schedEmail(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := s.schedEmailPage(r, a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "scheduling_email", p)
}

func (s *Server) schedEmailSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	v := r.PostForm
	f := errs.FieldErrors{}
	set := store.SMTPSettings{Host: strings.TrimSpace(v.Get("host")), TLS: v.Get("tls"), Username: strings.TrimSpace(v.Get("username")),
		Password: v.Get("password"), From: strings.TrimSpace(v.Get("from")), FromName: strings.TrimSpace(v.Get("from_name"))}
	set.Port = schedInt(f, v, "port", "Enter the server's port, usually 587 (or 465 for TLS).")
	err := f.Err()
	if err == nil {
		err = schedRename(s.App.SaveSMTPSettings(r.Context(), a, set), schedSMTPFields)
	}
	// The password typed is never shown again, right or wrong.
	v.Del("password")
	if err == nil {
		http.Redirect(w, r, "/admin/scheduling/email?saved=1", http.StatusSeeOther)
		return
	}
	p, perr := s.schedEmailPage(r, a)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	if !p.sendBack("smtp", r, err) {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_email", p)
}

func (s *Server) schedEmailTest(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	err := s.App.SendTestMail(r.Context(), a)
	if err == nil {
		http.Redirect(w, r, "/admin/scheduling/email?tested=1", http.StatusSeeOther)
		return
	}
	if !errs.Is(err, errs.Invalid) {
		s.fail(w, r, a, err)
		return
	}
	p, perr := s.schedEmailPage(r, a)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	// The settings form keeps the saved values; the test's error shows by its button.
	p.Error = ""
	p.Fields = nil
	p.TestError = errs.Message(err)
	s.render(w, r, errs.HTTPStatus(err), "scheduling_email", p)
}

// ---- the job queue ----

// SchedJobsPage is the data of scheduling_jobs.html.
type SchedJobsPage struct {
	SchedPage
	Status  string
	Filters []SchedJobFilter
	Jobs    []SchedJobRow
	Zone    string
}

// SchedJobFilter is a link to the jobs of one status, with their count.
type SchedJobFilter struct {
	Status, Label string
	Count         int
	Current       bool
}

// SchedJobRow is a job as the queue shows it.
type SchedJobRow struct {
	ID                                  int64
	Kind, Status, StatusLabel, Attempts string
	RunAt, Finished, Error              string
	Dead                                bool
}

// schedJobStatuses are the states of a job, in the order of its life.
var schedJobStatuses = []struct{ status, label string }{
	{"queued", "Waiting"},
	{"running", "Running"},
	{"failed", "Failed, will retry"},
	{"dead", "Gave up"},
	{"done", "Done"},
}

func schedJobStatusLabel(st string) string {
	for _, j := range schedJobStatuses {
		if j.status == st {
			return j.label
		}
	}
	return st
}

// schedJobKinds name the kinds of background work for people.
var schedJobKinds = map[string]string{
	app.MailConfirmation: "Booking confirmation e-mail",
	app.MailReminder:     "Reminder e-mail",
	app.MailChanged:      "Changed appointment e-mail",
	app.MailCancelled:    "Cancellation e-mail",
	app.MailWaitlist:     "Waitlist offer e-mail",
	app.JobPruneClaims:   "Nightly clean-up",
}

func (s *Server) schedJobs(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	status := r.URL.Query().Get("status")
	known := status == ""
	for _, j := range schedJobStatuses {
		known = known || j.status == status
	}
	if !known {
		s.fail(w, r, a, errs.E(errs.NotFound, "There is no such list of jobs."))
		return
	}
	list, counts, err := s.App.Jobs(r.Context(), a, status)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	zone := schedOrgZone(a)
	p := SchedJobsPage{SchedPage: schedPage(r, a, "jobs", "Job queue"), Status: status, Zone: schedZoneLabel(zone, s.schedNow())}
	if r.URL.Query().Get("retried") == "1" {
		p.Flash = "The job is queued again and runs shortly."
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	p.Filters = append(p.Filters, SchedJobFilter{Status: "", Label: "All", Count: total, Current: status == ""})
	for _, j := range schedJobStatuses {
		p.Filters = append(p.Filters, SchedJobFilter{Status: j.status, Label: j.label, Count: counts[j.status], Current: status == j.status})
	}
	for _, j := range list {
		row := SchedJobRow{ID: j.ID, Kind: j.Kind, Status: j.Status, StatusLabel: schedJobStatusLabel(j.Status), Error: j.LastError, Dead: j.Status == "dead",
			Attempts: strconv.Itoa(j.Attempts) + " of " + strconv.Itoa(j.MaxAttempts)}
		if k, ok := schedJobKinds[j.Kind]; ok {
			row.Kind = k
		}
		if !j.RunAt.IsZero() {
			row.RunAt = j.RunAt.In(zone).Format(schedWhen)
		}
		if !j.FinishedAt.IsZero() {
			row.Finished = j.FinishedAt.In(zone).Format(schedWhen)
		}
		p.Jobs = append(p.Jobs, row)
	}
	s.render(w, r, http.StatusOK, "scheduling_jobs", p)
}

func (s *Server) schedJobRetry(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "job")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := s.App.RetryJob(r.Context(), a, id); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/jobs?status=dead&retried=1", http.StatusSeeOther)
}
