package care

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// Prescription is a physician's order for massage therapy: for which
// diagnoses, what treatment, how often and how long, from when until when.
// Payers and many state rules want one on file before medical massage is
// billed; its diagnoses go on the claim.
type Prescription struct {
	ID          int64
	OrgID       int64
	ClientID    int64
	PhysicianID int64
	WrittenOn   string // YYYY-MM-DD, the date the physician signed it
	// Diagnoses are ICD-10-CM codes written with their dot, the principal
	// one first (it becomes the claim's first diagnosis); 1 to 12, as a
	// claim holds at most 12.
	Diagnoses        []string
	OrderedTreatment string // as written: "Medical massage to cervical and upper thoracic region, MFR, trigger point"
	FrequencyPerWeek int    // visits a week, 0 when not stated
	DurationWeeks    int    // weeks, 0 when not stated
	Visits           int    // visits ordered in all
	StartOn          string // YYYY-MM-DD
	ExpiresOn        string // YYYY-MM-DD, the last day it covers
	Precautions      string
	// DocumentID is the scanned prescription, 0 when none was uploaded.
	DocumentID int64

	// VisitsUsed is not stored: it counts the client's signed session
	// notes within the prescription's dates.
	VisitsUsed int

	// PhysicianName is the prescriber as the directory shows them (read only).
	PhysicianName string
	CreatedBy     int64
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// MaxDiagnoses is how many diagnoses a claim (837P HI, CMS-1500 box 21) holds.
const MaxDiagnoses = 12

// CodeChecker accepts a billable ICD-10-CM code and explains a refusal;
// *icd10.Set is one.
type CodeChecker interface {
	Check(code string) (icd10.Code, error)
}

// ParseCodes reads codes typed into one field: separated by commas,
// semicolons or spaces, with or without their dot, in any case.
func ParseCodes(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		out = append(out, icd10.Format(f))
	}
	return out
}

func rxCheckText(f errs.FieldErrors, field, v string, max int) {
	switch {
	case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
		f.Add(field, "Remove the characters that are not text.")
	case len(v) > max:
		f.Add(field, fmt.Sprintf("Use at most %d characters.", max))
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0:
		f.Add(field, "Remove the control characters.")
	}
}

// date reads a date field into YYYY-MM-DD, or says what is wrong.
func rxDate(f errs.FieldErrors, field, v, what string, required bool) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			f.Add(field, "Enter "+what+" as YYYY-MM-DD or MM/DD/YYYY.")
		}
		return "", false
	}
	d, ok := clinic.ParseDate(v)
	if !ok || d < "1900-01-01" || d > "2999-12-31" {
		f.Add(field, "Enter "+what+" as YYYY-MM-DD or MM/DD/YYYY.")
		return "", false
	}
	return d, true
}

// Normalize tidies what people type and fills what follows from the rest:
// the start is the written date, the visits are frequency × weeks, and the
// expiry is the end of the last week, unless given.
func (p *Prescription) Normalize() {
	p.OrderedTreatment = strings.TrimSpace(p.OrderedTreatment)
	p.Precautions = strings.TrimSpace(p.Precautions)
	codes := make([]string, 0, len(p.Diagnoses))
	for _, c := range p.Diagnoses {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, icd10.Format(c))
		}
	}
	p.Diagnoses = codes
	for _, d := range []*string{&p.WrittenOn, &p.StartOn, &p.ExpiresOn} {
		if v, ok := clinic.ParseDate(*d); ok {
			*d = v
		}
	}
	if p.StartOn == "" {
		p.StartOn = p.WrittenOn
	}
	if p.Visits == 0 && p.FrequencyPerWeek > 0 && p.DurationWeeks > 0 {
		p.Visits = p.FrequencyPerWeek * p.DurationWeeks
	}
	if p.ExpiresOn == "" && p.DurationWeeks > 0 && p.DurationWeeks <= 104 {
		if s, err := time.Parse(clinic.DateLayout, p.StartOn); err == nil {
			p.ExpiresOn = s.AddDate(0, 0, 7*p.DurationWeeks-1).Format(clinic.DateLayout)
		}
	}
}

// Validate checks a prescription before it is stored: today is the
// clinic's date, codes the ICD-10-CM set in force when it was written.
// A diagnosis that is a category is refused with the billable codes
// beneath it named.
func (p *Prescription) Validate(today time.Time, codes CodeChecker) error {
	p.Normalize()
	f := errs.FieldErrors{}
	if p.PhysicianID <= 0 {
		f.Add("physician_id", "Choose the prescribing physician (add them to the directory first if they are not there).")
	}
	written, okW := rxDate(f, "written_on", p.WrittenOn, "the date the prescription was written", true)
	if okW && written > today.Format(clinic.DateLayout) {
		f.Add("written_on", "The prescription cannot be written in the future; check the date.")
	}
	start, okS := rxDate(f, "start_on", p.StartOn, "the first day it covers", true)
	exp, okE := rxDate(f, "expires_on", p.ExpiresOn, "the expiry date (or give the duration in weeks)", true)
	if okW && okS && start < written {
		f.Add("start_on", "The prescription cannot start before it was written.")
	}
	if okS && okE && exp < start {
		f.Add("expires_on", "The expiry date must be on or after the start date.")
	}
	switch n := len(p.Diagnoses); {
	case n == 0:
		f.Add("diagnoses", "Add at least one diagnosis (ICD-10-CM code) from the prescription.")
	case n > MaxDiagnoses:
		f.Add("diagnoses", "A claim holds at most 12 diagnoses; keep the 12 that matter most, the principal one first.")
	default:
		seen := map[string]bool{}
		for i, c := range p.Diagnoses {
			k := icd10.Key(c)
			if seen[k] {
				f.Add("diagnoses", c+" is listed twice.")
				break
			}
			seen[k] = true
			if codes == nil {
				continue
			}
			code, err := codes.Check(c)
			if err != nil {
				f.Add("diagnoses", errs.Message(err))
				break
			}
			p.Diagnoses[i] = code.Code // as the code set writes it
		}
	}
	if p.OrderedTreatment == "" {
		f.Add("ordered_treatment", "Enter the treatment as the prescription orders it.")
	}
	rxCheckText(f, "ordered_treatment", p.OrderedTreatment, 1000)
	rxCheckText(f, "precautions", p.Precautions, 1000)
	if p.FrequencyPerWeek < 0 || p.FrequencyPerWeek > 7 {
		f.Add("frequency_per_week", "Enter 1 to 7 visits a week, or leave it empty.")
	}
	if p.DurationWeeks < 0 || p.DurationWeeks > 104 {
		f.Add("duration_weeks", "Enter 1 to 104 weeks, or leave it empty.")
	}
	switch {
	case p.Visits == 0:
		f.Add("visits", "Enter the number of visits ordered (or the frequency and the duration).")
	case p.Visits < 0 || p.Visits > 400:
		f.Add("visits", "Enter 1 to 400 visits.")
	}
	return f.Err()
}

// Active reports whether the prescription covers day (YYYY-MM-DD).
func (p *Prescription) Active(day string) bool { return p.StartOn <= day && day <= p.ExpiresOn }

// InForce is the newest of ps (newest first, as stored) active on day, or nil.
func InForce(ps []Prescription, day string) *Prescription {
	for i := range ps {
		if ps[i].Active(day) {
			return &ps[i]
		}
	}
	return nil
}

// VisitsLeft is the number of ordered visits not yet used.
func (p *Prescription) VisitsLeft() int { return p.Visits - p.VisitsUsed }

// Authorization is a payer's approval of a number of visits within dates,
// which its claims must quote (CMS-1500 box 23, 837P REF*G1).
type Authorization struct {
	ID       int64
	OrgID    int64
	ClientID int64
	// PrescriptionID is the prescription it was granted for, 0 when not recorded.
	PrescriptionID   int64
	Payer            string
	Number           string
	VisitsAuthorized int
	// VisitsUsed is what the front desk recorded as already used when the
	// authorization was entered, plus the sessions signed since within its
	// dates (read so; the stored column keeps the recorded number).
	VisitsUsed int
	StartOn    string // YYYY-MM-DD
	EndOn      string // YYYY-MM-DD, the last day it covers

	CreatedBy int64
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Normalize tidies what people type.
func (au *Authorization) Normalize() {
	au.Payer = strings.TrimSpace(au.Payer)
	au.Number = strings.TrimSpace(au.Number)
	for _, d := range []*string{&au.StartOn, &au.EndOn} {
		if v, ok := clinic.ParseDate(*d); ok {
			*d = v
		}
	}
}

// Validate checks an authorization before it is stored.
func (au *Authorization) Validate() error {
	au.Normalize()
	f := errs.FieldErrors{}
	if au.Payer == "" {
		f.Add("payer", "Enter the payer (the insurance company or claims administrator).")
	}
	if au.Number == "" {
		f.Add("number", "Enter the authorization number as the payer gave it; claims must quote it.")
	}
	rxCheckText(f, "payer", au.Payer, 100)
	rxCheckText(f, "number", au.Number, 50)
	if au.VisitsAuthorized < 1 || au.VisitsAuthorized > 400 {
		f.Add("visits_authorized", "Enter the number of visits authorized (1 to 400).")
	}
	if au.VisitsUsed < 0 || au.VisitsUsed > au.VisitsAuthorized && au.VisitsAuthorized > 0 {
		f.Add("visits_used", "Visits used are between 0 and the visits authorized.")
	}
	start, okS := rxDate(f, "start_on", au.StartOn, "the first day authorized", true)
	end, okE := rxDate(f, "end_on", au.EndOn, "the last day authorized", true)
	if okS && okE && end < start {
		f.Add("end_on", "The last day must be on or after the first day.")
	}
	if au.PrescriptionID < 0 {
		f.Add("prescription_id", "Choose one of the client's prescriptions, or none.")
	}
	return f.Err()
}

// Active reports whether the authorization covers day (YYYY-MM-DD).
func (au *Authorization) Active(day string) bool { return au.StartOn <= day && day <= au.EndOn }

// VisitsLeft is the number of authorized visits not yet used.
func (au *Authorization) VisitsLeft() int { return au.VisitsAuthorized - au.VisitsUsed }

// Warning is something about a client's prescriptions or authorizations
// the therapist or the front desk should act on before the next visit.
type Warning struct {
	Kind  WarningKind
	Level string // "danger" (treatment is not covered now) or "warning" (soon it will not be)
	// Message says what and what to do, in a sentence.
	Message         string
	PrescriptionID  int64
	AuthorizationID int64
}

// WarningKind names a warning.
type WarningKind string

const (
	PrescriptionExpired  WarningKind = "prescription_expired"
	PrescriptionExpiring WarningKind = "prescription_expiring"
	PrescriptionVisits   WarningKind = "prescription_visits"
	AuthorizationEnded   WarningKind = "authorization_ended"
	AuthorizationEnding  WarningKind = "authorization_ending"
	AuthorizationVisits  WarningKind = "authorization_visits"
)

// WarnDays and WarnVisits are when the chart starts warning: expiry within
// seven days, two visits or fewer left.
const (
	WarnDays   = 7
	WarnVisits = 2
)

// Warnings lists what the chart should warn about on day today (the
// clinic's date): a prescription or authorization that has ended with
// nothing in force after it, one that ends within seven days and is not
// followed by another, and two visits or fewer left on one in force.
// Something that has not started yet is not warned about.
func Warnings(today time.Time, prescriptions []Prescription, authorizations []Authorization) []Warning {
	day := today.Format(clinic.DateLayout)
	var out []Warning
	// renewedRx reports whether another prescription covers the day after p ends.
	renewedRx := func(p *Prescription) bool {
		next := rxAddDays(p.ExpiresOn, 1)
		for i := range prescriptions {
			q := &prescriptions[i]
			if q.ID != p.ID && q.StartOn <= next && q.ExpiresOn >= next {
				return true
			}
		}
		return false
	}
	for i := range prescriptions {
		p := &prescriptions[i]
		if p.StartOn > day {
			continue
		}
		who := "the prescription"
		if p.PhysicianName != "" {
			who = "the prescription from " + p.PhysicianName
		}
		if p.ExpiresOn < day {
			if renewedRx(p) || !rxLatestRx(prescriptions, p) {
				continue
			}
			out = append(out, Warning{Kind: PrescriptionExpired, Level: "danger", PrescriptionID: p.ID,
				Message: fmt.Sprintf("%s expired on %s. Ask the physician for a new one before treating under it.", rxCapital(who), rxUsDate(p.ExpiresOn))})
			continue
		}
		if left := rxDaysBetween(day, p.ExpiresOn); left <= WarnDays && !renewedRx(p) {
			out = append(out, Warning{Kind: PrescriptionExpiring, Level: "warning", PrescriptionID: p.ID,
				Message: fmt.Sprintf("%s expires %s (%s). Ask the physician for a renewal.", rxCapital(who), rxInDays(left), rxUsDate(p.ExpiresOn))})
		}
		if left := p.VisitsLeft(); left <= WarnVisits {
			level := "warning"
			if left <= 0 {
				level = "danger"
			}
			out = append(out, Warning{Kind: PrescriptionVisits, Level: level, PrescriptionID: p.ID,
				Message: fmt.Sprintf("%s has %s left of %d.", rxCapital(who), rxVisits(left), p.Visits)})
		}
	}
	renewedAuth := func(a *Authorization) bool {
		next := rxAddDays(a.EndOn, 1)
		for i := range authorizations {
			b := &authorizations[i]
			if b.ID != a.ID && b.Payer == a.Payer && b.StartOn <= next && b.EndOn >= next {
				return true
			}
		}
		return false
	}
	for i := range authorizations {
		a := &authorizations[i]
		if a.StartOn > day {
			continue
		}
		who := fmt.Sprintf("Authorization %s from %s", a.Number, a.Payer)
		if a.EndOn < day {
			if renewedAuth(a) || !rxLatestAuth(authorizations, a) {
				continue
			}
			out = append(out, Warning{Kind: AuthorizationEnded, Level: "danger", AuthorizationID: a.ID,
				Message: fmt.Sprintf("%s ended on %s. Ask %s for a new authorization before the next visit.", who, rxUsDate(a.EndOn), a.Payer)})
			continue
		}
		if left := rxDaysBetween(day, a.EndOn); left <= WarnDays && !renewedAuth(a) {
			out = append(out, Warning{Kind: AuthorizationEnding, Level: "warning", AuthorizationID: a.ID,
				Message: fmt.Sprintf("%s ends %s (%s).", who, rxInDays(left), rxUsDate(a.EndOn))})
		}
		if left := a.VisitsLeft(); left <= WarnVisits {
			level := "warning"
			if left <= 0 {
				level = "danger"
			}
			out = append(out, Warning{Kind: AuthorizationVisits, Level: level, AuthorizationID: a.ID,
				Message: fmt.Sprintf("%s has %s left of %d. Ask %s for more visits.", who, rxVisits(left), a.VisitsAuthorized, a.Payer)})
		}
	}
	return out
}

// latestRx reports whether no other prescription starts after p: an old
// expired prescription followed by a newer one is history, not a warning.
func rxLatestRx(all []Prescription, p *Prescription) bool {
	for i := range all {
		if all[i].ID != p.ID && all[i].StartOn > p.StartOn {
			return false
		}
	}
	return true
}

func rxLatestAuth(all []Authorization, a *Authorization) bool {
	for i := range all {
		if all[i].ID != a.ID && all[i].Payer == a.Payer && all[i].StartOn > a.StartOn {
			return false
		}
	}
	return true
}

func rxAddDays(d string, n int) string {
	t, err := time.Parse(clinic.DateLayout, d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, n).Format(clinic.DateLayout)
}

// daysBetween is the number of days from a to b (YYYY-MM-DD).
func rxDaysBetween(a, b string) int {
	ta, err1 := time.Parse(clinic.DateLayout, a)
	tb, err2 := time.Parse(clinic.DateLayout, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours()+12) / 24
}

func rxUsDate(d string) string {
	if t, err := time.Parse(clinic.DateLayout, d); err == nil {
		return t.Format("01/02/2006")
	}
	return d
}

func rxInDays(n int) string {
	switch n {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return fmt.Sprintf("in %d days", n)
}

func rxVisits(n int) string {
	switch {
	case n <= 0:
		return "no visits"
	case n == 1:
		return "1 visit"
	}
	return fmt.Sprintf("%d visits", n)
}

func rxCapital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
