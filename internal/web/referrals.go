package web

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /reports/referrals", s.signedIn(s.referralsReport))
		m.HandleFunc("GET /clients/{id}/referral", s.signedIn(s.referralPage))
		m.HandleFunc("POST /clients/{id}/referral", s.signedIn(s.referralPost))
	})
	chartSections = append(chartSections, ChartSection{Order: 40, Render: renderReferralSection})
}

// ReferralsReportPage is the data of referrals_report.html.
type ReferralsReportPage struct {
	Page
	Report *app.ReferralReport
}

// MonthLabel writes YYYY-MM as "Nov 2026".
func (ReferralsReportPage) MonthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 2006")
}

// Source is the directory entry of a row.
func (p ReferralsReportPage) Source(id int64) clinic.Physician { return p.Report.Physicians[id] }

func (s *Server) referralsReport(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	rep, err := s.App.ReferralReport(r.Context(), a, 12)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "referrals_report", ReferralsReportPage{Page: Page{Title: "Referrals by source", Actor: a, Nav: "physicians"}, Report: rep})
}

// ReferralFormPage is the data of referral_form.html.
type ReferralFormPage struct {
	FormPage
	Client     *clinic.Client
	Referral   clinic.Referral
	Physicians []clinic.Physician
	Today      string
	// Recorded is true when a referral is already on record (Remove is offered).
	Recorded bool
}

func (s *Server) referralForm(w http.ResponseWriter, r *http.Request, a *auth.Actor) (*ReferralFormPage, bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	p := &ReferralFormPage{FormPage: FormPage{Page: Page{Title: "Referred by · " + c.DisplayName(), Actor: a, Nav: "clients"}}, Client: c, Today: s.App.ClinicDate(a)}
	if p.Physicians, err = s.App.SearchPhysicians(r.Context(), a, clinic.PhysicianFilter{Limit: 500}); err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	return p, true
}

func (s *Server) referralPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, ok := s.referralForm(w, r, a)
	if !ok {
		return
	}
	ref, err := s.App.Referral(r.Context(), a, p.Client.ID)
	switch {
	case err == nil:
		p.Referral, p.Recorded = *ref, true
	case errs.Is(err, errs.NotFound):
		p.Referral = clinic.Referral{ClientID: p.Client.ID, ReferredOn: p.Today}
	default:
		s.fail(w, r, a, err)
		return
	}
	s.render(w, r, http.StatusOK, "referral_form", p)
}

func (s *Server) referralPost(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	p, ok := s.referralForm(w, r, a)
	if !ok {
		return
	}
	back := "/clients/" + strconv.FormatInt(p.Client.ID, 10)
	if r.PostFormValue("action") == "clear" {
		if err := s.App.ClearReferral(r.Context(), a, p.Client.ID); err != nil {
			s.fail(w, r, a, err)
			return
		}
		http.Redirect(w, r, back+"?saved=1", http.StatusSeeOther)
		return
	}
	ref := clinic.Referral{ClientID: p.Client.ID, ReferredOn: r.PostFormValue("referred_on")}
	if v := r.PostFormValue("physician_id"); v != "" {
		if ref.PhysicianID, _ = strconv.ParseInt(v, 10, 64); ref.PhysicianID <= 0 {
			ref.PhysicianID = -1 // not a choice of the list: refused as unknown
		}
	}
	err := s.App.SetReferral(r.Context(), a, &ref)
	if err == nil {
		http.Redirect(w, r, back+"?saved=1", http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		s.fail(w, r, a, err)
		return
	}
	p.Referral, p.Error, p.Fields = ref, errs.Message(err), errs.FieldsOf(err)
	s.render(w, r, errs.HTTPStatus(err), "referral_form", p)
}

// referralSection is the data of the chart's "Referred by" section.
type referralSection struct {
	Client   *clinic.Client
	Referral *clinic.Referral
	CanWrite bool
}

func renderReferralSection(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	rec, err := s.careRecord(r, a, c)
	if err != nil {
		return "", err
	}
	return s.renderPartial("referral_section", referralSection{Client: c, Referral: rec.Referral, CanWrite: a.Can(auth.ClientWrite)})
}
