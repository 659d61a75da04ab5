package web

import (
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// FuzzNoteForm: whatever the note editor (or a beacon, or anyone) posts,
// reading it never panics; what is read either validates or says which
// field is wrong; and its units and a template applied to it are computed
// without a panic.
func FuzzNoteForm(f *testing.F) {
	for _, seed := range []string{
		"version=3&service_date=2026-11-20&kind=daily&subjective=Better&pain_before=4&technique.0.technique=swedish&technique.0.minutes=30&technique.0.regions=upper_trapezius",
		"version=1&technique.0.technique=myofascial_release&technique.0.minutes=-5&modality.3.kind=hot_pack&modality.3.minutes=abc",
		"version=1&marks=%5B%7B%22view%22%3A%22posterior%22%7D%5D&home_care=chin_tucks&home_care=chin_tucks&pressure=9",
		"version=x&pain_after=%00&tolerance=excellent&technique.59.technique=cupping&technique.59.regions=a,b,,a",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		n, _, err := noteOfForm(form, 1)
		if err != nil {
			if errs.Message(err) == "" {
				t.Fatalf("an error without a message: %#v", err)
			}
			if n == nil {
				return
			}
		}
		if err := n.Validate(); err != nil {
			if msg := errs.Message(err); msg == "" || !utf8.ValidString(msg) {
				t.Fatalf("validation error without a readable message: %#v", err)
			}
		}
		if len(n.Techniques) > 60 || len(n.Modalities) > 60 {
			t.Fatalf("%d techniques, %d modalities from one form", len(n.Techniques), len(n.Modalities))
		}
		for _, r := range []units.Rule{units.CMS, units.AMA} {
			if res, _, err := care.NoteUnits(n.Techniques, n.Modalities, care.DefaultCodeMap(), r); err == nil && res.TotalUnits < 0 {
				t.Fatalf("negative units: %+v", res)
			}
		}
		c, _ := assess.ConditionByKey("chronic_neck_pain")
		care.TemplateFor(c).ApplyTo(n)
	})
}
