package assess

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/fascia-health/fascia/internal/errs"
)

// FuzzParseMarks: the editor's field is outside input. ParseMarks never
// panics, every error is an Invalid one, and what it accepts is already
// tidy (validating it again changes nothing) and survives a round trip
// through JSON unchanged.
func FuzzParseMarks(f *testing.F) {
	seeds := []string{
		``, `null`, `[]`, `{}`, `[null]`, `[{}]`, `[1]`, `"x"`,
		`[{"view":"posterior","region":"upper_trapezius","side":"left","x":0.42,"y":0.19,"kind":"trigger_point","intensity":2,"note":"refers to the temple"}]`,
		`[{"view":"lateral","region":"masseter","x":0.6,"y":0.55,"kind":"tenderness","intensity":1}]`,
		`[{"view":"anterior","region":"biceps","x":0,"y":0,"kind":"pain","intensity":3}]`,
		`[{"view":"anterior","region":"abdominals","side":"","x":0.5,"y":0.4,"kind":"scar","intensity":1,"note":"  \u00e9  "}]`,
		`[{"view":"anterior","region":"knee","side":"bilateral","x":0.123456789,"y":0.7444444,"kind":"swelling","intensity":2}]`,
		`[{"view":"anterior","region":"knee","side":"left","x":1e-320,"y":-0,"kind":"swelling","intensity":2}]`,
		`[{"view":"anterior","region":"knee","side":"left","x":1e400,"y":0.5,"kind":"swelling","intensity":2}]`,
		`[{"view":"anterior","region":"knee","side":"left","x":0.5,"y":0.5,"kind":"swelling","intensity":2,"extra":[1,2]}]`,
		`[{"view":"anterior"}] trailing`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ms, err := ParseMarks(data)
		if err != nil {
			if errs.Code(err) != errs.Invalid {
				t.Fatalf("error code %s for bad input: %v", errs.Code(err), err)
			}
			return
		}
		if len(ms) > MaxMarks {
			t.Fatalf("accepted %d marks", len(ms))
		}
		again := slices.Clone(ms)
		if err := ValidateMarks(again); err != nil {
			t.Fatalf("accepted marks fail validation: %v", err)
		}
		if !reflect.DeepEqual(again, ms) {
			t.Fatalf("validating accepted marks changed them:\n%+v\n%+v", ms, again)
		}
		b, err := json.Marshal(ms)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseMarks(b)
		if err != nil {
			t.Fatalf("re-reading %s: %v", b, err)
		}
		if !reflect.DeepEqual(back, ms) {
			t.Fatalf("round trip changed the marks:\n%+v\n%+v", ms, back)
		}
		// And what is accepted can be drawn.
		_ = ChartSVG(ms, SVGOptions{})
	})
}
