package assess

import (
	"bytes"
	"encoding/json"
	"html"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// The body chart: marks (findings) placed on the figures of
// bodychart_figures.go, their validation, and the one drawing both the web
// page (ChartSVG) and the PDFs (ChartDrawing, drawn by internal/pdf) show.
//
// Sides. The front figure shows the client's right on the viewer's left;
// the back figure shows the client's right on the viewer's right; the head
// and neck figure is the client's right side (face to the viewer's right),
// and a mark on it names the right side unless it says otherwise (the one
// profile stands for either side).

// MarkKind is a kind of finding. Symbol names the shape the mark is drawn
// with in the legend, on the page and in PDFs; the shapes differ without
// colour, so a faxed chart still reads. There is no single published
// charting standard for these (textbooks each use their own marks); the
// shapes are Fascia's, chosen to be told apart at 4 mm on paper.
type MarkKind struct {
	Key, Label, Symbol string
}

// MarkKinds are the kinds of finding, in the order the editor offers them.
// Keys are stored: never rename one.
var MarkKinds = []MarkKind{
	{"pain", "Pain", "dot"},
	{"trigger_point", "Trigger point", "circled-x"},
	{"hypertonicity", "Hypertonicity", "bars"},
	{"adhesion", "Adhesion", "hash"},
	{"tenderness", "Tenderness", "triangle"},
	{"numbness", "Numbness or tingling", "zigzag"},
	{"swelling", "Swelling", "double-ring"},
	{"scar", "Scar", "stitches"},
	{"treated", "Treated area", "square"},
}

// bcColors are the kinds' colours: a second cue beside the shape.
var bcColors = map[string]string{
	"pain":          "#c62828",
	"trigger_point": "#ad1457",
	"hypertonicity": "#6a1b9a",
	"adhesion":      "#6d4c41",
	"tenderness":    "#e65100",
	"numbness":      "#1565c0",
	"swelling":      "#00838f",
	"scar":          "#37474f",
	"treated":       "#2e7d32",
}

// MarkKindByKey returns the kind of key.
func MarkKindByKey(key string) (MarkKind, bool) {
	for _, k := range MarkKinds {
		if k.Key == key {
			return k, true
		}
	}
	return MarkKind{}, false
}

// Intensities name Mark.Intensity (1..3); index 0 is unused.
var Intensities = []string{"", "mild", "moderate", "severe"}

// bcRadius is the size a mark is drawn at, by intensity, in drawing
// units (a figure is 200 units wide): the size shows the intensity.
var bcRadius = [4]float64{0, 4.6, 6.2, 7.8}

// bcStroke is the width of a mark's lines, by intensity.
var bcStroke = [4]float64{0, 1.3, 1.6, 2}

// Limits of a chart.
const (
	MaxMarks    = 200
	MaxMarkNote = 500 // characters
	bcMaxJSON   = 256 << 10
)

// RegionAt names the region and the client's side at a point of a view
// (x, y normalised to 0..1 of the view's figure): "", "" when the point is
// off the body or on no region of the list (the face). Midline regions
// answer "midline"; sided regions on the head and neck figure "right".
func RegionAt(view string, x, y float64) (region, side string) {
	f := bcFigureOf(view)
	if f == nil || !(x >= 0 && x <= 1 && y >= 0 && y <= 1) {
		return "", ""
	}
	i, sd := f.zoneAt(x*f.View.Width, y*f.View.Height)
	if i < 0 || f.Zones[i].Region == "" {
		return "", ""
	}
	r, _ := RegionByKey(f.Zones[i].Region)
	if !r.Sided {
		sd = "midline"
	}
	return r.Key, sd
}

// RegionSpot is where a mark chosen from the region list goes on a view: a
// point well inside the region, on the client's side given. Midline
// regions take side "" or "midline"; sided regions "left", "right" or
// "bilateral" (the right side's spot: a bilateral mark is drawn on both
// sides) or "" (right). On the head and neck figure every side of a sided
// region has the one spot. ok is false when the region is not on the view
// or the side does not fit the region.
func RegionSpot(view, region, side string) (x, y float64, ok bool) {
	f := bcFigureOf(view)
	r, known := RegionByKey(region)
	if f == nil || !known {
		return 0, 0, false
	}
	switch {
	case !r.Sided && side != "" && side != "midline":
		return 0, 0, false
	case r.Sided && side != "" && side != "left" && side != "right" && side != "bilateral":
		return 0, 0, false
	}
	for _, z := range f.Zones {
		if z.Region != region || z.spot.X < 0 {
			continue
		}
		p := z.spot
		if f.Symmetric && r.Sided {
			want := side
			if want == "" || want == "bilateral" {
				want = "right"
			}
			if want != f.RightOn {
				p.X = f.View.Width - p.X
			}
		}
		return bcRound4(p.X / f.View.Width), bcRound4(p.Y / f.View.Height), true
	}
	return 0, 0, false
}

// ViewsOf lists the views a region can be marked on.
func ViewsOf(region string) []string {
	r, ok := RegionByKey(region)
	if !ok {
		return nil
	}
	return append([]string(nil), r.Views...)
}

// Label says a mark in words: "Trigger point, moderate — upper trapezius, left".
func (m Mark) Label() string {
	kind := m.Kind
	if k, ok := MarkKindByKey(m.Kind); ok {
		kind = k.Label
	}
	if m.Intensity >= 1 && m.Intensity <= 3 {
		kind += ", " + Intensities[m.Intensity]
	}
	return kind + " — " + RegionLabel(m.Region, m.Side)
}

// bcRound4 keeps four decimals: a tenth of a millimetre on a phone, and a
// value that encodes the same every time it is stored and read.
func bcRound4(v float64) float64 { return math.Round(v*10000) / 10000 }

func bcViewLabel(key string) string {
	if v, ok := bcViewByKey(key); ok {
		return strings.ToLower(v.Label[:1]) + v.Label[1:]
	}
	return key
}

// ValidateMarks checks a chart and tidies it in place: coordinates are
// rounded to four decimals, notes trimmed, a midline region's empty side
// becomes "midline", a sided region's empty side is read from where the
// mark is (the head and neck figure: right), and a mark given without a
// point (x and y both 0, as an API client may send) is placed at its
// region's spot. The error names the mark by its number, never its
// content, so it can be shown and logged.
func ValidateMarks(ms []Mark) error {
	if len(ms) > MaxMarks {
		return errs.E(errs.Invalid, "A body chart holds at most %d marks; this one has %d. Remove some, or record them in the assessment summary.", MaxMarks, len(ms))
	}
	for i := range ms {
		if err := bcValidateMark(&ms[i], i+1); err != nil {
			return err
		}
	}
	return nil
}

func bcValidateMark(m *Mark, n int) error {
	bad := func(format string, args ...any) error {
		return errs.E(errs.Invalid, "Body chart mark %d: "+format, append([]any{n}, args...)...)
	}
	f := bcFigureOf(m.View)
	if f == nil {
		return bad("choose the figure it is on (front, back, or head and neck).")
	}
	if _, ok := MarkKindByKey(m.Kind); !ok {
		return bad("choose what kind of finding it is (pain, trigger point, …).")
	}
	if m.Intensity < 1 || m.Intensity > 3 {
		return bad("choose an intensity: mild, moderate or severe.")
	}
	r, ok := RegionByKey(m.Region)
	if !ok {
		return bad("choose a region from the list.")
	}
	onView := false
	for _, v := range r.Views {
		onView = onView || v == m.View
	}
	if !onView {
		return bad("that region cannot be marked on the %s figure; choose another figure or region.", bcViewLabel(m.View))
	}
	if math.IsNaN(m.X) || math.IsNaN(m.Y) || m.X < 0 || m.X > 1 || m.Y < 0 || m.Y > 1 {
		return bad("its position is outside the figure (x and y go from 0 to 1).")
	}
	m.X, m.Y = bcRound4(m.X), bcRound4(m.Y)
	switch {
	case !r.Sided && (m.Side == "" || m.Side == "midline"):
		m.Side = "midline"
	case !r.Sided:
		return bad("that region is on the midline; it has no left or right side.")
	case m.Side == "left" || m.Side == "right" || m.Side == "bilateral":
	case m.Side != "":
		return bad("choose the side: left, right or both.")
	case !f.Symmetric:
		m.Side = "right"
	case (m.X >= 0.5) == (f.RightOn == "right"):
		m.Side = "right"
	default:
		m.Side = "left"
	}
	if m.X == 0 && m.Y == 0 {
		m.X, m.Y, _ = RegionSpot(m.View, m.Region, m.Side)
	}
	if !utf8.ValidString(m.Note) {
		return bad("its note is not readable text; type it again.")
	}
	m.Note = strings.TrimSpace(m.Note)
	if c := utf8.RuneCountInString(m.Note); c > MaxMarkNote {
		return bad("its note is %d characters long; keep it to %d.", c, MaxMarkNote)
	}
	return nil
}

// ParseMarks reads the editor's marks: a JSON array of Mark. Empty input
// (or null) is no marks. The marks are validated as ValidateMarks does.
func ParseMarks(data []byte) ([]Mark, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || string(data) == "null" {
		return nil, nil
	}
	if len(data) > bcMaxJSON {
		return nil, errs.E(errs.Invalid, "The body chart is too large to save (over %d KB).", bcMaxJSON>>10)
	}
	var ms []Mark
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&ms); err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "The body chart could not be read; reload the page and mark it again.")
	}
	if dec.More() {
		return nil, errs.E(errs.Invalid, "The body chart could not be read; reload the page and mark it again.")
	}
	if len(ms) == 0 {
		return nil, nil
	}
	if err := ValidateMarks(ms); err != nil {
		return nil, err
	}
	return ms, nil
}

// MarksFromForm reads the chart editor (templates/partials/bodychart.html)
// from a submitted form: the marks' JSON in the field name, and, from a
// page that ran without JavaScript, the notes edited in the list, the mark
// whose Remove button was pressed (name-remove = its number) or the mark
// described by the region list when Add mark was pressed (name-add; with
// no region chosen it adds nothing: Enter in another field of the form
// presses that button when it is the form's first). stay is true when one
// of those two buttons submitted the form: the handler should save what it
// may and show the form again rather than finish.
func MarksFromForm(form url.Values, name string) (marks []Mark, stay bool, err error) {
	ms, err := ParseMarks([]byte(form.Get(name)))
	if err != nil {
		return nil, false, err
	}
	for i := range ms {
		if v, ok := form[name+"-note-"+strconv.Itoa(i+1)]; ok && len(v) > 0 {
			ms[i].Note = v[0]
		}
	}
	if rm := form.Get(name + "-remove"); rm != "" {
		stay = true
		if n, err := strconv.Atoi(rm); err == nil && n >= 1 && n <= len(ms) {
			ms = append(ms[:n-1], ms[n:]...)
		}
	}
	if form.Get(name+"-add") != "" {
		stay = true
		m := Mark{
			View:   form.Get(name + "-view"),
			Region: form.Get(name + "-region"),
			Side:   form.Get(name + "-side"),
			Kind:   form.Get(name + "-kind"),
			Note:   form.Get(name + "-note"),
		}
		m.Intensity, _ = strconv.Atoi(form.Get(name + "-intensity"))
		if m.Region == "" {
			// Enter in another field of the page submits with the first
			// button, Add mark: nothing to add, and no error for it.
			return bcFinishForm(ms, true)
		}
		if m.View == "" {
			if vs := ViewsOf(m.Region); len(vs) > 0 {
				m.View = vs[0]
			}
		}
		if r, ok := RegionByKey(m.Region); ok && !r.Sided {
			m.Side = "midline" // the side list is not for midline regions
		} else if m.Side == "" {
			m.Side = "right"
		}
		ms = append(ms, m) // without a point: ValidateMarks puts it on its region's spot
	}
	return bcFinishForm(ms, stay)
}

func bcFinishForm(ms []Mark, stay bool) ([]Mark, bool, error) {
	if err := ValidateMarks(ms); err != nil {
		return nil, stay, err
	}
	if len(ms) == 0 {
		ms = nil
	}
	return ms, stay, nil
}

// ---- the drawing ----

// PathCmd is one command of a drawing's path: 'M' and 'L' take one point
// (Pts = x, y), 'C' two control points and an end point (six numbers), 'Z'
// none. Coordinates are drawing units.
type PathCmd struct {
	Op  byte
	Pts []float64
}

// DrawItem is one thing drawn: a path (filled and/or stroked) or a text.
// Colours are "#rrggbb"; "" means none.
type DrawItem struct {
	Path   []PathCmd // for a path
	Fill   string
	Stroke string
	Width  float64 // line width; for a text, the width of its halo (Stroke)

	Text   string  // for a text, at X, Y (baseline)
	X, Y   float64 //
	Size   float64 // font size in drawing units
	Anchor string  // start, middle, end
	Bold   bool

	Role string // body, guide, feature, mark, label, legend: what it is
	View string // the view it belongs to, "" for the legend
	Mark int    // the mark's number (1-based) for Role mark
}

// Drawing is the whole chart as a display list in drawing units, drawn in
// order. ChartSVG writes it as SVG; internal/pdf draws it with fpdf.
type Drawing struct {
	Width, Height float64
	Items         []DrawItem
}

// Drawing colours and sizes shared by the page and the PDFs.
const (
	bcInk          = "#1d2a33"
	bcMuted        = "#5b6b76"
	bcBodyFill     = "#edf2f1"
	bcBodyStroke   = "#4f646e"
	bcGuideColor   = "#a3b3ba"
	bcFeatureColor = "#72878f"
	bcFont         = "Helvetica, Arial, sans-serif"

	bcMargin    = 10.0
	bcGap       = 22.0
	bcLabelBand = 36.0 // above the figures: the view names and sides
	bcLegendRow = 16.0
)

type bcViewPart struct {
	view   View
	fig    *bcFigure
	ox, oy float64
	items  []DrawItem // labels, body and lines
	marks  []bcMarkPart
}

type bcMarkPart struct {
	n     int
	label string
	items []DrawItem // absolute, for ChartDrawing
	at    []xy       // where its glyphs are centred (two for a bilateral mark)
}

type bcChartLayout struct {
	w, h   float64
	views  []bcViewPart
	legend []DrawItem
	static *bcStatic
	// legendKey names the legend's place and kinds ("" for none); its SVG
	// is cached under it.
	legendKey string
}

func bcCmds(p figPath, dx, dy float64) []PathCmd {
	out := make([]PathCmd, len(p))
	for i, c := range p {
		n := 0
		switch c.Op {
		case 'M', 'L':
			n = 1
		case 'C':
			n = 3
		}
		pts := make([]float64, 0, 2*n)
		for j := 0; j < n; j++ {
			pts = append(pts, c.P[j].X+dx, c.P[j].Y+dy)
		}
		out[i] = PathCmd{Op: c.Op, Pts: pts}
	}
	return out
}

// bcViewsOf resolves SVGOptions.Views: nil is all three, unknown keys are
// skipped, and the chart's order is kept.
func bcViewsOf(keys []string) []View {
	if keys == nil {
		return Views
	}
	var out []View
	for _, v := range Views {
		for _, k := range keys {
			if k == v.Key {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// bcStatic is the part of a chart that does not depend on its marks, for
// one choice of views: built once and shared (read-only) by every chart.
type bcStatic struct {
	views   []bcViewPart // without marks
	w, h    float64
	tallest float64
	svg     []string // each view's items as SVG
	body    []string // each view's outline as path data, for the editor's clip paths
	geo     string   // the editor's data-geometry, escaped for the attribute
}

var bcStaticCache sync.Map // views joined by "," → *bcStatic

func bcStaticFor(keys []string) *bcStatic {
	vs := bcViewsOf(keys)
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = v.Key
	}
	key := strings.Join(names, ",")
	if st, ok := bcStaticCache.Load(key); ok {
		return st.(*bcStatic)
	}
	st := &bcStatic{}
	x := bcMargin
	for _, v := range vs {
		f := bcFigureOf(v.Key)
		vp := bcViewPart{view: v, fig: f, ox: x, oy: bcLabelBand}
		vp.items = append(vp.items, DrawItem{Role: "label", View: v.Key, Text: v.Label, X: x + v.Width/2, Y: 15, Size: 13, Anchor: "middle", Bold: true, Fill: bcInk})
		if f.Symmetric {
			l, r := "Right", "Left"
			if f.RightOn == "right" {
				l, r = r, l
			}
			// Beside the neck, where nothing else is drawn.
			vp.items = append(vp.items,
				DrawItem{Role: "label", View: v.Key, Text: l, X: x + v.Width/2 - 30, Y: bcLabelBand + 62, Size: 10, Anchor: "end", Fill: bcMuted},
				DrawItem{Role: "label", View: v.Key, Text: r, X: x + v.Width/2 + 30, Y: bcLabelBand + 62, Size: 10, Anchor: "start", Fill: bcMuted})
		}
		vp.items = append(vp.items, DrawItem{Role: "body", View: v.Key, Path: bcCmds(f.Body, x, bcLabelBand), Fill: bcBodyFill, Stroke: bcBodyStroke, Width: 1.5})
		for _, l := range f.Lines {
			it := DrawItem{Role: l.Style, View: v.Key, Path: bcCmds(l.Path, x, bcLabelBand), Stroke: bcGuideColor, Width: 0.9}
			if l.Style == bcStyleFeature {
				it.Stroke, it.Width = bcFeatureColor, 1
			}
			vp.items = append(vp.items, it)
		}
		var b strings.Builder
		for _, it := range vp.items {
			bcWriteItem(&b, it)
		}
		st.svg = append(st.svg, b.String())
		st.body = append(st.body, bcPathData(bcCmds(f.Body, x, bcLabelBand)))
		st.views = append(st.views, vp)
		x += v.Width + bcGap
		st.tallest = math.Max(st.tallest, v.Height)
	}
	st.w = x - bcGap + bcMargin
	if len(vs) == 0 {
		st.w = 2 * bcMargin
	}
	st.h = bcLabelBand + st.tallest + bcMargin
	geo := map[string]bcGeoView{}
	origins := map[string][2]float64{}
	for _, v := range st.views {
		geo[v.view.Key] = v.fig.geometry()
		origins[v.view.Key] = [2]float64{v.ox, v.oy}
	}
	js, _ := json.Marshal(struct {
		Views   map[string]bcGeoView  `json:"views"`
		Origins map[string][2]float64 `json:"origins"`
	}{geo, origins})
	st.geo = bcEsc(string(js))
	got, _ := bcStaticCache.LoadOrStore(key, st)
	return got.(*bcStatic)
}

// bcLayout places a chart. ChartDrawing needs every item; ChartSVG
// (forSVG) writes marks' glyphs and the legend from cached SVG, so it gets
// only the marks' numbers, and the legend's items only when its SVG is not
// cached yet.
func bcLayout(ms []Mark, opt SVGOptions, forSVG bool) bcChartLayout {
	st := bcStaticFor(opt.Views)
	L := bcChartLayout{w: st.w, h: st.h, static: st}
	tallest := st.tallest
	for _, vp := range st.views {
		v, f, x := vp.view, vp.fig, vp.ox
		vp.marks = nil
		for i, m := range ms {
			if m.View != v.Key {
				continue
			}
			mp := bcMarkPart{n: i + 1, label: m.Label()}
			px, py := x+m.X*v.Width, bcLabelBand+m.Y*v.Height
			mp.items = append(mp.items, bcMarkItems(m.Kind, m.Intensity, px, py, i+1, v.Key, !forSVG)...)
			mp.at = append(mp.at, xy{px, py})
			if m.Side == "bilateral" && f.Symmetric {
				mx := x + (1-m.X)*v.Width
				mp.items = append(mp.items, bcMarkItems(m.Kind, m.Intensity, mx, py, i+1, v.Key, !forSVG)...)
				mp.at = append(mp.at, xy{mx, py})
			}
			vp.marks = append(vp.marks, mp)
		}
		L.views = append(L.views, vp)
	}

	// The legend: the kinds used (all of them in the editor) and the sizes.
	var kinds []MarkKind
	for _, k := range MarkKinds {
		used := opt.Editable
		for _, m := range ms {
			used = used || m.Kind == k.Key
		}
		if used {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return L
	}
	rows := len(kinds) + 2 // a title, the kinds, the sizes
	// Under the head and neck figure when it is drawn last and the space
	// below it holds the legend; else below all the figures.
	lx, ly, colW, perCol := 0.0, 0.0, 0.0, rows
	last := len(L.views) - 1
	if last >= 0 && L.views[last].view.Key == "lateral" && tallest-L.views[last].view.Height-14 >= float64(rows)*bcLegendRow {
		lv := L.views[last]
		lx, ly, colW = lv.ox+4, lv.oy+lv.view.Height+14, lv.view.Width
	} else {
		lx, ly = bcMargin+4, L.h
		colW = 165
		cols := int(math.Max(1, math.Floor((L.w-2*bcMargin)/colW)))
		perCol = (len(kinds)+1+cols-1)/cols + 1
		L.h += float64(perCol)*bcLegendRow + bcMargin
	}
	var key strings.Builder
	key.WriteString(bcNum(lx) + " " + bcNum(ly) + " " + bcNum(colW) + " " + strconv.Itoa(perCol))
	for _, k := range kinds {
		key.WriteString(" " + k.Key)
	}
	L.legendKey = key.String()
	if _, cached := bcLegendCache.Load(L.legendKey); cached && forSVG {
		return L
	}
	add := func(it DrawItem) { L.legend = append(L.legend, it) }
	add(DrawItem{Role: "legend", Text: "Key", X: lx, Y: ly + 11, Size: 11, Anchor: "start", Bold: true, Fill: bcInk})
	entries := make([]func(x, y float64), 0, len(kinds)+1)
	for _, k := range kinds {
		k := k
		entries = append(entries, func(x, y float64) {
			for _, it := range bcGlyph(k.Key, 2, x+8, y+7) {
				it.Role, it.View = "legend", ""
				add(it)
			}
			add(DrawItem{Role: "legend", Text: k.Label, X: x + 22, Y: y + 11, Size: 11, Anchor: "start", Fill: bcInk})
		})
	}
	entries = append(entries, func(x, y float64) {
		add(DrawItem{Role: "legend", Text: "Size:", X: x, Y: y + 11, Size: 10, Anchor: "start", Fill: bcMuted})
		ex := x + 30
		for i := 1; i <= 3; i++ {
			r := bcRadius[i]
			add(DrawItem{Role: "legend", Path: bcCmds(bcEllipse(0, 0, r*0.8, r*0.8), ex+r*0.8, y+7), Fill: "#ffffff", Stroke: bcMuted, Width: bcStroke[i]})
			add(DrawItem{Role: "legend", Text: Intensities[i], X: ex + 2*r*0.8 + 3, Y: y + 11, Size: 10, Anchor: "start", Fill: bcMuted})
			ex += 2*r*0.8 + 3 + bcTextWidth(Intensities[i], 10) + 8
		}
	})
	for i, e := range entries {
		col, row := 0, i+1
		if perCol < rows {
			col, row = i/(perCol-1), i%(perCol-1)+1
		}
		e(lx+float64(col)*colW, ly+float64(row)*bcLegendRow)
	}
	return L
}

// bcTextWidth estimates the width of a short text in Helvetica at size:
// enough to space the legend, which has room to spare.
func bcTextWidth(s string, size float64) float64 {
	return 0.56 * size * float64(utf8.RuneCountInString(s))
}

// bcMarkItems draws mark n of a kind and intensity centred at (x, y), with
// its number beside it.
func bcMarkItems(kind string, intensity int, x, y float64, n int, view string, glyph bool) []DrawItem {
	var items []DrawItem
	if glyph {
		items = bcGlyph(kind, intensity, x, y)
	}
	if intensity < 1 || intensity > 3 {
		intensity = 2
	}
	r := bcRadius[intensity]
	items = append(items, DrawItem{Role: "mark", Text: strconv.Itoa(n), X: x + r*0.75 + 1.5, Y: y - r*0.75 - 0.5, Size: 8, Anchor: "start", Bold: true, Fill: bcInk, Stroke: "#ffffff", Width: 2.4})
	for i := range items {
		items[i].Role, items[i].View, items[i].Mark = "mark", view, n
	}
	return items
}

// bcGlyph is a kind's symbol at an intensity, centred at (x, y): a white
// halo first, so the mark stands off the figure's lines, then the shape.
func bcGlyph(kind string, intensity int, x, y float64) []DrawItem {
	if intensity < 1 || intensity > 3 {
		intensity = 2
	}
	r, w := bcRadius[intensity], bcStroke[intensity]
	k, _ := MarkKindByKey(kind)
	col := bcColors[kind]
	if col == "" {
		col = bcInk
	}
	type part struct {
		p      figPath
		filled bool // filled with the colour (else white, if closed)
		closed bool
	}
	var parts []part
	line := func(x0, y0, x1, y1 float64) {
		parts = append(parts, part{p: bcPoly(false, xy{x0 * r, y0 * r}, xy{x1 * r, y1 * r})})
	}
	switch k.Symbol {
	case "dot":
		parts = append(parts, part{p: bcEllipse(0, 0, 0.8*r, 0.8*r), filled: true, closed: true})
	case "circled-x":
		parts = append(parts, part{p: bcEllipse(0, 0, 0.92*r, 0.92*r), closed: true})
		line(-0.52, -0.52, 0.52, 0.52)
		line(-0.52, 0.52, 0.52, -0.52)
	case "bars":
		for _, yy := range []float64{-0.62, 0, 0.62} {
			line(-0.92, yy, 0.92, yy)
		}
	case "hash":
		line(-0.36, -0.95, -0.36, 0.95)
		line(0.36, -0.95, 0.36, 0.95)
		line(-0.95, -0.36, 0.95, -0.36)
		line(-0.95, 0.36, 0.95, 0.36)
	case "triangle":
		parts = append(parts, part{p: bcPoly(true, xy{0, -0.9 * r}, xy{0.95 * r, 0.8 * r}, xy{-0.95 * r, 0.8 * r}), closed: true})
	case "zigzag":
		parts = append(parts, part{p: bcPoly(false, xy{-1.0 * r, 0.4 * r}, xy{-0.5 * r, -0.4 * r}, xy{0, 0.4 * r}, xy{0.5 * r, -0.4 * r}, xy{1.0 * r, 0.4 * r})})
	case "double-ring":
		parts = append(parts, part{p: bcEllipse(0, 0, 0.95*r, 0.95*r), closed: true}, part{p: bcEllipse(0, 0, 0.45*r, 0.45*r), closed: true})
	case "stitches":
		line(-1.05, 0, 1.05, 0)
		for _, xx := range []float64{-0.6, 0, 0.6} {
			line(xx, -0.5, xx, 0.5)
		}
	default: // "square"
		parts = append(parts, part{p: bcPoly(true, xy{-0.78 * r, -0.78 * r}, xy{0.78 * r, -0.78 * r}, xy{0.78 * r, 0.78 * r}, xy{-0.78 * r, 0.78 * r}), closed: true})
	}
	var items []DrawItem
	// Halos of every part, then the parts, so crossing lines stay clean.
	for _, pp := range parts {
		halo := DrawItem{Path: bcCmds(pp.p, x, y), Stroke: "#ffffff", Width: w + 2.4}
		if pp.closed {
			halo.Fill = "#ffffff"
		}
		items = append(items, halo)
	}
	for _, pp := range parts {
		it := DrawItem{Path: bcCmds(pp.p, x, y), Stroke: col, Width: w}
		switch {
		case pp.filled:
			it.Fill = col
		case pp.closed && k.Symbol == "square":
			it.Fill = bcTint(col, 0.72)
		case pp.closed && k.Symbol == "double-ring":
			// both rings open, so the inner ring's halo does not hide the outer
		case pp.closed:
			it.Fill = "#ffffff"
		}
		items = append(items, it)
	}
	return items
}

// bcTint mixes a "#rrggbb" colour with white: share 0 is the colour, 1 white.
func bcTint(c string, share float64) string {
	if len(c) != 7 {
		return c
	}
	v, err := strconv.ParseUint(c[1:], 16, 32)
	if err != nil {
		return c
	}
	mix := func(ch uint64) uint64 { return uint64(math.Round(float64(ch) + (255-float64(ch))*share)) }
	r, g, b := mix(v>>16&0xff), mix(v>>8&0xff), mix(v&0xff)
	return "#" + bcHex2(r) + bcHex2(g) + bcHex2(b)
}

func bcHex2(v uint64) string {
	s := strconv.FormatUint(v, 16)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

// ChartDrawing is the chart of ms as a display list: what ChartSVG shows,
// for renderers that are not a browser (the PDFs). The figures' items are
// shared by every drawing: read them, never change them.
func ChartDrawing(ms []Mark, opt SVGOptions) Drawing {
	L := bcLayout(ms, opt, false)
	d := Drawing{Width: L.w, Height: L.h}
	for _, v := range L.views {
		d.Items = append(d.Items, v.items...)
		for _, m := range v.marks {
			d.Items = append(d.Items, m.items...)
		}
	}
	d.Items = append(d.Items, L.legend...)
	return d
}

// ---- SVG ----

// SVGOptions choose how ChartSVG draws a chart.
type SVGOptions struct {
	Editable bool     // the editor's drawing: every kind in the legend, the geometry for the page script
	IDPrefix string   // prefix of element ids, unique on the page ("bc" when empty)
	Views    []string // the figures to draw; nil is all three
}

// ChartSVG draws ms on the figures as inline SVG: each mark is a group
// with its number and a title that says it in words, so the chart reads
// the same to a screen reader as the list beside it.
func ChartSVG(ms []Mark, opt SVGOptions) template.HTML {
	p := opt.IDPrefix
	if p == "" {
		p = "bc"
	}
	L := bcLayout(ms, opt, true)
	var b strings.Builder
	b.Grow(32 << 10)
	class := "bodychart"
	if opt.Editable {
		class += " bodychart-editable"
	}
	count := 0
	for _, v := range L.views {
		count += len(v.marks)
	}
	names := make([]string, len(L.views))
	for i, v := range L.views {
		names[i] = strings.ToLower(v.view.Label)
	}
	title := "Body chart (" + strings.Join(names, "; ") + "): "
	switch count {
	case 0:
		title += "no marks."
	case 1:
		title += "1 mark."
	default:
		title += strconv.Itoa(count) + " marks."
	}
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="` + class + `" id="` + bcEsc(p) + `-svg" viewBox="0 0 ` + bcNum(L.w) + ` ` + bcNum(L.h) + `" width="` + bcNum(L.w) + `" height="` + bcNum(L.h) + `" role="group" aria-labelledby="` + bcEsc(p) + `-title" font-family="` + bcFont + `"`)
	if opt.Editable {
		b.WriteString(` data-geometry="` + L.static.geo + `"`)
	}
	b.WriteString(">\n<title id=\"" + bcEsc(p) + "-title\">" + bcEsc(title) + "</title>\n")
	if opt.Editable {
		// Templates the page script copies to draw a new mark exactly as
		// the server does: one per kind and intensity, centred on 0,0.
		b.WriteString("<defs>\n")
		for _, k := range MarkKinds {
			for i := 1; i <= 3; i++ {
				b.WriteString(`<g id="` + bcEsc(p) + `-glyph-` + k.Key + `-` + strconv.Itoa(i) + `" data-r="` + bcNum(bcRadius[i]) + `">`)
				b.WriteString(bcGlyphSVG(k.Key, i))
				b.WriteString("</g>\n")
			}
		}
		n := bcMarkItems("pain", 2, 0, 0, 0, "", false)
		b.WriteString(`<g id="` + bcEsc(p) + `-number">`)
		bcWriteItem(&b, n[len(n)-1])
		b.WriteString("</g>\n")
		for vi, v := range L.views {
			b.WriteString(`<clipPath id="` + bcEsc(p) + `-clip-` + v.view.Key + `"><path d="` + L.static.body[vi] + `"/></clipPath>` + "\n")
		}
		b.WriteString("</defs>\n")
	}
	for vi, v := range L.views {
		b.WriteString(`<g class="bc-view" data-view="` + v.view.Key + `">` + "\n")
		if opt.Editable {
			b.WriteString(`<rect class="bc-hit" x="` + bcNum(v.ox) + `" y="` + bcNum(v.oy) + `" width="` + bcNum(v.view.Width) + `" height="` + bcNum(v.view.Height) + `" fill="#ffffff" fill-opacity="0"/>` + "\n")
		}
		b.WriteString(L.static.svg[vi])
		if opt.Editable {
			b.WriteString(`<path class="bc-hover" d="" clip-path="url(#` + bcEsc(p) + `-clip-` + v.view.Key + `)"/>` + "\n")
		}
		b.WriteString(`<g class="bc-marks">` + "\n")
		for _, m := range v.marks {
			mk := ms[m.n-1]
			t := strconv.Itoa(m.n) + ". " + m.label
			if mk.Note != "" {
				t += ": " + mk.Note
			}
			b.WriteString(`<g class="bc-mark" role="img" data-n="` + strconv.Itoa(m.n) + `" data-kind="` + bcEsc(mk.Kind) + `"><title>` + bcEsc(t) + `</title>`)
			// The glyph as drawn at 0,0, moved into place: what the page
			// script does with the editor's templates.
			for _, at := range m.at {
				b.WriteString(`<g transform="translate(` + bcNum(at.X) + ` ` + bcNum(at.Y) + `)">`)
				b.WriteString(bcGlyphSVG(mk.Kind, mk.Intensity))
				b.WriteString(`</g>`)
			}
			for _, it := range m.items {
				if it.Text != "" {
					bcWriteItem(&b, it)
				}
			}
			b.WriteString("</g>\n")
		}
		b.WriteString("</g>\n</g>\n")
	}
	b.WriteString(L.legendSVG())
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

func bcEsc(s string) string { return html.EscapeString(s) }

func bcPathData(cmds []PathCmd) string {
	var b strings.Builder
	for i, c := range cmds {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(c.Op)
		for j, v := range c.Pts {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(bcNum(v))
		}
	}
	return b.String()
}

// bcWriteItem writes one display-list item as an SVG element, with the
// colours as presentation attributes: the drawing needs no stylesheet, so
// it looks the same wherever it is shown.
func bcWriteItem(b *strings.Builder, it DrawItem) {
	if it.Text != "" {
		b.WriteString(`<text x="` + bcNum(it.X) + `" y="` + bcNum(it.Y) + `" font-size="` + bcNum(it.Size) + `"`)
		if it.Anchor != "" && it.Anchor != "start" {
			b.WriteString(` text-anchor="` + it.Anchor + `"`)
		}
		if it.Bold {
			b.WriteString(` font-weight="bold"`)
		}
		b.WriteString(` fill="` + bcOrNone(it.Fill) + `"`)
		if it.Stroke != "" {
			b.WriteString(` stroke="` + it.Stroke + `" stroke-width="` + bcNum(it.Width) + `" stroke-linejoin="round" paint-order="stroke"`)
		}
		b.WriteString(`>` + bcEsc(it.Text) + "</text>\n")
		return
	}
	b.WriteString(`<path d="` + bcPathData(it.Path) + `" fill="` + bcOrNone(it.Fill) + `"`)
	if it.Stroke != "" {
		b.WriteString(` stroke="` + it.Stroke + `" stroke-width="` + bcNum(it.Width) + `" stroke-linecap="round" stroke-linejoin="round"`)
	}
	if it.Role != "" && it.Role != "mark" && it.Role != "legend" {
		b.WriteString(` class="bc-` + it.Role + `"`)
	}
	b.WriteString("/>\n")
}

var bcGlyphCache, bcLegendCache sync.Map

// bcGlyphSVG is a kind's glyph at an intensity, centred on 0,0, as SVG.
func bcGlyphSVG(kind string, intensity int) string {
	key := kind + "/" + strconv.Itoa(intensity)
	if g, ok := bcGlyphCache.Load(key); ok {
		return g.(string)
	}
	var b strings.Builder
	for _, it := range bcGlyph(kind, intensity, 0, 0) {
		bcWriteItem(&b, it)
	}
	if _, known := MarkKindByKey(kind); known && intensity >= 1 && intensity <= 3 {
		bcGlyphCache.Store(key, b.String())
	}
	return b.String()
}

// legendSVG is the legend as SVG: the same few legends recur, so each is
// written once.
func (L bcChartLayout) legendSVG() string {
	if L.legendKey == "" {
		return ""
	}
	if s, ok := bcLegendCache.Load(L.legendKey); ok {
		return s.(string)
	}
	var b strings.Builder
	b.WriteString(`<g class="bc-legend">` + "\n")
	for _, it := range L.legend {
		bcWriteItem(&b, it)
	}
	b.WriteString("</g>\n")
	bcLegendCache.Store(L.legendKey, b.String())
	return b.String()
}

func bcOrNone(c string) string {
	if c == "" {
		return "none"
	}
	return c
}

// ---- the editor and the read-only chart, for the templates ----

// ChartEditor is what the "bodychart_editor" template
// (templates/partials/bodychart.html) takes: the chart inside the page's
// form, whose field Name carries the marks as JSON (read it back with
// MarksFromForm).
type ChartEditor struct {
	Name  string // the form field; also the prefix of the other fields' names
	ID    string // prefix of element ids, unique on the page; "" = Name
	Label string // the editor's heading; "" = "Body chart"
	Marks []Mark
	Error string // what is wrong with the chart, shown above it
}

// Prefix is the prefix of the editor's element ids.
func (e ChartEditor) Prefix() string {
	if e.ID != "" {
		return e.ID
	}
	if e.Name != "" {
		return e.Name
	}
	return "bc"
}

// Max is the most marks a chart holds.
func (e ChartEditor) Max() int { return MaxMarks }

// Heading is the editor's heading.
func (e ChartEditor) Heading() string {
	if e.Label != "" {
		return e.Label
	}
	return "Body chart"
}

// SVG is the editor's drawing.
func (e ChartEditor) SVG() template.HTML {
	return ChartSVG(e.Marks, SVGOptions{Editable: true, IDPrefix: e.Prefix()})
}

// JSON is the marks as the hidden field holds them.
func (e ChartEditor) JSON() string {
	if len(e.Marks) == 0 {
		return "[]"
	}
	b, err := json.Marshal(e.Marks)
	if err != nil {
		return "[]"
	}
	return string(b)
}

// KindOption is a kind as the editor offers it.
type KindOption struct {
	MarkKind
	Swatch  template.HTML
	Checked bool
}

// Kinds are the editor's kind choices; pain is chosen first.
func (e ChartEditor) Kinds() []KindOption {
	out := make([]KindOption, len(MarkKinds))
	for i, k := range MarkKinds {
		out[i] = KindOption{k, Swatch(k.Key), i == 0}
	}
	return out
}

// IntensityOption is an intensity as the editor offers it.
type IntensityOption struct {
	Value   int
	Label   string
	Checked bool
}

// IntensityOptions are the editor's intensity choices; moderate first.
func (e ChartEditor) IntensityOptions() []IntensityOption {
	return []IntensityOption{{1, "Mild", false}, {2, "Moderate", true}, {3, "Severe", false}}
}

// RegionOption is a region as the editor's list offers it.
type RegionOption struct {
	Key, Name string
	Views     string // space-separated view keys
	Sided     bool
}

// RegionOptions are the regions, head to foot.
func (e ChartEditor) RegionOptions() []RegionOption {
	out := make([]RegionOption, len(Regions))
	for i, r := range Regions {
		out[i] = RegionOption{r.Key, r.Name, strings.Join(r.Views, " "), r.Sided}
	}
	return out
}

// RegionGroup is a part of the body in the editor's region list.
type RegionGroup struct {
	Label   string
	Regions []RegionOption
}

// bcRegionGroups are the parts of the body, each named by its first
// region in Regions (which is ordered head to foot).
var bcRegionGroups = []struct{ first, label string }{
	{"cranium", "Head and neck"},
	{"middle_trapezius", "Shoulder girdle and upper back"},
	{"biceps", "Arm and hand"},
	{"abdominals", "Trunk"},
	{"iliopsoas", "Hip and thigh"},
	{"knee", "Knee, leg and foot"},
}

// RegionGroups are the regions, head to foot, by part of the body.
func (e ChartEditor) RegionGroups() []RegionGroup {
	var out []RegionGroup
	for _, o := range e.RegionOptions() {
		for _, g := range bcRegionGroups {
			if g.first == o.Key {
				out = append(out, RegionGroup{Label: g.label})
			}
		}
		if len(out) == 0 {
			out = append(out, RegionGroup{Label: "Regions"})
		}
		out[len(out)-1].Regions = append(out[len(out)-1].Regions, o)
	}
	return out
}

// ViewOptions are the figures.
func (e ChartEditor) ViewOptions() []View { return Views }

// MarkItem is a mark as the list beside the chart shows it.
type MarkItem struct {
	N      int
	Mark   Mark
	Label  string
	Swatch template.HTML
}

// Items are the marks, numbered as on the chart.
func (e ChartEditor) Items() []MarkItem { return bcMarkList(e.Marks) }

func bcMarkList(ms []Mark) []MarkItem {
	out := make([]MarkItem, len(ms))
	for i, m := range ms {
		out[i] = MarkItem{i + 1, m, m.Label(), Swatch(m.Kind)}
	}
	return out
}

// ChartView is what the "bodychart_view" template takes: a chart to read.
type ChartView struct {
	ID    string // prefix of element ids, unique on the page
	Marks []Mark
	Views []string // nil = all three; the views without marks are still drawn
}

// SVG is the chart's drawing.
func (c ChartView) SVG() template.HTML {
	id := c.ID
	if id == "" {
		id = "bcv"
	}
	return ChartSVG(c.Marks, SVGOptions{IDPrefix: id, Views: c.Views})
}

// Items are the marks, numbered as on the chart.
func (c ChartView) Items() []MarkItem { return bcMarkList(c.Marks) }

// Swatch is a kind's symbol as a small inline SVG, for lists and pickers.
// It is decorative (the label beside it says the kind).
func Swatch(kind string) template.HTML {
	var b strings.Builder
	b.WriteString(`<svg class="bc-swatch" xmlns="http://www.w3.org/2000/svg" viewBox="-10 -10 20 20" width="20" height="20" aria-hidden="true" focusable="false">`)
	for _, it := range bcGlyph(kind, 2, 0, 0) {
		bcWriteItem(&b, it)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
