package web

// The public booking page's content in the scheduling settings: therapists'
// bios and credentials, and clients' testimonials with their consent.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// SchedPublicPage is the data of scheduling_public.html.
type SchedPublicPage struct {
	SchedPage
	PublicURL    string
	Profiles     []SchedProfileRow
	Testimonials []SchedTestimonialRow
	// ClientQuery and Clients are the search for the client a testimonial
	// is from (optional).
	ClientQuery string
	Clients     []clinic.Client
	Searched    bool
	Today       string
	MaxBio      int
	MaxBioText  string // "2,000"
	MaxBody     int
}

// SchedProfileRow is a therapist's profile and the name of its form.
type SchedProfileRow struct {
	store.TherapistProfile
	Form string
}

// SchedTestimonialRow is a testimonial as the list shows it.
type SchedTestimonialRow struct {
	store.Testimonial
	Consent string
}

// ClientChosen reports whether client id is the one chosen in the form sent back.
func (p SchedPublicPage) ClientChosen(id int64) bool {
	return p.V("testimonial", "client_id") == strconv.FormatInt(id, 10)
}

func (s *Server) schedPublicPage(r *http.Request, a *auth.Actor) (SchedPublicPage, error) {
	ctx := r.Context()
	p := SchedPublicPage{SchedPage: schedPage(r, a, "public", "Public page"), PublicURL: "/book/" + a.Org.Slug,
		Today: s.App.ClinicDate(a), MaxBio: store.MaxBio, MaxBioText: schedThousands(store.MaxBio), MaxBody: store.MaxTestimonial}
	profs, err := s.App.Profiles(ctx, a)
	if err != nil {
		return p, err
	}
	for _, pr := range profs {
		p.Profiles = append(p.Profiles, SchedProfileRow{TherapistProfile: pr, Form: "profile-" + strconv.FormatInt(pr.UserID, 10)})
	}
	tms, err := s.App.Testimonials(ctx, a)
	if err != nil {
		return p, err
	}
	zone := schedOrgZone(a)
	for _, t := range tms {
		p.Testimonials = append(p.Testimonials, SchedTestimonialRow{Testimonial: t, Consent: t.ConsentAt.In(zone).Format("Jan 2, 2006")})
	}
	return p, nil
}

// schedSearchClients fills the client choice of the testimonial form: the
// clients q finds, and the client already chosen.
func (s *Server) schedSearchClients(r *http.Request, a *auth.Actor, p *SchedPublicPage, q string) error {
	p.ClientQuery = strings.TrimSpace(q)
	if p.ClientQuery != "" {
		cs, err := s.App.SearchClients(r.Context(), a, clinic.ClientFilter{Query: p.ClientQuery, Limit: 10, Brief: true})
		if err != nil {
			return err
		}
		p.Clients, p.Searched = cs, true
	}
	id, err := strconv.ParseInt(p.V("testimonial", "client_id"), 10, 64)
	if err != nil || id <= 0 || slices.ContainsFunc(p.Clients, func(c clinic.Client) bool { return c.ID == id }) {
		return nil
	}
	c, err := s.App.Client(r.Context(), a, id)
	if errs.Is(err, errs.NotFound) {
		return nil // the form says so next to the field
	}
	if err != nil {
		return err
	}
	p.Clients = append([]clinic.Client{*c}, p.Clients...)
	return nil
}

func (s *Server) schedPublic(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, err := s.schedPublicPage(r, a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	q := r.URL.Query()
	if q.Has("client_q") {
		// The client search, from the form's Find button (or, with htmx,
		// as the search is typed): the form keeps what was typed.
		p.Form, p.Values = "testimonial", q
		if err := s.schedSearchClients(r, a, &p, q.Get("client_q")); err != nil {
			s.fail(w, r, a, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "scheduling_public", p)
}

// schedPublicBack shows the page again with the errors of one of its forms.
func (s *Server) schedPublicBack(w http.ResponseWriter, r *http.Request, a *auth.Actor, form string, err error) {
	p, perr := s.schedPublicPage(r, a)
	if perr != nil {
		s.fail(w, r, a, perr)
		return
	}
	if !p.sendBack(form, r, err) {
		s.fail(w, r, a, err)
		return
	}
	if form == "testimonial" {
		if serr := s.schedSearchClients(r, a, &p, r.PostForm.Get("client_q")); serr != nil {
			s.fail(w, r, a, serr)
			return
		}
	}
	s.render(w, r, errs.HTTPStatus(err), "scheduling_public", p)
}

func (s *Server) schedProfileSave(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "therapist")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	v := r.PostForm
	pr := store.TherapistProfile{UserID: id, Credentials: v.Get("credentials"), Bio: strings.ReplaceAll(v.Get("bio"), "\r\n", "\n"), Public: schedChecked(v, "public")}
	if err := s.App.SaveProfile(r.Context(), a, &pr); err != nil {
		if errs.FieldsOf(err)["user_id"] != "" {
			s.fail(w, r, a, errs.E(errs.NotFound, "There is no such therapist."))
			return
		}
		s.schedPublicBack(w, r, a, "profile-"+strconv.FormatInt(id, 10), err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/public?saved=1#profile-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) schedTestimonialAdd(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	v := r.PostForm
	f := errs.FieldErrors{}
	t := store.Testimonial{DisplayName: v.Get("display_name"), Body: strings.ReplaceAll(v.Get("body"), "\r\n", "\n"), Published: schedChecked(v, "published")}
	t.ClientID = schedFormID(f, v, "client_id", "Choose one of your clients, or none.")
	// Consent is recorded as a date: the start of that day in the clinic's zone.
	on := strings.TrimSpace(v.Get("consent_on"))
	var ok bool
	switch t.ConsentAt, ok = schedInstant(on, 0, schedOrgZone(a)); {
	case on == "":
		f.Add("consent_on", "Enter the date the client agreed to have this published.")
	case !ok:
		f.Add("consent_on", "Enter the date as YYYY-MM-DD, such as 2026-03-14.")
	case t.ConsentAt.Format(time.DateOnly) > s.App.ClinicDate(a):
		f.Add("consent_on", "The consent cannot be dated after today.")
	}
	if strings.TrimSpace(t.DisplayName) == "" {
		f.Add("display_name", "Enter the name to show, for example “Ann S.”.")
	}
	if strings.TrimSpace(t.Body) == "" {
		f.Add("body", "Enter what the client said.")
	}
	err := f.Err()
	if err == nil {
		err = schedRename(s.App.AddTestimonial(r.Context(), a, &t), map[string]string{"consent_at": "consent_on"})
	}
	if err != nil {
		s.schedPublicBack(w, r, a, "testimonial", err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/public?added=1#testimonials", http.StatusSeeOther)
}

func (s *Server) schedTestimonialPublish(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathNumber(r, "id", "testimonial")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := readSchedForm(w, r); err != nil {
		s.fail(w, r, a, err)
		return
	}
	on, err := schedOnOff(r.PostForm.Get("published"), "Choose whether to publish or hide the testimonial.")
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	if err := s.App.PublishTestimonial(r.Context(), a, id, on); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/scheduling/public?saved=1#testimonials", http.StatusSeeOther)
}

// schedThousands writes n with thousands separators: 2000 as "2,000".
func schedThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
