package care

import (
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/errs"
)

// codes is a small code set with the shapes that matter: billable codes,
// a category whose children are billable, and a code retired into children.
var codes = icd10.NewSet(2027, []icd10.Code{
	{Code: "M54", Title: "Dorsalgia", Billable: false},
	{Code: "M54.2", Title: "Cervicalgia", Billable: true},
	{Code: "M54.5", Title: "Low back pain", Billable: false},
	{Code: "M54.50", Title: "Low back pain, unspecified", Billable: true},
	{Code: "M54.51", Title: "Vertebrogenic low back pain", Billable: true},
	{Code: "M54.59", Title: "Other low back pain", Billable: true},
	{Code: "G44.209", Title: "Tension-type headache, unspecified, not intractable", Billable: true},
	{Code: "M79.7", Title: "Fibromyalgia", Billable: true},
})

var day = time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)

func validRx() Prescription {
	return Prescription{PhysicianID: 4, WrittenOn: "11/20/2026", Diagnoses: []string{"m542", " M54.50 "},
		OrderedTreatment: "Medical massage, cervical and lumbar; myofascial release", FrequencyPerWeek: 2, DurationWeeks: 6}
}

func TestPrescriptionValidate(t *testing.T) {
	p := validRx()
	if err := p.Validate(day, codes); err != nil {
		t.Fatalf("valid prescription refused: %v", err)
	}
	// Filled in from the rest: start = written, visits = 2 × 6, expiry = the last day of week 6.
	if p.WrittenOn != "2026-11-20" || p.StartOn != "2026-11-20" || p.Visits != 12 || p.ExpiresOn != "2026-12-31" {
		t.Errorf("normalized to written %s start %s visits %d expires %s", p.WrittenOn, p.StartOn, p.Visits, p.ExpiresOn)
	}
	if strings.Join(p.Diagnoses, ",") != "M54.2,M54.50" {
		t.Errorf("diagnoses stored as %v", p.Diagnoses)
	}

	for _, c := range []struct {
		name  string
		edit  func(p *Prescription)
		field string
		msg   string // part of the message expected on the field
	}{
		{"no physician", func(p *Prescription) { p.PhysicianID = 0 }, "physician_id", "prescribing physician"},
		{"no written date", func(p *Prescription) { p.WrittenOn = "" }, "written_on", "YYYY-MM-DD"},
		{"written in the future", func(p *Prescription) { p.WrittenOn = "2026-11-28" }, "written_on", "future"},
		{"bad written date", func(p *Prescription) { p.WrittenOn = "2026-02-30" }, "written_on", "YYYY-MM-DD"},
		{"starts before written", func(p *Prescription) { p.StartOn = "2026-11-19" }, "start_on", "before it was written"},
		{"expires before start", func(p *Prescription) { p.ExpiresOn = "2026-11-19" }, "expires_on", "on or after"},
		{"no expiry, no duration", func(p *Prescription) { p.DurationWeeks, p.Visits = 0, 12 }, "expires_on", "expiry"},
		{"no diagnosis", func(p *Prescription) { p.Diagnoses = nil }, "diagnoses", "at least one"},
		{"13 diagnoses", func(p *Prescription) { p.Diagnoses = strings.Fields(strings.Repeat("M54.2 ", 13)) }, "diagnoses", "at most 12"},
		{"twice the same", func(p *Prescription) { p.Diagnoses = []string{"M54.2", "m542"} }, "diagnoses", "listed twice"},
		{"a category", func(p *Prescription) { p.Diagnoses = []string{"M54.5"} }, "diagnoses", "M54.50"},
		{"a category names every billable code beneath", func(p *Prescription) { p.Diagnoses = []string{"M54.5"} }, "diagnoses", "M54.59"},
		{"unknown code", func(p *Prescription) { p.Diagnoses = []string{"Q99.9"} }, "diagnoses", "not an ICD-10-CM code"},
		{"no treatment", func(p *Prescription) { p.OrderedTreatment = " " }, "ordered_treatment", "treatment"},
		{"treatment too long", func(p *Prescription) { p.OrderedTreatment = strings.Repeat("x", 1001) }, "ordered_treatment", "at most 1000"},
		{"precautions not text", func(p *Prescription) { p.Precautions = "a\x00b" }, "precautions", "not text"},
		{"8 a week", func(p *Prescription) { p.FrequencyPerWeek = 8 }, "frequency_per_week", "1 to 7"},
		{"negative weeks", func(p *Prescription) { p.DurationWeeks, p.ExpiresOn = -1, "2026-12-31" }, "duration_weeks", "1 to 104"},
		{"no visits", func(p *Prescription) { p.FrequencyPerWeek = 0 }, "visits", "number of visits"},
		{"too many visits", func(p *Prescription) { p.Visits = 401 }, "visits", "1 to 400"},
	} {
		p := validRx()
		c.edit(&p)
		err := p.Validate(day, codes)
		if got := errs.FieldsOf(err)[c.field]; !strings.Contains(got, c.msg) {
			t.Errorf("%s: field %s says %q (error %v), want it to mention %q", c.name, c.field, got, err, c.msg)
		}
	}
}

func TestParseCodes(t *testing.T) {
	if got := strings.Join(ParseCodes(" m54.2, M5450;G44209  m79.7,,"), "|"); got != "M54.2|M54.50|G44.209|M79.7" {
		t.Errorf("ParseCodes = %s", got)
	}
}

func TestAuthorizationValidate(t *testing.T) {
	good := func() Authorization {
		return Authorization{Payer: "Blue Cross Blue Shield of Texas", Number: "A-2026-118", VisitsAuthorized: 12, StartOn: "11/01/2026", EndOn: "2027-01-31"}
	}
	a := good()
	if err := a.Validate(); err != nil || a.StartOn != "2026-11-01" {
		t.Fatalf("valid authorization: %v (%+v)", err, a)
	}
	for _, c := range []struct {
		edit  func(a *Authorization)
		field string
	}{
		{func(a *Authorization) { a.Payer = "" }, "payer"},
		{func(a *Authorization) { a.Number = " " }, "number"},
		{func(a *Authorization) { a.Number = strings.Repeat("9", 51) }, "number"},
		{func(a *Authorization) { a.VisitsAuthorized = 0 }, "visits_authorized"},
		{func(a *Authorization) { a.VisitsUsed = 13 }, "visits_used"},
		{func(a *Authorization) { a.VisitsUsed = -1 }, "visits_used"},
		{func(a *Authorization) { a.StartOn = "" }, "start_on"},
		{func(a *Authorization) { a.EndOn = "2026-10-31" }, "end_on"},
		{func(a *Authorization) { a.EndOn = "soon" }, "end_on"},
	} {
		a := good()
		c.edit(&a)
		if err := a.Validate(); errs.FieldsOf(err)[c.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", a, err, c.field)
		}
	}
}

func TestWarnings(t *testing.T) {
	rx := func(id int64, start, exp string, visits, used int) Prescription {
		return Prescription{ID: id, StartOn: start, ExpiresOn: exp, Visits: visits, VisitsUsed: used, PhysicianName: "Sarah Kim, MD"}
	}
	auth := func(id int64, payer, start, end string, n, used int) Authorization {
		return Authorization{ID: id, Payer: payer, Number: "N" + string(rune('0'+id)), StartOn: start, EndOn: end, VisitsAuthorized: n, VisitsUsed: used}
	}
	type want struct {
		kind  WarningKind
		level string
		msg   string
	}
	for _, c := range []struct {
		name  string
		rxs   []Prescription
		auths []Authorization
		want  []want
	}{
		{"nothing on file", nil, nil, nil},
		{"active, far from expiry", []Prescription{rx(1, "2026-11-01", "2027-01-31", 12, 0)}, nil, nil},
		{"expires in 5 days", []Prescription{rx(1, "2026-10-01", "2026-12-02", 12, 0)}, nil,
			[]want{{PrescriptionExpiring, "warning", "The prescription from Sarah Kim, MD expires in 5 days (12/02/2026)"}}},
		{"expires in exactly 7 days", []Prescription{rx(1, "2026-10-01", "2026-12-04", 12, 0)}, nil, []want{{PrescriptionExpiring, "warning", "in 7 days"}}},
		{"expires in 8 days", []Prescription{rx(1, "2026-10-01", "2026-12-05", 12, 0)}, nil, nil},
		{"expires today", []Prescription{rx(1, "2026-10-01", "2026-11-27", 12, 0)}, nil, []want{{PrescriptionExpiring, "warning", "expires today"}}},
		{"expires tomorrow", []Prescription{rx(1, "2026-10-01", "2026-11-28", 12, 0)}, nil, []want{{PrescriptionExpiring, "warning", "expires tomorrow"}}},
		{"expired yesterday", []Prescription{rx(1, "2026-09-01", "2026-11-26", 12, 0)}, nil,
			[]want{{PrescriptionExpired, "danger", "expired on 11/26/2026"}}},
		{"expiring but renewed", []Prescription{rx(1, "2026-10-01", "2026-12-02", 12, 0), rx(2, "2026-11-25", "2027-02-28", 12, 0)}, nil, nil},
		{"expired and replaced", []Prescription{rx(1, "2026-05-01", "2026-08-01", 12, 0), rx(2, "2026-11-01", "2027-02-28", 12, 0)}, nil, nil},
		{"old and newer both expired: one warning", []Prescription{rx(1, "2026-01-01", "2026-03-01", 12, 0), rx(2, "2026-05-01", "2026-08-01", 12, 0)}, nil,
			[]want{{PrescriptionExpired, "danger", "08/01/2026"}}},
		{"not started yet", []Prescription{rx(1, "2026-12-01", "2026-12-03", 1, 0)}, nil, nil},
		{"two visits left", []Prescription{rx(1, "2026-11-01", "2027-01-31", 12, 10)}, nil, []want{{PrescriptionVisits, "warning", "has 2 visits left of 12"}}},
		{"three visits left", []Prescription{rx(1, "2026-11-01", "2027-01-31", 12, 9)}, nil, nil},
		{"no visits left", []Prescription{rx(1, "2026-11-01", "2027-01-31", 12, 12)}, nil, []want{{PrescriptionVisits, "danger", "has no visits left"}}},
		{"authorization: one visit left", nil, []Authorization{auth(1, "Aetna", "2026-11-01", "2027-01-31", 12, 11)},
			[]want{{AuthorizationVisits, "warning", "Authorization N1 from Aetna has 1 visit left of 12. Ask Aetna for more visits."}}},
		{"authorization ends in 3 days", nil, []Authorization{auth(1, "Aetna", "2026-09-01", "2026-11-30", 12, 4)},
			[]want{{AuthorizationEnding, "warning", "ends in 3 days (11/30/2026)"}}},
		{"authorization ended", nil, []Authorization{auth(1, "Aetna", "2026-09-01", "2026-11-20", 12, 4)},
			[]want{{AuthorizationEnded, "danger", "ended on 11/20/2026"}}},
		{"ended, another payer's in force", nil, []Authorization{auth(1, "Aetna", "2026-09-01", "2026-11-20", 12, 4), auth(2, "Cigna", "2026-11-01", "2027-01-31", 12, 0)},
			[]want{{AuthorizationEnded, "danger", "Aetna"}}},
		{"ending, renewed by the same payer", nil, []Authorization{auth(1, "Aetna", "2026-09-01", "2026-11-30", 12, 4), auth(2, "Aetna", "2026-12-01", "2027-02-28", 12, 0)}, nil},
		{"expiring and last visits at once",
			[]Prescription{rx(1, "2026-10-01", "2026-12-02", 12, 0)},
			[]Authorization{auth(1, "Aetna", "2026-10-01", "2027-01-31", 8, 6)},
			[]want{{PrescriptionExpiring, "warning", "expires in 5 days"}, {AuthorizationVisits, "warning", "2 visits left of 8"}}},
	} {
		got := Warnings(day, c.rxs, c.auths)
		if len(got) != len(c.want) {
			t.Errorf("%s: %d warnings %+v, want %d", c.name, len(got), got, len(c.want))
			continue
		}
		for i, w := range c.want {
			if got[i].Kind != w.kind || got[i].Level != w.level || !strings.Contains(got[i].Message, w.msg) {
				t.Errorf("%s: warning %d = %+v, want %s %s containing %q", c.name, i, got[i], w.kind, w.level, w.msg)
			}
		}
	}
}

func TestInForce(t *testing.T) {
	ps := []Prescription{ // newest first, as stored
		{ID: 3, StartOn: "2026-12-01", ExpiresOn: "2027-02-01"},
		{ID: 2, StartOn: "2026-10-01", ExpiresOn: "2026-12-31"},
		{ID: 1, StartOn: "2026-01-01", ExpiresOn: "2026-03-01"},
	}
	for day, want := range map[string]int64{"2026-11-15": 2, "2026-12-15": 3, "2026-02-01": 1, "2026-05-01": 0, "2027-03-01": 0} {
		got := InForce(ps, day)
		if (got == nil && want != 0) || (got != nil && got.ID != want) {
			t.Errorf("%s: %+v, want prescription %d", day, got, want)
		}
	}
}
