package clinic_test

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

var today = time.Date(2026, 3, 15, 12, 0, 0, 0, time.UTC)

func validClient() clinic.Client {
	return clinic.Client{
		FirstName: "Ann", LastName: "Smith", DOB: "1971-04-09", Sex: clinic.SexFemale,
		Address1: "1 Main St", City: "Austin", State: "TX", Zip: "78701",
		Phone: "(512) 555-0147", Email: "ann@example.com",
		EmergencyName: "Bob Smith", EmergencyPhone: "(512) 555-0148", EmergencyRelation: "Spouse",
		PreferredLocationID: 1, Status: clinic.StatusActive,
	}
}

func fieldNames(err error) []string {
	var out []string
	for k := range errs.FieldsOf(err) {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestValidateFields(t *testing.T) {
	long := strings.Repeat("a", 101)
	for _, tc := range []struct {
		name   string
		change func(c *clinic.Client)
		field  string // "" means valid
	}{
		{"valid", func(c *clinic.Client) {}, ""},
		{"minimal", func(c *clinic.Client) {
			*c = clinic.Client{FirstName: "A", LastName: "B", DOB: "2000-01-01", PreferredLocationID: 3}
		}, ""},
		{"first name missing", func(c *clinic.Client) { c.FirstName = "" }, "first_name"},
		{"first name blank", func(c *clinic.Client) { c.FirstName = "   " }, "first_name"},
		{"last name missing", func(c *clinic.Client) { c.LastName = "\t" }, "last_name"},
		{"first name too long", func(c *clinic.Client) { c.FirstName = long }, "first_name"},
		{"first name 100 is fine", func(c *clinic.Client) { c.FirstName = long[:100] }, ""},
		{"middle name too long", func(c *clinic.Client) { c.MiddleName = long }, "middle_name"},
		{"last name too long", func(c *clinic.Client) { c.LastName = long }, "last_name"},
		{"preferred name too long", func(c *clinic.Client) { c.PreferredName = long }, "preferred_name"},
		{"suffix too long", func(c *clinic.Client) { c.Suffix = long }, "suffix"},
		{"address1 too long", func(c *clinic.Client) { c.Address1 = long }, "address1"},
		{"address2 too long", func(c *clinic.Client) { c.Address2 = long }, "address2"},
		{"city too long", func(c *clinic.Client) { c.City = long }, "city"},
		{"emergency name too long", func(c *clinic.Client) { c.EmergencyName = long }, "emergency_name"},
		{"emergency relation too long", func(c *clinic.Client) { c.EmergencyRelation = long }, "emergency_relation"},
		{"control character in name", func(c *clinic.Client) { c.FirstName = "An\x00n" }, "first_name"},
		{"newline in city", func(c *clinic.Client) { c.City = "Aus\ntin" }, "city"},
		{"escape in address", func(c *clinic.Client) { c.Address2 = "Apt \x1b[2J" }, "address2"},
		{"dob missing", func(c *clinic.Client) { c.DOB = "" }, "dob"},
		{"dob unreadable", func(c *clinic.Client) { c.DOB = "April 9th" }, "dob"},
		{"dob impossible", func(c *clinic.Client) { c.DOB = "02/30/2020" }, "dob"},
		{"dob in the future", func(c *clinic.Client) { c.DOB = "2026-03-16" }, "dob"},
		{"dob today", func(c *clinic.Client) { c.DOB = "2026-03-15" }, ""},
		{"dob before 1900", func(c *clinic.Client) { c.DOB = "1899-12-31" }, "dob"},
		{"dob 1900", func(c *clinic.Client) { c.DOB = "1900-01-01" }, ""},
		{"dob US format", func(c *clinic.Client) { c.DOB = "4/9/1971" }, ""},
		{"sex unknown letter", func(c *clinic.Client) { c.Sex = "X" }, "sex"},
		{"sex lower case", func(c *clinic.Client) { c.Sex = "f" }, "sex"},
		{"sex empty becomes U", func(c *clinic.Client) { c.Sex = "" }, ""},
		{"state unknown", func(c *clinic.Client) { c.State = "ZZ" }, "state"},
		{"state three letters", func(c *clinic.Client) { c.State = "TEX" }, "state"},
		{"state lower case is fine", func(c *clinic.Client) { c.State = "tx" }, ""},
		{"territory", func(c *clinic.Client) { c.State = "PR" }, ""},
		{"zip short", func(c *clinic.Client) { c.Zip = "7870" }, "zip"},
		{"zip letters", func(c *clinic.Client) { c.Zip = "7870A" }, "zip"},
		{"zip 7 digits", func(c *clinic.Client) { c.Zip = "7870112" }, "zip"},
		{"zip+4", func(c *clinic.Client) { c.Zip = "78701-1234" }, ""},
		{"phone short", func(c *clinic.Client) { c.Phone = "555-0147" }, "phone"},
		{"emergency phone short", func(c *clinic.Client) { c.EmergencyPhone = "911" }, "emergency_phone"},
		{"email bad", func(c *clinic.Client) { c.Email = "ann@" }, "email"},
		{"email no dot in domain", func(c *clinic.Client) { c.Email = "ann@localhost" }, "email"},
		{"email with name", func(c *clinic.Client) { c.Email = "Ann <ann@example.com>" }, "email"},
		{"email empty is fine", func(c *clinic.Client) { c.Email = "" }, ""},
		{"no location", func(c *clinic.Client) { c.PreferredLocationID = 0 }, "preferred_location_id"},
		{"status unknown", func(c *clinic.Client) { c.Status = "deceased" }, "status"},
		{"status empty becomes active", func(c *clinic.Client) { c.Status = "" }, ""},
		{"status discharged", func(c *clinic.Client) { c.Status = clinic.StatusDischarged }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validClient()
			tc.change(&c)
			err := c.Validate(today)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("valid client refused: %v", err)
				}
				return
			}
			if errs.Code(err) != errs.Invalid {
				t.Fatalf("code %q (%v), want invalid", errs.Code(err), err)
			}
			if got := fieldNames(err); !reflect.DeepEqual(got, []string{tc.field}) {
				t.Fatalf("fields %v, want [%s]", got, tc.field)
			}
			if msg := errs.FieldsOf(err)[tc.field]; msg == "" || !strings.HasSuffix(msg, ".") {
				t.Errorf("field message %q is not a sentence", msg)
			}
			if !strings.Contains(errs.Message(err), tc.field) {
				t.Errorf("message %q does not name %s", errs.Message(err), tc.field)
			}
		})
	}
}

func TestValidateSeveralFields(t *testing.T) {
	c := clinic.Client{DOB: "yesterday", State: "XX", Sex: "Q"}
	err := c.Validate(today)
	want := []string{"dob", "first_name", "last_name", "preferred_location_id", "sex", "state"}
	if got := fieldNames(err); !reflect.DeepEqual(got, want) {
		t.Fatalf("fields %v, want %v", got, want)
	}
	if !strings.HasPrefix(errs.Message(err), "Please correct the highlighted fields") {
		t.Errorf("message %q", errs.Message(err))
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		name       string
		in         clinic.Client
		check      func(c clinic.Client) string
		wantString string
	}{
		{"phone dots", clinic.Client{Phone: "512.555.0147"}, func(c clinic.Client) string { return c.Phone }, "(512) 555-0147"},
		{"phone dashes", clinic.Client{Phone: "512-555-0147"}, func(c clinic.Client) string { return c.Phone }, "(512) 555-0147"},
		{"phone bare", clinic.Client{Phone: " 5125550147 "}, func(c clinic.Client) string { return c.Phone }, "(512) 555-0147"},
		{"phone +1", clinic.Client{Phone: "+1 (512) 555-0147"}, func(c clinic.Client) string { return c.Phone }, "(512) 555-0147"},
		{"phone leading 1", clinic.Client{Phone: "1-512-555-0147"}, func(c clinic.Client) string { return c.Phone }, "(512) 555-0147"},
		{"phone already formatted", clinic.Client{Phone: "(512) 555-0147"}, func(c clinic.Client) string { return c.Phone }, "(512) 555-0147"},
		{"phone short left as typed", clinic.Client{Phone: " 555-0147 "}, func(c clinic.Client) string { return c.Phone }, "555-0147"},
		{"phone 11 digits not US left as typed", clinic.Client{Phone: "44 20 7946 0958"}, func(c clinic.Client) string { return c.Phone }, "44 20 7946 0958"},
		{"emergency phone", clinic.Client{EmergencyPhone: "737 555 0199"}, func(c clinic.Client) string { return c.EmergencyPhone }, "(737) 555-0199"},
		{"zip dash", clinic.Client{Zip: "78701-1234"}, func(c clinic.Client) string { return c.Zip }, "787011234"},
		{"zip spaces", clinic.Client{Zip: " 78701 "}, func(c clinic.Client) string { return c.Zip }, "78701"},
		{"state upper", clinic.Client{State: " tx "}, func(c clinic.Client) string { return c.State }, "TX"},
		{"state mixed", clinic.Client{State: "Tx"}, func(c clinic.Client) string { return c.State }, "TX"},
		{"email lower", clinic.Client{Email: " Ann.Smith@Example.COM "}, func(c clinic.Client) string { return c.Email }, "ann.smith@example.com"},
		{"dob US", clinic.Client{DOB: "4/9/1971"}, func(c clinic.Client) string { return c.DOB }, "1971-04-09"},
		{"dob US zero padded", clinic.Client{DOB: "04/09/1971"}, func(c clinic.Client) string { return c.DOB }, "1971-04-09"},
		{"dob bad left alone", clinic.Client{DOB: " 02/30/2020 "}, func(c clinic.Client) string { return c.DOB }, "02/30/2020"},
		{"names trimmed", clinic.Client{FirstName: "  Ann ", LastName: "\tSmith\n"}, func(c clinic.Client) string { return c.FirstName + "|" + c.LastName }, "Ann|Smith"},
		{"status default", clinic.Client{}, func(c clinic.Client) string { return string(c.Status) }, "active"},
		{"status kept", clinic.Client{Status: clinic.StatusInactive}, func(c clinic.Client) string { return string(c.Status) }, "inactive"},
		{"sex default", clinic.Client{}, func(c clinic.Client) string { return string(c.Sex) }, "U"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.in
			c.Normalize()
			if got := tc.check(c); got != tc.wantString {
				t.Fatalf("got %q, want %q", got, tc.wantString)
			}
			again := c
			again.Normalize()
			if !reflect.DeepEqual(again, c) {
				t.Fatalf("Normalize is not idempotent: %+v then %+v", c, again)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"1971-04-09":   "1971-04-09",
		" 1971-04-09 ": "1971-04-09",
		"04/09/1971":   "1971-04-09",
		"4/9/1971":     "1971-04-09",
		"4/09/1971":    "1971-04-09",
		"12/31/1999":   "1999-12-31",
		"2020-02-29":   "2020-02-29", // leap year
		"02/29/2020":   "2020-02-29",
		"2/29/2000":    "2000-02-29", // divisible by 400
		"1/1/1900":     "1900-01-01",
		// invalid
		"02/30/2020":                     "",
		"2/30/2020":                      "",
		"2021-02-29":                     "",
		"02/29/2021":                     "",
		"2/29/1900":                      "", // not a leap year
		"04/31/2020":                     "",
		"13/01/2020":                     "",
		"00/10/2020":                     "",
		"2020-13-01":                     "",
		"2020-00-10":                     "",
		"2020-01-32":                     "",
		"1971-4-9":                       "",
		"4/9/71":                         "",
		"09.04.1971":                     "",
		"1971/04/09":                     "",
		"":                               "",
		"   ":                            "",
		"tomorrow":                       "",
		"1971-04-09T00:00:00Z":           "",
		"1971-04-09 extra":               "",
		"4/9/1971; DROP TABLE":           "",
		"99999-01-01":                    "",
		"-1971-04-09":                    "",
		"1971-04-09\x00":                 "",
		"\u0661\u0669\u0677\u0661-04-09": "", // Arabic-Indic digits
	} {
		got, ok := clinic.ParseDate(in)
		if ok != (want != "") || got != want {
			t.Errorf("ParseDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestAge(t *testing.T) {
	on := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(15 * time.Hour)
	}
	for _, tc := range []struct {
		dob, on string
		want    int
	}{
		{"1971-04-09", "2026-04-09", 55}, // birthday today
		{"1971-04-09", "2026-04-08", 54}, // the day before
		{"1971-04-09", "2026-04-10", 55},
		{"1971-04-09", "2026-03-31", 54}, // earlier month, later day
		{"1971-04-09", "2026-05-01", 55}, // later month, earlier day
		{"1971-04-09", "2026-12-31", 55},
		{"1971-04-09", "2027-01-01", 55},
		{"2026-03-15", "2026-03-15", 0}, // born today
		{"2025-03-16", "2026-03-15", 0},
		{"2025-03-15", "2026-03-15", 1},
		// Born on a leap day: a year older on 1 March in common years, on 29 February in leap years.
		{"2000-02-29", "2021-02-28", 20},
		{"2000-02-29", "2021-03-01", 21},
		{"2000-02-29", "2024-02-28", 23},
		{"2000-02-29", "2024-02-29", 24},
		{"2000-02-29", "2024-03-01", 24},
		{"1900-01-01", "2026-01-01", 126},
		{"not a date", "2026-01-01", -1},
		{"04/09/1971", "2026-01-01", -1}, // Age reads only the stored form
		{"", "2026-01-01", -1},
	} {
		c := clinic.Client{DOB: tc.dob}
		if got := c.Age(on(tc.on)); got != tc.want {
			t.Errorf("born %s, on %s: age %d, want %d", tc.dob, tc.on, got, tc.want)
		}
	}
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"1971-04-09", "4/9/1971", "02/30/2020", "12/31/9999", " 2000-02-29 ", "", "0/0/0", "1/1/0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := clinic.ParseDate(s)
		if !ok {
			if d != "" {
				t.Fatalf("ParseDate(%q) failed but returned %q", s, d)
			}
			return
		}
		if !dateRE.MatchString(d) {
			t.Fatalf("ParseDate(%q) = %q, not YYYY-MM-DD", s, d)
		}
		if _, err := time.Parse(clinic.DateLayout, d); err != nil {
			t.Fatalf("ParseDate(%q) = %q, which is not a real date: %v", s, d, err)
		}
		if again, ok := clinic.ParseDate(d); !ok || again != d {
			t.Fatalf("ParseDate(%q) = %q but ParseDate(%q) = %q, %v", s, d, d, again, ok)
		}
	})
}

func FuzzValidate(f *testing.F) {
	f.Add("Ann", "Smith", "1971-04-09", "F", "tx", "78701-1234", "512.555.0147", "Ann@Example.com", "active", int64(1))
	f.Add("", "", "", "", "", "", "", "", "", int64(0))
	f.Add(" \x00", "O'Brien", "02/30/2020", "X", "ZZ", "7870", "555", "a@b", "gone", int64(-1))
	f.Add("José", "Núñez", "4/9/1971", "U", " pr ", " 00901 ", "+1 (787) 555 0100", " JOSE@EXAMPLE.COM ", "", int64(9))
	f.Add("A", "B", "2000-01-01", "M", "TX", "78701 -", "5125550147", "", "inactive", int64(2))
	f.Fuzz(func(t *testing.T, first, last, dob, sex, state, zip, phone, email, status string, loc int64) {
		c := clinic.Client{FirstName: first, LastName: last, DOB: dob, Sex: clinic.Sex(sex), State: state, Zip: zip,
			Phone: phone, EmergencyPhone: phone, Email: email, Status: clinic.ClientStatus(status), PreferredLocationID: loc,
			MiddleName: first, PreferredName: last, City: state, Address1: zip}
		err1 := c.Validate(today) // normalizes c
		once := c
		err2 := c.Validate(today)
		if !reflect.DeepEqual(c, once) {
			t.Fatalf("Normalize is not idempotent:\n%+v\n%+v", once, c)
		}
		if !reflect.DeepEqual(fieldNames(err1), fieldNames(err2)) || errs.Message(err1) != errs.Message(err2) {
			t.Fatalf("Validate changed its mind on the normalized client: %v then %v (client %+v)", err1, err2, c)
		}
		if err1 != nil && errs.Code(err1) != errs.Invalid {
			t.Fatalf("Validate returned %v, not an Invalid error", err1)
		}
		if err1 == nil {
			// What is accepted is in its stored form.
			if !dateRE.MatchString(c.DOB) {
				t.Fatalf("accepted DOB %q", c.DOB)
			}
			if c.Zip != "" && len(clinic.Digits(c.Zip)) != len(c.Zip) {
				t.Fatalf("accepted ZIP %q", c.Zip)
			}
			if c.State != strings.ToUpper(c.State) {
				t.Fatalf("accepted state %q", c.State)
			}
		}
	})
}
