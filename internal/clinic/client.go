package clinic

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// ClientStatus is where a client stands with the practice.
type ClientStatus string

const (
	StatusActive     ClientStatus = "active"
	StatusInactive   ClientStatus = "inactive"
	StatusDischarged ClientStatus = "discharged"
)

// Sex as a claim records it: 837P DMG03 and CMS-1500 box 3 take F, M or U (unknown).
type Sex string

const (
	SexFemale  Sex = "F"
	SexMale    Sex = "M"
	SexUnknown Sex = "U"
)

// DateLayout is how clinical dates (birth, service) are written: dates, not instants.
const DateLayout = "2006-01-02"

// Client is a person who receives treatment. The fields are the demographics
// an insurance claim will need (837P loop 2010BA/2010CA, CMS-1500 boxes 2, 3, 5).
type Client struct {
	ID            int64
	OrgID         int64
	FirstName     string // legal first name
	MiddleName    string
	LastName      string // legal last name
	Suffix        string // Jr, Sr, III
	PreferredName string
	DOB           string // YYYY-MM-DD
	Sex           Sex
	Address1      string
	Address2      string
	City          string
	State         string // USPS two-letter code
	Zip           string // 5 or 9 digits
	Phone         string
	Email         string

	EmergencyName     string
	EmergencyPhone    string
	EmergencyRelation string

	PreferredLocationID  int64
	PreferredTherapistID int64 // 0 when none
	Status               ClientStatus

	// Version increases with every save; an update names the version it read.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DisplayName is how staff address the client: preferred first name, legal last name.
func (c *Client) DisplayName() string {
	first := c.FirstName
	if c.PreferredName != "" {
		first = c.PreferredName
	}
	return strings.TrimSpace(first + " " + c.LastName)
}

// LegalName is the name as it goes on a claim: Last, First Middle Suffix.
func (c *Client) LegalName() string {
	s := c.LastName + ", " + c.FirstName
	if c.MiddleName != "" {
		s += " " + c.MiddleName
	}
	if c.Suffix != "" {
		s += " " + c.Suffix
	}
	return s
}

// Age in whole years on day (YYYY-MM-DD), or -1 if the birth date is unreadable.
func (c *Client) Age(on time.Time) int {
	b, err := time.Parse(DateLayout, c.DOB)
	if err != nil {
		return -1
	}
	y := on.Year() - b.Year()
	if on.Month() < b.Month() || (on.Month() == b.Month() && on.Day() < b.Day()) {
		y--
	}
	return y
}

var (
	stateRE = regexp.MustCompile(`^[A-Z]{2}$`)
	zipRE   = regexp.MustCompile(`^\d{5}(\d{4})?$`)
)

// USPS state and territory codes accepted on claims.
var usStates = map[string]bool{}

func init() {
	for _, s := range strings.Fields("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI") {
		usStates[s] = true
	}
}

// Normalize tidies what people type: trims, upper-cases the state, keeps the
// digits of a ZIP code and formats a ten-digit phone number.
func (c *Client) Normalize() {
	for _, p := range []*string{&c.FirstName, &c.MiddleName, &c.LastName, &c.Suffix, &c.PreferredName,
		&c.DOB, &c.Address1, &c.Address2, &c.City, &c.State, &c.Zip, &c.Phone, &c.Email,
		&c.EmergencyName, &c.EmergencyPhone, &c.EmergencyRelation} {
		*p = strings.TrimSpace(*p)
	}
	c.State = strings.ToUpper(c.State)
	c.Zip = strings.TrimSpace(strings.ReplaceAll(c.Zip, "-", "")) // "78701 -" is 78701, and stays so when normalized again
	c.Email = NormalizeEmail(c.Email)
	c.Phone = FormatPhone(c.Phone)
	c.EmergencyPhone = FormatPhone(c.EmergencyPhone)
	if d, ok := ParseDate(c.DOB); ok {
		c.DOB = d
	}
	if c.Status == "" {
		c.Status = StatusActive
	}
	if c.Sex == "" {
		c.Sex = SexUnknown
	}
}

// Validate checks a client before it is stored; now is today's date for the birth-date check.
func (c *Client) Validate(now time.Time) error {
	c.Normalize()
	f := errs.FieldErrors{}
	if c.FirstName == "" {
		f.Add("first_name", "Enter the client's legal first name.")
	}
	if c.LastName == "" {
		f.Add("last_name", "Enter the client's legal last name.")
	}
	for field, v := range map[string]string{"first_name": c.FirstName, "middle_name": c.MiddleName, "last_name": c.LastName,
		"preferred_name": c.PreferredName, "suffix": c.Suffix, "address1": c.Address1, "address2": c.Address2, "city": c.City,
		"emergency_name": c.EmergencyName, "emergency_relation": c.EmergencyRelation, "email": c.Email,
		"phone": c.Phone, "emergency_phone": c.EmergencyPhone} {
		switch {
		case !utf8.ValidString(v):
			f.Add(field, "Remove the characters that are not text.")
		case len(v) > 100:
			f.Add(field, "Use at most 100 characters.")
		case strings.IndexFunc(v, unicode.IsControl) >= 0:
			f.Add(field, "Remove the control characters.")
		}
	}
	if len(c.Phone) > 30 {
		f.Add("phone", "Enter a phone number of at most 30 characters.")
	}
	if len(c.EmergencyPhone) > 30 {
		f.Add("emergency_phone", "Enter a phone number of at most 30 characters.")
	}
	if c.DOB == "" {
		f.Add("dob", "Enter the date of birth as YYYY-MM-DD or MM/DD/YYYY.")
	} else if d, err := time.Parse(DateLayout, c.DOB); err != nil {
		f.Add("dob", "Enter the date of birth as YYYY-MM-DD or MM/DD/YYYY.")
	} else if d.After(now) {
		f.Add("dob", "The date of birth cannot be in the future.")
	} else if d.Year() < 1900 {
		f.Add("dob", "The date of birth must be after 1900.")
	}
	switch c.Sex {
	case SexFemale, SexMale, SexUnknown:
	default:
		f.Add("sex", "Choose female, male or unknown (as the insurance card shows).")
	}
	if c.State != "" && (!stateRE.MatchString(c.State) || !usStates[c.State]) {
		f.Add("state", "Use the two-letter postal code, for example TX.")
	}
	if c.Zip != "" && !zipRE.MatchString(c.Zip) {
		f.Add("zip", "Use a 5-digit or 9-digit ZIP code.")
	}
	if c.Phone != "" && len(Digits(c.Phone)) < 10 {
		f.Add("phone", "Enter a 10-digit phone number.")
	}
	if c.EmergencyPhone != "" && len(Digits(c.EmergencyPhone)) < 10 {
		f.Add("emergency_phone", "Enter a 10-digit phone number.")
	}
	if c.Email != "" && !validEmail(c.Email) {
		f.Add("email", "Enter an email address such as name@example.com.")
	}
	if c.PreferredLocationID == 0 {
		f.Add("preferred_location_id", "Choose the location the client attends.")
	}
	switch c.Status {
	case StatusActive, StatusInactive, StatusDischarged:
	default:
		f.Add("status", "Choose active, inactive or discharged.")
	}
	return f.Err()
}

// Digits keeps only the digits of s.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FormatPhone writes a US number as (555) 123-4567; anything else is left as typed.
func FormatPhone(s string) string {
	d := Digits(s)
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	if len(d) != 10 {
		return s
	}
	return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
}

// ParseDate reads YYYY-MM-DD or MM/DD/YYYY and returns YYYY-MM-DD.
func ParseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{DateLayout, "01/02/2006", "1/2/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(DateLayout), true
		}
	}
	return "", false
}

// ClientFilter narrows a client search.
type ClientFilter struct {
	// Query is a name prefix ("smi", "ann smi"), a date of birth, a phone
	// number prefix or an email prefix.
	Query string
	// LocationIDs restricts to clients of these locations (nil means all).
	LocationIDs []int64
	Status      ClientStatus
	Limit       int
	Offset      int
	// Brief reads only what a list of clients shows (ID, names, date of
	// birth, phone, email, preferred location, status, version); the other
	// fields are left empty. It halves the cost of a search page's query.
	Brief bool
}

// ClientUpdate names the fields to change; nil leaves a field as it is.
type ClientUpdate struct {
	FirstName, MiddleName, LastName, Suffix, PreferredName *string
	DOB                                                    *string
	Sex                                                    *Sex
	Address1, Address2, City, State, Zip, Phone, Email     *string
	EmergencyName, EmergencyPhone, EmergencyRelation       *string
	PreferredLocationID, PreferredTherapistID              *int64
	Status                                                 *ClientStatus
}

// Apply writes the named fields onto c.
func (u ClientUpdate) Apply(c *Client) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.FirstName, u.FirstName)
	set(&c.MiddleName, u.MiddleName)
	set(&c.LastName, u.LastName)
	set(&c.Suffix, u.Suffix)
	set(&c.PreferredName, u.PreferredName)
	set(&c.DOB, u.DOB)
	set(&c.Address1, u.Address1)
	set(&c.Address2, u.Address2)
	set(&c.City, u.City)
	set(&c.State, u.State)
	set(&c.Zip, u.Zip)
	set(&c.Phone, u.Phone)
	set(&c.Email, u.Email)
	set(&c.EmergencyName, u.EmergencyName)
	set(&c.EmergencyPhone, u.EmergencyPhone)
	set(&c.EmergencyRelation, u.EmergencyRelation)
	if u.Sex != nil {
		c.Sex = *u.Sex
	}
	if u.PreferredLocationID != nil {
		c.PreferredLocationID = *u.PreferredLocationID
	}
	if u.PreferredTherapistID != nil {
		c.PreferredTherapistID = *u.PreferredTherapistID
	}
	if u.Status != nil {
		c.Status = *u.Status
	}
}
