package care

import "math"

// The body outline: two figures, anterior (the client seen from the front,
// so their right side is on the viewer's left) and posterior (seen from
// behind, their right on the viewer's right). A mark's X and Y are
// normalised to 0..1 within its figure, which is BodyWidth × BodyHeight
// units in the drawing (templates/partials/intake.html), centred on
// x = BodyWidth/2.

// BodyWidth and BodyHeight are the size of one figure in drawing units.
const (
	BodyWidth  = 200.0
	BodyHeight = 440.0
)

// BodyViews are the figures of the outline.
var BodyViews = []struct{ Key, Label string }{
	{"anterior", "Front"},
	{"posterior", "Back"},
}

// BodyZone is a band of one figure, measured as the distance from the
// figure's centre line (DX) and from its top (Y), in drawing units.
type BodyZone struct {
	View     string  `json:"v"` // anterior, posterior or "" for both
	DX0, DX1 float64 `json:"-"`
	Y0, Y1   float64 `json:"-"`
	Region   string  `json:"r"`
	// Midline regions within this distance of the centre line are "midline".
	Mid float64 `json:"m"`
	// Box is DX0, DX1, Y0, Y1 for the page script.
	Box [4]float64 `json:"b"`
}

// BodyZones map a point of the outline to a region: the first zone that
// holds the point wins. The page script reads the same table, so a tap on
// the outline and the server agree on the region.
var BodyZones = func() []BodyZone {
	z := []BodyZone{
		{View: "", DX0: 0, DX1: 28, Y0: 0, Y1: 30, Region: "head", Mid: 10},
		{View: "anterior", DX0: 0, DX1: 28, Y0: 30, Y1: 58, Region: "face", Mid: 10},
		{View: "posterior", DX0: 0, DX1: 28, Y0: 30, Y1: 58, Region: "head", Mid: 10},
		{View: "anterior", DX0: 0, DX1: 16, Y0: 58, Y1: 78, Region: "neck (anterior)", Mid: 6},
		{View: "posterior", DX0: 0, DX1: 16, Y0: 58, Y1: 78, Region: "neck (posterior)", Mid: 6},
		{View: "", DX0: 26, DX1: 50, Y0: 72, Y1: 104, Region: "shoulder"},
		{View: "", DX0: 44, DX1: 75, Y0: 228, Y1: 272, Region: "hand"},
		{View: "", DX0: 42, DX1: 72, Y0: 214, Y1: 228, Region: "wrist"},
		{View: "", DX0: 38, DX1: 68, Y0: 165, Y1: 214, Region: "forearm"},
		{View: "", DX0: 36, DX1: 64, Y0: 148, Y1: 165, Region: "elbow"},
		{View: "", DX0: 35, DX1: 60, Y0: 100, Y1: 148, Region: "upper arm"},
		{View: "anterior", DX0: 0, DX1: 36, Y0: 76, Y1: 142, Region: "chest", Mid: 6},
		{View: "anterior", DX0: 0, DX1: 36, Y0: 142, Y1: 212, Region: "abdomen", Mid: 6},
		{View: "anterior", DX0: 0, DX1: 16, Y0: 212, Y1: 256, Region: "groin", Mid: 4},
		{View: "anterior", DX0: 16, DX1: 42, Y0: 212, Y1: 252, Region: "hip"},
		{View: "posterior", DX0: 0, DX1: 36, Y0: 76, Y1: 132, Region: "upper back", Mid: 6},
		{View: "posterior", DX0: 0, DX1: 36, Y0: 132, Y1: 174, Region: "mid back", Mid: 6},
		{View: "posterior", DX0: 0, DX1: 38, Y0: 174, Y1: 212, Region: "low back", Mid: 6},
		{View: "posterior", DX0: 0, DX1: 12, Y0: 212, Y1: 234, Region: "sacrum", Mid: 12},
		{View: "posterior", DX0: 0, DX1: 42, Y0: 212, Y1: 262, Region: "gluteal"},
		{View: "anterior", DX0: 0, DX1: 42, Y0: 252, Y1: 322, Region: "thigh (anterior)"},
		{View: "posterior", DX0: 0, DX1: 42, Y0: 262, Y1: 322, Region: "thigh (posterior)"},
		{View: "", DX0: 0, DX1: 40, Y0: 322, Y1: 346, Region: "knee"},
		{View: "anterior", DX0: 0, DX1: 40, Y0: 346, Y1: 402, Region: "shin"},
		{View: "posterior", DX0: 0, DX1: 40, Y0: 346, Y1: 402, Region: "calf"},
		{View: "", DX0: 0, DX1: 40, Y0: 402, Y1: 414, Region: "ankle"},
		{View: "", DX0: 0, DX1: 44, Y0: 414, Y1: 440, Region: "foot"},
	}
	for i := range z {
		z[i].Box = [4]float64{z[i].DX0, z[i].DX1, z[i].Y0, z[i].Y1}
	}
	return z
}()

// RegionAt names the region and side of a point (x, y normalised to 0..1)
// on a figure, or "" when the point is off the body.
func RegionAt(view string, x, y float64) (region, side string) {
	px, py := x*BodyWidth, y*BodyHeight
	dx := math.Abs(px - BodyWidth/2)
	for _, z := range BodyZones {
		if (z.View != "" && z.View != view) || dx < z.DX0 || dx >= z.DX1 || py < z.Y0 || py >= z.Y1 {
			continue
		}
		if dx < z.Mid {
			return z.Region, "midline"
		}
		// Seen from the front the client's right is on the viewer's left.
		left := px < BodyWidth/2
		if view == "anterior" {
			left = !left
		}
		if left {
			return z.Region, "left"
		}
		return z.Region, "right"
	}
	return "", ""
}

// regionSpots places each region on a figure for marks given without a
// point (from the list instead of the outline): the view, the distance
// from the centre line for one side, and the height.
var regionSpots = map[string]struct {
	view  string
	dx, y float64
}{
	"head": {"anterior", 0, 18}, "face": {"anterior", 0, 42}, "jaw": {"anterior", 14, 52},
	"neck (anterior)": {"anterior", 0, 68}, "neck (posterior)": {"posterior", 0, 68},
	"shoulder": {"anterior", 38, 88}, "upper arm": {"anterior", 46, 125}, "elbow": {"anterior", 50, 157},
	"forearm": {"anterior", 53, 190}, "wrist": {"anterior", 57, 221}, "hand": {"anterior", 60, 245},
	"chest": {"anterior", 18, 108}, "breast": {"anterior", 18, 122}, "abdomen": {"anterior", 12, 175},
	"upper back": {"posterior", 18, 105}, "mid back": {"posterior", 14, 152}, "low back": {"posterior", 14, 192},
	"sacrum": {"posterior", 0, 222}, "gluteal": {"posterior", 20, 242}, "hip": {"anterior", 32, 228},
	"groin": {"anterior", 10, 240}, "thigh (anterior)": {"anterior", 18, 285}, "thigh (posterior)": {"posterior", 18, 290},
	"knee": {"anterior", 18, 334}, "calf": {"posterior", 18, 372}, "shin": {"anterior", 18, 372},
	"ankle": {"anterior", 20, 408}, "foot": {"anterior", 22, 426},
}

// Spot is a point on a figure, normalised to 0..1.
type Spot struct {
	View string
	X, Y float64
}

// RegionSpots places a region and side on the outline: one spot, or two
// for "both". A region the outline does not know gives none.
func RegionSpots(region, side string) []Spot {
	r, ok := regionSpots[region]
	if !ok {
		return nil
	}
	at := func(right bool) Spot {
		dx := r.dx
		if dx == 0 && side != "midline" && side != "" {
			dx = 8 // a side of the neck or head
		}
		// The client's right is on the viewer's left from the front.
		x := BodyWidth/2 + dx
		if right == (r.view == "anterior") {
			x = BodyWidth/2 - dx
		}
		return Spot{r.view, round4(x / BodyWidth), round4(r.y / BodyHeight)}
	}
	switch side {
	case "left":
		return []Spot{at(false)}
	case "both":
		if r.dx == 0 {
			return []Spot{at(true)}
		}
		return []Spot{at(true), at(false)}
	case "midline", "":
		if r.dx == 0 {
			return []Spot{{r.view, 0.5, round4(r.y / BodyHeight)}}
		}
		return []Spot{at(true)}
	default:
		return []Spot{at(true)}
	}
}

// round4 keeps four decimals: a tenth of a millimetre on a phone, and a
// value that encodes the same every time it is stored and read.
func round4(v float64) float64 { return math.Round(v*10000) / 10000 }

// RoundMark rounds a coordinate the way stored marks are.
func RoundMark(v float64) float64 { return round4(v) }
