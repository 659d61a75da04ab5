package care_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

func ip(n int) *int { return &n }

// signable is a routine follow-up note, complete enough to sign.
func signable() care.SOAPNote {
	return care.SOAPNote{ServiceDate: "2030-03-04", Kind: care.NoteDaily,
		Subjective: "Neck stiffness eased for two days.", PainBefore: ip(5),
		Objective: "Hypertonic right upper trapezius.", Assessment: "Tissue softened.", PainAfter: ip(2), Tolerance: "good",
		Plan: "Continue twice weekly.", Pressure: ip(3),
		Techniques:            []care.PerformedTechnique{{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}, Minutes: 25}},
		Modalities:            []care.Modality{{Kind: "hot_pack", Minutes: 10}},
		ScreeningAcknowledged: true}
}

func TestSOAPNoteValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(n *care.SOAPNote)
		field  string // "" when valid
	}{
		{"complete note", func(n *care.SOAPNote) {}, ""},
		{"empty draft", func(n *care.SOAPNote) { *n = care.SOAPNote{ServiceDate: "2030-03-04", Kind: care.NoteProgress} }, ""},
		{"no date", func(n *care.SOAPNote) { n.ServiceDate = "" }, "service_date"},
		{"US date", func(n *care.SOAPNote) { n.ServiceDate = "03/04/2030" }, "service_date"},
		{"February 30th", func(n *care.SOAPNote) { n.ServiceDate = "2030-02-30" }, "service_date"},
		{"unknown kind", func(n *care.SOAPNote) { n.Kind = "discharge" }, "kind"},
		{"pain 10", func(n *care.SOAPNote) { n.PainBefore = ip(10) }, ""},
		{"pain 0", func(n *care.SOAPNote) { n.PainAfter = ip(0) }, ""},
		{"pain 11", func(n *care.SOAPNote) { n.PainBefore = ip(11) }, "pain_before"},
		{"pain -1", func(n *care.SOAPNote) { n.PainAfter = ip(-1) }, "pain_after"},
		{"pressure 5", func(n *care.SOAPNote) { n.Pressure = ip(5) }, ""},
		{"pressure 6", func(n *care.SOAPNote) { n.Pressure = ip(6) }, "pressure"},
		{"tolerance", func(n *care.SOAPNote) { n.Tolerance = "excellent" }, "tolerance"},
		{"480 minutes", func(n *care.SOAPNote) { n.Techniques[0].Minutes = 480 }, ""},
		{"481 minutes", func(n *care.SOAPNote) { n.Techniques[0].Minutes = 481 }, "technique.0"},
		{"negative minutes", func(n *care.SOAPNote) { n.Techniques[0].Minutes = -5 }, "technique.0"},
		{"unknown technique", func(n *care.SOAPNote) { n.Techniques[0].Technique = "reiki" }, "technique.0"},
		{"unknown region", func(n *care.SOAPNote) { n.Techniques[0].Regions = []string{"aura"} }, "technique.0"},
		{"unknown modality", func(n *care.SOAPNote) { n.Modalities[0].Kind = "laser" }, "modality.0"},
		{"modality minutes", func(n *care.SOAPNote) { n.Modalities[0].Minutes = 500 }, "modality.0"},
		{"modality region", func(n *care.SOAPNote) { n.Modalities[0].Regions = []string{"elbow_pit"} }, "modality.0"},
		{"10,000 characters", func(n *care.SOAPNote) { n.Objective = strings.Repeat("é", care.MaxSectionText) }, ""},
		{"10,001 characters", func(n *care.SOAPNote) { n.Plan = strings.Repeat("a", care.MaxSectionText+1) }, "plan"},
		{"NUL in text", func(n *care.SOAPNote) { n.Subjective = "a\x00b" }, "subjective"},
		{"bad mark", func(n *care.SOAPNote) { n.Marks = []assess.Mark{{View: "anterior", Region: "nowhere", X: 2}} }, "marks"},
		{"too many rows", func(n *care.SOAPNote) { n.HomeCare = make([]string, 51) }, "form"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := signable()
			c.change(&n)
			err := n.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[c.field] == "" {
				t.Fatalf("want an error on %s, got %v", c.field, err)
			}
		})
	}
}

func TestSOAPNoteValidateForSigning(t *testing.T) {
	cases := []struct {
		name   string
		change func(n *care.SOAPNote)
		fields []string
	}{
		{"complete", func(n *care.SOAPNote) {}, nil},
		{"blank sections", func(n *care.SOAPNote) { n.Subjective, n.Objective, n.Assessment, n.Plan = " ", "", "\n", "" },
			[]string{"subjective", "objective", "assessment", "plan"}},
		{"no technique", func(n *care.SOAPNote) { n.Techniques = nil }, []string{"techniques"}},
		{"technique without minutes", func(n *care.SOAPNote) { n.Techniques[0].Minutes = 0 }, []string{"techniques"}},
		{"modality only", func(n *care.SOAPNote) { n.Techniques = nil; n.Modalities[0].Minutes = 15 }, []string{"techniques"}},
		{"no pains", func(n *care.SOAPNote) { n.PainBefore, n.PainAfter = nil, nil }, []string{"pain_before", "pain_after"}},
		{"screening not acknowledged", func(n *care.SOAPNote) { n.ScreeningAcknowledged = false }, []string{"screening"}},
		{"draft errors too", func(n *care.SOAPNote) { n.Pressure = ip(9) }, []string{"pressure"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := signable()
			c.change(&n)
			err := n.ValidateForSigning()
			got := errs.FieldsOf(err)
			if len(got) != len(c.fields) {
				t.Fatalf("fields %v, want %v", got, c.fields)
			}
			for _, f := range c.fields {
				if got[f] == "" {
					t.Errorf("no error on %s: %v", f, got)
				}
			}
			// Every field of a signing error is also something a draft may leave out.
			if c.name != "draft errors too" && n.Validate() != nil {
				t.Errorf("the draft itself is refused: %v", n.Validate())
			}
		})
	}
}

func TestAddendumValidate(t *testing.T) {
	cases := []struct {
		reason, text string
		fields       []string
	}{
		{"Wrong side charted", "The trigger point was on the left.", nil},
		{"Late entry", "x", nil}, // exactly 10 characters
		{"typo", "The trigger point was on the left.", []string{"reason"}},
		{"          wrong     ", "x", []string{"reason"}}, // spaces do not count
		{"Wrong side charted", "  \n ", []string{"text"}},
		{"", "", []string{"reason", "text"}},
		{"Wrong side charted", strings.Repeat("a", care.MaxSectionText+1), []string{"text"}},
	}
	for _, c := range cases {
		a := care.Addendum{Reason: c.reason, Text: c.text}
		got := errs.FieldsOf(a.Validate())
		if len(got) != len(c.fields) {
			t.Errorf("%q/%.20q: fields %v, want %v", c.reason, c.text, got, c.fields)
		}
		for _, f := range c.fields {
			if got[f] == "" {
				t.Errorf("%q: no error on %s", c.reason, f)
			}
		}
	}
}

func TestIsLate(t *testing.T) {
	end := time.Date(2030, 3, 4, 16, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		after time.Duration
		late  bool
	}{{0, false}, {time.Hour, false}, {24 * time.Hour, false}, {24*time.Hour + time.Second, true}, {25 * time.Hour, true}, {-time.Hour, false}} {
		if got := care.IsLate(end, end.Add(c.after)); got != c.late {
			t.Errorf("signed %v after the session: late %v, want %v", c.after, got, c.late)
		}
	}
}

func TestServiceDateEnd(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Skip("no time zone data")
	}
	// 2030-03-10 is the day US clocks spring forward: a 23-hour day.
	end, err := care.ServiceDateEnd("2030-03-10", chicago)
	if err != nil || !end.Equal(time.Date(2030, 3, 11, 5, 0, 0, 0, time.UTC)) {
		t.Fatalf("end of 2030-03-10 in Chicago: %v, %v", end.UTC(), err)
	}
	if _, err := care.ServiceDateEnd("10/03/2030", chicago); !errs.Is(err, errs.Invalid) {
		t.Fatalf("a date that is not one: %v", err)
	}
}
