package assess

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"math"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/errs"
)

// Every region of the list can be placed from the list on each of its
// figures, and a click on that spot names the same region and side.
func TestRegionSpotAndRegionAtAgree(t *testing.T) {
	for _, r := range Regions {
		for _, view := range r.Views {
			sides := []string{"midline", ""}
			if r.Sided {
				sides = []string{"right", "left", "bilateral", ""}
			}
			for _, side := range sides {
				x, y, ok := RegionSpot(view, r.Key, side)
				if !ok {
					t.Errorf("RegionSpot(%s, %s, %q): not placed", view, r.Key, side)
					continue
				}
				want := side
				switch {
				case !r.Sided:
					want = "midline"
				case view == "lateral", side == "bilateral", side == "":
					want = "right" // the profile is the right side; bilateral and unsaid use the right's spot
				}
				gr, gs := RegionAt(view, x, y)
				if gr != r.Key || gs != want {
					t.Errorf("RegionAt(%s, RegionSpot(%s, %q) = %v, %v) = %s, %s; want %s, %s", view, r.Key, side, x, y, gr, gs, r.Key, want)
				}
			}
		}
	}
}

// The figures place exactly the regions whose Views name them.
func TestFiguresPlaceTheRegionList(t *testing.T) {
	for _, v := range Views {
		f := bcFigureOf(v.Key)
		if f == nil {
			t.Fatalf("no figure for view %s", v.Key)
		}
		var want []string
		for _, r := range Regions {
			if slices.Contains(r.Views, v.Key) {
				want = append(want, r.Key)
			}
		}
		slices.Sort(want)
		if got := f.regionsOn(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s figure places %v; regions.go lists %v", v.Key, got, want)
		}
	}
	for _, r := range Regions {
		if got := ViewsOf(r.Key); !reflect.DeepEqual(got, r.Views) {
			t.Errorf("ViewsOf(%s) = %v, want %v", r.Key, got, r.Views)
		}
	}
	if ViewsOf("no_such_region") != nil {
		t.Error("ViewsOf of an unknown region should be nil")
	}
}

// The side conventions a therapist reads off the chart.
func TestSideConventions(t *testing.T) {
	tests := []struct {
		name       string
		view       string
		region     string
		side       string
		viewerLeft bool // the spot is on the viewer's left half
	}{
		{"front: client's right on the viewer's left", "anterior", "biceps", "right", true},
		{"front: client's left on the viewer's right", "anterior", "quadriceps", "left", false},
		{"back: client's right on the viewer's right", "posterior", "triceps", "right", false},
		{"back: client's left on the viewer's left", "posterior", "hamstrings", "left", true},
	}
	for _, tc := range tests {
		x, _, ok := RegionSpot(tc.view, tc.region, tc.side)
		if !ok {
			t.Fatalf("%s: not placed", tc.name)
		}
		if (x < 0.5) != tc.viewerLeft {
			t.Errorf("%s: x = %v", tc.name, x)
		}
		// A click at the mirror point names the other side.
		x2 := 1 - x
		_, y, _ := RegionSpot(tc.view, tc.region, tc.side)
		if r, s := RegionAt(tc.view, x2, y); r != tc.region || s == tc.side {
			t.Errorf("%s: mirror point gives %s, %s", tc.name, r, s)
		}
	}
	// The profile is the right side: sided regions answer "right".
	for _, region := range []string{"masseter", "upper_trapezius", "suboccipitals"} {
		x, y, _ := RegionSpot("lateral", region, "left")
		if r, s := RegionAt("lateral", x, y); r != region || s != "right" {
			t.Errorf("lateral %s: RegionAt = %s, %s; want right", region, r, s)
		}
	}
	// The face looks to the viewer's right on the profile.
	fx, _, _ := RegionSpot("lateral", "frontalis", "")
	ox, _, _ := RegionSpot("lateral", "suboccipitals", "right")
	if fx <= ox {
		t.Errorf("frontalis at x=%v should be right of the suboccipitals at x=%v", fx, ox)
	}
}

func TestRegionAtOffTheBody(t *testing.T) {
	tests := []struct {
		name string
		view string
		x, y float64
	}{
		{"corner of the front figure", "anterior", 0.02, 0.02},
		{"between the legs", "anterior", 0.5, 0.8},
		{"beside the waist, between arm and trunk", "posterior", 0.5 + 38.0/200, 170.0 / 440},
		{"the nose is no region", "anterior", 0.5, 38.0 / 440},
		{"the eye on the profile is no region", "lateral", 151.0 / 200, 86.6 / 240},
		{"in front of the face", "lateral", 0.97, 0.4},
		{"x below 0", "anterior", -0.1, 0.5},
		{"y above 1", "posterior", 0.5, 1.2},
		{"NaN", "posterior", math.NaN(), 0.5},
		{"unknown view", "superior", 0.5, 0.5},
	}
	for _, tc := range tests {
		if r, s := RegionAt(tc.view, tc.x, tc.y); r != "" || s != "" {
			t.Errorf("%s: RegionAt = %q, %q; want none", tc.name, r, s)
		}
	}
}

// Almost all of each figure names a region: a click on the body rarely
// falls between regions. (The face and throat are left out on purpose.)
func TestFiguresAreCovered(t *testing.T) {
	minShare := map[string]float64{"anterior": 0.95, "posterior": 0.995, "lateral": 0.86}
	for _, v := range Views {
		f := bcFigureOf(v.Key)
		on, named := 0, 0
		for py := 0.5; py < v.Height; py++ {
			for px := 0.5; px < v.Width; px++ {
				if !bcInside(f.outline, xy{px, py}) {
					continue
				}
				on++
				if r, _ := RegionAt(v.Key, px/v.Width, py/v.Height); r != "" {
					named++
				}
			}
		}
		share := float64(named) / float64(on)
		if share < minShare[v.Key] {
			t.Errorf("%s: %.1f%% of the figure names a region, want at least %.0f%%", v.Key, 100*share, 100*minShare[v.Key])
		}
	}
}

func TestRegionSpotRejects(t *testing.T) {
	tests := []struct{ view, region, side string }{
		{"posterior", "pectoralis_major", "left"}, // not on the back
		{"lateral", "biceps", "right"},
		{"anterior", "no_such_region", ""},
		{"superior", "deltoid", "left"},
		{"anterior", "deltoid", "midline"}, // a sided region has no midline
		{"anterior", "abdominals", "left"}, // a midline region has no side
		{"anterior", "deltoid", "both"},
	}
	for _, tc := range tests {
		if _, _, ok := RegionSpot(tc.view, tc.region, tc.side); ok {
			t.Errorf("RegionSpot(%s, %s, %q) placed a mark", tc.view, tc.region, tc.side)
		}
	}
}

func TestMarkLabel(t *testing.T) {
	tests := []struct {
		m    Mark
		want string
	}{
		{Mark{Kind: "trigger_point", Intensity: 2, Region: "upper_trapezius", Side: "left"}, "Trigger point, moderate — upper trapezius, left"},
		{Mark{Kind: "numbness", Intensity: 1, Region: "hand", Side: "bilateral"}, "Numbness or tingling, mild — hand and fingers, bilateral"},
		{Mark{Kind: "pain", Intensity: 3, Region: "sacrum", Side: "midline"}, "Pain, severe — sacrum"},
		{Mark{Kind: "scar", Region: "abdominals"}, "Scar — abdominals"},
	}
	for _, tc := range tests {
		if got := tc.m.Label(); got != tc.want {
			t.Errorf("Label() = %q, want %q", got, tc.want)
		}
	}
}

func TestMarkKinds(t *testing.T) {
	keys := []string{"pain", "trigger_point", "hypertonicity", "adhesion", "tenderness", "numbness", "swelling", "scar", "treated"}
	symbols := map[string]bool{}
	for i, k := range MarkKinds {
		if k.Key != keys[i] {
			t.Errorf("MarkKinds[%d] = %s, want %s", i, k.Key, keys[i])
		}
		if symbols[k.Symbol] {
			t.Errorf("symbol %s is used twice: kinds must differ without colour", k.Symbol)
		}
		symbols[k.Symbol] = true
		if got, ok := MarkKindByKey(k.Key); !ok || got != k {
			t.Errorf("MarkKindByKey(%s) = %v, %v", k.Key, got, ok)
		}
		if bcColors[k.Key] == "" {
			t.Errorf("kind %s has no colour", k.Key)
		}
	}
	if _, ok := MarkKindByKey("itch"); ok {
		t.Error("MarkKindByKey accepted an unknown kind")
	}
	// Shapes differ: no two kinds draw the same paths.
	seen := map[string]string{}
	for _, k := range MarkKinds {
		var d []string
		for _, it := range bcGlyph(k.Key, 2, 0, 0) {
			d = append(d, bcPathData(it.Path))
		}
		key := strings.Join(d, "|")
		if other, dup := seen[key]; dup {
			t.Errorf("%s and %s draw the same shape", k.Key, other)
		}
		seen[key] = k.Key
	}
}

func good() Mark {
	return Mark{View: "posterior", Region: "upper_trapezius", Side: "left", X: 0.42, Y: 0.19, Kind: "trigger_point", Intensity: 2}
}

func TestValidateMarksErrors(t *testing.T) {
	long := strings.Repeat("é", MaxMarkNote+1)
	tests := []struct {
		name   string
		change func(*Mark)
		want   string
	}{
		{"unknown view", func(m *Mark) { m.View = "top" }, "choose the figure"},
		{"no view", func(m *Mark) { m.View = "" }, "choose the figure"},
		{"unknown kind", func(m *Mark) { m.Kind = "itch" }, "kind of finding"},
		{"intensity 0", func(m *Mark) { m.Intensity = 0 }, "intensity"},
		{"intensity 4", func(m *Mark) { m.Intensity = 4 }, "intensity"},
		{"unknown region", func(m *Mark) { m.Region = "spleen" }, "choose a region"},
		{"region not on that view", func(m *Mark) { m.Region = "pectoralis_major" }, "cannot be marked on the back figure"},
		{"region not on the profile", func(m *Mark) { m.View, m.Region = "lateral", "rhomboids" }, "head and neck, right side figure"},
		{"x below 0", func(m *Mark) { m.X = -0.01 }, "outside the figure"},
		{"x above 1", func(m *Mark) { m.X = 1.5 }, "outside the figure"},
		{"y above 1", func(m *Mark) { m.Y = 1.0001 }, "outside the figure"},
		{"NaN", func(m *Mark) { m.Y = math.NaN() }, "outside the figure"},
		{"side of a midline region", func(m *Mark) { m.Region, m.Side = "sacrum", "left" }, "midline"},
		{"midline side of a sided region", func(m *Mark) { m.Side = "midline" }, "choose the side"},
		{"unknown side", func(m *Mark) { m.Side = "both" }, "choose the side"},
		{"note too long", func(m *Mark) { m.Note = long }, "501 characters long; keep it to 500"},
		{"note not UTF-8", func(m *Mark) { m.Note = "\xff\xfe" }, "not readable"},
	}
	for _, tc := range tests {
		ms := []Mark{good(), good(), good()}
		tc.change(&ms[2])
		err := ValidateMarks(ms)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if errs.Code(err) != errs.Invalid {
			t.Errorf("%s: code %s, want invalid", tc.name, errs.Code(err))
		}
		msg := errs.Message(err)
		if !strings.HasPrefix(msg, "Body chart mark 3: ") || !strings.Contains(msg, tc.want) {
			t.Errorf("%s: message %q, want mark 3 and %q", tc.name, msg, tc.want)
		}
	}

	many := make([]Mark, MaxMarks+1)
	for i := range many {
		many[i] = good()
	}
	if err := ValidateMarks(many); errs.Code(err) != errs.Invalid || !strings.Contains(errs.Message(err), "at most 200 marks") {
		t.Errorf("201 marks: %v", err)
	}
	if err := ValidateMarks(many[:MaxMarks]); err != nil {
		t.Errorf("200 marks: %v", err)
	}
}

// ValidateMarks tidies what it accepts.
func TestValidateMarksTidies(t *testing.T) {
	ant := func(region, side string, x, y float64) Mark {
		return Mark{View: "anterior", Region: region, Side: side, X: x, Y: y, Kind: "pain", Intensity: 1}
	}
	bx, by, _ := RegionSpot("anterior", "biceps", "right")
	tests := []struct {
		name string
		in   Mark
		want func(Mark) bool
	}{
		{"rounds to four decimals", ant("biceps", "right", 0.123456, 0.654321), func(m Mark) bool { return m.X == 0.1235 && m.Y == 0.6543 }},
		{"midline region without a side", ant("abdominals", "", 0.5, 0.4), func(m Mark) bool { return m.Side == "midline" }},
		{"side from the point: front, viewer's left is the client's right", ant("biceps", "", 0.25, 0.3), func(m Mark) bool { return m.Side == "right" }},
		{"side from the point: front, viewer's right is the client's left", ant("biceps", "", 0.75, 0.3), func(m Mark) bool { return m.Side == "left" }},
		{"side from the point: back", Mark{View: "posterior", Region: "triceps", X: 0.75, Y: 0.3, Kind: "pain", Intensity: 1}, func(m Mark) bool { return m.Side == "right" }},
		{"side on the profile", Mark{View: "lateral", Region: "masseter", X: 0.6, Y: 0.55, Kind: "pain", Intensity: 1}, func(m Mark) bool { return m.Side == "right" }},
		{"no point: placed at the region's spot", ant("biceps", "right", 0, 0), func(m Mark) bool { return m.X == bx && m.Y == by }},
		{"note trimmed", Mark{View: "anterior", Region: "knee", Side: "left", X: 0.6, Y: 0.74, Kind: "swelling", Intensity: 2, Note: "  after running \n"}, func(m Mark) bool { return m.Note == "after running" }},
	}
	for _, tc := range tests {
		ms := []Mark{tc.in}
		if err := ValidateMarks(ms); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !tc.want(ms[0]) {
			t.Errorf("%s: got %+v", tc.name, ms[0])
		}
	}
}

func TestParseMarks(t *testing.T) {
	okJSON := `[{"view":"posterior","region":"upper_trapezius","side":"left","x":0.42,"y":0.19,"kind":"trigger_point","intensity":2,"note":"refers to the temple"},
	            {"view":"lateral","region":"masseter","x":0.6,"y":0.55,"kind":"tenderness","intensity":1}]`
	ms, err := ParseMarks([]byte(okJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Note != "refers to the temple" || ms[1].Side != "right" {
		t.Errorf("ParseMarks = %+v", ms)
	}
	for _, empty := range []string{"", "  \n", "null", "[]"} {
		if ms, err := ParseMarks([]byte(empty)); err != nil || len(ms) != 0 {
			t.Errorf("ParseMarks(%q) = %v, %v; want no marks", empty, ms, err)
		}
	}
	bad := []struct{ name, in, want string }{
		{"not JSON", `[{"view":`, "could not be read"},
		{"an object", `{"view":"anterior"}`, "could not be read"},
		{"trailing data", `[] []`, "could not be read"},
		{"wrong type", `[{"view":"anterior","x":"left"}]`, "could not be read"},
		{"invalid mark", `[{"view":"anterior","region":"knee","side":"left","x":0.6,"y":0.74,"kind":"pain","intensity":9}]`, "mark 1: choose an intensity"},
		{"too large", `[` + strings.Repeat(" ", bcMaxJSON) + `]`, "too large"},
	}
	for _, tc := range bad {
		ms, err := ParseMarks([]byte(tc.in))
		if err == nil || errs.Code(err) != errs.Invalid || !strings.Contains(errs.Message(err), tc.want) {
			t.Errorf("%s: ParseMarks = %v, %v; want invalid %q", tc.name, ms, err, tc.want)
		}
	}
}

// Without JavaScript the editor's list, Remove buttons and Add mark work
// through the form.
func TestMarksFromForm(t *testing.T) {
	js, _ := json.Marshal([]Mark{good(), {View: "anterior", Region: "knee", Side: "right", X: 0.4, Y: 0.74, Kind: "swelling", Intensity: 1}})
	form := url.Values{"marks": {string(js)}}
	ms, stay, err := MarksFromForm(form, "marks")
	if err != nil || stay || len(ms) != 2 {
		t.Fatalf("plain save: %v, %v, %v", ms, stay, err)
	}

	form.Set("marks-note-2", "since Monday")
	form.Set("marks-remove", "1")
	ms, stay, err = MarksFromForm(form, "marks")
	if err != nil || !stay || len(ms) != 1 || ms[0].Region != "knee" || ms[0].Note != "since Monday" {
		t.Fatalf("remove 1, note on 2: %+v, %v, %v", ms, stay, err)
	}

	form = url.Values{"marks": {string(js)}, "marks-add": {"1"}, "marks-region": {"rhomboids"}, "marks-side": {"bilateral"},
		"marks-view": {"posterior"}, "marks-kind": {"hypertonicity"}, "marks-intensity": {"3"}, "marks-note": {"worse with desk work"}}
	ms, stay, err = MarksFromForm(form, "marks")
	if err != nil || !stay || len(ms) != 3 {
		t.Fatalf("add: %+v, %v, %v", ms, stay, err)
	}
	x, y, _ := RegionSpot("posterior", "rhomboids", "bilateral")
	if m := ms[2]; m.Region != "rhomboids" || m.Side != "bilateral" || m.X != x || m.Y != y || m.Kind != "hypertonicity" || m.Intensity != 3 || m.Note != "worse with desk work" {
		t.Errorf("added %+v", m)
	}

	form.Set("marks-view", "anterior") // rhomboids are not on the front
	if _, stay, err := MarksFromForm(form, "marks"); err == nil || !stay || !strings.Contains(errs.Message(err), "mark 3") {
		t.Errorf("add on the wrong figure: %v, %v", stay, err)
	}
	form.Del("marks-view") // the region's first figure
	form.Set("marks-region", "")
	if ms, stay, err := MarksFromForm(form, "marks"); err != nil || !stay || len(ms) != 2 {
		t.Errorf("add without a region (Enter in another field) adds nothing: %v, %v, %v", ms, stay, err)
	}
	form.Set("marks-region", "biceps")
	form.Set("marks-side", "midline")
	if _, _, err := MarksFromForm(form, "marks"); err == nil || !strings.Contains(errs.Message(err), "choose the side") {
		t.Errorf("add a sided region on the midline: %v", err)
	}
	form.Set("marks-region", "sacrum")
	form.Set("marks-side", "")
	if ms, _, err := MarksFromForm(form, "marks"); err != nil || ms[2].View != "posterior" || ms[2].Side != "midline" {
		t.Errorf("add the sacrum from the list: %+v, %v", ms, err)
	}
}

// svgMarks parses an SVG as XML and returns the titles of its marks.
func svgMarks(t *testing.T, svg string) (titles []string, texts []string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var stack []string
	inMark := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			class := ""
			for _, a := range e.Attr {
				if a.Name.Local == "class" {
					class = a.Value
				}
			}
			stack = append(stack, e.Name.Local+"."+class)
			if e.Name.Local == "g" && class == "bc-mark" {
				inMark = len(stack)
			}
		case xml.EndElement:
			if inMark == len(stack) {
				inMark = 0
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			top := stack[len(stack)-1]
			if top == "title." && inMark == len(stack)-1 && inMark > 0 {
				titles = append(titles, string(e))
			}
			if strings.HasPrefix(top, "text.") {
				texts = append(texts, string(e))
			}
		}
	}
	return titles, texts
}

func TestChartSVG(t *testing.T) {
	ms := []Mark{
		good(),
		{View: "anterior", Region: "knee", Side: "bilateral", X: 0.4, Y: 0.74, Kind: "swelling", Intensity: 3, Note: `after "runs" & <hills>`},
		{View: "lateral", Region: "masseter", Side: "right", X: 0.6, Y: 0.55, Kind: "tenderness", Intensity: 1},
	}
	if err := ValidateMarks(ms); err != nil {
		t.Fatal(err)
	}
	svg := string(ChartSVG(ms, SVGOptions{IDPrefix: "eval"}))
	titles, texts := svgMarks(t, svg)
	want := []string{
		"1. Trigger point, moderate — upper trapezius, left",
		`2. Swelling, severe — knee, bilateral: after "runs" & <hills>`,
		"3. Tenderness, mild — masseter, right",
	}
	// Marks are drawn figure by figure: front, back, profile.
	if got := []string{titles[1], titles[0], titles[2]}; !reflect.DeepEqual(got, want) {
		t.Errorf("mark titles = %q, want %q", titles, want)
	}
	for _, label := range []string{"Trigger point", "Swelling", "Tenderness", "Front", "Back", "Head and neck, right side", "Key"} {
		if !slices.Contains(texts, label) {
			t.Errorf("the chart does not say %q", label)
		}
	}
	if slices.Contains(texts, "Adhesion") {
		t.Error("the read-only legend lists a kind that is not used")
	}
	// The bilateral knee is drawn on both knees: two swelling glyphs in mark 2.
	rings := func(svg string) int {
		g := regexp.MustCompile(`(?s)<g class="bc-mark" role="img" data-n="2".*?</g>\n`).FindString(svg)
		return strings.Count(g, `stroke="`+bcColors["swelling"]+`"`)
	}
	one := slices.Clone(ms)
	one[1].Side = "right"
	if n, n1 := rings(svg), rings(string(ChartSVG(one, SVGOptions{IDPrefix: "eval"}))); n1 == 0 || n != 2*n1 {
		t.Errorf("a bilateral mark draws %d rings, one side %d: want it on both knees", n, n1)
	}
	if !strings.Contains(svg, `id="eval-title"`) || strings.Contains(svg, "data-geometry") {
		t.Error("read-only chart: ids take the prefix, and no editor geometry")
	}

	// One figure only.
	svg = string(ChartSVG(ms, SVGOptions{Views: []string{"lateral"}}))
	titles, _ = svgMarks(t, svg)
	if len(titles) != 1 || !strings.HasPrefix(titles[0], "3. ") {
		t.Errorf("lateral only: titles %q", titles)
	}

	// The editor: every kind in the legend, glyph templates, and the
	// geometry the page script hit-tests, which is RegionAt's.
	svg = string(ChartSVG(nil, SVGOptions{Editable: true, IDPrefix: "ed"}))
	_, texts = svgMarks(t, svg)
	for _, k := range MarkKinds {
		if !slices.Contains(texts, k.Label) {
			t.Errorf("editor legend lacks %s", k.Label)
		}
		if !strings.Contains(svg, `id="ed-glyph-`+k.Key+`-3"`) {
			t.Errorf("editor lacks the %s glyph template", k.Key)
		}
	}
	m := regexp.MustCompile(`data-geometry="([^"]*)"`).FindStringSubmatch(svg)
	if m == nil {
		t.Fatal("editor SVG has no data-geometry")
	}
	var geo struct {
		Views map[string]bcGeoView `json:"views"`
	}
	if err := json.Unmarshal([]byte(htmlUnescape(m[1])), &geo); err != nil {
		t.Fatal(err)
	}
	for _, v := range Views {
		g, ok := geo.Views[v.Key]
		if !ok || len(g.Outline) < 100 || len(g.Zones) != len(bcFigureOf(v.Key).Zones) {
			t.Errorf("geometry of %s: %d outline points, %d zones", v.Key, len(g.Outline), len(g.Zones))
		}
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// The PDF draws ChartDrawing; the page draws ChartSVG: they are the same
// items, so every path and text of the drawing is in the SVG.
func TestChartDrawingIsTheSVG(t *testing.T) {
	var ms []Mark
	regions := []string{"rhomboids", "infraspinatus", "teres", "latissimus_dorsi", "triceps", "hamstrings", "gastrocnemius", "achilles", "gluteus_medius"}
	for i, k := range MarkKinds {
		x, y, _ := RegionSpot("posterior", regions[i], "left")
		ms = append(ms, Mark{View: "posterior", Region: regions[i], Side: "left", X: x, Y: y, Kind: k.Key, Intensity: i%3 + 1})
	}
	if err := ValidateMarks(ms); err != nil {
		t.Fatal(err)
	}
	d := ChartDrawing(ms, SVGOptions{})
	svg := string(ChartSVG(ms, SVGOptions{}))
	if !strings.Contains(svg, `viewBox="0 0 `+bcNum(d.Width)+` `+bcNum(d.Height)+`"`) {
		t.Errorf("SVG viewBox differs from the drawing's %v × %v", d.Width, d.Height)
	}
	marks := map[int]bool{}
	for _, it := range d.Items {
		if it.Text != "" {
			if !strings.Contains(svg, ">"+bcEsc(it.Text)+"</text>") {
				t.Errorf("text %q is not in the SVG", it.Text)
			}
		} else if it.Role != "mark" && !strings.Contains(svg, `d="`+bcPathData(it.Path)+`"`) {
			t.Errorf("a %s path of the drawing is not in the SVG", it.Role)
		}
		if it.Mark > 0 {
			marks[it.Mark] = true
		}
	}
	if len(marks) != len(ms) {
		t.Errorf("the drawing has %d marks, want %d", len(marks), len(ms))
	}
	// Every mark is drawn where it is stored.
	v := Views[1]
	for i, m := range ms {
		cxWant, cyWant := bcMargin+v.Width+bcGap+m.X*v.Width, bcLabelBand+m.Y*v.Height
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, it := range d.Items {
			if it.Mark != i+1 || it.Text != "" {
				continue
			}
			for _, c := range it.Path {
				for j := 0; j+1 < len(c.Pts); j += 2 {
					x0, x1 = math.Min(x0, c.Pts[j]), math.Max(x1, c.Pts[j])
					y0, y1 = math.Min(y0, c.Pts[j+1]), math.Max(y1, c.Pts[j+1])
				}
			}
		}
		found := math.Abs((x0+x1)/2-cxWant) < 0.6 && math.Abs((y0+y1)/2-cyWant) < 0.6
		// The SVG draws the same glyph, written at 0,0 and moved there.
		var at strings.Builder
		for _, it := range bcGlyph(m.Kind, m.Intensity, 0, 0) {
			bcWriteItem(&at, it)
		}
		if !strings.Contains(svg, `<g transform="translate(`+bcNum(cxWant)+` `+bcNum(cyWant)+`)">`+at.String()+`</g>`) {
			t.Errorf("the SVG does not draw mark %d's glyph at %v, %v", i+1, cxWant, cyWant)
		}
		if !found {
			t.Errorf("mark %d (%s) is not centred on its point", i+1, m.Kind)
		}
	}
}

func TestChartEditorData(t *testing.T) {
	e := ChartEditor{Name: "marks", Marks: []Mark{good()}}
	var back []Mark
	if err := json.Unmarshal([]byte(e.JSON()), &back); err != nil || !reflect.DeepEqual(back, e.Marks) {
		t.Errorf("JSON() = %s", e.JSON())
	}
	if (ChartEditor{Name: "marks"}).JSON() != "[]" {
		t.Error("an empty chart's JSON should be []")
	}
	if e.Prefix() != "marks" || e.Heading() != "Body chart" {
		t.Errorf("Prefix %q, Heading %q", e.Prefix(), e.Heading())
	}
	items := e.Items()
	if len(items) != 1 || items[0].N != 1 || items[0].Label != "Trigger point, moderate — upper trapezius, left" {
		t.Errorf("Items() = %+v", items)
	}
	if len(e.RegionOptions()) != len(Regions) || len(e.Kinds()) != len(MarkKinds) || !e.Kinds()[0].Checked {
		t.Error("editor options are incomplete")
	}
	groups, n := e.RegionGroups(), 0
	for _, g := range groups {
		n += len(g.Regions)
	}
	if len(groups) != len(bcRegionGroups) || n != len(Regions) || groups[0].Regions[0].Key != "cranium" {
		t.Errorf("region groups: %d groups, %d regions", len(groups), n)
	}
	if _, texts := svgMarks(t, string(Swatch("scar"))); len(texts) != 0 {
		t.Error("a swatch has text")
	}
}

func benchMarks() []Mark {
	var ms []Mark
	for i, r := range Regions {
		v := r.Views[0]
		side := "midline"
		if r.Sided {
			side = []string{"left", "right", "bilateral"}[i%3]
		}
		x, y, _ := RegionSpot(v, r.Key, side)
		ms = append(ms, Mark{View: v, Region: r.Key, Side: side, X: x, Y: y, Kind: MarkKinds[i%len(MarkKinds)].Key, Intensity: i%3 + 1})
	}
	return ms[:10]
}

// A chart page shows a read-only chart per evaluation: 10 marks each.
func BenchmarkChartSVG10Marks(b *testing.B) {
	ms := benchMarks()
	ChartSVG(ms, SVGOptions{}) // the figures are built once per process
	b.ResetTimer()
	for b.Loop() {
		ChartSVG(ms, SVGOptions{})
	}
}

func BenchmarkChartEditorSVG(b *testing.B) {
	ms := benchMarks()
	ChartSVG(ms, SVGOptions{Editable: true})
	b.ResetTimer()
	for b.Loop() {
		ChartSVG(ms, SVGOptions{Editable: true})
	}
}
