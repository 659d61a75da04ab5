package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// ClientsPage is the data of clients.html: the search page and its live results.
type ClientsPage struct {
	Page
	Query     string
	Status    string
	Clients   []clinic.Client
	Locations map[int64]string
	Searched  bool
	// Rows is the results table's body, built by clientRows.
	Rows   template.HTML
	More   bool
	Offset int
	Next   int
}

const pageSize = 25

func (s *Server) clientsPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := r.URL.Query()
	p := ClientsPage{Page: Page{Title: "Clients", Actor: a, Nav: "clients"}, Query: q.Get("q"), Status: q.Get("status")}
	p.Offset, _ = strconv.Atoi(q.Get("offset"))
	if p.Offset < 0 || p.Offset > 100000 {
		p.Offset = 0
	}
	st := clinic.ClientStatus(p.Status)
	if st != clinic.StatusActive && st != clinic.StatusInactive && st != clinic.StatusDischarged {
		st, p.Status = "", ""
	}
	cs, err := s.App.SearchClients(r.Context(), a, clinic.ClientFilter{Query: p.Query, Status: st, Limit: pageSize + 1, Offset: p.Offset, Brief: true})
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if len(cs) > pageSize {
		cs, p.More, p.Next = cs[:pageSize], true, p.Offset+pageSize
	}
	p.Clients, p.Searched = cs, p.Query != ""
	if p.Locations, err = s.locationNames(r, a); err != nil {
		s.fail(w, r, a, err)
		return
	}
	p.Rows = clientRows(p.Clients, p.Locations)
	s.render(w, r, http.StatusOK, "clients", p)
}

// clientRows writes the rows of the client list. It is the search page's
// hot path: the same markup through html/template's reflection was a third
// of the page's CPU under load. Every value is escaped here.
func clientRows(cs []clinic.Client, locations map[int64]string) template.HTML {
	var b strings.Builder
	b.Grow(len(cs) * 400)
	esc := template.HTMLEscapeString
	for i := range cs {
		c := &cs[i]
		b.WriteString("<tr>\n    <td><a href=\"/clients/")
		b.WriteString(strconv.FormatInt(c.ID, 10))
		b.WriteString("\">")
		b.WriteString(esc(c.LastName))
		b.WriteString(", ")
		b.WriteString(esc(c.FirstName))
		if c.MiddleName != "" {
			for _, r := range c.MiddleName {
				b.WriteString(" " + esc(string(r)) + ".")
				break
			}
		}
		if c.PreferredName != "" {
			b.WriteString(` <span class="muted">“` + esc(c.PreferredName) + `”</span>`)
		}
		b.WriteString("</a></td>\n    <td>")
		b.WriteString(esc(usDate(c.DOB)))
		b.WriteString("</td>\n    <td>")
		b.WriteString(esc(c.Phone))
		b.WriteString("</td>\n    <td>")
		b.WriteString(esc(locations[c.PreferredLocationID]))
		b.WriteString("</td>\n    <td><span class=\"badge ")
		b.WriteString(esc(string(c.Status)))
		b.WriteString("\">")
		b.WriteString(esc(string(c.Status)))
		b.WriteString("</span></td>\n  </tr>\n")
	}
	return template.HTML(b.String())
}

func (s *Server) locationNames(r *http.Request, a *auth.Actor) (map[int64]string, error) {
	ls, err := s.App.Locations(r.Context(), a)
	if err != nil {
		return nil, err
	}
	m := map[int64]string{}
	for _, l := range ls {
		m[l.ID] = l.Name
	}
	return m, nil
}

// ClientFormPage is the data of client_form.html, for a new client or an edit.
type ClientFormPage struct {
	Page
	Client     clinic.Client
	IsNew      bool
	Error      string
	Fields     map[string]string
	Locations  []clinic.Location
	Therapists []clinic.User
	Duplicates []clinic.Client
	// Conflict lists what someone else saved meanwhile, field by field.
	Conflict []FieldDiff
}

// FieldDiff is one field that differs between the user's form and the saved record.
type FieldDiff struct{ Label, Yours, Saved string }

func (s *Server) clientForm(r *http.Request, a *auth.Actor, p *ClientFormPage) error {
	p.Actor, p.Nav = a, "clients"
	ls, err := s.App.Locations(r.Context(), a)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if a.MaySeeClient(l.ID) {
			p.Locations = append(p.Locations, l)
		}
	}
	p.Therapists, err = s.App.Therapists(r.Context(), a)
	return err
}

func (s *Server) clientNewPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p := ClientFormPage{Page: Page{Title: "New client"}, IsNew: true, Client: clinic.Client{Status: clinic.StatusActive, Sex: ""}}
	if err := s.clientForm(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	if len(p.Locations) == 1 {
		p.Client.PreferredLocationID = p.Locations[0].ID
	}
	s.render(w, r, http.StatusOK, "client_form", p)
}

func clientFromForm(r *http.Request) clinic.Client {
	f := r.PostFormValue
	id := func(k string) int64 {
		n, err := strconv.ParseInt(f(k), 10, 64)
		if err != nil && f(k) != "" {
			return -1 // not a number: refused by validation as an unknown choice
		}
		return n
	}
	return clinic.Client{
		FirstName: f("first_name"), MiddleName: f("middle_name"), LastName: f("last_name"), Suffix: f("suffix"),
		PreferredName: f("preferred_name"), DOB: f("dob"), Sex: clinic.Sex(f("sex")),
		Address1: f("address1"), Address2: f("address2"), City: f("city"), State: f("state"), Zip: f("zip"),
		Phone: f("phone"), Email: f("email"),
		EmergencyName: f("emergency_name"), EmergencyPhone: f("emergency_phone"), EmergencyRelation: f("emergency_relation"),
		PreferredLocationID: id("preferred_location_id"), PreferredTherapistID: id("preferred_therapist_id"),
		Status: clinic.ClientStatus(f("status")), Version: id("version"),
	}
}

func (s *Server) clientCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	c := clientFromForm(r)
	p := ClientFormPage{Page: Page{Title: "New client"}, IsNew: true, Client: c}
	if err := s.clientForm(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	if r.PostFormValue("confirm_new") != "1" {
		dups, err := s.App.PossibleDuplicates(r.Context(), a, &c)
		if err != nil {
			s.fail(w, r, a, err)
			return
		}
		if len(dups) > 0 {
			p.Duplicates = dups
			p.Error = "A client with this name and date of birth already exists. Open that record, or confirm this is a different person."
			s.render(w, r, http.StatusConflict, "client_form", p)
			return
		}
	}
	if err := s.App.CreateClient(r.Context(), a, &c); err != nil {
		if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) {
			s.fail(w, r, a, err)
			return
		}
		p.Client, p.Error, p.Fields = c, errs.Message(err), errs.FieldsOf(err)
		s.render(w, r, errs.HTTPStatus(err), "client_form", p)
		return
	}
	http.Redirect(w, r, "/clients/"+strconv.FormatInt(c.ID, 10)+"?saved=1", http.StatusSeeOther)
}

func pathID(r *http.Request) (int64, error) { return pathNumber(r, "id", "record") }

// pathNumber is a positive number in the path's {name}, or NotFound
// ("There is no such what.").
func pathNumber(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.E(errs.NotFound, "There is no such %s.", what)
	}
	return id, nil
}

// ChartPage is the data of client_chart.html.
type ChartPage struct {
	Page
	Client    *clinic.Client
	Location  string
	Therapist string
	Age       int
	// Banners show above the chart (safety screening, expiring prescriptions);
	// Sections below the demographics. Each comes from a ChartSection.
	Banners  []template.HTML
	Sections []template.HTML
	// Written once in Go rather than by template functions (the chart is
	// the most visited page): the date of birth, the record's times, and
	// what the actor may do.
	DOB, Created, Updated string
	CanEdit, CanAudit     bool
}

// ChartSection adds a part of the care loop to the chart page. Render
// returns "" when it has nothing to show.
type ChartSection struct {
	// Order sorts sections (lower first); Banner puts it above the chart.
	Order  int
	Banner bool
	Render func(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error)
}

// chartSections are registered by each area's file in its init.
var chartSections []ChartSection

func (s *Server) renderChartSections(r *http.Request, a *auth.Actor, c *clinic.Client, p *ChartPage) error {
	secs := slices.Clone(chartSections)
	slices.SortStableFunc(secs, func(x, y ChartSection) int { return x.Order - y.Order })
	// Sections render one after the other (their audit entries are held and
	// written as one by clientChart). Side by side they made six goroutines
	// per page queue for the reader connections, which under load cost more
	// than it saved.
	out := make([]template.HTML, len(secs))
	errc := make([]error, len(secs))
	for i, sec := range secs {
		out[i], errc[i] = sec.Render(s, r, a, c)
		if errc[i] != nil {
			break
		}
	}
	for i, sec := range secs {
		if errc[i] != nil {
			return errc[i]
		}
		if out[i] == "" {
			continue
		}
		if sec.Banner {
			p.Banners = append(p.Banners, out[i])
		} else {
			p.Sections = append(p.Sections, out[i])
		}
	}
	return nil
}

// heldRead runs read with the audit entries of its reads held and written
// as one (app.HoldAudit) before it returns: a page or document made of
// several reads is one act of reading, audited before it is sent.
func heldRead[T any](s *Server, r *http.Request, read func(*http.Request) (T, error)) (T, error) {
	r = r.WithContext(app.HoldAudit(r.Context()))
	v, err := read(r)
	if ferr := s.App.FlushAudit(r.Context()); err == nil {
		err = ferr
	}
	return v, err
}

func (s *Server) clientChart(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	// The chart's reads (client, screening, health history, care record) are one audit entry.
	p, err := heldRead(s, r, func(r *http.Request) (*ChartPage, error) { return s.chartPage(r, a) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "client_chart", p)
}

func (s *Server) chartPage(r *http.Request, a *auth.Actor) (*ChartPage, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	zone := clinic.Zone(a.Org.TimeZone)
	p := &ChartPage{Page: Page{Title: c.DisplayName(), Actor: a, Nav: "clients"}, Client: c, Age: c.Age(s.App.DB.Now()),
		DOB: usDate(c.DOB), Created: c.CreatedAt.In(zone).Format(dateTimeLayout), Updated: c.UpdatedAt.In(zone).Format(dateTimeLayout),
		CanEdit: a.Can(auth.ClientWrite), CanAudit: a.Can(auth.AuditRead)}
	if r.URL.Query().Get("saved") == "1" {
		p.Flash = "Saved."
	}
	names, err := s.locationNames(r, a)
	if err != nil {
		return nil, err
	}
	p.Location = names[c.PreferredLocationID]
	if c.PreferredTherapistID != 0 {
		if ts, err := s.App.Therapists(r.Context(), a); err == nil {
			for _, t := range ts {
				if t.ID == c.PreferredTherapistID {
					p.Therapist = t.Name
				}
			}
		}
	}
	if err := s.renderChartSections(r, a, c, p); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) clientEditPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := ClientFormPage{Page: Page{Title: "Edit " + c.DisplayName()}, Client: *c}
	if err := s.clientForm(r, a, &p); err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "client_form", p)
}

// fullUpdate turns a whole form into an update of every field.
func fullUpdate(c *clinic.Client) clinic.ClientUpdate {
	return clinic.ClientUpdate{
		FirstName: &c.FirstName, MiddleName: &c.MiddleName, LastName: &c.LastName, Suffix: &c.Suffix, PreferredName: &c.PreferredName,
		DOB: &c.DOB, Sex: &c.Sex, Address1: &c.Address1, Address2: &c.Address2, City: &c.City, State: &c.State, Zip: &c.Zip,
		Phone: &c.Phone, Email: &c.Email, EmergencyName: &c.EmergencyName, EmergencyPhone: &c.EmergencyPhone, EmergencyRelation: &c.EmergencyRelation,
		PreferredLocationID: &c.PreferredLocationID, PreferredTherapistID: &c.PreferredTherapistID, Status: &c.Status,
	}
}

func (s *Server) clientUpdate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	c := clientFromForm(r)
	c.ID = id
	if c.Version <= 0 {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form is missing its version; reload the page and try again."))
		return
	}
	_, err = s.App.UpdateClient(r.Context(), a, id, c.Version, fullUpdate(&c))
	if err == nil {
		http.Redirect(w, r, "/clients/"+strconv.FormatInt(id, 10)+"?saved=1", http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		s.fail(w, r, a, err)
		return
	}
	p := ClientFormPage{Page: Page{Title: "Edit client"}, Client: c, Error: errs.Message(err), Fields: errs.FieldsOf(err)}
	if errs.Is(err, errs.Conflict) {
		saved, rerr := s.App.Client(r.Context(), a, id)
		if rerr != nil {
			s.fail(w, r, a, rerr)
			return
		}
		mine := c
		mine.Normalize()
		p.Conflict = diffClients(&mine, saved)
		// The form now carries the saved version: saving again deliberately keeps the user's values.
		p.Client.Version = saved.Version
		p.Error = "Someone else saved this client while you were editing. Nothing of yours was saved yet: compare below, then save again to keep your values."
	}
	if ferr := s.clientForm(r, a, &p); ferr != nil {
		s.fail(w, r, a, ferr)
		return
	}
	s.render(w, r, errs.HTTPStatus(err), "client_form", p)
}

func diffClients(mine, saved *clinic.Client) []FieldDiff {
	var d []FieldDiff
	add := func(label, x, y string) {
		if strings.TrimSpace(x) != strings.TrimSpace(y) {
			d = append(d, FieldDiff{label, x, y})
		}
	}
	add("Legal first name", mine.FirstName, saved.FirstName)
	add("Middle name", mine.MiddleName, saved.MiddleName)
	add("Legal last name", mine.LastName, saved.LastName)
	add("Suffix", mine.Suffix, saved.Suffix)
	add("Preferred name", mine.PreferredName, saved.PreferredName)
	add("Date of birth", mine.DOB, saved.DOB)
	add("Sex", string(mine.Sex), string(saved.Sex))
	add("Address", mine.Address1, saved.Address1)
	add("Address line 2", mine.Address2, saved.Address2)
	add("City", mine.City, saved.City)
	add("State", mine.State, saved.State)
	add("ZIP", mine.Zip, saved.Zip)
	add("Phone", mine.Phone, saved.Phone)
	add("Email", mine.Email, saved.Email)
	add("Emergency contact", mine.EmergencyName, saved.EmergencyName)
	add("Emergency phone", mine.EmergencyPhone, saved.EmergencyPhone)
	add("Relation", mine.EmergencyRelation, saved.EmergencyRelation)
	add("Status", string(mine.Status), string(saved.Status))
	if mine.PreferredLocationID != saved.PreferredLocationID {
		d = append(d, FieldDiff{"Location", "changed", "changed"})
	}
	return d
}
