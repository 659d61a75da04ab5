package assess

import (
	"math"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/errs"
)

// Motion is one measurable motion of a joint with its normal active range
// in degrees. Sided motions are measured left and right.
type Motion struct {
	Key    string // stored: never rename one
	Joint  string
	Name   string
	Normal int // degrees; 0 for an extension measured as a lag (see EvaluateROM)
	Sided  bool
	Source string // where Normal comes from
}

// Where the normal values come from. The US VA's table is public domain and
// the one US payers and physicians meet most; where it gives no value the
// American Academy of Orthopaedic Surgeons' 1965 values (as printed in
// Norkin & White, Measurement of Joint Motion) fill in.
//
// Checked in this session (see ../shared/reference/clinical.md §2, which had
// them unverified):
//   - Spine: 38 CFR §4.71a, General Rating Formula for the spine, Note (2),
//     read in the eCFR wording quoted in a public eCFR validation report:
//     cervical flexion and extension 0–45°, lateral flexion 0–45°, rotation
//     0–80°; thoracolumbar flexion 0–90°, extension, lateral flexion and
//     rotation 0–30°.
//   - Shoulder flexion and abduction 180°, elbow flexion 145°, wrist palmar
//     flexion 80° and dorsiflexion 70°, knee flexion 140° and extension 0°:
//     the "normal endpoint" lines of the VA's disability benefits
//     questionnaires (shoulder and arm, elbow and forearm, wrist, knee and
//     lower leg; VistA AMIE routines DVBCQSA2, DVBCQEL2, DVBCQWR2, DVBCQKL2),
//     which restate 38 CFR §4.71 Plates I and II.
//   - Knee extension lag: 38 CFR §4.71a DC 5261 rates "extension limited to
//     5°" at 0% and 10° at 10% (read in two public transcriptions of the
//     eCFR), so a lag of more than 5° is where a limitation begins.
//
// Not re-read here, taken from clinical.md §2 (Plates I and II): shoulder
// rotations 90°, forearm pronation 80° and supination 85°, wrist radial 20°
// and ulnar 45° deviation, hip flexion 125° and abduction 45°, ankle
// dorsiflexion 20° and plantar flexion 45°. They agree with every secondary
// copy seen; a reviewer with the printed plates should confirm them.
const (
	srcVASpine  = "38 CFR §4.71a, spine rating formula, Note (2)"
	srcVAPlateI = "38 CFR §4.71, Plate I"
	srcVAPlate2 = "38 CFR §4.71, Plate II"
	srcAAOS     = "AAOS 1965 (Norkin & White): the VA table gives no value"
)

// Motions is the list of measurable motions, head to foot.
var Motions = []Motion{
	{"cervical.flexion", "Cervical spine", "flexion", 45, false, srcVASpine},
	{"cervical.extension", "Cervical spine", "extension", 45, false, srcVASpine},
	{"cervical.lateral_flexion", "Cervical spine", "lateral flexion", 45, true, srcVASpine},
	{"cervical.rotation", "Cervical spine", "rotation", 80, true, srcVASpine},
	{"thoracolumbar.flexion", "Thoracolumbar spine", "flexion", 90, false, srcVASpine},
	{"thoracolumbar.extension", "Thoracolumbar spine", "extension", 30, false, srcVASpine},
	{"thoracolumbar.lateral_flexion", "Thoracolumbar spine", "lateral flexion", 30, true, srcVASpine},
	{"thoracolumbar.rotation", "Thoracolumbar spine", "rotation", 30, true, srcVASpine},
	{"shoulder.flexion", "Shoulder", "flexion", 180, true, srcVAPlateI},
	{"shoulder.extension", "Shoulder", "extension", 60, true, srcAAOS},
	{"shoulder.abduction", "Shoulder", "abduction", 180, true, srcVAPlateI},
	{"shoulder.external_rotation", "Shoulder", "external rotation", 90, true, srcVAPlateI},
	{"shoulder.internal_rotation", "Shoulder", "internal rotation", 90, true, srcVAPlateI},
	{"elbow.flexion", "Elbow", "flexion", 145, true, srcVAPlateI},
	{"elbow.extension", "Elbow", "extension", 0, true, srcVAPlateI},
	{"forearm.pronation", "Forearm", "pronation", 80, true, srcVAPlateI},
	{"forearm.supination", "Forearm", "supination", 85, true, srcVAPlateI},
	{"wrist.flexion", "Wrist", "flexion", 80, true, srcVAPlateI},
	{"wrist.extension", "Wrist", "extension", 70, true, srcVAPlateI},
	{"wrist.radial_deviation", "Wrist", "radial deviation", 20, true, srcVAPlateI},
	{"wrist.ulnar_deviation", "Wrist", "ulnar deviation", 45, true, srcVAPlateI},
	{"hip.flexion", "Hip", "flexion", 125, true, srcVAPlate2},
	{"hip.extension", "Hip", "extension", 30, true, srcAAOS},
	{"hip.abduction", "Hip", "abduction", 45, true, srcVAPlate2},
	{"hip.adduction", "Hip", "adduction", 30, true, srcAAOS},
	{"hip.external_rotation", "Hip", "external rotation", 45, true, srcAAOS},
	{"hip.internal_rotation", "Hip", "internal rotation", 45, true, srcAAOS},
	{"knee.flexion", "Knee", "flexion", 140, true, srcVAPlate2},
	{"knee.extension", "Knee", "extension", 0, true, srcVAPlate2},
	{"ankle.dorsiflexion", "Ankle", "dorsiflexion", 20, true, srcVAPlate2},
	{"ankle.plantarflexion", "Ankle", "plantar flexion", 45, true, srcVAPlate2},
	{"ankle.inversion", "Ankle", "inversion", 35, true, srcAAOS},
	{"ankle.eversion", "Ankle", "eversion", 15, true, srcAAOS},
}

// lagArc names, for each extension measured as a lag (normal 0), the
// flexion whose normal is the joint's whole arc.
var lagArc = map[string]string{
	"elbow.extension": "elbow.flexion",
	"knee.extension":  "knee.flexion",
}

// MaxExtensionLag is the lag, in degrees short of straight, that a normal
// extension may show before it counts as restricted (38 CFR §4.71a DC 5261
// begins rating at a lag of 10°, and treats 5° as unrated).
const MaxExtensionLag = 5

var motionIndex = func() map[string]int {
	m := make(map[string]int, len(Motions))
	for i, mo := range Motions {
		m[mo.Key] = i
	}
	return m
}()

// MotionByKey returns the motion of key.
func MotionByKey(key string) (Motion, bool) {
	i, ok := motionIndex[key]
	if !ok {
		return Motion{}, false
	}
	return Motions[i], true
}

// Label is the motion's name as the forms show it: "Cervical rotation",
// "Wrist flexion".
func (m Motion) Label() string { return strings.TrimSuffix(m.Joint, " spine") + " " + m.Name }

// MotionLabel names a motion with its side, as pages and PDFs show it:
// "Cervical rotation, left". An unknown key is shown as it is.
func MotionLabel(key, side string) string {
	name := key
	if m, ok := MotionByKey(key); ok {
		name = m.Label()
	}
	if side == "" || side == "midline" {
		return name
	}
	return name + ", " + side
}

// Thresholds decide when a measured motion counts as restricted.
type Thresholds struct {
	// MinPercent: a motion below this percent of normal is restricted.
	MinPercent float64
	// MaxSideDiff: a side moving more than this percent less than the
	// other side is restricted.
	MaxSideDiff float64
}

// DefaultThresholds is below 75% of normal, or more than 15% less than the
// other side. No published source sets these: they are the product
// decision (clinical.md §2), and a clinic may change them.
var DefaultThresholds = Thresholds{MinPercent: 75, MaxSideDiff: 15}

// Validate checks the thresholds are percentages that can flag something.
func (th Thresholds) Validate() error {
	bad := errs.FieldErrors{}
	if math.IsNaN(th.MinPercent) || th.MinPercent <= 0 || th.MinPercent > 100 {
		bad.Add("min_percent", "Use a percentage of normal above 0 and at most 100, such as 75.")
	}
	if math.IsNaN(th.MaxSideDiff) || th.MaxSideDiff <= 0 || th.MaxSideDiff >= 100 {
		bad.Add("max_side_diff", "Use a side-to-side difference above 0 and below 100 percent, such as 15.")
	}
	return bad.Err()
}

// ROMResult is one measurement compared with normal and with the other side.
type ROMResult struct {
	ROM
	Motion Motion
	// Percent is the range available as a percentage of normal, to one
	// decimal. For an extension measured as a lag (normal 0: knee and elbow
	// extension, Degrees = degrees short of straight, 0 or less = full or
	// hyperextended) it is the share of the joint's whole arc still
	// available: (flexion normal − lag) / flexion normal.
	Percent float64
	// SideDiff is |this side − other side| as a percentage of the larger
	// side, same motion, both active or both passive, to one decimal; 0
	// when the other side is not measured. Lags compare the arcs available.
	SideDiff float64
	HasOther bool
	// Restricted: Percent below MinPercent (for a lag: more than
	// MaxExtensionLag degrees), or this side moves more than MaxSideDiff
	// percent less than the other. The better side is not flagged for the
	// difference. Both compare the rounded values shown.
	Restricted bool
	// Why says in plain words why the motion is restricted ("56% of normal
	// (45° of 80°)", "23% less than the right"); empty when it is not.
	Why string
}

// available is the range a measurement shows, and the range it is
// compared with: degrees and the normal, or for a lag the arc left and
// the whole arc. Negative degrees of an ordinary motion count as none.
func available(m Motion, degrees int) (have, of float64) {
	if flex, ok := lagArc[m.Key]; ok {
		arc, _ := MotionByKey(flex)
		lag := max(degrees, 0)
		return float64(max(arc.Normal-lag, 0)), float64(arc.Normal)
	}
	return float64(max(degrees, 0)), float64(m.Normal)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// pct writes a rounded percentage without a trailing ".0".
func pct(x float64) string { return strconv.FormatFloat(round1(x), 'f', -1, 64) + "%" }

func otherSide(side string) string {
	switch side {
	case "left":
		return "right"
	case "right":
		return "left"
	}
	return ""
}

// EvaluateROM compares each measurement with its normal and with the same
// motion on the other side (active with active, passive with passive), in
// the order given. Measurements of motions not in Motions are skipped.
func EvaluateROM(rs []ROM, th Thresholds) []ROMResult {
	type key struct {
		motion, side string
		passive      bool
	}
	first := map[key]int{}
	for i, r := range rs {
		k := key{r.Motion, r.Side, r.Passive}
		if _, ok := first[k]; !ok {
			first[k] = i
		}
	}
	out := make([]ROMResult, 0, len(rs))
	for _, r := range rs {
		m, ok := MotionByKey(r.Motion)
		if !ok {
			continue
		}
		res := ROMResult{ROM: r, Motion: m}
		have, of := available(m, r.Degrees)
		if of > 0 {
			res.Percent = round1(have / of * 100)
		}
		var whys []string
		if _, lag := lagArc[m.Key]; lag {
			if r.Degrees > MaxExtensionLag {
				whys = append(whys, "lacks "+strconv.Itoa(r.Degrees)+"° of full extension")
			}
		} else if res.Percent < th.MinPercent {
			whys = append(whys, pct(res.Percent)+" of normal ("+strconv.Itoa(r.Degrees)+"° of "+strconv.Itoa(m.Normal)+"°)")
		}
		if os := otherSide(r.Side); m.Sided && os != "" {
			if j, ok := first[key{r.Motion, os, r.Passive}]; ok {
				res.HasOther = true
				otherHave, _ := available(m, rs[j].Degrees)
				if big := math.Max(have, otherHave); big > 0 {
					res.SideDiff = round1(math.Abs(have-otherHave) / big * 100)
				}
				if have < otherHave && res.SideDiff > th.MaxSideDiff {
					whys = append(whys, pct(res.SideDiff)+" less than the "+os)
				}
			}
		}
		if len(whys) > 0 {
			res.Restricted = true
			res.Why = whys[0]
			for _, w := range whys[1:] {
				res.Why += "; " + w
			}
		}
		out = append(out, res)
	}
	return out
}
