package clinic

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// PhysicianKind is what sort of referral source a directory entry is.
type PhysicianKind string

const (
	KindPhysician         PhysicianKind = "physician"
	KindChiropractor      PhysicianKind = "chiropractor"
	KindPhysicalTherapist PhysicianKind = "physical_therapist"
	KindOtherSource       PhysicianKind = "other"
)

// PhysicianKinds in the order they are offered.
var PhysicianKinds = []PhysicianKind{KindPhysician, KindChiropractor, KindPhysicalTherapist, KindOtherSource}

// Label is the kind as people say it.
func (k PhysicianKind) Label() string {
	switch k {
	case KindPhysician:
		return "Physician"
	case KindChiropractor:
		return "Chiropractor"
	case KindPhysicalTherapist:
		return "Physical therapist"
	case KindOtherSource:
		return "Other referral source"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k PhysicianKind) Valid() bool {
	for _, x := range PhysicianKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Physician is an entry of the organisation's directory of prescribers and
// other referral sources (a chiropractor, a physical therapist, a gym, a
// former client). A prescription names one; a client's referral names one.
type Physician struct {
	ID          int64
	OrgID       int64
	Kind        PhysicianKind
	Name        string // "Sarah Kim" or, for another source, "Eastside Running Club"
	Credentials string // MD, DO, DC, DPT, PA-C, NP
	Specialty   string // Family medicine, Orthopedics, …
	// NPI is the 10-digit National Provider Identifier, "" when unknown or
	// not applicable; a claim's referring provider (box 17b) needs it.
	NPI      string
	Practice string
	Phone    string
	Fax      string
	Address1 string
	City     string
	State    string
	Zip      string

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DisplayName is the name with credentials: "Sarah Kim, MD".
func (p Physician) DisplayName() string {
	if p.Credentials == "" {
		return p.Name
	}
	return p.Name + ", " + p.Credentials
}

// Normalize tidies what people type.
func (p *Physician) Normalize() {
	for _, s := range []*string{&p.Name, &p.Credentials, &p.Specialty, &p.NPI, &p.Practice, &p.Phone, &p.Fax, &p.Address1, &p.City, &p.State, &p.Zip} {
		*s = strings.TrimSpace(*s)
	}
	p.State = strings.ToUpper(p.State)
	p.Zip = strings.ReplaceAll(p.Zip, "-", "")
	p.Phone, p.Fax = FormatPhone(p.Phone), FormatPhone(p.Fax)
	// An NPI is often written in groups ("1234 567 893"): keep its digits.
	if d := Digits(p.NPI); len(d) == 10 && strings.Trim(p.NPI, "0123456789 -") == "" {
		p.NPI = d
	}
	if p.Kind == "" {
		p.Kind = KindPhysician
	}
}

// Validate checks a directory entry before it is stored.
func (p *Physician) Validate() error {
	p.Normalize()
	f := errs.FieldErrors{}
	if p.Name == "" {
		f.Add("name", "Enter the name (for a physician, first and last name).")
	}
	for field, v := range map[string]string{"name": p.Name, "credentials": p.Credentials, "specialty": p.Specialty, "practice": p.Practice,
		"phone": p.Phone, "fax": p.Fax, "address1": p.Address1, "city": p.City} {
		switch {
		case !utf8.ValidString(v):
			f.Add(field, "Remove the characters that are not text.")
		case len(v) > 100:
			f.Add(field, "Use at most 100 characters.")
		case strings.IndexFunc(v, unicode.IsControl) >= 0:
			f.Add(field, "Remove the control characters.")
		}
	}
	if !p.Kind.Valid() {
		f.Add("kind", "Choose physician, chiropractor, physical therapist or other referral source.")
	}
	if p.NPI != "" && !ValidNPI(p.NPI) {
		f.Add("npi", "An NPI is 10 digits whose last digit checks the others; check it against the prescription or the NPI Registry.")
	}
	if p.Phone != "" && len(Digits(p.Phone)) < 10 {
		f.Add("phone", "Enter a 10-digit phone number.")
	}
	if p.Fax != "" && len(Digits(p.Fax)) < 10 {
		f.Add("fax", "Enter a 10-digit fax number.")
	}
	if p.State != "" && (!stateRE.MatchString(p.State) || !usStates[p.State]) {
		f.Add("state", "Use the two-letter postal code, for example TX.")
	}
	if p.Zip != "" && !zipRE.MatchString(p.Zip) {
		f.Add("zip", "Use a 5-digit or 9-digit ZIP code.")
	}
	return f.Err()
}

// ValidNPI reports whether s is a well-formed NPI: ten digits, the first 1
// or 2, the last a Luhn check digit computed over "80840" followed by the
// first nine (the card-issuer prefix the NPI standard prepends).
func ValidNPI(s string) bool {
	if len(s) != 10 || (s[0] != '1' && s[0] != '2') {
		return false
	}
	for i := 0; i < 10; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return NPICheckDigit(s[:9]) == s[9]
}

// NPICheckDigit is the check digit of the first nine digits of an NPI.
func NPICheckDigit(nine string) byte {
	digits := "80840" + nine
	sum := 0
	// Luhn: from the rightmost digit of the payload (which sits left of
	// the check digit), double every other digit.
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// PhysicianFilter narrows a directory search.
type PhysicianFilter struct {
	// Query matches words of the name, practice, specialty or city, or an NPI prefix.
	Query string
	Kind  PhysicianKind
	Limit int
}

// Referral records who referred a client, and when.
type Referral struct {
	ClientID    int64
	PhysicianID int64
	ReferredOn  string // YYYY-MM-DD
	// Physician is the source as stored in the directory (when read).
	Physician *Physician
}

// Validate checks a referral; today is the clinic's date.
func (r *Referral) Validate(today time.Time) error {
	f := errs.FieldErrors{}
	if r.PhysicianID <= 0 {
		f.Add("physician_id", "Choose who referred the client.")
	}
	if d, ok := ParseDate(r.ReferredOn); !ok {
		f.Add("referred_on", "Enter the date of the referral as YYYY-MM-DD or MM/DD/YYYY.")
	} else {
		r.ReferredOn = d
		if d > today.Format(DateLayout) {
			f.Add("referred_on", "The referral date cannot be in the future.")
		} else if d < "1900-01-01" {
			f.Add("referred_on", "Enter a date after 1900.")
		}
	}
	return f.Err()
}

// ReferralCount is the number of clients a source referred in one month.
type ReferralCount struct {
	PhysicianID int64
	Month       string // YYYY-MM
	Count       int
}

// ReferralTable is referrals per source per month, for the therapist's
// networking with physicians: who sends clients, and whether that is
// growing or fading.
type ReferralTable struct {
	Months []string // YYYY-MM, oldest first
	Rows   []ReferralRow
	// Totals per month, in the order of Months, and over all.
	Totals []int
	Total  int
}

// ReferralRow is one source's referrals month by month.
type ReferralRow struct {
	PhysicianID int64
	Counts      []int // in the order of the table's Months
	Total       int
}

// LastMonths lists the n months up to and including today's, oldest first.
func LastMonths(today time.Time, n int) []string {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, n)
	for i := range n {
		out[n-1-i] = first.AddDate(0, -i, 0).Format("2006-01")
	}
	return out
}

// BuildReferralTable lays counts out by month: sources with the most
// referrals first (ties by id, the order they were added), months outside
// the table left out, sources without a referral in them not listed.
func BuildReferralTable(months []string, counts []ReferralCount) ReferralTable {
	t := ReferralTable{Months: months, Totals: make([]int, len(months))}
	col := map[string]int{}
	for i, m := range months {
		col[m] = i
	}
	rows := map[int64]*ReferralRow{}
	var order []int64
	for _, c := range counts {
		i, ok := col[c.Month]
		if !ok || c.Count == 0 {
			continue
		}
		r := rows[c.PhysicianID]
		if r == nil {
			r = &ReferralRow{PhysicianID: c.PhysicianID, Counts: make([]int, len(months))}
			rows[c.PhysicianID] = r
			order = append(order, c.PhysicianID)
		}
		r.Counts[i] += c.Count
		r.Total += c.Count
		t.Totals[i] += c.Count
		t.Total += c.Count
	}
	for _, id := range order {
		t.Rows = append(t.Rows, *rows[id])
	}
	slices.SortStableFunc(t.Rows, func(a, b ReferralRow) int {
		if a.Total != b.Total {
			return b.Total - a.Total
		}
		return int(a.PhysicianID - b.PhysicianID)
	})
	return t
}
