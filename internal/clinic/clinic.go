// Package clinic owns the people and places of a practice: organisations,
// their locations, the staff who sign in with a role, and the clients they
// treat. It knows nothing of SQL or HTTP.
package clinic

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

// Organisation is a practice: everything in Fascia belongs to exactly one.
type Organisation struct {
	ID   int64
	Name string
	Slug string
	// IdleTimeout signs a user out after this long without a request.
	IdleTimeout time.Duration
	// RequireMFA makes TOTP two-factor mandatory for every user.
	RequireMFA bool
	// TimeZone is the IANA zone the clinic's times are shown in.
	TimeZone  string
	CreatedAt time.Time
}

// DefaultIdleTimeout is the sign-out after inactivity unless the owner sets another.
const DefaultIdleTimeout = 15 * time.Minute

// Location is a clinic site of an organisation.
type Location struct {
	ID       int64
	OrgID    int64
	Name     string
	Address1 string
	City     string
	State    string
	Zip      string
	Phone    string
	TimeZone string
}

// Validate checks a location before it is stored.
func (l *Location) Validate() error {
	f := errs.FieldErrors{}
	l.Name = strings.TrimSpace(l.Name)
	if l.Name == "" {
		f.Add("name", "Give the location a name.")
	}
	if l.TimeZone != "" {
		if _, err := time.LoadLocation(l.TimeZone); err != nil {
			f.Add("time_zone", "Use an IANA time zone such as America/Chicago.")
		}
	}
	return f.Err()
}

// Role is what a user may do within their organisation.
type Role string

const (
	RoleOwner     Role = "owner"
	RoleTherapist Role = "therapist"
	RoleFrontDesk Role = "front_desk"
	RoleBiller    Role = "biller"
)

// Roles in the order they are offered.
var Roles = []Role{RoleOwner, RoleTherapist, RoleFrontDesk, RoleBiller}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the role as people say it.
func (r Role) Label() string {
	switch r {
	case RoleOwner:
		return "Owner"
	case RoleTherapist:
		return "Therapist"
	case RoleFrontDesk:
		return "Front desk"
	case RoleBiller:
		return "Biller"
	}
	return string(r)
}

// User is a member of staff who signs in.
type User struct {
	ID          int64
	OrgID       int64
	Email       string
	Name        string
	Role        Role
	LocationIDs []int64
	Active      bool
	// TOTPEnabled is true once the user has confirmed a two-factor code.
	TOTPEnabled bool
	// MustChangePassword is set when an owner resets the password.
	MustChangePassword bool
	CreatedAt          time.Time
}

// AtLocation reports whether the user works at location id.
func (u *User) AtLocation(id int64) bool {
	for _, l := range u.LocationIDs {
		if l == id {
			return true
		}
	}
	return false
}

// NormalizeEmail lower-cases and trims an address so sign-in ignores case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	f := errs.FieldErrors{}
	u.Email = NormalizeEmail(u.Email)
	u.Name = strings.TrimSpace(u.Name)
	if !validEmail(u.Email) {
		f.Add("email", "Enter an email address such as name@example.com.")
	}
	if u.Name == "" {
		f.Add("name", "Enter the person's name.")
	}
	if !u.Role.Valid() {
		f.Add("role", "Choose owner, therapist, front desk or biller.")
	}
	if u.Role == RoleTherapist && len(u.LocationIDs) == 0 {
		f.Add("locations", "A therapist works at one location at least.")
	}
	return f.Err()
}

// MinPasswordLength follows NIST SP 800-63B §5.1.1.2 (at least 8; we ask 10).
const MinPasswordLength = 10

// ValidatePassword says what is wrong with a new password, if anything.
func ValidatePassword(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return &errs.Error{Code: errs.Invalid, Message: "The password is too short.",
			Fields: map[string]string{"password": "Use at least 10 characters; a short sentence works well."}}
	}
	if len(p) > 256 {
		return &errs.Error{Code: errs.Invalid, Message: "The password is too long.",
			Fields: map[string]string{"password": "Use at most 256 characters."}}
	}
	return nil
}

func validEmail(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,40}$`)

// Validate checks an organisation before it is stored.
func (o *Organisation) Validate() error {
	f := errs.FieldErrors{}
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" {
		f.Add("name", "Give the organisation a name.")
	}
	if !slugRE.MatchString(o.Slug) {
		f.Add("slug", "Use 2–41 lower-case letters, digits and hyphens.")
	}
	if o.IdleTimeout < time.Minute || o.IdleTimeout > 12*time.Hour {
		f.Add("idle_timeout", "Choose between 1 minute and 12 hours.")
	}
	if o.TimeZone == "" {
		o.TimeZone = "America/New_York"
	}
	if _, err := time.LoadLocation(o.TimeZone); err != nil {
		f.Add("time_zone", "Use an IANA time zone such as America/Chicago.")
	}
	return f.Err()
}
