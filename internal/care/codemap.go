package care

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/errs"
)

// CodeMap maps technique keys (assess.Techniques) and modality kinds
// (ModalityKinds) to procedure codes; "" means not billed. It is a clinic
// setting: the clinic starts from DefaultCodeMap and may change any line.
type CodeMap map[string]string

// DefaultCodeMap is the clinic's starting point (issue #6 and
// ../shared/reference/billing.md §4). Each choice follows the CPT
// descriptions as billing.md §4 summarises them:
//
//	97124 massage: effleurage, petrissage, tapotement
//	97140 manual therapy: myofascial release, soft-tissue or joint
//	      mobilisation, manual lymph drainage, trigger-point work
//	97112 neuromuscular re-education: balance, coordination, posture,
//	      proprioception
//	97110 therapeutic exercise: strength, range of motion, flexibility
//	97010 hot/cold packs; 97018 paraffin; 97022 whirlpool; 97026 infrared
func DefaultCodeMap() CodeMap {
	return CodeMap{
		// Massage strokes.
		"swedish": "97124",
		// Deep tissue is the same family of strokes (gliding, kneading)
		// given slower and deeper; depth of pressure does not change what
		// the procedure is, so 97124. Specific hands-on release is recorded
		// as myofascial_release or trigger_point, which bill 97140.
		"deep_tissue": "97124",

		// Manual therapy: the techniques billing.md §4 names for 97140.
		"myofascial_release": "97140",
		"trigger_point":      "97140",
		"lymphatic_drainage": "97140", // "manual lymph drainage"
		// The catalogue's "neuromuscular" is neuromuscular therapy (NMT):
		// muscle-by-muscle trigger-point and taut-band work on the table,
		// which is 97140's trigger-point work. 97112 is re-education of
		// balance, coordination, posture and proprioception, which NMT does
		// not train; that is the catalogue's neuromuscular_reeducation.
		"neuromuscular": "97140",
		// Neuromuscular re-education: balance, coordination, posture,
		// proprioception (billing.md §4; the issue's own example).
		"neuromuscular_reeducation": "97112",
		// Soft-tissue mobilisation in its various forms: the therapist's
		// hands (or cups they move) act on muscle and fascia.
		"positional_release":   "97140",
		"muscle_energy":        "97140", // therapist-guided lengthening and joint range; the client's brief isometric effort is not an exercise programme
		"cross_fibre_friction": "97140", // specific transverse friction is soft-tissue mobilisation, not one of 97124's strokes
		"cupping":              "97140", // cups lift and glide the tissue (myofascial decompression); some payers do not cover it
		"scar_mobilization":    "97140",

		// Moving a joint through its physiological range, or assisting the
		// client's own movement, is range-of-motion exercise: 97110 names
		// range of motion, while 97140's joint mobilisation is the small
		// accessory glides of the joint, which passive ROM is not.
		"passive_rom": "97110",
		// PNF stretching here is contract-relax stretching to gain range,
		// with the client contracting actively: 97110 (flexibility).
		// 97112 fits only when the goal is proprioception or coordination.
		"pnf_stretching": "97110",

		// Heat and cold applied as hydrotherapy are the hot/cold pack code,
		// untimed: with a hot_pack modality in the same note they still make
		// one unit of 97010 (NoteUnits counts an untimed code once).
		"hydrotherapy_hot":  "97010",
		"hydrotherapy_cold": "97010",

		// Not billed. Guided breathing and calm touch are not massage strokes
		// (97124), not manual therapy (97140) and do not re-educate movement
		// (97112); payers treat relaxation as not medically necessary.
		"breathing_relaxation": "",
		// Home care is what the client does between visits, plus advice;
		// the advice is part of the session's service. A clinic whose
		// therapists supervise the client exercising one-on-one may map it
		// to 97110.
		"home_care_exercise": "",

		// Modalities.
		"hot_pack":  "97010",
		"cold_pack": "97010",
		"paraffin":  "97018",
		"whirlpool": "97022",
		"infrared":  "97026",
	}
}

// Validate checks that every key is a known technique or modality and every
// code is "" or one the unit calculator knows. Field names are "code.<key>".
func (m CodeMap) Validate() error {
	bad := errs.FieldErrors{}
	for k, code := range m {
		if !codeMapKey(k) {
			bad.Add("code."+k, "This is not a technique or modality of the list.")
			continue
		}
		if code == "" {
			continue
		}
		if _, ok := units.Lookup(code); !ok {
			bad.Add("code."+k, "Choose a procedure code from the list, or leave it empty not to bill.")
		}
	}
	return bad.Err()
}

func codeMapKey(k string) bool {
	if _, ok := assess.TechniqueByKey(k); ok {
		return true
	}
	return oneOf(k, ModalityKinds)
}

// Unbilled is a technique or modality recorded in a note whose code is ""
// (or missing from the map): its minutes are shown, not billed.
type Unbilled struct {
	What    string // the technique's or modality's name
	Minutes int
}

// String says it as the note does: "12 minutes of breathing and relaxation
// are not billed".
func (u Unbilled) String() string {
	mins := strconv.Itoa(u.Minutes) + " minutes"
	verb := "are"
	if u.Minutes == 1 {
		mins, verb = "1 minute", "is"
	}
	return mins + " of " + lowerFirst(u.What) + " " + verb + " not billed"
}

// lowerFirst lowers an initial capital unless the word is an acronym
// ("PNF stretching" stays as it is).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(r) && !unicode.IsUpper(next) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

// modalityNames are the modalities as the note names them.
var modalityNames = map[string]string{
	"hot_pack": "hot pack", "cold_pack": "cold pack", "paraffin": "paraffin bath",
	"whirlpool": "whirlpool", "infrared": "infrared",
}

// NoteUnits turns a session's techniques and modalities into billed units:
// the minutes of every technique and modality mapped to the same code are
// added up (an untimed code still earns one unit however many modalities
// share it), and rule gives the units. Result lines are in the order each
// code first appears, techniques before modalities. A timed code with no
// minutes gives no line. Techniques and modalities the map does not bill are
// returned apart, their minutes added per technique, in order of appearance.
// A note without billed lines gives an empty Result, not an error.
func NoteUnits(techs []PerformedTechnique, mods []Modality, m CodeMap, rule units.Rule) (*units.Result, []Unbilled, error) {
	if !rule.Valid() {
		_, err := units.Calculate(rule, nil) // its message names the rules
		return nil, nil, err
	}
	var (
		lines    []units.Line
		lineAt   = map[string]int{}
		unbilled []Unbilled
		unAt     = map[string]int{}
	)
	add := func(key, name string, minutes int, field string) error {
		if minutes < 0 || minutes > MaxMinutes {
			return &errs.Error{Code: errs.Invalid, Message: "Minutes must be 0 to " + strconv.Itoa(MaxMinutes) + ".",
				Fields: map[string]string{field: "Enter the minutes, from 0 to " + strconv.Itoa(MaxMinutes) + "."}}
		}
		code := m[key]
		if code == "" {
			if i, ok := unAt[key]; ok {
				unbilled[i].Minutes += minutes
			} else {
				unAt[key] = len(unbilled)
				unbilled = append(unbilled, Unbilled{What: name, Minutes: minutes})
			}
			return nil
		}
		c, ok := units.Lookup(code)
		if !ok {
			return &errs.Error{Code: errs.Invalid, Message: "The clinic's code for " + name + " (" + code + ") is not one the calculator knows; correct it in the clinic settings.",
				Fields: map[string]string{field: "Unknown procedure code " + code + "."}}
		}
		if c.Timed && minutes == 0 {
			return nil
		}
		if i, ok := lineAt[code]; ok {
			lines[i].Minutes += minutes
		} else {
			lineAt[code] = len(lines)
			lines = append(lines, units.Line{Code: code, Minutes: minutes})
		}
		return nil
	}
	for i, t := range techs {
		f := "technique." + strconv.Itoa(i)
		tech, ok := assess.TechniqueByKey(t.Technique)
		if !ok {
			return nil, nil, &errs.Error{Code: errs.Invalid, Message: "Choose techniques from the list.", Fields: map[string]string{f: "Choose a technique from the list."}}
		}
		if err := add(t.Technique, tech.Name, t.Minutes, f); err != nil {
			return nil, nil, err
		}
	}
	for i, mo := range mods {
		f := "modality." + strconv.Itoa(i)
		name, ok := modalityNames[mo.Kind]
		if !ok || !oneOf(mo.Kind, ModalityKinds) {
			return nil, nil, &errs.Error{Code: errs.Invalid, Message: "Choose modalities from the list.", Fields: map[string]string{f: "Choose a modality from the list."}}
		}
		if err := add(mo.Kind, name, mo.Minutes, f); err != nil {
			return nil, nil, err
		}
	}
	if len(lines) == 0 {
		return &units.Result{Rule: rule, Lines: []units.Line{}, Explanation: "No billed procedures."}, unbilled, nil
	}
	res, err := units.Calculate(rule, lines)
	if err != nil {
		return nil, nil, err
	}
	return res, unbilled, nil
}
