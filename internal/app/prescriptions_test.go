package app_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// rxRescreened counts Rescreen calls by client, to check a new prescription
// re-runs screening.
var rxRescreened = struct {
	sync.Mutex
	n map[int64]int
}{n: map[int64]int{}}

func init() {
	app.RegisterRescreener(func(ctx context.Context, s *app.App, orgID, clientID int64) error {
		rxRescreened.Lock()
		rxRescreened.n[clientID]++
		rxRescreened.Unlock()
		return nil
	})
}

func rxRescreens(clientID int64) int {
	rxRescreened.Lock()
	defer rxRescreened.Unlock()
	return rxRescreened.n[clientID]
}

const rxPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

// rxPNG is a whole 1×1 PNG.
var rxPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// demoPhysician is an entry of the demo directory.
func demoPhysician(t *testing.T, s *testsrv.Server, a *auth.Actor) clinic.Physician {
	t.Helper()
	ps, err := s.App.SearchPhysicians(ctx, a, clinic.PhysicianFilter{Query: "kim"})
	if err != nil || len(ps) == 0 {
		t.Fatalf("no demo physician Kim: %v", err)
	}
	return ps[0]
}

// freshClient is a client of loc without prescriptions (the demo gives some clients theirs).
func freshClient(t *testing.T, s *testsrv.Server, loc int64) clinic.Client {
	t.Helper()
	cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{loc}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if ps, _ := s.DB.Prescriptions(ctx, s.Org.ID, c.ID); len(ps) == 0 {
			return c
		}
	}
	t.Fatalf("every client of location %d has a prescription", loc)
	return clinic.Client{}
}

// withoutScreening leaves out the screening area's own entries (Rescreen runs after a new prescription).
func withoutScreening(es []audit.Entry) []audit.Entry {
	var out []audit.Entry
	for _, e := range es {
		if !strings.HasPrefix(e.Action, "screening.") {
			out = append(out, e)
		}
	}
	return out
}

func newRx(s *testsrv.Server, a *auth.Actor, clientID, physicianID int64) *care.Prescription {
	today, _ := time.Parse(clinic.DateLayout, s.App.ClinicDate(a))
	return &care.Prescription{ClientID: clientID, PhysicianID: physicianID, WrittenOn: today.AddDate(0, 0, -2).Format(clinic.DateLayout),
		Diagnoses: []string{"M54.2", "G44.209"}, OrderedTreatment: "Medical massage, cervical region", FrequencyPerWeek: 2, DurationWeeks: 4,
		Precautions: "No deep pressure over the anterior neck."}
}

func TestPrescriptionPermissionsAndAudit(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		const ip = "198.51.100.40"
		maria, _ := signIn(t, s, testsrv.TherapistA, ip) // Downtown only
		desk, _ := signIn(t, s, testsrv.FrontDesk, ip)
		biller, _ := signIn(t, s, testsrv.Biller, ip)
		other, _ := signIn(t, s, testsrv.OtherOwner, ip)
		dt := freshClient(t, s, s.Downtown.ID)
		rr := freshClient(t, s, s.RoundRock.ID)
		kim := demoPhysician(t, s, maria)
		mariaID := userID(t, s, testsrv.TherapistA)

		// The therapist records a prescription of her location's client, with its scan.
		p := newRx(s, maria, dt.ID, kim.ID)
		before := rxRescreens(dt.ID)
		es := audited(t, s, func() {
			if err := s.App.CreatePrescription(ctx, maria, p, &app.Upload{Filename: "rx.pdf", Data: []byte(rxPDF)}); err != nil {
				t.Fatalf("therapist creates a prescription: %v", err)
			}
		})
		es = withoutScreening(es) // re-running screening is audited by the screening area
		if len(es) != 2 || es[0].Action != app.AuditDocumentCreate || es[1].Action != app.AuditPrescriptionCreate {
			t.Fatalf("audit of a new prescription with a scan: %+v", es)
		}
		if es[0].RecordID != p.DocumentID || es[1].RecordID != p.ID || es[1].RecordType != "prescription" || es[1].UserID != mariaID || es[1].SourceIP != ip {
			t.Errorf("audit entries %+v, prescription %d document %d", es, p.ID, p.DocumentID)
		}
		for _, e := range es {
			if strings.Contains(e.Detail, "rx.pdf") || strings.Contains(e.Detail, dt.LastName) {
				t.Errorf("audit detail holds a name: %q", e.Detail)
			}
		}
		if rxRescreens(dt.ID) != before+1 {
			t.Errorf("a new prescription did not re-run screening")
		}

		// Reading the chart's record is one audited read.
		var rec *app.CareRecord
		es = audited(t, s, func() {
			var err error
			if rec, err = s.App.ClientCareRecord(ctx, maria, dt.ID); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "care record read", es, audit.Entry{Action: app.AuditPrescriptionList, OrgID: s.Org.ID, UserID: mariaID, Actor: testsrv.TherapistA,
			RecordType: "client", RecordID: dt.ID, SourceIP: ip, Result: audit.OK})
		if len(rec.Prescriptions) != 1 || strings.Join(rec.Prescriptions[0].Diagnoses, " ") != "M54.2 G44.209" || rec.Titles["M54.2"] == "" {
			t.Errorf("care record: %+v", rec)
		}

		// The scan reads back, audited; the Round Rock therapist may not.
		es = audited(t, s, func() {
			d, data, err := s.App.Document(ctx, maria, p.DocumentID)
			if err != nil || !bytes.Equal(data, []byte(rxPDF)) || d.ContentType != clinic.TypePDF || d.Filename != "rx.pdf" {
				t.Errorf("document: %+v, %v", d, err)
			}
		})
		one(t, "document read", es, audit.Entry{Action: app.AuditDocumentRead, OrgID: s.Org.ID, UserID: mariaID, Actor: testsrv.TherapistA,
			RecordType: "document", RecordID: p.DocumentID, SourceIP: ip, Result: audit.OK})
		james, _ := signIn(t, s, testsrv.TherapistB, ip)
		es = audited(t, s, func() {
			if _, _, err := s.App.Document(ctx, james, p.DocumentID); errs.Code(err) != errs.Forbidden {
				t.Errorf("Round Rock therapist reads a Downtown scan: %v", err)
			}
		})
		if len(es) != 1 || es[0].Action != audit.Denied || es[0].Result != audit.Refused {
			t.Errorf("refused document read audit: %+v", es)
		}
		if _, _, err := s.App.Document(ctx, other, p.DocumentID); errs.Code(err) != errs.NotFound {
			t.Errorf("another org reads the scan: %v", err)
		}

		// Refused, audited as denials, nothing stored: another location's
		// client for the therapist, another organisation's client.
		for _, c := range []struct {
			who  *auth.Actor
			cid  int64
			code string
		}{{maria, rr.ID, errs.Forbidden}, {other, dt.ID, errs.NotFound}} {
			es := audited(t, s, func() {
				q := newRx(s, c.who, c.cid, kim.ID)
				if err := s.App.CreatePrescription(ctx, c.who, q, &app.Upload{Filename: "x.pdf", Data: []byte(rxPDF)}); errs.Code(err) != c.code {
					t.Errorf("%s creating a prescription of client %d: %v, want %s", c.who.User.Email, c.cid, err, c.code)
				}
				au := &care.Authorization{ClientID: c.cid, Payer: "Aetna", Number: "X1", VisitsAuthorized: 4, StartOn: "2026-01-01", EndOn: "2026-12-31"}
				if err := s.App.CreateAuthorization(ctx, c.who, au); errs.Code(err) != c.code {
					t.Errorf("%s creating an authorization of client %d: %v", c.who.User.Email, c.cid, err)
				}
				if _, err := s.App.ClientCareRecord(ctx, c.who, c.cid); errs.Code(err) != c.code {
					t.Errorf("%s reading client %d's prescriptions: %v", c.who.User.Email, c.cid, err)
				}
			})
			if len(es) != 3 {
				t.Errorf("%d audit entries for 3 refusals", len(es))
			}
			for _, e := range es {
				if e.Action != audit.Denied || e.Result != audit.Refused || e.RecordID != c.cid {
					t.Errorf("refusal audited as %+v", e)
				}
			}
		}
		if ps, _ := s.DB.Prescriptions(ctx, s.Org.ID, rr.ID); len(ps) != 0 {
			t.Errorf("refused prescriptions were stored")
		}
		if ds, _ := s.DB.ClientDocuments(ctx, s.Org.ID, rr.ID); len(ds) != 0 {
			t.Errorf("refused scans were stored")
		}

		// The front desk and billing record and read them for every location.
		for _, who := range []*auth.Actor{desk, biller} {
			q := newRx(s, who, rr.ID, kim.ID)
			if err := s.App.CreatePrescription(ctx, who, q, nil); err != nil {
				t.Errorf("%s creating a prescription: %v", who.User.Email, err)
			}
			au := &care.Authorization{ClientID: rr.ID, PrescriptionID: q.ID, Payer: "Aetna", Number: "A-" + who.User.Email[:4], VisitsAuthorized: 8, StartOn: q.StartOn, EndOn: q.ExpiresOn}
			es := audited(t, s, func() {
				if err := s.App.CreateAuthorization(ctx, who, au); err != nil {
					t.Errorf("%s creating an authorization: %v", who.User.Email, err)
				}
			})
			if len(es) != 1 || es[0].Action != app.AuditAuthorizationCreate || es[0].RecordID != au.ID {
				t.Errorf("authorization audit: %+v", es)
			}
			if as, err := s.App.Authorizations(ctx, who, rr.ID); err != nil || len(as) == 0 {
				t.Errorf("%s listing authorizations: %v", who.User.Email, err)
			}
		}

		// Physicians: everyone reads; changes are audited.
		ph := &clinic.Physician{Name: "Test Prescriber", Credentials: "MD", NPI: "1245319599"}
		es = audited(t, s, func() {
			if err := s.App.CreatePhysician(ctx, desk, ph); err != nil {
				t.Fatal(err)
			}
		})
		one(t, "physician create", es, audit.Entry{Action: app.AuditPhysicianCreate, OrgID: s.Org.ID, UserID: userID(t, s, testsrv.FrontDesk), Actor: testsrv.FrontDesk,
			RecordType: "physician", RecordID: ph.ID, SourceIP: ip, Result: audit.OK})
		ph.Specialty = "Sports medicine"
		es = audited(t, s, func() {
			if err := s.App.UpdatePhysician(ctx, maria, ph); err != nil {
				t.Fatal(err)
			}
		})
		if len(es) != 1 || es[0].Detail != "changed specialty" {
			t.Errorf("physician update audit: %+v", es)
		}
		if _, err := s.App.Physician(ctx, other, ph.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another org reads the entry: %v", err)
		}
		if ps, _ := s.App.SearchPhysicians(ctx, other, clinic.PhysicianFilter{Query: "test"}); len(ps) != 0 {
			t.Errorf("another org finds the entry")
		}
	})
}

func TestPrescriptionRefusals(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, "127.0.0.1")
		c := freshClient(t, s, s.Downtown.ID)
		kim := demoPhysician(t, s, owner)
		count := func() (int, int) {
			ps, _ := s.DB.Prescriptions(ctx, s.Org.ID, c.ID)
			ds, _ := s.DB.ClientDocuments(ctx, s.Org.ID, c.ID)
			return len(ps), len(ds)
		}
		for _, k := range []struct {
			name  string
			edit  func(p *care.Prescription)
			scan  *app.Upload
			code  string
			field string
			msg   string
		}{
			{"a category", func(p *care.Prescription) { p.Diagnoses = []string{"M54.2", "M54.5"} }, nil, errs.Invalid, "diagnoses", "M54.50"},
			{"html named .pdf", nil, &app.Upload{Filename: "rx.pdf", Data: []byte("<!doctype html><script>alert(1)</script>")}, errs.Invalid, "document", "PDF, JPEG or PNG"},
			{"over 10 MB", nil, &app.Upload{Filename: "big.pdf", Data: append([]byte("%PDF-1.7\n"), make([]byte, 10<<20)...)}, errs.TooLarge, "document", "10 MB"},
			{"bad form and bad scan", func(p *care.Prescription) { p.OrderedTreatment = "" }, &app.Upload{Filename: "x.pdf", Data: []byte("GIF89a")}, errs.Invalid, "ordered_treatment", "treatment"},
			{"unknown physician", func(p *care.Prescription) { p.PhysicianID = 99999999 }, &app.Upload{Filename: "x.pdf", Data: []byte(rxPDF)}, errs.Invalid, "physician_id", "Unknown"},
		} {
			p := newRx(s, owner, c.ID, kim.ID)
			if k.edit != nil {
				k.edit(p)
			}
			err := s.App.CreatePrescription(ctx, owner, p, k.scan)
			if errs.Code(err) != k.code || !strings.Contains(errs.FieldsOf(err)[k.field], k.msg) {
				t.Errorf("%s: %v (fields %v), want %s with %q on %s", k.name, err, errs.FieldsOf(err), k.code, k.msg, k.field)
			}
			if k.name == "bad form and bad scan" && errs.FieldsOf(err)["document"] == "" {
				t.Errorf("the scan's problem is not reported with the form's: %v", errs.FieldsOf(err))
			}
			if n, d := count(); n != 0 || d != 0 {
				t.Fatalf("%s: %d prescriptions and %d documents stored", k.name, n, d)
			}
		}
		// A PNG named .pdf is stored as the PNG it is.
		p := newRx(s, owner, c.ID, kim.ID)
		if err := s.App.CreatePrescription(ctx, owner, p, &app.Upload{Filename: "scan.pdf", Data: rxPNG}); err != nil {
			t.Fatal(err)
		}
		d, _, err := s.App.Document(ctx, owner, p.DocumentID)
		if err != nil || d.ContentType != clinic.TypePNG || d.Filename != "scan.png" {
			t.Errorf("PNG named .pdf stored as %+v, %v", d, err)
		}
		// SaveDocument for other areas: same checks, same audit.
		doc := &clinic.Document{ClientID: c.ID, Kind: clinic.DocumentClearance, Filename: "clearance.jpg"}
		if err := s.App.SaveDocument(ctx, owner, doc, []byte("<html>")); errs.Code(err) != errs.Invalid {
			t.Errorf("SaveDocument of HTML: %v", err)
		}
		es := audited(t, s, func() {
			if err := s.App.SaveDocument(ctx, owner, doc, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")); err != nil {
				t.Fatal(err)
			}
		})
		if len(es) != 1 || es[0].Action != app.AuditDocumentCreate || es[0].RecordID != doc.ID || doc.ContentType != clinic.TypeJPEG {
			t.Errorf("SaveDocument: %+v, audit %+v", doc, es)
		}
	})
}

func TestReferralsAndReport(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, "127.0.0.1")
		maria, _ := signIn(t, s, testsrv.TherapistA, "127.0.0.1")
		desk, _ := signIn(t, s, testsrv.FrontDesk, "127.0.0.1")
		rr := s.ClientAt(t, s.RoundRock.ID)
		ph := &clinic.Physician{Name: "Referral Tester", Credentials: "MD"}
		if err := s.App.CreatePhysician(ctx, owner, ph); err != nil {
			t.Fatal(err)
		}
		rep, err := s.App.ReferralReport(ctx, owner, 0)
		if err != nil || len(rep.Months) != 12 || rep.Total == 0 || !rep.AllLocations {
			t.Fatalf("owner's report: %+v, %v", rep, err)
		}
		// The total grows by one, unless the client's earlier referral was already counted.
		want := rep.Total + 1
		if prior, err := s.DB.Referral(ctx, s.Org.ID, rr.ID); err == nil && prior.ReferredOn >= rep.Months[0]+"-01" {
			want--
		}
		es := audited(t, s, func() {
			r := &clinic.Referral{ClientID: rr.ID, PhysicianID: ph.ID, ReferredOn: s.App.ClinicDate(desk)}
			if err := s.App.SetReferral(ctx, desk, r); err != nil {
				t.Fatal(err)
			}
		})
		if len(es) != 1 || es[0].Action != app.AuditReferralSet || es[0].RecordID != rr.ID {
			t.Errorf("referral audit: %+v", es)
		}
		if r, err := s.App.Referral(ctx, owner, rr.ID); err != nil || r.PhysicianID != ph.ID || r.Physician.Name != "Referral Tester" {
			t.Errorf("referral read: %+v, %v", r, err)
		}
		rep, _ = s.App.ReferralReport(ctx, owner, 0)
		var row *clinic.ReferralRow
		for i := range rep.Rows {
			if rep.Rows[i].PhysicianID == ph.ID {
				row = &rep.Rows[i]
			}
		}
		if row == nil || row.Total != 1 || row.Counts[11] != 1 || rep.Physicians[ph.ID].Name != "Referral Tester" {
			t.Errorf("the new referral in this month's column: %+v", row)
		}
		if rep.Total != want {
			t.Errorf("total %d, want %d", rep.Total, want)
		}
		// The Downtown therapist's report counts Downtown clients only.
		mrep, err := s.App.ReferralReport(ctx, maria, 0)
		if err != nil || mrep.AllLocations || mrep.Total >= rep.Total {
			t.Errorf("therapist's report: total %d of %d, %v", mrep.Total, rep.Total, err)
		}
		for _, r := range mrep.Rows {
			if r.PhysicianID == ph.ID {
				t.Errorf("the therapist's report counts a Round Rock client")
			}
		}
		// The front desk may not see the report; the refusal is audited.
		es = audited(t, s, func() {
			if _, err := s.App.ReferralReport(ctx, desk, 0); errs.Code(err) != errs.Forbidden {
				t.Errorf("front desk report: %v", err)
			}
		})
		if len(es) != 1 || es[0].Action != audit.Denied {
			t.Errorf("refused report audit: %+v", es)
		}
		// The Downtown therapist may neither read nor set a Round Rock client's referral.
		if _, err := s.App.Referral(ctx, maria, rr.ID); errs.Code(err) != errs.Forbidden {
			t.Errorf("therapist reads another location's referral: %v", err)
		}
		if err := s.App.SetReferral(ctx, maria, &clinic.Referral{ClientID: rr.ID, PhysicianID: ph.ID, ReferredOn: "2026-01-05"}); errs.Code(err) != errs.Forbidden {
			t.Errorf("therapist sets another location's referral: %v", err)
		}
	})
}
