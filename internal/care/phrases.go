package care

import "strings"

// Quick phrases a therapist inserts into a SOAP section with one click, in
// the voice of a note. They are starting points: the therapist edits them
// (sides, regions, numbers) in place.

// Phrase is a quick phrase for one section of a note.
type Phrase struct {
	Section string // "S", "O", "A" or "P"
	Text    string
}

// SOAP sections, as Phrase.Section names them.
const (
	SectionS = "S"
	SectionO = "O"
	SectionA = "A"
	SectionP = "P"
)

// QuickPhrases are the phrases, by section in SOAP order.
var QuickPhrases = []Phrase{
	{SectionS, "Client reports less stiffness since last session."},
	{SectionS, "Client reports no change in symptoms since last session."},
	{SectionS, "Client reports symptoms increased after prolonged sitting at work."},
	{SectionS, "Client reports improved sleep since last session."},
	{SectionS, "Client reports headaches decreased in frequency this week."},
	{SectionS, "Client reports pain is worse in the morning and eases with movement."},
	{SectionS, "Client reports completing home exercises daily as instructed."},
	{SectionS, "Client reports not completing home exercises this week."},
	{SectionS, "Client reports numbness and tingling in the hand at night."},
	{SectionS, "Client reports no new injuries, illnesses or medication changes."},
	{SectionS, "Client reports soreness lasting one day after last session, then improvement."},

	{SectionO, "Hypertonicity noted in bilateral upper trapezius."},
	{SectionO, "Active trigger point palpated in left levator scapulae, referring to the base of the skull."},
	{SectionO, "Tenderness on palpation of right piriformis."},
	{SectionO, "Fascial restriction noted in the lumbar region."},
	{SectionO, "Cervical rotation limited and painful to the right."},
	{SectionO, "Forward head posture and rounded shoulders observed."},
	{SectionO, "Mild pitting edema noted at the left ankle."},
	{SectionO, "Skin intact; no redness, bruising or swelling in the treatment area."},
	{SectionO, "Tissue texture improved and tone decreased after treatment."},
	{SectionO, "Guarding noted in the lumbar paraspinals on movement."},

	{SectionA, "Tolerated treatment well; no adverse response."},
	{SectionA, "Pain decreased from before to after treatment; see pain scores."},
	{SectionA, "Range of motion increased after treatment."},
	{SectionA, "Muscle tone decreased in the treated areas."},
	{SectionA, "Client progressing toward short-term goals."},
	{SectionA, "Progress slower than expected; aggravating factors discussed."},
	{SectionA, "Client relaxed during treatment; breathing slowed."},
	{SectionA, "Treatment pressure adjusted to client's tolerance."},
	{SectionA, "Mild post-treatment soreness expected; client informed."},
	{SectionA, "Symptoms unchanged after treatment."},

	{SectionP, "Continue plan of care; re-evaluate in 4 visits."},
	{SectionP, "Continue current frequency of treatment."},
	{SectionP, "Home care reviewed and demonstrated; client returned the demonstration."},
	{SectionP, "Increase home stretches to twice daily."},
	{SectionP, "Focus next session on hip and gluteal region."},
	{SectionP, "Reduce frequency as goals are being met."},
	{SectionP, "Refer to physician for evaluation of new symptoms."},
	{SectionP, "Client to apply heat before stretching at home."},
	{SectionP, "Client to take posture breaks every 30 minutes at work."},
	{SectionP, "Progress note due at next visit."},
}

// PhrasesFor lists the quick phrases of a section ("S", "O", "A", "P",
// either case); an unknown section has none.
func PhrasesFor(section string) []Phrase {
	section = strings.ToUpper(strings.TrimSpace(section))
	var ps []Phrase
	for _, p := range QuickPhrases {
		if p.Section == section {
			ps = append(ps, p)
		}
	}
	return ps
}
