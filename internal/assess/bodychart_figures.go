package assess

import (
	"math"
	"sort"
	"strconv"
	"sync"
)

// The figures of the body chart, defined once as geometry: the web page's
// SVG (bodychart.go) and the PDFs (internal/pdf) both draw from these
// values, and RegionAt and the page script hit-test the same polygons, so a
// mark sits in the same place on screen and on paper.
//
// Coordinates are drawing units of each view (View.Width × View.Height),
// x to the right and y down. The front and back figures are symmetric about
// x = Width/2: their outline and regions are written for the viewer's right
// half and mirrored. The outlines are Fascia's own drawing (no published
// figure was traced); proportions follow the common eight-heads canon
// (chin at one head, nipples at two, navel at three, crotch at four, knees
// at about six), which is what makes a figure read as an adult at a glance.

// xy is a point in drawing units.
type xy struct{ X, Y float64 }

// figCmd is one command of a path: M and L take P[0], C takes the two
// control points P[0], P[1] and the end point P[2], Z takes none.
type figCmd struct {
	Op byte
	P  [3]xy
}

type figPath []figCmd

// Line styles of a figure's drawing.
const (
	bcStyleGuide   = "guide"   // light lines of the major muscle groups and landmarks
	bcStyleFeature = "feature" // face, ear, navel: a little darker so the view reads at once
)

// figStroke is one open or closed line drawn over the body.
type figStroke struct {
	Style string
	Path  figPath
}

// bcZone places a region on a figure. On symmetric views Poly is on the
// viewer's right half (x ≥ Width/2) and is mirrored for the other side; a
// zone with Region "" marks an area that is on the body but no region of
// the list (the eyes and nose), so a click there names nothing.
type bcZone struct {
	Region string
	Poly   []xy
	spot   xy // computed: where RegionSpot puts a mark (viewer's right half)
}

type bcFigure struct {
	View      View
	Symmetric bool
	// RightOn says which of the client's sides the viewer's right half
	// shows: "left" from the front, "right" from behind; "" on the lateral
	// view, which is the client's right side throughout.
	RightOn string
	Body    figPath     // the silhouette, filled
	Lines   []figStroke // drawn over the silhouette
	Zones   []bcZone    // first match wins
	outline []xy        // Body flattened (to 0.01 units), for hit tests
	rows    [][][2]xy   // the outline's edges by band of rowH units of y
}

// Views are the figures of the chart, in the order they are drawn.
var Views = []View{
	{Key: "anterior", Label: "Front", Width: 200, Height: 440},
	{Key: "posterior", Label: "Back", Width: 200, Height: 440},
	{Key: "lateral", Label: "Head and neck, right side", Width: 200, Height: 240},
}

// View is one figure of the chart, with its size in drawing units.
type View struct {
	Key, Label    string
	Width, Height float64
}

func bcViewByKey(key string) (View, bool) {
	for _, v := range Views {
		if v.Key == key {
			return v, true
		}
	}
	return View{}, false
}

// ---- building paths ----

// figNode is a point a smooth outline passes through; a corner is not smoothed.
type figNode struct {
	P      xy
	Corner bool
}

// sn is a smooth node, kn a corner, written in u (distance from the figure's
// centre line, viewer's right positive) for the symmetric figures.
func sn(x, y float64) figNode { return figNode{xy{x, y}, false} }
func kn(x, y float64) figNode { return figNode{xy{x, y}, true} }

// bcSpline draws a Catmull-Rom curve through nodes as cubic Béziers, closed
// or open. Segments next to a corner start or end straight toward their
// neighbour, so corners stay sharp (armpit, crotch, the thumb's web).
func bcSpline(nodes []figNode, closed bool) figPath {
	n := len(nodes)
	if n < 2 {
		return nil
	}
	at := func(i int) figNode {
		if closed {
			return nodes[((i%n)+n)%n]
		}
		if i < 0 {
			i = 0
		}
		if i >= n {
			i = n - 1
		}
		return nodes[i]
	}
	p := figPath{{Op: 'M', P: [3]xy{nodes[0].P}}}
	segs := n - 1
	if closed {
		segs = n
	}
	for i := 0; i < segs; i++ {
		a, b := at(i), at(i+1)
		prev, next := at(i-1), at(i+2)
		if !closed && i == 0 {
			prev = a
		}
		if !closed && i == segs-1 {
			next = b
		}
		if a.Corner && b.Corner {
			p = append(p, figCmd{Op: 'L', P: [3]xy{b.P}})
			continue
		}
		c1 := xy{a.P.X + (b.P.X-prev.P.X)/6, a.P.Y + (b.P.Y-prev.P.Y)/6}
		if a.Corner {
			c1 = xy{a.P.X + (b.P.X-a.P.X)/3, a.P.Y + (b.P.Y-a.P.Y)/3}
		}
		c2 := xy{b.P.X - (next.P.X-a.P.X)/6, b.P.Y - (next.P.Y-a.P.Y)/6}
		if b.Corner {
			c2 = xy{b.P.X - (b.P.X-a.P.X)/3, b.P.Y - (b.P.Y-a.P.Y)/3}
		}
		p = append(p, figCmd{Op: 'C', P: [3]xy{c1, c2, b.P}})
	}
	if closed {
		p = append(p, figCmd{Op: 'Z'})
	}
	return p
}

// bcPoly is a straight-sided path through points.
func bcPoly(closed bool, ps ...xy) figPath {
	p := make(figPath, 0, len(ps)+1)
	for i, q := range ps {
		op := byte('L')
		if i == 0 {
			op = 'M'
		}
		p = append(p, figCmd{Op: op, P: [3]xy{q}})
	}
	if closed {
		p = append(p, figCmd{Op: 'Z'})
	}
	return p
}

// bcEllipse is a closed path of four cubic arcs (the usual 0.5523 handle).
func bcEllipse(ex, cy, rx, ry float64) figPath {
	const m = 0.5523
	return figPath{
		{Op: 'M', P: [3]xy{{ex + rx, cy}}},
		{Op: 'C', P: [3]xy{{ex + rx, cy + m*ry}, {ex + m*rx, cy + ry}, {ex, cy + ry}}},
		{Op: 'C', P: [3]xy{{ex - m*rx, cy + ry}, {ex - rx, cy + m*ry}, {ex - rx, cy}}},
		{Op: 'C', P: [3]xy{{ex - rx, cy - m*ry}, {ex - m*rx, cy - ry}, {ex, cy - ry}}},
		{Op: 'C', P: [3]xy{{ex + m*rx, cy - ry}, {ex + rx, cy - m*ry}, {ex + rx, cy}}},
		{Op: 'Z'},
	}
}

// shift moves a path written in u (centre line at 0) to the figure: x+cx,
// and mirrored when flip.
func (p figPath) shift(c0 float64, flip bool) figPath {
	out := make(figPath, len(p))
	for i, c := range p {
		out[i].Op = c.Op
		for j, q := range c.P {
			if flip {
				q.X = -q.X
			}
			out[i].P[j] = xy{q.X + c0, q.Y}
		}
	}
	return out
}

// bcBoth is a path written in u drawn on both halves of a symmetric figure.
func bcBoth(c0 float64, p figPath) figPath {
	return append(p.shift(c0, false), p.shift(c0, true)...)
}

// bcMirror joins the half outline (from the top of the centre line,
// down the viewer's right, back to the centre line) with its mirror image,
// into one closed outline of the whole figure.
func bcMirror(c0 float64, half []figNode) []figNode {
	out := make([]figNode, 0, 2*len(half))
	for _, n := range half {
		out = append(out, figNode{xy{c0 + n.P.X, n.P.Y}, n.Corner})
	}
	for i := len(half) - 2; i >= 1; i-- {
		n := half[i]
		out = append(out, figNode{xy{c0 - n.P.X, n.P.Y}, n.Corner})
	}
	return out
}

// bcFlatten turns a path into points (curves in 10 steps), rounded to 0.01
// units: the values RegionAt and the page script both test against.
func bcFlatten(p figPath) []xy {
	var out []xy
	var cur xy
	r := func(q xy) xy { return xy{math.Round(q.X*100) / 100, math.Round(q.Y*100) / 100} }
	for _, c := range p {
		switch c.Op {
		case 'M', 'L':
			cur = c.P[0]
			out = append(out, r(cur))
		case 'C':
			for i := 1; i <= 10; i++ {
				t := float64(i) / 10
				u := 1 - t
				x := u*u*u*cur.X + 3*u*u*t*c.P[0].X + 3*u*t*t*c.P[1].X + t*t*t*c.P[2].X
				y := u*u*u*cur.Y + 3*u*u*t*c.P[0].Y + 3*u*t*t*c.P[1].Y + t*t*t*c.P[2].Y
				out = append(out, r(xy{x, y}))
			}
			cur = c.P[2]
		}
	}
	return out
}

// bcNum writes a coordinate with at most two decimals.
func bcNum(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ---- hit testing ----

// bcInside reports whether q is inside the closed polygon ps (even-odd).
func bcInside(ps []xy, q xy) bool {
	in := false
	for i, j := 0, len(ps)-1; i < len(ps); j, i = i, i+1 {
		a, b := ps[i], ps[j]
		if (a.Y > q.Y) != (b.Y > q.Y) && q.X < (b.X-a.X)*(q.Y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

// bcSegDist is the distance from q to the segment a–b.
func bcSegDist(q, a, b xy) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((q.X-a.X)*dx+(q.Y-a.Y)*dy)/l))
	}
	return math.Hypot(q.X-a.X-t*dx, q.Y-a.Y-t*dy)
}

// zoneAt returns the index of the zone at (px, py) in drawing units, with
// the side of the client it is on, or -1 when off the body or in no zone.
func (f *bcFigure) zoneAt(px, py float64) (int, string) {
	if !f.onBody(px, py) {
		return -1, ""
	}
	q := xy{px, py}
	side := "right"
	if f.Symmetric {
		bcCX := f.View.Width / 2
		if px < bcCX {
			q.X = 2*bcCX - px // test the mirror image on the written half
			side = bcOtherSide(f.RightOn)
		} else {
			side = f.RightOn
		}
	}
	for i, z := range f.Zones {
		if bcInside(z.Poly, q) {
			return i, side
		}
	}
	return -1, ""
}

const bcRowH = 4

// indexRows files the outline's edges by the bands of y they cross, so a
// hit test looks at a handful of edges rather than all of them.
func (f *bcFigure) indexRows() {
	f.rows = make([][][2]xy, int(f.View.Height/bcRowH)+1)
	ps := f.outline
	for i, j := 0, len(ps)-1; i < len(ps); j, i = i, i+1 {
		a, b := ps[i], ps[j]
		lo, hi := int(math.Min(a.Y, b.Y)/bcRowH), int(math.Max(a.Y, b.Y)/bcRowH)
		for r := max(lo, 0); r <= hi && r < len(f.rows); r++ {
			f.rows[r] = append(f.rows[r], [2]xy{a, b})
		}
	}
}

// onBody reports whether (px, py) is inside the outline: the even-odd
// rule of bcInside over the edges of py's band.
func (f *bcFigure) onBody(px, py float64) bool {
	r := int(py / bcRowH)
	if py < 0 || r >= len(f.rows) {
		return false
	}
	in := false
	for _, e := range f.rows[r] {
		a, b := e[0], e[1]
		if (a.Y > py) != (b.Y > py) && px < (b.X-a.X)*(py-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

func bcOtherSide(s string) string {
	if s == "left" {
		return "right"
	}
	return "left"
}

// ---- the figures ----

var (
	bcFiguresOnce sync.Once
	bcFigures     map[string]*bcFigure
)

// bcFigureOf returns the figure of a view key, or nil.
func bcFigureOf(view string) *bcFigure {
	bcFiguresOnce.Do(bcBuildFigures)
	return bcFigures[view]
}

func bcBuildFigures() {
	bcFigures = map[string]*bcFigure{}
	for _, f := range []*bcFigure{bcAnterior(), bcPosterior(), bcLateral()} {
		f.outline = bcFlatten(f.Body)
		f.indexRows()
		f.placeSpots()
		bcFigures[f.View.Key] = f
	}
}

// bcBodyHalf is the outline of the standing figure, anatomical position
// (arms a little away from the body, palms forward, thumbs out), from the
// crown down the viewer's right side and back up the inside of the leg to
// the crotch, in u (distance from the centre line) and y. Front and back
// share it: the silhouette of a symmetric body is the same from behind.
var bcBodyHalf = []figNode{
	sn(0, 6), sn(11, 8), sn(17.5, 15), sn(20.5, 25), sn(20.2, 30), // crown to temple
	sn(22.4, 32.5), sn(22.8, 37), sn(21.2, 42.5), sn(19, 44.5), // the ear
	sn(17.2, 48.5), sn(13.8, 54), kn(11, 58.5), // jaw
	sn(10.5, 65), sn(11.5, 71), sn(17, 75.5), sn(28, 79.5), sn(38, 83.5), // neck, trapezius
	sn(45, 88.5), sn(48.5, 98), sn(49.6, 112), sn(50.2, 128), sn(51.2, 145), // deltoid, arm
	sn(52.8, 158), sn(55.6, 174), sn(58.6, 192), sn(61, 207), // elbow, forearm, wrist
	sn(63.6, 213), sn(68.2, 220), sn(70.8, 228.5), sn(70.4, 234), kn(67, 232), // thumb
	sn(67.6, 240), sn(66.2, 250.5), sn(62.4, 256.5), sn(58.2, 255.5), // fingers
	sn(55.6, 247.5), sn(54.2, 236), sn(53.6, 222), sn(53.1, 211), // palm, inner wrist
	sn(49.2, 192), sn(45.6, 173), sn(43, 158), sn(41.2, 140), sn(39.6, 123), kn(37, 108), // inner arm
	sn(35.4, 120), sn(33.2, 140), sn(30.6, 160), sn(32, 178), sn(36.4, 195), // chest, waist, hip
	sn(39, 213), sn(39.2, 238), sn(36.8, 270), sn(33.4, 298), sn(31.2, 317), // thigh
	sn(31.6, 333), sn(33.4, 351), sn(31.2, 377), sn(25.4, 402), sn(22.6, 413), // knee, calf, ankle
	sn(24.6, 421), sn(27.6, 428.5), sn(25.4, 434.4), sn(17, 436), sn(10.2, 434.4), // foot
	kn(8.6, 428), sn(9.6, 416), sn(10.6, 400), sn(10.2, 372), sn(8.2, 350), // inner ankle, calf
	sn(7, 334), sn(7.4, 318), sn(6, 290), sn(4.2, 256), sn(2, 236), kn(0, 226), // inner knee, thigh
}

// zn is a zone of a region.
func zn(region string, poly []xy) bcZone { return bcZone{Region: region, Poly: poly} }

// bcBox is a rectangle as a polygon.
func bcBox(x0, y0, x1, y1 float64) []xy {
	return []xy{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// bcHalf shifts a zone polygon written in u to the viewer's right half.
func bcHalf(c0 float64, ps ...xy) []xy {
	out := make([]xy, len(ps))
	for i, q := range ps {
		out[i] = xy{q.X + c0, q.Y}
	}
	return out
}

const bcCX = 100 // centre line of the front and back figures

func bcAnterior() *bcFigure {
	f := &bcFigure{View: Views[0], Symmetric: true, RightOn: "left"}
	f.Body = bcSpline(bcMirror(bcCX, bcBodyHalf), true)
	g := func(p figPath) { f.Lines = append(f.Lines, figStroke{bcStyleGuide, bcBoth(bcCX, p)}) }
	ft := func(p figPath) { f.Lines = append(f.Lines, figStroke{bcStyleFeature, p}) }

	// Face: brows, eyes, nose and mouth, so the front reads as the front.
	ft(bcBoth(bcCX, bcSpline([]figNode{sn(3.5, 25.6), sn(7.5, 24.4), sn(11.5, 25.4)}, false)))
	ft(bcBoth(bcCX, bcEllipse(7.4, 29.6, 3, 1.25)))
	ft(bcSpline([]figNode{sn(bcCX-1, 30.5), sn(bcCX-1.8, 37.4), sn(bcCX, 39.4), sn(bcCX+1.8, 38.6)}, false))
	ft(bcSpline([]figNode{sn(bcCX-4.2, 45.2), sn(bcCX, 46.3), sn(bcCX+4.2, 45.2)}, false))
	ft(bcBoth(bcCX, bcSpline([]figNode{sn(20.8, 34.4), sn(21.6, 37.4), sn(20.4, 40.6)}, false))) // the ears' rim
	// Neck: sternocleidomastoids from behind the ear to the sternal notch.
	g(bcSpline([]figNode{sn(14.6, 51), sn(9, 65), sn(3.4, 78)}, false))
	// Clavicles, pectoral borders, deltoids.
	g(bcSpline([]figNode{sn(3.2, 80.2), sn(12, 79.2), sn(22, 81), sn(35, 84.6)}, false))
	g(bcSpline([]figNode{sn(2.4, 100.5), sn(12, 111), sn(24, 112.2), sn(33.4, 105.5), sn(36.4, 99)}, false))
	g(bcSpline([]figNode{sn(35.4, 85.6), sn(39.4, 97), sn(44.4, 109), sn(49.4, 117)}, false))
	// Trunk: costal arch, linea alba and the rectus borders, inguinal lines.
	g(bcSpline([]figNode{sn(2.2, 121.5), sn(12, 133), sn(22, 141), sn(29.6, 146)}, false))
	g(bcSpline([]figNode{sn(15.2, 139), sn(15.8, 165), sn(13.6, 192)}, false))
	g(bcSpline([]figNode{sn(33.6, 188), sn(22, 205), sn(10, 219)}, false))
	f.Lines = append(f.Lines, figStroke{bcStyleGuide, bcPoly(false, xy{bcCX, 114}, xy{bcCX, 158})})
	ft(bcEllipse(bcCX, 163, 1.7, 2.3)) // navel
	// Arms: biceps, elbow crease, wrist crease, thenar and palm lines.
	g(bcSpline([]figNode{sn(43.6, 118), sn(46.6, 136), sn(47.6, 152)}, false))
	g(bcSpline([]figNode{sn(45.8, 159.4), sn(48.6, 161.2), sn(52.2, 160.6)}, false))
	g(bcSpline([]figNode{sn(53.6, 214.4), sn(57.6, 215.4), sn(62, 213.6)}, false))
	g(bcSpline([]figNode{sn(62.6, 217.5), sn(60.4, 226), sn(61.2, 236)}, false))
	g(bcSpline([]figNode{sn(58.8, 240), sn(61.6, 246.6), sn(62.2, 253.8)}, false))
	// Legs: sartorius, patellae, tibial crests, toes.
	g(bcSpline([]figNode{sn(31.4, 197), sn(22, 240), sn(13.6, 290), sn(11.4, 316)}, false))
	g(bcEllipse(20.6, 323, 5.6, 7.4))
	g(bcSpline([]figNode{sn(19.4, 341), sn(18.4, 370), sn(17.2, 405)}, false))
	g(bcSpline([]figNode{sn(14, 422.5), sn(17, 426.5), sn(21.6, 426)}, false))

	h := func(ps ...xy) []xy { return bcHalf(bcCX, ps...) }
	f.Zones = []bcZone{
		// Head. The face itself (eyes, nose, mouth) is no region of the list.
		zn("tmj", h(xy{14.6, 36}, xy{23, 36}, xy{23, 42.6}, xy{14.6, 42.6})),
		zn("", h(xy{0, 26}, xy{11.6, 26}, xy{12.4, 44}, xy{8, 52}, xy{0, 52})),
		zn("masseter", h(xy{8, 42.6}, xy{23, 42.6}, xy{20, 52}, xy{12, 60}, xy{6, 60}, xy{8, 52})),
		zn("temporalis", h(xy{11.6, 18}, xy{24, 18}, xy{24, 36}, xy{12.4, 36})),
		zn("frontalis", bcBox(bcCX, 13, bcCX+11.6, 26)),
		zn("cranium", bcBox(bcCX, 0, bcCX+25, 18)),
		// Neck and shoulder.
		zn("sternocleidomastoid", h(xy{10, 55}, xy{16.4, 52}, xy{7.4, 80}, xy{1, 80}, xy{1, 76})),
		zn("", bcBox(bcCX, 56, bcCX+3, 80)), // the throat
		zn("scalenes", h(xy{12.6, 62}, xy{15, 68}, xy{22, 80}, xy{12, 82}, xy{6.6, 82}, xy{10.6, 68})),
		zn("upper_trapezius", h(xy{11, 58}, xy{20, 62}, xy{40, 76}, xy{38, 86}, xy{26, 82}, xy{22, 80}, xy{15, 68})),
		zn("deltoid", h(xy{36.4, 82}, xy{56, 82}, xy{56, 120}, xy{44, 120}, xy{39, 105}, xy{35.6, 87})),
		// Chest and trunk.
		zn("pectoralis_minor", h(xy{23, 89}, xy{33, 88.4}, xy{34.6, 99}, xy{24, 102})),
		zn("pectoralis_major", h(xy{0, 79}, xy{36.4, 80}, xy{35.6, 87}, xy{39, 105}, xy{37, 110}, xy{24, 116}, xy{0, 112})),
		zn("serratus_anterior", h(xy{24, 116}, xy{37, 108}, xy{40, 112}, xy{36, 150}, xy{27, 146})),
		zn("abdominals", h(xy{0, 112}, xy{24, 116}, xy{27, 146}, xy{36, 150}, xy{40, 186}, xy{20, 203}, xy{0, 212})),
		zn("iliopsoas", h(xy{0, 212}, xy{20, 203}, xy{28, 196}, xy{26, 232}, xy{6, 238}, xy{0, 226})),
		zn("tfl", h(xy{28, 196}, xy{40, 186}, xy{44, 196}, xy{44, 232}, xy{26, 232})),
		// Arm, palm forward.
		zn("biceps", h(xy{36, 104}, xy{56, 104}, xy{56, 153}, xy{38, 153})),
		zn("elbow", h(xy{38, 153}, xy{56, 153}, xy{58, 167}, xy{40, 167})),
		zn("forearm_flexors", h(xy{40, 167}, xy{58, 167}, xy{64, 207.5}, xy{48, 207.5})),
		zn("wrist", h(xy{48, 207.5}, xy{64, 207.5}, xy{66, 217.6}, xy{50, 217.6})),
		zn("thenar", h(xy{60.6, 217.6}, xy{74, 217.6}, xy{74, 238}, xy{61, 238})),
		zn("hand", h(xy{50, 217.6}, xy{74, 217.6}, xy{74, 262}, xy{50, 262})),
		// Thigh, knee, leg, foot.
		zn("adductors", h(xy{0, 226}, xy{6, 238}, xy{16, 236}, xy{13, 300}, xy{5, 310}, xy{0, 310})),
		zn("it_band", h(xy{33, 232}, xy{44, 232}, xy{40, 311}, xy{29.6, 311})),
		zn("quadriceps", h(xy{6, 238}, xy{26, 232}, xy{33, 232}, xy{29.6, 311}, xy{5, 311})),
		zn("knee", bcBox(bcCX, 310, bcCX+40, 339)),
		zn("peroneals", h(xy{25.4, 339}, xy{40, 339}, xy{34, 403}, xy{23, 403})),
		zn("tibialis_anterior", bcBox(bcCX, 339, bcCX+40, 403)),
		zn("ankle", bcBox(bcCX, 403, bcCX+40, 421)),
		zn("foot", bcBox(bcCX, 421, bcCX+40, 440)),
	}
	return f
}

func bcPosterior() *bcFigure {
	f := &bcFigure{View: Views[1], Symmetric: true, RightOn: "right"}
	f.Body = bcSpline(bcMirror(bcCX, bcBodyHalf), true)
	g := func(p figPath) { f.Lines = append(f.Lines, figStroke{bcStyleGuide, bcBoth(bcCX, p)}) }
	ft := func(p figPath) { f.Lines = append(f.Lines, figStroke{bcStyleFeature, p}) }

	// Back of the head: the hairline at the nape, and the ears' rim.
	ft(bcSpline([]figNode{sn(bcCX-12.6, 50.4), sn(bcCX-6, 55.6), sn(bcCX, 56.6), sn(bcCX+6, 55.6), sn(bcCX+12.6, 50.4)}, false))
	ft(bcBoth(bcCX, bcSpline([]figNode{sn(20.6, 34), sn(21.4, 37.6), sn(20.2, 41)}, false)))
	// Spine from the nape to the sacrum.
	f.Lines = append(f.Lines, figStroke{bcStyleGuide, bcPoly(false, xy{bcCX, 61}, xy{bcCX, 200})})
	// Trapezius: its border on the slope of the neck.
	g(bcSpline([]figNode{sn(6, 60), sn(10.4, 72), sn(16, 78)}, false))
	// Scapula with its spine, seen through the back.
	g(bcSpline([]figNode{kn(12.6, 92), sn(13, 108), sn(15, 124), kn(20.6, 134), sn(28, 122), sn(34.4, 106), kn(36.6, 96)}, false))
	g(bcSpline([]figNode{sn(12.8, 99.6), sn(24, 95), sn(37.4, 90.6)}, false))
	// Latissimus dorsi borders, iliac crests, sacral dimples.
	g(bcSpline([]figNode{sn(34.4, 112), sn(31, 146), sn(24, 174), sn(12, 192)}, false))
	g(bcSpline([]figNode{sn(11, 196.6), sn(22, 192.6), sn(34, 193.4)}, false))
	ft(bcBoth(bcCX, bcEllipse(8, 203.6, 1.3, 1.3)))
	// Sacrum, gluteal cleft and folds.
	g(bcSpline([]figNode{kn(8.4, 200), sn(5, 215), kn(0, 227)}, false))
	f.Lines = append(f.Lines, figStroke{bcStyleGuide, bcPoly(false, xy{bcCX, 221}, xy{bcCX, 236})})
	g(bcSpline([]figNode{sn(2, 240.6), sn(14, 245.6), sn(26, 245.4), sn(35.4, 239.6)}, false))
	// Arms: deltoid border, olecranon, back of the wrist.
	g(bcSpline([]figNode{sn(35.8, 86.6), sn(40.4, 100), sn(45, 110), sn(49.6, 117)}, false))
	g(bcSpline([]figNode{sn(45.4, 157.6), sn(48.6, 161.4), sn(52.6, 160)}, false))
	g(bcSpline([]figNode{sn(53.6, 213.8), sn(57.6, 215), sn(62, 213.4)}, false))
	// Legs: hamstring split, popliteal creases, calf heads, Achilles tendons.
	g(bcSpline([]figNode{sn(19, 252), sn(19.4, 285), sn(19.6, 314)}, false))
	g(bcSpline([]figNode{sn(10.6, 325.4), sn(20, 327.4), sn(29.4, 325.6)}, false))
	g(bcSpline([]figNode{sn(9, 338), sn(11.6, 360), sn(16.4, 383)}, false))
	g(bcSpline([]figNode{sn(31.4, 340), sn(29.4, 362), sn(22.4, 384)}, false))
	g(bcSpline([]figNode{sn(16.8, 388), sn(16.4, 402), sn(16, 413)}, false))
	g(bcSpline([]figNode{sn(22, 388), sn(21, 402), sn(20.2, 413)}, false))

	h := func(ps ...xy) []xy { return bcHalf(bcCX, ps...) }
	f.Zones = []bcZone{
		// Head and neck.
		zn("suboccipitals", h(xy{0, 46}, xy{24, 46}, xy{14, 59}, xy{0, 59})),
		zn("cranium", bcBox(bcCX, 0, bcCX+25, 46)),
		zn("cervical_paraspinals", bcBox(bcCX, 58, bcCX+5.4, 84)),
		zn("levator_scapulae", h(xy{5.4, 58}, xy{12, 58}, xy{14, 70}, xy{24, 88}, xy{18, 93}, xy{8.4, 76}, xy{5.4, 72})),
		zn("upper_trapezius", h(xy{5.4, 72}, xy{5.4, 84}, xy{12.6, 92}, xy{18, 93}, xy{37.2, 87}, xy{38, 82}, xy{17, 74}, xy{12, 58}, xy{5.4, 58})),
		// Shoulder blade and upper back.
		zn("deltoid", h(xy{37.2, 87}, xy{38, 82}, xy{56, 82}, xy{56, 120}, xy{44, 120}, xy{38, 125}, xy{36.4, 108}, xy{37.4, 90.6})),
		zn("supraspinatus", h(xy{12.8, 92}, xy{18, 93}, xy{37.2, 87}, xy{37.4, 90.6}, xy{24, 95}, xy{12.8, 99.6})),
		zn("thoracic_paraspinals", bcBox(bcCX, 84, bcCX+5.4, 170)),
		zn("middle_trapezius", h(xy{5.4, 84}, xy{12.6, 92}, xy{12.8, 104}, xy{5.4, 104})),
		zn("rhomboids", h(xy{5.4, 104}, xy{12.8, 104}, xy{14.4, 124}, xy{5.4, 118})),
		zn("lower_trapezius", h(xy{5.4, 118}, xy{14.4, 124}, xy{17, 131}, xy{5.4, 152})),
		zn("teres", h(xy{20.6, 134}, xy{24, 127}, xy{31.6, 112}, xy{36.4, 108}, xy{38, 125}, xy{28, 134})),
		zn("infraspinatus", h(xy{12.8, 99.6}, xy{24, 95}, xy{37.4, 90.6}, xy{36.4, 108}, xy{31.6, 112}, xy{24, 127}, xy{20.6, 134}, xy{14.4, 124})),
		zn("latissimus_dorsi", h(xy{5.4, 152}, xy{17, 131}, xy{20.6, 134}, xy{28, 134}, xy{38, 125}, xy{36, 170}, xy{24, 174}, xy{14, 180})),
		// Low back and pelvis.
		zn("lumbar_paraspinals", h(xy{0, 170}, xy{5.4, 170}, xy{5.4, 152}, xy{14, 180}, xy{10, 198}, xy{0, 198})),
		zn("quadratus_lumborum", h(xy{14, 180}, xy{24, 174}, xy{36, 170}, xy{40, 194}, xy{12, 196}, xy{10, 198})),
		zn("sacrum", h(xy{0, 198}, xy{5.8, 198}, xy{5, 215}, xy{0, 229})),
		zn("sacroiliac", h(xy{5.8, 198}, xy{12, 196}, xy{11.4, 210}, xy{7, 214}, xy{5, 215})),
		zn("piriformis", h(xy{5, 215}, xy{7, 214}, xy{11.4, 210}, xy{40, 212}, xy{40, 222}, xy{9, 226})),
		zn("gluteus_medius", h(xy{11.4, 210}, xy{12, 196}, xy{40, 194}, xy{40, 212})),
		zn("gluteus_maximus", h(xy{0, 229}, xy{5, 215}, xy{9, 226}, xy{40, 222}, xy{40, 244}, xy{24, 248.6}, xy{0, 246})),
		// Arm, seen from behind.
		zn("triceps", h(xy{36, 104}, xy{56, 104}, xy{56, 153}, xy{38, 153})),
		zn("elbow", h(xy{38, 153}, xy{56, 153}, xy{58, 167}, xy{40, 167})),
		zn("forearm_extensors", h(xy{40, 167}, xy{58, 167}, xy{64, 207.5}, xy{48, 207.5})),
		zn("wrist", h(xy{48, 207.5}, xy{64, 207.5}, xy{66, 217.6}, xy{50, 217.6})),
		zn("hand", h(xy{50, 217.6}, xy{74, 217.6}, xy{74, 262}, xy{50, 262})),
		// Thigh, knee, leg, heel.
		zn("it_band", h(xy{31, 244}, xy{44, 240}, xy{40, 314}, xy{29.6, 314})),
		zn("hamstrings", h(xy{0, 246}, xy{24, 248.6}, xy{40, 244}, xy{31, 244}, xy{29.6, 314}, xy{0, 314})),
		zn("knee", bcBox(bcCX, 314, bcCX+40, 339)),
		zn("gastrocnemius", bcBox(bcCX, 339, bcCX+40, 383)),
		zn("achilles", h(xy{14.6, 387}, xy{24, 387}, xy{23, 416}, xy{13.6, 416})),
		zn("soleus", bcBox(bcCX, 383, bcCX+40, 405)),
		zn("ankle", bcBox(bcCX, 405, bcCX+40, 424)),
		zn("plantar_fascia", bcBox(bcCX, 424, bcCX+40, 440)),
	}
	return f
}

// bcLateral is the head and neck seen from the client's right side:
// the face looks to the viewer's right.
func bcLateral() *bcFigure {
	f := &bcFigure{View: Views[2]}
	f.Body = bcSpline([]figNode{
		sn(104, 12), sn(132, 17), sn(152, 33), sn(161, 52), sn(163.6, 68), // crown, forehead
		sn(162.4, 77), sn(159.8, 82.6), sn(164.6, 92.5), sn(170.6, 101.4), sn(170.2, 106.2), // brow, nose
		sn(166, 108.6), kn(161.6, 110.4), sn(163.2, 115.6), sn(162.2, 120.2), sn(160.4, 122.6), // upper lip
		sn(162, 127.4), sn(159.8, 132.2), sn(158.4, 135.2), sn(161.6, 142.4), sn(159.8, 151), // lower lip, chin
		sn(151, 156.6), sn(138, 159.6), kn(127.6, 162.4), // under the jaw
		sn(127, 176), sn(130.4, 191), sn(134, 206), sn(139, 219), kn(147.6, 240), // throat to sternum
		kn(22, 240), sn(26, 226), sn(38, 204), sn(52, 186), sn(63.4, 169), sn(69, 152), // shoulder, trapezius, nape
		sn(66, 134), sn(57, 114), sn(51.6, 92), sn(53, 68), sn(62, 44), sn(76, 26), sn(90, 16), // occiput, back of head
	}, true)
	ft := func(p figPath) { f.Lines = append(f.Lines, figStroke{bcStyleFeature, p}) }
	g := func(p figPath) { f.Lines = append(f.Lines, figStroke{bcStyleGuide, p}) }

	// Ear, eye, brow, nostril, mouth.
	ft(bcSpline([]figNode{sn(96, 84), sn(103, 80.2), sn(108.4, 86), sn(108.6, 97), sn(104.6, 106.6), sn(102, 115.4), sn(97, 117.4), sn(93.6, 113)}, false))
	ft(bcSpline([]figNode{sn(99.6, 89.8), sn(103.4, 92.4), sn(102.2, 100.6)}, false))
	ft(bcSpline([]figNode{kn(146, 86.6), sn(151, 84.4), kn(156.6, 86.8), sn(151.4, 88.8), kn(146, 86.6)}, true))
	ft(bcSpline([]figNode{sn(142.4, 78.2), sn(150.6, 75.6), sn(159, 77.2)}, false))
	ft(bcSpline([]figNode{sn(160.2, 106.2), sn(163.2, 104.6), sn(166.2, 106.4)}, false))
	ft(bcSpline([]figNode{sn(154.4, 122.8), sn(160, 122.6)}, false))
	// Jaw, cheekbone, the temporalis fan, the hairline at the temple.
	g(bcSpline([]figNode{sn(101.4, 118), sn(103, 134), sn(110, 146.4), sn(126, 153.6), sn(146, 155.4)}, false))
	g(bcSpline([]figNode{sn(109.6, 93.4), sn(124, 95), sn(138.4, 98.4)}, false))
	g(bcSpline([]figNode{sn(111, 91), sn(98, 72), sn(108, 52), sn(130, 50), sn(142, 62), sn(139, 86)}, false))
	// Sternocleidomastoid, trapezius border, clavicle, the shoulder's cap.
	g(bcSpline([]figNode{sn(96.6, 120), sn(110, 162), sn(127, 198), sn(137.6, 218)}, false))
	g(bcSpline([]figNode{sn(107.4, 119), sn(118, 150), sn(130, 182), sn(139.4, 204)}, false))
	g(bcSpline([]figNode{sn(70, 128), sn(76, 160), sn(88, 200)}, false))
	g(bcSpline([]figNode{sn(139.4, 222.6), sn(120, 214), sn(102, 206.6)}, false))
	g(bcSpline([]figNode{sn(72, 208), sn(92, 199), sn(113, 203), sn(128, 218), sn(134, 240)}, false))

	f.Zones = []bcZone{
		zn("tmj", bcBox(108.6, 98, 120, 110)),
		zn("", []xy{{140, 78}, {175, 78}, {175, 160}, {146, 160}, {142, 134}, {144, 100}}), // eye, nose, mouth, chin
		zn("sternocleidomastoid", []xy{{95, 117}, {108, 116}, {122, 152}, {142, 204}, {146, 222}, {134, 222}, {116, 186}, {100, 148}}),
		zn("sternocleidomastoid", []xy{{86, 122}, {95, 117}, {100, 148}}), // behind the ear lobe, to the mastoid
		zn("masseter", []xy{{108.6, 110}, {120, 110}, {120, 98}, {144, 100}, {142, 134}, {146, 160}, {126, 156}, {108, 146}, {102, 118}}),
		zn("temporalis", []xy{{98, 72}, {106, 50}, {120, 44}, {132, 46}, {144, 60}, {144, 100}, {120, 98}, {108.6, 98}, {108.6, 91}}),
		zn("frontalis", []xy{{128, 14}, {175, 14}, {175, 78}, {144, 78}, {144, 60}, {132, 46}, {120, 44}}),
		zn("suboccipitals", []xy{{46, 98}, {82, 106}, {86, 122}, {56, 130}, {46, 120}}),
		zn("cervical_paraspinals", []xy{{56, 130}, {86, 122}, {84, 152}, {88, 186}, {56, 186}}),
		zn("levator_scapulae", []xy{{86, 122}, {100, 148}, {108, 178}, {112, 200}, {88, 200}, {88, 186}, {84, 152}}),
		zn("scalenes", []xy{{100, 148}, {116, 186}, {130, 212}, {112, 210}, {112, 200}, {108, 178}}),
		zn("upper_trapezius", []xy{{10, 186}, {88, 186}, {88, 200}, {112, 200}, {112, 210}, {130, 212}, {134, 222}, {110, 218}, {116, 240}, {10, 240}}),
		zn("", []xy{{110, 218}, {134, 222}, {160, 222}, {160, 240}, {116, 240}}), // the upper chest
		zn("cranium", []xy{{0, 0}, {200, 0}, {200, 14}, {128, 14}, {120, 44}, {106, 50}, {98, 72}, {108.6, 91}, {108.6, 98}, {108.6, 110}, {102, 118}, {95, 118}, {86, 122}, {82, 106}, {46, 98}, {0, 98}}),
	}
	return f
}

// placeSpots finds, for each zone, the point RegionSpot uses: the spot of
// the zone farthest from any edge where RegionAt's answer changes (its
// polygon, the earlier zones that take precedence over it, the outline and,
// on symmetric figures, the centre line), searched on a grid.
// Midline regions of a symmetric figure sit on the centre line.
func (f *bcFigure) placeSpots() {
	cxv := f.View.Width / 2
	for i := range f.Zones {
		z := &f.Zones[i]
		if z.Region == "" {
			continue
		}
		r, _ := RegionByKey(z.Region)
		midline := f.Symmetric && !r.Sided
		x0, y0, x1, y1 := bcBounds(z.Poly)
		if f.Symmetric {
			x0 = math.Max(x0, cxv)
		}
		// Edges that bound the zone where RegionAt can change its answer.
		var edges [][2]xy
		addEdges := func(ps []xy) {
			for a, b := 0, len(ps)-1; a < len(ps); b, a = a, a+1 {
				ex0, ey0, ex1, ey1 := math.Min(ps[a].X, ps[b].X), math.Min(ps[a].Y, ps[b].Y), math.Max(ps[a].X, ps[b].X), math.Max(ps[a].Y, ps[b].Y)
				if ex1 < x0-20 || ex0 > x1+20 || ey1 < y0-20 || ey0 > y1+20 {
					continue
				}
				if f.Symmetric && ex0 == cxv && ex1 == cxv {
					continue // the centre line is the mirror, not a boundary
				}
				edges = append(edges, [2]xy{ps[a], ps[b]})
			}
		}
		addEdges(z.Poly)
		for _, e := range f.Zones[:i] {
			addEdges(e.Poly)
		}
		addEdges(f.outline)
		score := func(x, y float64) float64 {
			if midline && x != cxv {
				return -1
			}
			if j, _ := f.zoneAt(x, y); j != i {
				return -1
			}
			d := math.Inf(1)
			for _, e := range edges {
				d = math.Min(d, bcSegDist(xy{x, y}, e[0], e[1]))
			}
			if f.Symmetric && !midline {
				d = math.Min(d, x-cxv)
			}
			return d
		}
		// A 2-unit grid, then finer ones around the best point so far.
		best, bestD := xy{}, -1.0
		for y := math.Ceil(y0); y <= y1; y += 2 {
			for x := math.Ceil(x0); x <= x1; x += 2 {
				if d := score(x, y); d > bestD {
					best, bestD = xy{x, y}, d
				}
			}
		}
		for _, step := range []float64{0.5, 0.125} {
			if bestD < 0 {
				break
			}
			c := best
			for y := c.Y - 4*step; y <= c.Y+4*step; y += step {
				for x := c.X - 4*step; x <= c.X+4*step; x += step {
					if d := score(x, y); d > bestD {
						best, bestD = xy{x, y}, d
					}
				}
			}
		}
		z.spot = best
		if bestD < 0 {
			z.spot = xy{-1, -1} // unplaceable: the region test fails loudly
		}
	}
}

func bcBounds(ps []xy) (x0, y0, x1, y1 float64) {
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range ps {
		x0, y0 = math.Min(x0, q.X), math.Min(y0, q.Y)
		x1, y1 = math.Max(x1, q.X), math.Max(y1, q.Y)
	}
	return
}

// bcGeoView is the part of the figures the page script needs to agree
// with RegionAt and RegionSpot: outlines, zones and spots, per view.
type bcGeoView struct {
	W       float64      `json:"w"`
	H       float64      `json:"h"`
	Sym     bool         `json:"sym"`
	RightOn string       `json:"rightOn"`
	Outline [][2]float64 `json:"outline"`
	Zones   []bcGeoZone  `json:"zones"`
}

type bcGeoZone struct {
	R     string       `json:"r"`
	Sided bool         `json:"sided,omitempty"`
	P     [][2]float64 `json:"p"`
	S     [2]float64   `json:"s"`
}

func (f *bcFigure) geometry() bcGeoView {
	g := bcGeoView{W: f.View.Width, H: f.View.Height, Sym: f.Symmetric, RightOn: f.RightOn}
	for _, q := range f.outline {
		g.Outline = append(g.Outline, [2]float64{q.X, q.Y})
	}
	for _, z := range f.Zones {
		gz := bcGeoZone{R: z.Region, S: [2]float64{z.spot.X, z.spot.Y}}
		if r, ok := RegionByKey(z.Region); ok {
			gz.Sided = r.Sided
		}
		for _, q := range z.Poly {
			gz.P = append(gz.P, [2]float64{q.X, q.Y})
		}
		g.Zones = append(g.Zones, gz)
	}
	return g
}

// regionsOn lists the regions a figure places, sorted, for tests.
func (f *bcFigure) regionsOn() []string {
	seen := map[string]bool{}
	var out []string
	for _, z := range f.Zones {
		if z.Region != "" && !seen[z.Region] {
			seen[z.Region] = true
			out = append(out, z.Region)
		}
	}
	sort.Strings(out)
	return out
}
