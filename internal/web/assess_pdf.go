package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/pdf"
)

// The parties of a clinical PDF (evaluation report, plan of care): the
// clinic's letterhead from the client's location, the client, and the
// physician and diagnoses of the prescription in force.

type pdfParties struct {
	Letterhead pdf.Letterhead
	Client     pdf.Person
	Physician  *pdf.Person
	Diagnoses  []pdf.Diagnosis
	TimeZone   *time.Location
}

// pdfParties: a physicianID of 0 and nil codes are those of the
// prescription in force today; the codes are titled as the code set in
// force on titlesOn (YYYY-MM-DD) names them.
func (s *Server) pdfParties(r *http.Request, a *auth.Actor, c *clinic.Client, physicianID int64, codes []string, titlesOn string) (*pdfParties, error) {
	p := &pdfParties{TimeZone: clinic.Zone(a.Org.TimeZone)}
	p.Letterhead.Clinic = a.Org.Name
	ls, err := s.App.Locations(r.Context(), a)
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		if l.ID == c.PreferredLocationID {
			p.Letterhead.Location, p.Letterhead.Phone = l.Name, l.Phone
			p.Letterhead.Address = strings.TrimSpace(l.Address1 + "\n" + strings.TrimSpace(l.City+", "+l.State+" "+l.Zip))
		}
	}
	p.Client = pdf.Person{Name: c.LegalName(), Detail: "DOB " + usDate(c.DOB) + " · Chart #" + strconv.FormatInt(c.ID, 10)}
	if physicianID == 0 || codes == nil {
		ps, _, err := s.App.Prescriptions(r.Context(), a, c.ID)
		if err != nil {
			return nil, err
		}
		if x := care.InForce(ps, s.App.ClinicDate(a)); x != nil {
			if physicianID == 0 {
				physicianID = x.PhysicianID
			}
			if codes == nil {
				codes = x.Diagnoses
			}
		}
	}
	titles, err := s.App.DiagnosisTitles(r.Context(), titlesOn, codes)
	if err != nil {
		return nil, err
	}
	for _, code := range codes {
		p.Diagnoses = append(p.Diagnoses, pdf.Diagnosis{Code: code, Title: titles[code]})
	}
	if physicianID != 0 {
		ph, err := s.App.Physician(r.Context(), a, physicianID)
		if err != nil {
			return nil, err
		}
		detail := []string{}
		if ph.NPI != "" {
			detail = append(detail, "NPI "+ph.NPI)
		}
		if ph.Fax != "" {
			detail = append(detail, "Fax "+ph.Fax)
		}
		if ph.Phone != "" {
			detail = append(detail, "Phone "+ph.Phone)
		}
		p.Physician = &pdf.Person{Name: ph.DisplayName(), Detail: strings.Join(detail, " · ")}
	}
	return p, nil
}

// sendPDF answers with a generated PDF, never cached, named without the client's name.
func sendPDF(w http.ResponseWriter, name string, b []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

func (s *Server) evaluationPDF(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	b, err := heldRead(s, r, func(r *http.Request) ([]byte, error) { return s.evaluationPDFBytes(r, a) })
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	sendPDF(w, "evaluation-"+r.PathValue("eid")+".pdf", b)
}

func (s *Server) evaluationPDFBytes(r *http.Request, a *auth.Actor) ([]byte, error) {
	p, err := s.loadEvaluation(r, a)
	if err != nil {
		return nil, err
	}
	parties, err := s.pdfParties(r, a, p.Client, 0, nil, p.Eval.Date)
	if err != nil {
		return nil, err
	}
	therapist := p.Eval.SignedByName
	if therapist == "" {
		if ts, err := s.App.Therapists(r.Context(), a); err == nil {
			for _, t := range ts {
				if t.ID == p.Eval.TherapistID {
					therapist = t.Name
				}
			}
		}
	}
	return pdf.Evaluation(pdf.EvaluationDoc{
		Letterhead: parties.Letterhead, Client: parties.Client, Physician: parties.Physician,
		Therapist: pdf.Person{Name: therapist, Detail: "Massage therapist"},
		Eval:      p.Eval, Previous: p.Prev, Diagnoses: parties.Diagnoses, TimeZone: parties.TimeZone, Thresholds: p.Thresholds,
	})
}
