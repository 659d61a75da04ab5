package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

// The clinic's public pages, for clients without an account: the booking
// page at /book/{slug} (services, therapists, testimonials and open times),
// the booking form, the page of a booked appointment behind the link in
// the client's e-mails, a waitlist offer, and a therapist's calendar feed.
// The booking flow is a chain of GET forms and links, so it works without
// script; book.js only narrows the therapist list to the choices made.

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /book/{slug}", s.bookPage)
		m.HandleFunc("GET /book/{slug}/book", s.bookFormPage)
		m.HandleFunc("POST /book/{slug}/book", s.bookPost)
		m.HandleFunc("GET /book/{slug}/appointment/{token}", s.bookAppointmentPage)
		m.HandleFunc("POST /book/{slug}/appointment/{token}/cancel", s.bookCancel)
		m.HandleFunc("GET /book/{slug}/offer/{token}", s.bookOfferPage)
		m.HandleFunc("POST /book/{slug}/offer/{token}", s.bookOfferTake)
		m.HandleFunc("GET /feed/{token}", s.therapistFeed)
	})
}

// maxPublicBody bounds a public form: a booking with a long note is a few
// kilobytes.
const maxPublicBody = 64 << 10

// bookWindowDays is how many days of open times the page shows at once.
const bookWindowDays = 7

// How the public pages write times, in the location's zone.
const (
	bookDayLayout  = "Monday, January 2"
	bookTimeLayout = "3:04 PM"
	bookWhenLayout = "Monday, January 2, 2006 at 3:04 PM MST"
	bookDateLayout = "January 2, 2006"
)

// ---------------------------------------------------------------------------
// Page data

// BookLocation is a location as the public page shows it.
type BookLocation struct {
	ID      int64
	Name    string
	Address string // one line: street, city, state ZIP
	Phone   string
	Tel     string // the phone for a tel: link, digits only
}

// BookService is an entry of the service menu on the public page.
type BookService struct {
	ID          int64
	Name        string
	Description string
	Minutes     int
	Price       string
	Performers  string // space-separated therapist IDs; "" is every therapist
}

// BookTherapist is a therapist as the public page shows them.
type BookTherapist struct {
	ID          int64
	Name        string
	Credentials string
	Bio         []string // paragraphs
	Locations   string   // space-separated location IDs, for book.js
	Where       string   // the locations' names
}

// BookSlot is an open time: its label and the link to the form.
type BookSlot struct {
	Label string // "9:00 AM"
	Long  string // "Tuesday, June 3 at 9:00 AM CDT", for screen readers
	Href  string
}

// BookDay is one day of open times.
type BookDay struct {
	Label string
	Slots []BookSlot
}

// BookPage is the data of book.html: the clinic's public page and, once a
// location and a service are chosen, a week of open times.
type BookPage struct {
	Page
	Slug         string
	ClinicName   string
	Online       bool // the clinic takes bookings online
	Locations    []BookLocation
	Services     []BookService
	Therapists   []BookTherapist
	Testimonials []store.Testimonial
	Policy       []string

	// The choices made so far (0: none) and what they give.
	LocationID, ServiceID, TherapistID int64
	Chosen                             bool // location and service chosen: times are shown
	Window                             string
	ZoneNote                           string
	Days                               []BookDay
	NoSlots                            string // why there are none, when there are none
	PrevHref, NextHref                 string
	Error                              string
	Fields                             errs.FieldErrors
}

// BookSummary is the appointment a form or a page is about, in words.
type BookSummary struct {
	Service   string
	Minutes   int
	Price     string
	Therapist string // "" before booking with "anyone"
	When      string
	Location  string
	Address   string
	Phone     string
	Tel       string
}

// BookFormPage is the data of book_form.html.
type BookFormPage struct {
	Page
	Slug       string
	ClinicName string
	Summary    BookSummary
	// Hidden fields: the slot chosen, the form token.
	LocationID, ServiceID, TherapistID int64
	Start                              string
	Token                              string
	BackHref                           string // the week of open times the slot came from
	Policy                             []string
	V                                  url.Values
	Error                              string
	Fields                             map[string]string
	Taken                              bool // the time was taken: no form, a way back
}

// Val is what was typed in field k.
func (p BookFormPage) Val(k string) string { return p.V.Get(k) }

// Err is the error of field k, if any.
func (p BookFormPage) Err(k string) string { return p.Fields[k] }

// FieldErrors lists the field errors in the order of the form.
func (p BookFormPage) FieldErrors() []FieldError { return orderedErrors(p.Fields, bookFormFields) }

// FieldError is one field's error, for an error summary.
type FieldError struct {
	Field, Message string
	OnForm         bool // the field is on the form: link to it
}

// bookFormFields are the form's inputs in order; errors on others (the
// time, the service) are listed without a link.
var bookFormFields = []string{"first_name", "last_name", "dob", "email", "phone", "note"}

func orderedErrors(fields map[string]string, order []string) []FieldError {
	var out []FieldError
	for _, k := range order {
		if m, ok := fields[k]; ok {
			out = append(out, FieldError{k, m, true})
		}
	}
	var rest []string
	for k := range fields {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, FieldError{k, fields[k], false})
	}
	return out
}

// BookPackage is the package a visit draws on.
type BookPackage struct {
	Name  string
	Left  int
	Until string
}

// BookDonePage is the data of book_done.html.
type BookDonePage struct {
	Page
	Slug       string
	ClinicName string
	Summary    BookSummary
	Email      string
	NewClient  bool
	Package    *BookPackage
	ManageHref string
}

// BookAppointmentPage is the data of book_appointment.html.
type BookAppointmentPage struct {
	Page
	Slug       string
	ClinicName string
	Token      string
	Summary    BookSummary
	Status     string // in words
	StatusKey  string // for the badge's colour
	CanCancel  bool
	Late       bool
	Window     string // the policy's notice in words, "24 hours"
	Fee        string // the late fee, "" when none
	FreeUntil  string // when cancelling stops being free, "" when it always is
	Charged    string // a fee charged already
	Cancelled  bool   // just cancelled through this page
	Policy     []string
	Reason     string
	Error      string
}

// BookOfferPage is the data of book_offer.html.
type BookOfferPage struct {
	Page
	Slug       string
	ClinicName string
	Token      string
	Summary    BookSummary
	Available  bool
	Booked     bool // taken through this page just now
	Error      string
}

// BookMessagePage is the data of book_message.html: a public page's error
// or notice, with a way back to the clinic's page when there is one.
type BookMessagePage struct {
	Page
	ClinicName string
	Heading    string
	Message    string
	BackHref   string
	BackLabel  string
}

// ---------------------------------------------------------------------------
// Helpers

// bookMessage shows a public page's error or notice. Internal errors are
// logged with a reference and without the path's secret token.
func (s *Server) bookMessage(w http.ResponseWriter, r *http.Request, status int, p BookMessagePage) {
	p.Page = Page{Title: p.Heading, Bare: true}
	if p.ClinicName != "" {
		p.Page.Title = p.Heading + " · " + p.ClinicName
	}
	s.render(w, r, status, "book_message", p)
}

// bookFail shows err on a public page with the status its code maps to.
func (s *Server) bookFail(w http.ResponseWriter, r *http.Request, clinicName, backHref string, err error) {
	status := errs.HTTPStatus(err)
	p := BookMessagePage{ClinicName: clinicName, Heading: http.StatusText(status), Message: errs.Message(err), BackHref: backHref, BackLabel: "Back to the booking page"}
	switch {
	case status >= 500:
		ref := requestID(r)
		s.Log.Error("public page failed", "ref", ref, "path", redactPath(r.URL.Path), "err", err)
		p.Heading, p.Message = "Something went wrong", "Something went wrong on our side. Please try again, or call the clinic (reference "+ref+")."
	case status == http.StatusNotFound:
		p.Heading = "Not found"
	case status == http.StatusTooManyRequests:
		p.Heading = "Please try again later"
	case status == http.StatusConflict:
		p.Heading = "That time is no longer free"
	}
	s.bookMessage(w, r, status, p)
}

// bookNotFound is the page of an unknown clinic or an invalid link.
func (s *Server) bookNotFound(w http.ResponseWriter, r *http.Request, msg string) {
	s.bookMessage(w, r, http.StatusNotFound, BookMessagePage{Heading: "Not found", Message: msg})
}

// parsePublicForm reads a public POST's form within maxPublicBody; false
// when it could not, after answering with a 4xx page.
func (s *Server) parsePublicForm(w http.ResponseWriter, r *http.Request, clinicName, back string) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxPublicBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.bookMessage(w, r, http.StatusRequestEntityTooLarge, BookMessagePage{ClinicName: clinicName, Heading: "Too much to send",
				Message: "The form is larger than we accept. Please shorten the note and send it again.", BackHref: back, BackLabel: "Back"})
			return false
		}
		s.bookMessage(w, r, http.StatusBadRequest, BookMessagePage{ClinicName: clinicName, Heading: "Not sent",
			Message: "The form could not be read. Please go back and send it again.", BackHref: back, BackLabel: "Back"})
		return false
	}
	return true
}

func bookLocation(l clinic.Location) BookLocation {
	street := strings.TrimSpace(l.Address1)
	town := strings.TrimSpace(strings.TrimSpace(l.City+", "+l.State) + " " + l.Zip)
	town = strings.Trim(strings.TrimSpace(town), ",")
	var parts []string
	for _, p := range []string{street, strings.TrimSpace(town)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	tel := clinic.Digits(l.Phone)
	if len(tel) == 10 { // a US number without its country code
		tel = "+1" + tel
	}
	return BookLocation{ID: l.ID, Name: l.Name, Address: strings.Join(parts, ", "), Phone: l.Phone, Tel: tel}
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, " ")
}

// paragraphs splits a bio at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// policyText is the cancellation policy in words.
func policyText(p schedule.Policy) []string {
	var out []string
	switch {
	case p.CancelWindowHours > 0 && p.LateCancelFeeCents > 0:
		out = append(out, fmt.Sprintf("Please cancel at least %s before your visit. Cancelling later costs %s.", hoursWords(p.CancelWindowHours), app.Money(p.LateCancelFeeCents)))
	case p.CancelWindowHours > 0:
		out = append(out, fmt.Sprintf("Please cancel at least %s before your visit, so someone else can have the time.", hoursWords(p.CancelWindowHours)))
	default:
		out = append(out, "You can cancel at no cost any time before your visit.")
	}
	if p.NoShowFeeCents > 0 {
		out = append(out, fmt.Sprintf("Missing a visit without cancelling costs %s.", app.Money(p.NoShowFeeCents)))
	}
	return out
}

func hoursWords(h int) string {
	if h == 1 {
		return "1 hour"
	}
	if h%24 == 0 && h > 24 {
		return strconv.Itoa(h/24) + " days"
	}
	return strconv.Itoa(h) + " hours"
}

// publicPage reads the clinic's page; false after answering when it cannot.
func (s *Server) publicPage(w http.ResponseWriter, r *http.Request, slug string) (*app.PublicPage, bool) {
	p, err := s.App.PublicPage(r.Context(), slug)
	if errs.Is(err, errs.NotFound) {
		s.bookNotFound(w, r, "There is no clinic at this address. Please check the link you were given.")
		return nil, false
	}
	if err != nil {
		s.bookFail(w, r, "", "", err)
		return nil, false
	}
	return p, true
}

// choice is what the booking flow's query names: location, service,
// therapist (0: anyone) and the first day of the week shown.
type choice struct {
	Location, Service, Therapist int64
	From                         string
}

// readChoice reads the choices of the query; a number that is not one is
// a field error.
func readChoice(v url.Values) (choice, errs.FieldErrors) {
	f := errs.FieldErrors{}
	num := func(k, msg string) int64 {
		x := strings.TrimSpace(v.Get(k))
		if x == "" {
			return 0
		}
		n, err := strconv.ParseInt(x, 10, 64)
		if err != nil || n < 0 {
			f.Add(k, msg)
			return 0
		}
		return n
	}
	c := choice{
		Location:  num("location", "Choose one of the clinic's locations."),
		Service:   num("service", "Choose one of the services offered online."),
		Therapist: num("therapist", "Choose one of the therapists, or anyone."),
		From:      strings.TrimSpace(v.Get("from")),
	}
	return c, f
}

func (c choice) query(from string) string {
	v := url.Values{}
	v.Set("location", strconv.FormatInt(c.Location, 10))
	v.Set("service", strconv.FormatInt(c.Service, 10))
	v.Set("therapist", strconv.FormatInt(c.Therapist, 10))
	if from != "" {
		v.Set("from", from)
	}
	return v.Encode()
}

// picked is what a choice names on the clinic's page.
type picked struct {
	loc       *clinic.Location
	svc       *schedule.Service
	therapist *store.TherapistProfile
}

// pick finds the choices on the page; the ones it cannot find are field
// errors (f). Zero choices are not errors: nothing was chosen yet.
func pick(p *app.PublicPage, c choice, f errs.FieldErrors) picked {
	var k picked
	for i := range p.Locations {
		if p.Locations[i].ID == c.Location {
			k.loc = &p.Locations[i]
		}
	}
	if c.Location != 0 && k.loc == nil {
		f.Add("location", "Choose one of the clinic's locations.")
	}
	for i := range p.Services {
		if p.Services[i].ID == c.Service {
			k.svc = &p.Services[i]
		}
	}
	if c.Service != 0 && k.svc == nil {
		f.Add("service", "Choose one of the services offered online.")
	}
	for i := range p.Therapists {
		if p.Therapists[i].UserID == c.Therapist {
			k.therapist = &p.Therapists[i]
		}
	}
	if c.Therapist != 0 && k.therapist == nil {
		f.Add("therapist", "Choose one of the therapists, or anyone.")
	}
	return k
}

func summaryOf(loc *clinic.Location, svc *schedule.Service) BookSummary {
	var sum BookSummary
	if loc != nil {
		bl := bookLocation(*loc)
		sum.Location, sum.Address, sum.Phone, sum.Tel = bl.Name, bl.Address, bl.Phone, bl.Tel
	}
	if svc != nil {
		sum.Service, sum.Minutes, sum.Price = svc.Name, svc.Minutes, app.Money(svc.PriceCents)
	}
	return sum
}

// ---------------------------------------------------------------------------
// GET /book/{slug}: the clinic's page and the week of open times

func (s *Server) bookPage(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	p, ok := s.publicPage(w, r, slug)
	if !ok {
		return
	}
	c, f := readChoice(r.URL.Query())
	k := pick(p, c, f)
	if len(p.Locations) == 1 && c.Location == 0 && len(f) == 0 {
		c.Location, k.loc = p.Locations[0].ID, &p.Locations[0]
	}
	pg := BookPage{Page: Page{Title: "Book online · " + p.Org.Name, Bare: true}, Slug: slug, ClinicName: p.Org.Name,
		Online: p.Policy.OnlineBooking, Testimonials: p.Testimonials, Policy: policyText(p.Policy),
		LocationID: c.Location, ServiceID: c.Service, TherapistID: c.Therapist, Fields: f}
	for _, l := range p.Locations {
		pg.Locations = append(pg.Locations, bookLocation(l))
	}
	for _, sv := range p.Services {
		pg.Services = append(pg.Services, BookService{ID: sv.ID, Name: sv.Name, Description: sv.Description, Minutes: sv.Minutes,
			Price: app.Money(sv.PriceCents), Performers: joinIDs(sv.Performers)})
	}
	for _, t := range p.Therapists {
		var where []string
		for _, l := range p.Locations {
			if slices.Contains(p.WorksAt[t.UserID], l.ID) {
				where = append(where, l.Name)
			}
		}
		pg.Therapists = append(pg.Therapists, BookTherapist{ID: t.UserID, Name: t.Name, Credentials: t.Credentials, Bio: paragraphs(t.Bio),
			Locations: joinIDs(p.WorksAt[t.UserID]), Where: strings.Join(where, " and ")})
	}
	status := http.StatusOK
	if len(f) == 0 && k.loc != nil && k.svc != nil && pg.Online {
		if err := s.bookWeek(r, p, c, k, &pg); err != nil {
			if !errs.Is(err, errs.Invalid) {
				s.bookFail(w, r, p.Org.Name, "", err)
				return
			}
			for key, m := range errs.FieldsOf(err) {
				pg.Fields.Add(strings.TrimSuffix(key, "_id"), m)
			}
			if len(errs.FieldsOf(err)) == 0 {
				pg.Error = errs.Message(err)
			}
		}
	}
	if len(pg.Fields) > 0 || pg.Error != "" {
		status = http.StatusUnprocessableEntity
		if pg.Error == "" {
			pg.Error = "Please check your choices below."
		}
	}
	s.render(w, r, status, "book", pg)
}

// bookWeek fills the page with a week of open times of the choice.
func (s *Server) bookWeek(r *http.Request, p *app.PublicPage, c choice, k picked, pg *BookPage) error {
	pg.Chosen = true
	if k.therapist != nil {
		if !slices.Contains(p.WorksAt[k.therapist.UserID], k.loc.ID) {
			pg.NoSlots = fmt.Sprintf("%s does not work at %s. Choose “Anyone” or another therapist.", k.therapist.Name, k.loc.Name)
			return nil
		}
		if !k.svc.PerformedBy(k.therapist.UserID) {
			pg.NoSlots = fmt.Sprintf("%s does not offer %s. Choose “Anyone” or another therapist.", k.therapist.Name, k.svc.Name)
			return nil
		}
	}
	zone := app.LocationZone(p.Org, k.loc)
	now := s.schedNow().In(zone)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, zone)
	from := today
	if c.From != "" {
		d, err := time.ParseInLocation(clinic.DateLayout, c.From, zone)
		if err != nil || d.Year() < 2000 || d.Year() > 2100 {
			return &errs.Error{Code: errs.Invalid, Message: "Choose the week again.", Fields: map[string]string{"from": "Give the first day as YYYY-MM-DD."}}
		}
		if d.After(today) {
			from = d
		}
	}
	to := from.AddDate(0, 0, bookWindowDays) // local midnights: right across a daylight-saving change
	last := to.AddDate(0, 0, -1)
	pg.Window = from.Format(bookDayLayout) + " to " + last.Format(bookDayLayout)
	horizon := now.Add(time.Duration(p.Policy.HorizonDays) * 24 * time.Hour)
	if from.After(today) {
		prev := from.AddDate(0, 0, -bookWindowDays)
		if prev.Before(today) {
			prev = today
		}
		pg.PrevHref = "/book/" + pg.Slug + "?" + c.query(prev.Format(clinic.DateLayout)) + "#times"
	}
	if to.Before(horizon) {
		pg.NextHref = "/book/" + pg.Slug + "?" + c.query(to.Format(clinic.DateLayout)) + "#times"
	}
	if !from.Before(horizon) {
		pg.NoSlots = fmt.Sprintf("The clinic takes online bookings up to %d days ahead.", p.Policy.HorizonDays)
		return nil
	}
	slots, z, err := s.App.PublicSlots(r.Context(), pg.Slug, app.SlotRequest{LocationID: k.loc.ID, ServiceID: k.svc.ID, TherapistID: c.Therapist, From: from, To: to})
	if err != nil {
		return err
	}
	if z != nil {
		zone = z
	}
	// With "anyone", one time is offered once whoever is free then.
	seen := map[int64]bool{}
	byDay := map[string][]BookSlot{}
	var abbrevs []string
	q := url.Values{}
	q.Set("location", strconv.FormatInt(k.loc.ID, 10))
	q.Set("service", strconv.FormatInt(k.svc.ID, 10))
	q.Set("therapist", strconv.FormatInt(c.Therapist, 10))
	for _, sl := range slots {
		if seen[sl.Start.Unix()] {
			continue
		}
		seen[sl.Start.Unix()] = true
		t := sl.Start.In(zone)
		abbr := t.Format("MST")
		if !slices.Contains(abbrevs, abbr) {
			abbrevs = append(abbrevs, abbr)
		}
		q.Set("start", t.Format(time.RFC3339))
		day := t.Format(clinic.DateLayout)
		byDay[day] = append(byDay[day], BookSlot{Label: t.Format(bookTimeLayout), Long: t.Format(bookDayLayout) + " at " + t.Format(bookTimeLayout+" MST"),
			Href: "/book/" + pg.Slug + "/book?" + q.Encode()})
	}
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		pg.Days = append(pg.Days, BookDay{Label: d.Format(bookDayLayout), Slots: byDay[d.Format(clinic.DateLayout)]})
	}
	if len(abbrevs) == 0 {
		abbrevs = []string{from.Format("MST")}
	}
	pg.ZoneNote = fmt.Sprintf("Times are %s local time (%s).", k.loc.Name, strings.Join(abbrevs, ", then "))
	if len(seen) == 0 {
		pg.NoSlots = "There are no open times this week."
		if c.Therapist != 0 {
			pg.NoSlots += " Try the next week, or choose “Anyone”."
		} else if pg.NextHref != "" {
			pg.NoSlots += " Try the next week."
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// GET and POST /book/{slug}/book: the booking form

// formChoice reads and checks the slot a form is for.
func formChoice(p *app.PublicPage, v url.Values) (choice, picked, time.Time, errs.FieldErrors) {
	c, f := readChoice(v)
	k := pick(p, c, f)
	if k.loc == nil {
		f.Add("location", "Choose one of the clinic's locations.")
	}
	if k.svc == nil {
		f.Add("service", "Choose one of the services offered online.")
	}
	start, err := time.Parse(time.RFC3339, strings.TrimSpace(v.Get("start")))
	if err != nil {
		f.Add("start", "Choose a time from the list of open times.")
	}
	return c, k, start, f
}

// newBookForm is the form for a slot; start is shown in the location's zone.
func newBookForm(p *app.PublicPage, slug string, c choice, k picked, start time.Time) BookFormPage {
	zone := app.LocationZone(p.Org, k.loc)
	local := start.In(zone)
	fp := BookFormPage{Page: Page{Title: "Your details · " + p.Org.Name, Bare: true}, Slug: slug, ClinicName: p.Org.Name,
		Summary: summaryOf(k.loc, k.svc), LocationID: c.Location, ServiceID: c.Service, TherapistID: c.Therapist,
		Start: local.Format(time.RFC3339), Policy: policyText(p.Policy), V: url.Values{}, Fields: map[string]string{}}
	if k.therapist != nil {
		fp.Summary.Therapist = k.therapist.Name
	}
	fp.Summary.When = local.Format(bookWhenLayout)
	// Back to the week the time was chosen from (the week starting that day).
	fp.BackHref = "/book/" + slug + "?" + c.query(local.Format(clinic.DateLayout)) + "#times"
	return fp
}

func (s *Server) bookFormPage(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	p, ok := s.publicPage(w, r, slug)
	if !ok {
		return
	}
	back := "/book/" + slug
	if !p.Policy.OnlineBooking {
		s.bookMessage(w, r, http.StatusUnprocessableEntity, BookMessagePage{ClinicName: p.Org.Name, Heading: "Online booking is closed",
			Message: p.Org.Name + " does not take bookings online at the moment. Please call the clinic.", BackHref: back, BackLabel: "Back to the clinic's page"})
		return
	}
	c, k, start, f := formChoice(p, r.URL.Query())
	if len(f) > 0 {
		s.bookMessage(w, r, http.StatusUnprocessableEntity, BookMessagePage{ClinicName: p.Org.Name, Heading: "Choose a time",
			Message: "This link does not name a time we offer. Please choose a location, a service and a time on the clinic's page.", BackHref: back, BackLabel: "Choose a time"})
		return
	}
	fp := newBookForm(p, slug, c, k, start)
	// The time may have gone since the list was shown: say so before the
	// client types their details.
	slots, _, err := s.App.PublicSlots(r.Context(), slug, app.SlotRequest{LocationID: c.Location, ServiceID: c.Service, TherapistID: c.Therapist, From: start, To: start.Add(time.Minute)})
	if err != nil && !errs.Is(err, errs.Invalid) {
		s.bookFail(w, r, p.Org.Name, back, err)
		return
	}
	if !slices.ContainsFunc(slots, func(sl schedule.Slot) bool { return sl.Start.Equal(start) }) {
		fp.Taken, fp.Error = true, "Sorry, this time is no longer free. Please choose another."
		s.render(w, r, http.StatusConflict, "book_form", fp)
		return
	}
	if fp.Token, err = s.App.FormToken(r.Context(), slug); err != nil {
		s.bookFail(w, r, p.Org.Name, back, err)
		return
	}
	s.render(w, r, http.StatusOK, "book_form", fp)
}

// clientWords turns the app's field messages, written for staff, to the
// client: "Enter the client's legal first name." → "Enter your legal first name."
func clientWords(m string) string {
	return strings.NewReplacer("the client's", "your", "The client's", "Your").Replace(m)
}

// bookFieldNames maps the app's field names to the form's.
var bookFieldNames = map[string]string{"location_id": "location", "preferred_location_id": "location", "service_id": "service", "therapist_id": "therapist"}

func (s *Server) bookPost(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	p, ok := s.publicPage(w, r, slug)
	if !ok {
		return
	}
	back := "/book/" + slug
	if !s.parsePublicForm(w, r, p.Org.Name, back) {
		return
	}
	v := r.PostForm
	c, k, start, f := formChoice(p, v)
	if len(f) > 0 {
		s.bookMessage(w, r, http.StatusUnprocessableEntity, BookMessagePage{ClinicName: p.Org.Name, Heading: "Choose a time",
			Message: "The form does not name a time we offer. Please choose a time again on the clinic's page.", BackHref: back, BackLabel: "Choose a time"})
		return
	}
	fp := newBookForm(p, slug, c, k, start)
	fp.V = url.Values{}
	for _, key := range bookFormFields {
		fp.V.Set(key, v.Get(key))
	}
	// Mistakes in the details first: a person who sends the form at once
	// with a field left empty learns what is missing, not that the form
	// was too quick. The form's own token stays valid for the next try.
	if f := checkDetails(v, c.Location, s.schedNow()); len(f) > 0 {
		fp.Fields, fp.Token = f, v.Get("form_token")
		fp.Error = "Some details need a second look: see the notes below and beside each field. Nothing was booked yet."
		s.render(w, r, http.StatusUnprocessableEntity, "book_form", fp)
		return
	}
	booked, err := s.App.PublicBook(r.Context(), slug, ClientIP(r), app.PublicBooking{LocationID: c.Location, ServiceID: c.Service, TherapistID: c.Therapist,
		Start: start, FirstName: v.Get("first_name"), LastName: v.Get("last_name"), Email: v.Get("email"), Phone: v.Get("phone"), DOB: v.Get("dob"),
		Note: v.Get("note"), FormToken: v.Get("form_token"), Honeypot: v.Get("website")})
	if err != nil {
		status := errs.HTTPStatus(err)
		switch {
		case errs.Is(err, errs.NotFound):
			s.bookNotFound(w, r, errs.Message(err))
			return
		case status >= 500:
			s.bookFail(w, r, p.Org.Name, back, err)
			return
		case errs.Is(err, errs.Conflict):
			fp.Taken = true
		}
		fp.Error = errs.Message(err)
		for key, m := range errs.FieldsOf(err) {
			if n, ok := bookFieldNames[key]; ok {
				key = n
			}
			fp.Fields[key] = clientWords(m)
		}
		if len(fp.Fields) > 0 && !fp.Taken {
			fp.Error = "Some details need a second look: see the notes below and beside each field. Nothing was booked yet."
		}
		// A fresh token: the client may send the form again after fixing it.
		if fp.Token, err = s.App.FormToken(r.Context(), slug); err != nil {
			s.bookFail(w, r, p.Org.Name, back, err)
			return
		}
		s.render(w, r, status, "book_form", fp)
		return
	}
	done := BookDonePage{Page: Page{Title: "Booked · " + p.Org.Name, Bare: true}, Slug: slug, ClinicName: p.Org.Name,
		Email: strings.TrimSpace(v.Get("email")), NewClient: booked.NewClient}
	appt := booked.Appointment
	done.Summary = fp.Summary
	done.Summary.Therapist = appt.TherapistName
	if appt.ServiceName != "" {
		done.Summary.Service = appt.ServiceName
	}
	zone := booked.Zone
	if zone == nil {
		zone = app.LocationZone(p.Org, k.loc)
	}
	done.Summary.When = appt.Start.In(zone).Format(bookWhenLayout)
	if pk := booked.Package; pk != nil {
		done.Package = &BookPackage{Name: pk.Name, Left: pk.Remaining(), Until: longDate(pk.ExpiresOn)}
	}
	done.ManageHref = localHref(booked.ManageLink)
	s.render(w, r, http.StatusOK, "book_done", done)
}

// checkDetails checks the client's details of a booking form as the app
// will (clinic.Client's rules, and the e-mail and phone a booking needs),
// keyed by the form's fields.
func checkDetails(v url.Values, locationID int64, now time.Time) map[string]string {
	c := &clinic.Client{FirstName: v.Get("first_name"), LastName: v.Get("last_name"), DOB: v.Get("dob"), Email: v.Get("email"), Phone: v.Get("phone"),
		PreferredLocationID: locationID}
	out := map[string]string{}
	for k, m := range errs.FieldsOf(c.Validate(now)) {
		if slices.Contains(bookFormFields, k) {
			out[k] = clientWords(m)
		}
	}
	if _, ok := out["email"]; !ok && c.Email == "" {
		out["email"] = "Give your e-mail address: the confirmation goes there."
	}
	if _, ok := out["phone"]; !ok && c.Phone == "" {
		out["phone"] = "Give a phone number the clinic can reach you on."
	}
	return out
}

// longDate writes YYYY-MM-DD as "January 2, 2006".
func longDate(d string) string {
	t, err := time.Parse(clinic.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format(bookDateLayout)
}

// localHref is a link of the app's (made with its base URL for e-mails) as
// a path on this server, so it works whatever address the client came by.
func localHref(link string) string {
	u, err := url.Parse(link)
	if err != nil || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return u.EscapedPath()
}

// ---------------------------------------------------------------------------
// The appointment behind a client's link: see it, cancel it

var statusWords = map[string]string{
	schedule.Booked:        "Booked",
	schedule.CheckedIn:     "Checked in",
	schedule.Completed:     "Completed",
	schedule.NoShow:        "Missed",
	schedule.Cancelled:     "Cancelled",
	schedule.LateCancelled: "Cancelled late",
}

func (s *Server) newAppointmentPage(slug, token string, pa *app.PublicAppointment) BookAppointmentPage {
	appt := pa.Appointment
	zone := pa.Zone
	if zone == nil {
		zone = app.LocationZone(pa.Org, &pa.Location)
	}
	pg := BookAppointmentPage{Page: Page{Title: "Your appointment · " + pa.Org.Name, Bare: true}, Slug: slug, ClinicName: pa.Org.Name, Token: token,
		Summary: summaryOf(&pa.Location, nil), Status: statusWords[appt.Status], StatusKey: appt.Status,
		CanCancel: pa.CanCancel, Late: pa.Late, Window: hoursWords(pa.Policy.CancelWindowHours), Policy: policyText(pa.Policy)}
	if pg.Status == "" {
		pg.Status = appt.Status
	}
	pg.Summary.Service, pg.Summary.Therapist = appt.ServiceName, appt.TherapistName
	pg.Summary.Minutes = int(appt.End.Sub(appt.Start) / time.Minute)
	pg.Summary.When = appt.Start.In(zone).Format(bookWhenLayout)
	if pa.Fee > 0 {
		pg.Fee = app.Money(pa.Fee)
	}
	if appt.FeeCents > 0 {
		pg.Charged = app.Money(appt.FeeCents)
	}
	if pa.Policy.CancelWindowHours > 0 && !pa.Late {
		pg.FreeUntil = appt.Start.Add(-time.Duration(pa.Policy.CancelWindowHours) * time.Hour).In(zone).Format(bookWhenLayout)
	}
	return pg
}

func (s *Server) bookAppointmentPage(w http.ResponseWriter, r *http.Request) {
	slug, token := r.PathValue("slug"), r.PathValue("token")
	pa, err := s.App.OpenAppointmentLink(r.Context(), slug, token)
	if err != nil {
		s.linkFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "book_appointment", s.newAppointmentPage(slug, token, pa))
}

// linkFail answers a link that does not open: the same words whatever was
// wrong with it, so a forged link learns nothing.
func (s *Server) linkFail(w http.ResponseWriter, r *http.Request, err error) {
	if errs.HTTPStatus(err) >= 500 {
		s.bookFail(w, r, "", "", err)
		return
	}
	s.bookNotFound(w, r, "This link is not valid. Please check that you copied all of it, or call the clinic.")
}

func (s *Server) bookCancel(w http.ResponseWriter, r *http.Request) {
	slug, token := r.PathValue("slug"), r.PathValue("token")
	pa, err := s.App.OpenAppointmentLink(r.Context(), slug, token)
	if err != nil {
		s.linkFail(w, r, err)
		return
	}
	self := "/book/" + slug + "/appointment/" + token
	if !s.parsePublicForm(w, r, pa.Org.Name, self) {
		return
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	done, err := s.App.CancelByLink(r.Context(), slug, token, ClientIP(r), reason)
	if err != nil {
		status := errs.HTTPStatus(err)
		if status >= 500 || errs.Is(err, errs.NotFound) {
			s.linkFail(w, r, err)
			return
		}
		// Show the appointment as it is now, with why it was not cancelled.
		if now, err2 := s.App.OpenAppointmentLink(r.Context(), slug, token); err2 == nil {
			pa = now
		}
		pg := s.newAppointmentPage(slug, token, pa)
		pg.Error, pg.Reason = errs.Message(err), reason
		if f := errs.FieldsOf(err); len(f) > 0 {
			pg.Error = "The reason could not be saved: " + strings.Join(sortedValues(f), " ")
		}
		s.render(w, r, status, "book_appointment", pg)
		return
	}
	pg := s.newAppointmentPage(slug, token, done)
	pg.Cancelled = true
	s.render(w, r, http.StatusOK, "book_appointment", pg)
}

func sortedValues(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// ---------------------------------------------------------------------------
// A waitlist offer: a freed time, for the first to take it

func newOfferPage(slug, token string, o *app.WaitlistOffer) BookOfferPage {
	zone := o.Zone
	if zone == nil {
		zone = app.LocationZone(o.Org, &o.Location)
	}
	pg := BookOfferPage{Page: Page{Title: "A time has opened up · " + o.Org.Name, Bare: true}, Slug: slug, ClinicName: o.Org.Name, Token: token,
		Summary: summaryOf(&o.Location, nil), Available: o.Available}
	pg.Summary.Service, pg.Summary.Therapist = o.WaitingFor(), o.Freed.TherapistName
	pg.Summary.When = o.Freed.Start.In(zone).Format(bookWhenLayout)
	return pg
}

func (s *Server) bookOfferPage(w http.ResponseWriter, r *http.Request) {
	slug, token := r.PathValue("slug"), r.PathValue("token")
	o, err := s.App.OpenOffer(r.Context(), slug, token)
	if err != nil {
		s.linkFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "book_offer", newOfferPage(slug, token, o))
}

func (s *Server) bookOfferTake(w http.ResponseWriter, r *http.Request) {
	slug, token := r.PathValue("slug"), r.PathValue("token")
	o, err := s.App.OpenOffer(r.Context(), slug, token)
	if err != nil {
		s.linkFail(w, r, err)
		return
	}
	if !s.parsePublicForm(w, r, o.Org.Name, "/book/"+slug+"/offer/"+token) {
		return
	}
	o2, _, err := s.App.TakeOffer(r.Context(), slug, token, ClientIP(r))
	if o2 != nil {
		o = o2
	}
	pg := newOfferPage(slug, token, o)
	if err != nil {
		status := errs.HTTPStatus(err)
		if status >= 500 || errs.Is(err, errs.NotFound) {
			s.linkFail(w, r, err)
			return
		}
		pg.Available, pg.Error = false, errs.Message(err)
		s.render(w, r, status, "book_offer", pg)
		return
	}
	pg.Booked, pg.Available = true, false
	s.render(w, r, http.StatusOK, "book_offer", pg)
}

// ---------------------------------------------------------------------------
// GET /feed/{token}: a therapist's calendar for their phone

func (s *Server) therapistFeed(w http.ResponseWriter, r *http.Request) {
	// Calendar apps like a URL that ends in .ics; the token is the same.
	token := strings.TrimSuffix(r.PathValue("token"), ".ics")
	body, err := s.App.TherapistFeed(r.Context(), token, ClientIP(r))
	if err != nil {
		if errs.HTTPStatus(err) >= 500 {
			ref := requestID(r)
			s.Log.Error("calendar feed failed", "ref", ref, "err", err)
			http.Error(w, "Something went wrong on our side (reference "+ref+").", http.StatusInternalServerError)
			return
		}
		http.Error(w, "There is no calendar at this address.", http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8") // RFC 5545 §8.1
	h.Set("Cache-Control", "no-store")                    // the feed names clients: no shared caches
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}
