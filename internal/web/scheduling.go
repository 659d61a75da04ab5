package web

// The owner's scheduling settings (issue 5) under /admin/scheduling: an
// overview, then one page per part — services, packages, rooms, hours, time
// off and changed hours, the public page, the policy, e-mail and the job
// queue. Every page is the owner's (schedule.manage); the app checks the
// permission again on every change.

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /admin/scheduling", s.schedOwner(s.schedOverview))

		m.HandleFunc("GET /admin/scheduling/services", s.schedOwner(s.schedServices))
		m.HandleFunc("GET /admin/scheduling/services/new", s.schedOwner(s.schedServiceNew))
		m.HandleFunc("POST /admin/scheduling/services", s.schedOwner(s.schedServiceSave))
		m.HandleFunc("GET /admin/scheduling/services/{id}", s.schedOwner(s.schedServiceEdit))
		m.HandleFunc("POST /admin/scheduling/services/{id}", s.schedOwner(s.schedServiceSave))

		m.HandleFunc("GET /admin/scheduling/packages", s.schedOwner(s.schedPackages))
		m.HandleFunc("POST /admin/scheduling/packages", s.schedOwner(s.schedPackageCreate))
		m.HandleFunc("POST /admin/scheduling/packages/{id}/sale", s.schedOwner(s.schedPackageSale))

		m.HandleFunc("GET /admin/scheduling/rooms", s.schedOwner(s.schedRooms))
		m.HandleFunc("POST /admin/scheduling/rooms", s.schedOwner(s.schedRoomCreate))
		m.HandleFunc("POST /admin/scheduling/rooms/{id}", s.schedOwner(s.schedRoomUpdate))

		m.HandleFunc("GET /admin/scheduling/hours", s.schedOwner(s.schedHours))
		m.HandleFunc("POST /admin/scheduling/hours", s.schedOwner(s.schedHoursSave))

		m.HandleFunc("GET /admin/scheduling/time-off", s.schedOwner(s.schedTimeOff))
		m.HandleFunc("POST /admin/scheduling/time-off", s.schedOwner(s.schedTimeOffAdd))
		m.HandleFunc("POST /admin/scheduling/time-off/{id}/delete", s.schedOwner(s.schedTimeOffDelete))
		m.HandleFunc("POST /admin/scheduling/exceptions", s.schedOwner(s.schedExceptionAdd))
		m.HandleFunc("POST /admin/scheduling/exceptions/{id}/delete", s.schedOwner(s.schedExceptionDelete))

		m.HandleFunc("GET /admin/scheduling/public", s.schedOwner(s.schedPublic))
		m.HandleFunc("POST /admin/scheduling/profiles/{id}", s.schedOwner(s.schedProfileSave))
		m.HandleFunc("POST /admin/scheduling/testimonials", s.schedOwner(s.schedTestimonialAdd))
		m.HandleFunc("POST /admin/scheduling/testimonials/{id}/publish", s.schedOwner(s.schedTestimonialPublish))

		m.HandleFunc("GET /admin/scheduling/policy", s.schedOwner(s.schedPolicy))
		m.HandleFunc("POST /admin/scheduling/policy", s.schedOwner(s.schedPolicySave))

		m.HandleFunc("GET /admin/scheduling/email", s.schedOwner(s.schedEmail))
		m.HandleFunc("POST /admin/scheduling/email", s.schedOwner(s.schedEmailSave))
		m.HandleFunc("POST /admin/scheduling/email/test", s.schedOwner(s.schedEmailTest))

		m.HandleFunc("GET /admin/scheduling/jobs", s.schedOwner(s.schedJobs))
		m.HandleFunc("POST /admin/scheduling/jobs/{id}/retry", s.schedOwner(s.schedJobRetry))
	})
}

// schedOwner lets only those who manage scheduling (owners) in. The menu's
// reads (services, rooms, hours) are open to every role that sees the
// calendar, so the settings pages check here rather than rely on them.
func (s *Server) schedOwner(h func(w http.ResponseWriter, r *http.Request, a *auth.Actor)) http.HandlerFunc {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
		if !a.Can(auth.ScheduleManage) {
			s.fail(w, r, a, s.App.Forbid(r.Context(), a, app.AuditScheduleSettings))
			return
		}
		h(w, r, a)
	})
}

// schedTabs are the scheduling settings' pages, in the order of the sub-menu.
var schedTabs = []struct{ key, label, path string }{
	{"overview", "Overview", "/admin/scheduling"},
	{"services", "Services", "/admin/scheduling/services"},
	{"packages", "Packages", "/admin/scheduling/packages"},
	{"rooms", "Rooms", "/admin/scheduling/rooms"},
	{"hours", "Hours", "/admin/scheduling/hours"},
	{"timeoff", "Time off", "/admin/scheduling/time-off"},
	{"public", "Public page", "/admin/scheduling/public"},
	{"policy", "Policy", "/admin/scheduling/policy"},
	{"email", "E-mail", "/admin/scheduling/email"},
	{"jobs", "Job queue", "/admin/scheduling/jobs"},
}

// SchedPage is what every scheduling settings page has besides its own
// data: its tab, and the errors of the one form that was sent back (Form
// names it, as several pages hold more than one form).
type SchedPage struct {
	Page
	Tab    string
	Form   string
	Error  string
	Fields map[string]string
	// Values are what the form that was sent back held, to show it again as typed.
	Values url.Values
}

// SubNav is the sub-menu of the scheduling settings, the current page marked.
func (p SchedPage) SubNav() template.HTML {
	var b strings.Builder
	b.WriteString(`<nav class="sched-nav" aria-label="Scheduling settings"><ul>`)
	for _, t := range schedTabs {
		cur := ""
		if t.key == p.Tab {
			cur = ` aria-current="page"`
		}
		fmt.Fprintf(&b, `<li><a href="%s"%s>%s</a></li>`, template.HTMLEscapeString(t.path), cur, template.HTMLEscapeString(t.label))
	}
	b.WriteString(`</ul></nav>`)
	return template.HTML(b.String())
}

// E is the error of field in form, if form is the one sent back.
func (p SchedPage) E(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.Fields[field]
}

// FormError is the message of form, if it is the one sent back.
func (p SchedPage) FormError(form string) string {
	if p.Form != form {
		return ""
	}
	return p.Error
}

// V is the value of a field of form as sent back ("" for another form).
func (p SchedPage) V(form, field string) string {
	if p.Form != form || p.Values == nil {
		return ""
	}
	return p.Values.Get(field)
}

// Sent reports whether form is the one sent back (its values are to be shown).
func (p SchedPage) Sent(form string) bool { return p.Form == form && p.Values != nil }

// Field is an input of a scheduling form, for the partial "rx_field"; its
// id is the field's name, so it suits pages with one form of that name.
func (p SchedPage) Field(form, id, label, typ, value, hint string) FieldView {
	return FieldView{ID: id, Label: label, Type: typ, Value: value, Hint: hint, Error: p.E(form, id), Autocomplete: "off"}
}

// Number is a whole-number input between min and max.
func (p SchedPage) Number(form, id, label, value, hint string, min, max int) FieldView {
	f := p.Field(form, id, label, "number", value, hint)
	f.Min, f.Max = strconv.Itoa(min), strconv.Itoa(max)
	return f
}

// schedPage starts the data of a scheduling page, with the flash its
// redirect asked for.
func schedPage(r *http.Request, a *auth.Actor, tab, title string) SchedPage {
	p := SchedPage{Page: Page{Title: title, Actor: a, Nav: "scheduling"}, Tab: tab}
	q := r.URL.Query()
	switch {
	case q.Get("saved") == "1":
		p.Flash = "Saved."
	case q.Get("deleted") == "1":
		p.Flash = "Deleted."
	case q.Get("added") == "1":
		p.Flash = "Added."
	}
	return p
}

// sendBack fills p with err for form and the values sent, and reports
// whether err is one to show on the form (bad input, a conflict) rather
// than as an error page.
func (p *SchedPage) sendBack(form string, r *http.Request, err error) bool {
	if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
		return false
	}
	p.Form, p.Error, p.Fields, p.Values = form, errs.Message(err), errs.FieldsOf(err), r.PostForm
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	if strings.HasPrefix(p.Error, "Please correct the highlighted field") {
		// The generic message names the fields by their JSON names; the
		// fields themselves say what is wrong.
		p.Error = "Please correct what is marked below."
	}
	return true
}

// maxSchedForm bounds a scheduling form's body: the longest is a bio or a
// testimonial of 2,000 characters.
const maxSchedForm = 64 << 10

// readSchedForm parses a posted form; a body that cannot be read is bad input.
func readSchedForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxSchedForm)
	if err := r.ParseForm(); err != nil {
		return errs.E(errs.Invalid, "The form could not be read; reload the page and try again.")
	}
	return nil
}

// schedAddFields adds the field errors of err to f (those f lacks yet),
// renamed to the form's names.
func schedAddFields(f errs.FieldErrors, err error, rename map[string]string) {
	for k, v := range errs.FieldsOf(err) {
		if n, ok := rename[k]; ok {
			k = n
		}
		f.Add(k, v)
	}
}

// schedRename returns err with its field names changed (the app's JSON
// names to the form's, such as price_cents to price).
func schedRename(err error, rename map[string]string) error {
	fs := errs.FieldsOf(err)
	if len(fs) == 0 {
		return err
	}
	out := map[string]string{}
	for k, v := range fs {
		if n, ok := rename[k]; ok {
			k = n
		}
		out[k] = v
	}
	return &errs.Error{Code: errs.Code(err), Message: errs.Message(err), Fields: out, Err: err}
}

// schedInt reads a whole number typed in a form.
func schedInt(f errs.FieldErrors, v url.Values, field, msg string) int {
	s := strings.TrimSpace(v.Get(field))
	n, err := strconv.Atoi(s)
	if err != nil || n < -1_000_000 || n > 1_000_000 {
		f.Add(field, msg)
		return 0
	}
	return n
}

// schedFormID reads the number of a record chosen in a form (0 when none is).
func schedFormID(f errs.FieldErrors, v url.Values, field, msg string) int64 {
	s := strings.TrimSpace(v.Get(field))
	if s == "" || s == "0" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		f.Add(field, msg)
		return 0
	}
	return n
}

// schedChecked reads a checkbox.
func schedChecked(v url.Values, field string) bool {
	switch v.Get(field) {
	case "1", "on", "true", "yes":
		return true
	}
	return false
}

const schedDollarsHint = "Enter an amount in dollars, such as 45 or 45.00."

// schedParseDollars reads an amount typed in dollars — "45", "45.5", "45.00",
// "$45", "$1,250.00", "-45" — as cents. A sign is kept so that the rules
// say what is wrong with a negative amount; anything else is an error.
func schedParseDollars(s string) (int64, error) {
	bad := errs.E(errs.Invalid, schedDollarsHint)
	s = strings.TrimSpace(s)
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, strings.TrimSpace(rest)
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "$"))
	if rest, ok := strings.CutPrefix(s, "-"); ok && !neg {
		neg, s = true, rest
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if hasFrac && (len(frac) < 1 || len(frac) > 2) {
		return 0, bad
	}
	if strings.Contains(whole, ",") {
		// Thousands separators only: 1,250 or 12,500,000, never 1,25.
		groups := strings.Split(whole, ",")
		if len(groups[0]) < 1 || len(groups[0]) > 3 {
			return 0, bad
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, bad
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" && !hasFrac || len(whole) > 9 { // up to $999,999,999
		return 0, bad
	}
	var cents int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, bad
		}
		cents = cents*10 + int64(c-'0')
	}
	cents *= 100
	if hasFrac {
		f := frac
		if len(f) == 1 {
			f += "0"
		}
		for i, c := range f {
			if c < '0' || c > '9' {
				return 0, bad
			}
			if i == 0 {
				cents += int64(c-'0') * 10
			} else {
				cents += int64(c - '0')
			}
		}
	}
	if neg {
		cents = -cents
	}
	return cents, nil
}

// schedDollars writes cents for a form's input: "45" or "45.50".
func schedDollars(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	if cents%100 == 0 {
		return sign + strconv.FormatInt(cents/100, 10)
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// schedDollarsField reads an amount in dollars from a form into cents.
func schedDollarsField(f errs.FieldErrors, v url.Values, field string, required bool) int64 {
	s := strings.TrimSpace(v.Get(field))
	if s == "" {
		if required {
			f.Add(field, "Enter the price, such as 95 or 95.00 (0 when there is no charge).")
		}
		return 0
	}
	c, err := schedParseDollars(s)
	if err != nil {
		f.Add(field, schedDollarsHint)
	}
	return c
}

// schedStaff is the organisation's staff and who of them may be booked.
type schedStaff struct {
	all      []clinic.User
	bookable []clinic.User
	names    map[int64]string
}

func (s *Server) schedStaffOf(ctx context.Context, a *auth.Actor) (*schedStaff, error) {
	us, err := s.App.Users(ctx, a)
	if err != nil {
		return nil, err
	}
	st := &schedStaff{all: us, bookable: app.Bookable(us), names: map[int64]string{}}
	for _, u := range us {
		st.names[u.ID] = u.Name
	}
	return st, nil
}

// name is a user's name, or a plain stand-in for someone no longer listed.
func (st *schedStaff) name(id int64) string {
	if n, ok := st.names[id]; ok {
		return n
	}
	return "former staff member"
}

// schedNow is the server's clock (the store's, which tests move).
func (s *Server) schedNow() time.Time { return s.App.DB.Now() }

// schedOrgZone is the organisation's time zone.
func schedOrgZone(a *auth.Actor) *time.Location { return app.LocationZone(a.Org, nil) }

// schedZoneLabel names a zone for people: "America/Chicago (CST)".
func schedZoneLabel(z *time.Location, at time.Time) string {
	return z.String() + " (" + at.In(z).Format("MST") + ")"
}

// schedWeekdays are the days of a working week, Monday first.
var schedWeekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// schedSpan writes a span of minutes after midnight: "09:00–12:00".
func schedSpan(start, end int) string { return schedule.Clock(start) + "–" + schedule.Clock(end) }

// ---- the overview ----

// SchedOverviewPage is the data of scheduling.html: each part of the
// settings with a line on where it stands.
type SchedOverviewPage struct {
	SchedPage
	Cards     []SchedCard
	PublicURL string
}

// SchedCard is one part of the settings on the overview.
type SchedCard struct {
	Title, Path, Summary, Detail string
	// Warn marks something that keeps scheduling from working (no e-mail
	// server, jobs that gave up).
	Warn bool
}

func (s *Server) schedOverview(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	ctx := r.Context()
	p := SchedOverviewPage{SchedPage: schedPage(r, a, "overview", "Scheduling settings"), PublicURL: "/book/" + a.Org.Slug}
	fail := func(err error) { s.fail(w, r, a, err) }

	svcs, err := s.App.Services(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	active, online := 0, 0
	for _, sv := range svcs {
		if sv.Active {
			active++
			if sv.Online {
				online++
			}
		}
	}
	p.Cards = append(p.Cards, SchedCard{Title: "Services", Path: "/admin/scheduling/services",
		Summary: schedPlural(active, "service", "services") + " on the menu, " + strconv.Itoa(online) + " bookable online",
		Detail:  "Length, buffers, price, the procedure codes a session bills and who performs it.", Warn: active == 0})

	pkgs, err := s.App.Packages(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	onSale := 0
	for _, pk := range pkgs {
		if pk.Active {
			onSale++
		}
	}
	p.Cards = append(p.Cards, SchedCard{Title: "Packages", Path: "/admin/scheduling/packages",
		Summary: schedPlural(onSale, "package", "packages") + " on sale", Detail: "Prepaid series such as 10 sessions, with how long they are valid."})

	locs, err := s.App.Locations(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	rooms, err := s.App.Rooms(ctx, a, 0)
	if err != nil {
		fail(err)
		return
	}
	perLoc := map[int64]int{}
	for _, rm := range rooms {
		if rm.Active {
			perLoc[rm.LocationID]++
		}
	}
	var rs []string
	for _, l := range locs {
		rs = append(rs, l.Name+": "+strconv.Itoa(perLoc[l.ID]))
	}
	p.Cards = append(p.Cards, SchedCard{Title: "Rooms", Path: "/admin/scheduling/rooms", Summary: strings.Join(rs, " · "),
		Detail: "Rooms or tables per location, so two clients are never put on one table."})

	st, err := s.schedStaffOf(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	hours, err := s.App.Hours(ctx, a, 0)
	if err != nil {
		fail(err)
		return
	}
	withHours := map[int64]bool{}
	for _, h := range hours {
		withHours[h.TherapistID] = true
	}
	set := 0
	for _, u := range st.bookable {
		if withHours[u.ID] {
			set++
		}
	}
	p.Cards = append(p.Cards, SchedCard{Title: "Hours", Path: "/admin/scheduling/hours",
		Summary: fmt.Sprintf("Weekly hours set for %d of %d therapists", set, len(st.bookable)),
		Detail:  "Each therapist's week at each location; open slots come from these.", Warn: set == 0})

	now := s.schedNow()
	offs, err := s.App.TimeOff(ctx, a, now, now.AddDate(1, 0, 0))
	if err != nil {
		fail(err)
		return
	}
	today := s.App.ClinicDate(a)
	exs, err := s.App.Exceptions(ctx, a, 0, today, calAddDays(today, 365))
	if err != nil {
		fail(err)
		return
	}
	p.Cards = append(p.Cards, SchedCard{Title: "Time off & exceptions", Path: "/admin/scheduling/time-off",
		Summary: schedPlural(len(offs), "period", "periods") + " of time off and " + schedPlural(len(exs), "changed day", "changed days") + " ahead",
		Detail:  "Holidays, training days, a late start on one date."})

	profs, err := s.App.Profiles(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	shown := 0
	for _, pr := range profs {
		if pr.Public {
			shown++
		}
	}
	tms, err := s.App.Testimonials(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	published := 0
	for _, t := range tms {
		if t.Published {
			published++
		}
	}
	p.Cards = append(p.Cards, SchedCard{Title: "Public page", Path: "/admin/scheduling/public",
		Summary: fmt.Sprintf("%d of %d therapists shown, %s published", shown, len(profs), schedPlural(published, "testimonial", "testimonials")),
		Detail:  "Bios, credentials and testimonials on " + p.PublicURL + "."})

	pol, err := s.App.SchedulePolicy(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	ps := "Online booking off"
	if pol.OnlineBooking {
		ps = fmt.Sprintf("Online booking on, up to %d days ahead", pol.HorizonDays)
	}
	rem := "no reminders"
	if pol.ReminderHours > 0 {
		rem = "reminders " + schedPlural(pol.ReminderHours, "hour", "hours") + " before"
	}
	p.Cards = append(p.Cards, SchedCard{Title: "Policy", Path: "/admin/scheduling/policy",
		Summary: ps + "; " + rem + "; late cancellation " + app.Money(pol.LateCancelFeeCents) + ", no-show " + app.Money(pol.NoShowFeeCents),
		Detail:  "Reminders, the cancellation window and fees, and how online booking works."})

	smtp, err := s.App.SMTPSettings(ctx, a)
	if err != nil {
		fail(err)
		return
	}
	mc := SchedCard{Title: "E-mail", Path: "/admin/scheduling/email", Detail: "The mail server confirmations and reminders are sent through."}
	if smtp.Host == "" {
		mc.Summary, mc.Warn = "Not set up: no confirmations or reminders are sent", true
	} else {
		mc.Summary = fmt.Sprintf("Through %s:%d (%s), from %s", smtp.Host, smtp.Port, schedTLSLabel(smtp.TLS), smtp.From)
	}
	p.Cards = append(p.Cards, mc)

	_, counts, err := s.App.Jobs(ctx, a, "")
	if err != nil {
		fail(err)
		return
	}
	jc := SchedCard{Title: "Job queue", Path: "/admin/scheduling/jobs", Detail: "E-mails and other work done in the background, with retries."}
	jc.Summary = fmt.Sprintf("%d waiting, %d retrying, %d gave up", counts["queued"]+counts["running"], counts["failed"], counts["dead"])
	jc.Warn = counts["dead"] > 0
	p.Cards = append(p.Cards, jc)

	s.render(w, r, http.StatusOK, "scheduling", p)
}

// schedPlural writes "1 service" or "3 services".
func schedPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// schedOnOff reads a switch posted as "1" (on) or "0" (off); anything else
// is refused with msg.
func schedOnOff(v, msg string) (bool, error) {
	switch v {
	case "1":
		return true, nil
	case "0":
		return false, nil
	}
	return false, errs.E(errs.Invalid, "%s", msg)
}
