package clinic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

func TestValidNPI(t *testing.T) {
	for _, c := range []struct {
		npi  string
		want bool
	}{
		// The examples of ../shared/reference/billing.md §1 and CMS's NPI check-digit note.
		{"1234567893", true},
		{"1245319599", true},
		{"1003000126", true},
		{"1679576722", true},
		{"2030824629", true},
		{"1234567890", false}, // wrong check digit
		{"1234567894", false},
		{"1245319590", false},
		{"1243519599", false}, // two digits swapped: Luhn catches it
		{"123456789", false},  // nine digits
		{"12345678930", false},
		{"", false},
		{"0234567891", false}, // an NPI starts with 1 or 2
		{"3234567893", false},
		{"12345678a3", false},
		{"1234 567893", false}, // ValidNPI takes the digits alone; Normalize removes spaces
		{"１２３４５６７８９３", false},
	} {
		if got := ValidNPI(c.npi); got != c.want {
			t.Errorf("ValidNPI(%q) = %v, want %v", c.npi, got, c.want)
		}
	}
	// Every other last digit than the check digit is refused.
	for d := byte('0'); d <= '9'; d++ {
		npi := "124531959" + string(d)
		if ValidNPI(npi) != (d == '9') {
			t.Errorf("ValidNPI(%q) = %v", npi, ValidNPI(npi))
		}
	}
}

func TestPhysicianValidate(t *testing.T) {
	good := func() Physician {
		return Physician{Name: "Sarah Kim", Credentials: "MD", Specialty: "Family medicine", NPI: "1234 567 893",
			Phone: "512-555-0142", Fax: "512.555.0143", State: "tx", Zip: "78701-1234"}
	}
	p := good()
	if err := p.Validate(); err != nil {
		t.Fatalf("valid physician refused: %v", err)
	}
	if p.NPI != "1234567893" || p.Phone != "(512) 555-0142" || p.Fax != "(512) 555-0143" || p.State != "TX" || p.Zip != "787011234" || p.Kind != KindPhysician {
		t.Errorf("normalized to %+v", p)
	}
	if p.DisplayName() != "Sarah Kim, MD" {
		t.Errorf("DisplayName = %q", p.DisplayName())
	}
	for _, c := range []struct {
		field string
		edit  func(p *Physician)
	}{
		{"name", func(p *Physician) { p.Name = "  " }},
		{"name", func(p *Physician) { p.Name = strings.Repeat("x", 101) }},
		{"name", func(p *Physician) { p.Name = "a\x00b" }},
		{"npi", func(p *Physician) { p.NPI = "1234567890" }},
		{"npi", func(p *Physician) { p.NPI = "12345" }},
		{"kind", func(p *Physician) { p.Kind = "surgeon" }},
		{"phone", func(p *Physician) { p.Phone = "555-0142" }},
		{"fax", func(p *Physician) { p.Fax = "12" }},
		{"state", func(p *Physician) { p.State = "ZZ" }},
		{"zip", func(p *Physician) { p.Zip = "1234" }},
		{"practice", func(p *Physician) { p.Practice = "\xff" }},
	} {
		p := good()
		c.edit(&p)
		err := p.Validate()
		if errs.FieldsOf(err)[c.field] == "" {
			t.Errorf("%s: error %v, want one on the field", c.field, err)
		}
	}
	// Another referral source needs no NPI, phone or credentials.
	o := Physician{Name: "Eastside Running Club", Kind: KindOtherSource}
	if err := o.Validate(); err != nil {
		t.Errorf("other source refused: %v", err)
	}
}

func TestReferralValidate(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r     Referral
		field string
	}{
		{Referral{PhysicianID: 3, ReferredOn: "11/02/2026"}, ""},
		{Referral{PhysicianID: 3, ReferredOn: "2026-11-27"}, ""},
		{Referral{PhysicianID: 0, ReferredOn: "2026-11-02"}, "physician_id"},
		{Referral{PhysicianID: 3, ReferredOn: "2026-11-28"}, "referred_on"},
		{Referral{PhysicianID: 3, ReferredOn: "yesterday"}, "referred_on"},
		{Referral{PhysicianID: 3, ReferredOn: "1899-12-31"}, "referred_on"},
	} {
		err := c.r.Validate(today)
		if c.field == "" && err != nil {
			t.Errorf("%+v refused: %v", c.r, err)
		}
		if c.field != "" && errs.FieldsOf(err)[c.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", c.r, err, c.field)
		}
	}
}

func TestReferralTable(t *testing.T) {
	months := LastMonths(time.Date(2026, 2, 27, 22, 0, 0, 0, time.UTC), 4)
	if strings.Join(months, " ") != "2025-11 2025-12 2026-01 2026-02" {
		t.Fatalf("LastMonths = %v", months)
	}
	if m := LastMonths(time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), 12); m[0] != "2025-04" || m[11] != "2026-03" {
		t.Errorf("12 months to March 31: %v", m)
	}
	tab := BuildReferralTable(months, []ReferralCount{
		{PhysicianID: 7, Month: "2025-11", Count: 1},
		{PhysicianID: 3, Month: "2025-12", Count: 2},
		{PhysicianID: 3, Month: "2026-02", Count: 1},
		{PhysicianID: 9, Month: "2025-10", Count: 5}, // before the table
		{PhysicianID: 7, Month: "2026-01", Count: 2},
		{PhysicianID: 5, Month: "2026-01", Count: 1},
	})
	var got []string
	for _, r := range tab.Rows {
		got = append(got, fmt.Sprint(r.PhysicianID, r.Counts, r.Total))
	}
	if strings.Join(got, "; ") != "3 [0 2 0 1] 3; 7 [1 0 2 0] 3; 5 [0 0 1 0] 1" {
		t.Errorf("rows = %s", strings.Join(got, "; "))
	}
	if fmt.Sprint(tab.Totals, tab.Total) != "[1 2 3 1] 7" {
		t.Errorf("totals = %v %d", tab.Totals, tab.Total)
	}
	if empty := BuildReferralTable(months, nil); len(empty.Rows) != 0 || empty.Total != 0 || len(empty.Totals) != 4 {
		t.Errorf("empty table: %+v", empty)
	}
}
