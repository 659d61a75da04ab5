package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
)

// Evaluations and plans of care in the demo clinic. The clients with a
// prescription in force (demoPrescriptions) have been evaluated by their
// therapist, with findings that fit the condition behind the prescription:
// a signed initial evaluation three to eight weeks ago, a signed plan of
// care that follows it, sent to the prescriber and for some co-signed;
// three have been re-evaluated in the last two weeks and are better, one of
// them under a second version of the plan. One evaluation and one plan are
// drafts still being written. Everything goes through the app as a
// therapist would do it, so validation, permissions and the audit trail
// apply. The words of the subjective reports are invented for the
// demonstration.

func init() {
	Register(Seeder{Name: "evaluations and plans of care", Order: 50, Seed: seedAssessments})
}

// DocumentPlanOfCare is the kind of document a plan of care returned with
// the physician's co-signature is filed as.
const DocumentPlanOfCare = "plan_of_care"

// demoMark is a body-chart finding placed where the region list puts it.
type demoMark struct {
	view, region, side, kind string
	intensity                int
	note                     string
}

// demoAssessment is one client's evaluations and plans.
type demoAssessment struct {
	client    int    // index into the clients in the order they were created, as in demoPrescriptions
	therapist string // email of who evaluates; "" for the client's own therapist
	condition string // a key of the condition library
	daysAgo   int    // date of the initial evaluation
	onsetAgo  int    // days ago the trouble began
	draft     bool   // still being written: saved, not signed

	subjective assess.Subjective // without onset and pain, set from onsetAgo and pain
	pain       [3]int            // now, best, worst (0–10)
	posture    []assess.PostureFinding
	marks      []demoMark
	rom        []assess.ROM
	tests      []assess.TestResult
	gait       []string
	gaitNote   string
	assessment string

	plan   *demoPlan
	reeval *demoReeval
}

// demoPlan is the plan of care that follows the initial evaluation. It
// starts on the evaluation's date, or on the prescription's first day when
// the prescription came later, and runs for the prescription's frequency
// and weeks.
type demoPlan struct {
	draft       bool                  // started today and not finished
	goals       map[string][2]float64 // baseline and target by what the goal measures
	homeCare    string
	cosignAfter int // days after the start the co-signed copy came back; 0 when not yet
}

// demoReeval is a re-evaluation: what changed since the evaluation before.
type demoReeval struct {
	daysAgo    int
	pain       [3]int
	limits     string                       // functional limits now, in the client's words
	rom        map[string]int               // degrees by "motion/side"
	tests      map[string]assess.TestResult // result and note by "test/side"
	marks      map[string]int               // intensity by "region/side"; 0: no longer found
	gait       []string
	gaitNote   string
	assessment string
	revise     *demoRevision // a new version of the plan follows
}

// demoRevision is the second version of a plan, written after a re-evaluation.
type demoRevision struct {
	perWeek, weeks int
	goals          map[string][2]float64
	met            []string // goals of the first version met, by what they measure
	homeCare       string
}

var demoAssessments = []demoAssessment{
	{client: 0, condition: "chronic_neck_pain", daysAgo: 26, onsetAgo: 250,
		subjective: assess.Subjective{
			ChiefComplaint: "Aching in the right side of my neck and across the top of my shoulder, with a headache behind my right eye most afternoons.",
			Mechanism:      "No injury. It crept up after I went back to the office full time; I'm at two monitors all day.",
			Aggravating:    "Long meetings at the laptop, looking down at my phone, driving more than half an hour.",
			Easing:         "A hot shower, lying flat on the floor, ibuprofen takes the edge off.",
			FunctionalLimits: "After about 30 minutes at the computer I have to get up and rub my neck. Checking my blind spot to the right hurts. " +
				"I've stopped going to my Tuesday yoga class because downward dog sets off the headache.",
			PriorTreatment: "Six physical therapy visits last spring helped for a while. A few spa massages.",
			ClientGoals:    "Get through a work day without a headache, and go back to yoga.",
		},
		pain: [3]int{4, 2, 7},
		posture: []assess.PostureFinding{
			{Finding: "forward_head", Note: "ear about 4 cm in front of the shoulder"},
			{Finding: "rounded_shoulders"},
			{Finding: "elevated_shoulder", Side: "right"},
		},
		marks: []demoMark{
			{"posterior", "upper_trapezius", "right", "trigger_point", 3, "refers to the temple and behind the eye"},
			{"posterior", "upper_trapezius", "left", "trigger_point", 1, ""},
			{"posterior", "levator_scapulae", "right", "hypertonicity", 2, ""},
			{"posterior", "suboccipitals", "bilateral", "tenderness", 2, "reproduces the afternoon headache"},
			{"posterior", "cervical_paraspinals", "right", "hypertonicity", 2, ""},
			{"lateral", "sternocleidomastoid", "right", "trigger_point", 1, "refers over the eye"},
			{"posterior", "rhomboids", "right", "trigger_point", 1, ""},
		},
		rom: []assess.ROM{
			{Motion: "cervical.flexion", Degrees: 40},
			{Motion: "cervical.extension", Degrees: 30, Pain: true},
			{Motion: "cervical.lateral_flexion", Side: "right", Degrees: 38},
			{Motion: "cervical.lateral_flexion", Side: "left", Degrees: 30, Pain: true},
			{Motion: "cervical.rotation", Side: "right", Degrees: 55, Pain: true},
			{Motion: "cervical.rotation", Side: "left", Degrees: 70},
		},
		tests: []assess.TestResult{
			{Test: "spurling", Side: "right", Result: "negative", Note: "local neck pain only, nothing into the arm"},
			{Test: "spurling", Side: "left", Result: "negative"},
			{Test: "cervical_distraction", Result: "positive", Note: "eases the neck ache"},
			{Test: "upper_limb_tension", Side: "right", Result: "negative"},
		},
		assessment: "Chronic mechanical neck pain with a cervicogenic / tension-type headache pattern. Active trigger points in the right upper trapezius and " +
			"sternocleidomastoid reproduce the headache; right rotation and left side-bending are limited and painful. Spurling negative and no arm " +
			"symptoms: no sign of nerve root involvement. Forward head and rounded shoulders from long desk work keep it going. Good candidate for " +
			"trigger point work, myofascial release and postural home care.",
		plan: &demoPlan{
			goals: map[string][2]float64{
				"NDI": {32, 16},
				"work at a computer before neck pain starts": {30, 90},
			},
			homeCare: "Chin tucks 10 × 3 a day; doorway pectoral stretch 3 × 30 s; upper trapezius self-release with a ball against the wall; monitor raised to eye level; a movement break every 30 minutes.",
		},
	},
	{client: 2, condition: "whiplash", daysAgo: 35, onsetAgo: 44,
		subjective: assess.Subjective{
			ChiefComplaint: "Stiff, sore neck since I was rear-ended at a stoplight; it hurts to turn my head and I get headaches at the base of my skull.",
			Mechanism:      "Rear-end collision at low speed, wearing a seat belt. Seen in the emergency room the same evening; X-rays were normal.",
			Aggravating:    "Turning to look over my shoulder, sleeping on my side, carrying groceries.",
			Easing:         "Ice for the first week, now heat. Keeping my neck moving gently.",
			FunctionalLimits: "I can't check my blind spot, so I avoid the highway. I wake up two or three times a night when I roll over. " +
				"I can only read or do my crossword for about 20 minutes before my neck aches.",
			PriorTreatment: "Emergency room visit, muscle relaxant for a week. Orthopedic follow-up with Dr. Vasquez.",
			ClientGoals:    "Drive on the highway again to visit my family, and sleep through the night.",
		},
		pain: [3]int{5, 3, 8},
		posture: []assess.PostureFinding{
			{Finding: "forward_head"},
			{Finding: "elevated_shoulder", Side: "right", Note: "guarding"},
		},
		marks: []demoMark{
			{"posterior", "cervical_paraspinals", "bilateral", "hypertonicity", 3, "guarding, worse on the right"},
			{"posterior", "suboccipitals", "bilateral", "tenderness", 2, ""},
			{"anterior", "sternocleidomastoid", "right", "tenderness", 2, ""},
			{"anterior", "sternocleidomastoid", "left", "tenderness", 1, ""},
			{"anterior", "scalenes", "right", "trigger_point", 2, "refers to the shoulder blade"},
			{"posterior", "upper_trapezius", "bilateral", "hypertonicity", 2, ""},
			{"posterior", "levator_scapulae", "right", "trigger_point", 2, ""},
			{"posterior", "thoracic_paraspinals", "bilateral", "tenderness", 1, ""},
		},
		rom: []assess.ROM{
			{Motion: "cervical.flexion", Degrees: 30},
			{Motion: "cervical.extension", Degrees: 25, Pain: true},
			{Motion: "cervical.lateral_flexion", Side: "right", Degrees: 28, Pain: true},
			{Motion: "cervical.lateral_flexion", Side: "left", Degrees: 32},
			{Motion: "cervical.rotation", Side: "right", Degrees: 50, Pain: true},
			{Motion: "cervical.rotation", Side: "left", Degrees: 58},
		},
		tests: []assess.TestResult{
			{Test: "spurling", Side: "right", Result: "negative"},
			{Test: "spurling", Side: "left", Result: "negative"},
			{Test: "cervical_distraction", Result: "positive", Note: "neck pain eases"},
			{Test: "upper_limb_tension", Side: "right", Result: "negative"},
			{Test: "jaw_opening", Result: "negative"},
		},
		gait:     []string{"reduced_trunk_rotation", "reduced_arm_swing"},
		gaitNote: "Turns head and trunk as one unit to look around.",
		assessment: "Whiplash-associated disorder grade II (Quebec Task Force): neck pain with stiffness and point tenderness, no neurological signs. " +
			"Medically assessed after the collision; imaging normal. Marked muscle guarding of the cervical paraspinals and upper trapezius; " +
			"motion limited in every direction, most in extension and right rotation. Light to moderate pressure only, per the prescription; " +
			"positional release and gentle myofascial work, with graded movement at home.",
		plan: &demoPlan{
			goals: map[string][2]float64{
				"NDI": {44, 20},
				"drive, including checking over the shoulder, before neck pain starts": {10, 45},
			},
			homeCare:    "Gentle rotation and side-bending within comfort, 10 each way 3 times a day; heat 15 minutes before; walk daily; pillow that keeps the neck level when side-lying.",
			cosignAfter: 8,
		},
		reeval: &demoReeval{daysAgo: 9,
			pain:   [3]int{2, 1, 4},
			limits: "I'm driving on the highway again, though a long drive still makes my neck tired. I sleep through most nights.",
			rom: map[string]int{"cervical.flexion/": 42, "cervical.extension/": 38, "cervical.lateral_flexion/right": 38, "cervical.lateral_flexion/left": 40,
				"cervical.rotation/right": 68, "cervical.rotation/left": 72},
			tests: map[string]assess.TestResult{"cervical_distraction/": {Result: "negative", Note: "no change: little neck pain at rest"}},
			marks: map[string]int{"cervical_paraspinals/bilateral": 1, "suboccipitals/bilateral": 1, "sternocleidomastoid/right": 1, "sternocleidomastoid/left": 0,
				"scalenes/right": 1, "upper_trapezius/bilateral": 1, "thoracic_paraspinals/bilateral": 0},
			gaitNote: "Turns the head freely while walking.",
			assessment: "Clear improvement after eight visits: worst pain down from 8 to 4, rotation 68° right and 72° left (from 50° and 58°), " +
				"extension no longer painful. Guarding has eased to mild tone. Short-term goals met. Continue weekly to restore full range and " +
				"tolerance for long drives; plan revised and sent to Dr. Vasquez.",
			revise: &demoRevision{perWeek: 1, weeks: 4,
				goals: map[string][2]float64{
					"neck pain at worst": {4, 2},
					"NDI":                {24, 10},
					"drive, including checking over the shoulder, before neck pain starts": {45, 90},
				},
				met:      []string{"cervical.rotation"},
				homeCare: "Progress to rotation and side-bending with a hold of 5 seconds at end range; scapular retraction with a band 2 × 15 daily; keep walking.",
			},
		},
	},
	{client: 3, condition: "migraine", daysAgo: 23, onsetAgo: 3650,
		subjective: assess.Subjective{
			ChiefComplaint: "Migraines about eight days a month, and a constant tight, sore neck and shoulders between them.",
			Mechanism:      "Migraines since my twenties; more often since a stressful job change last year. My neurologist suggested massage alongside the medication.",
			Aggravating:    "Poor sleep, skipped meals, bright screens, strong perfume, the week before my period.",
			Easing:         "A dark, quiet room, cold pack on the back of my neck, my rescue medication if I take it early.",
			FunctionalLimits: "I lose about two work days a month and cancel plans when one starts. Between attacks my neck is so tight I can't " +
				"turn to reverse the car without moving my whole body.",
			PriorTreatment: "Preventive medication for six months, some help. Tried acupuncture once.",
			ClientGoals:    "Fewer migraine days, and a neck that doesn't feel like a brick.",
		},
		pain: [3]int{3, 0, 9},
		posture: []assess.PostureFinding{
			{Finding: "forward_head"},
			{Finding: "rounded_shoulders"},
		},
		marks: []demoMark{
			{"posterior", "suboccipitals", "bilateral", "trigger_point", 3, "pressure reproduces the usual headache"},
			{"posterior", "upper_trapezius", "right", "trigger_point", 2, ""},
			{"posterior", "upper_trapezius", "left", "trigger_point", 1, ""},
			{"lateral", "sternocleidomastoid", "right", "trigger_point", 2, "refers over the eye"},
			{"lateral", "temporalis", "right", "tenderness", 2, ""},
			{"anterior", "temporalis", "left", "tenderness", 1, ""},
			{"anterior", "masseter", "right", "hypertonicity", 2, "clenches at night"},
			{"posterior", "cervical_paraspinals", "bilateral", "hypertonicity", 2, ""},
		},
		rom: []assess.ROM{
			{Motion: "cervical.flexion", Degrees: 42},
			{Motion: "cervical.extension", Degrees: 33},
			{Motion: "cervical.rotation", Side: "right", Degrees: 58, Pain: true},
			{Motion: "cervical.rotation", Side: "left", Degrees: 70},
		},
		tests: []assess.TestResult{
			{Test: "spurling", Side: "right", Result: "negative"},
			{Test: "spurling", Side: "left", Result: "negative"},
			{Test: "jaw_opening", Result: "positive", Note: "two knuckles; jaw swings to the right on opening"},
		},
		assessment: "Migraine without aura diagnosed by neurology, on preventive treatment. Between attacks: suboccipital and sternocleidomastoid trigger " +
			"points that reproduce the headache, increased tone of the neck extensors, limited painful right rotation and a restricted, deviating jaw " +
			"opening (night clenching). No red flags: the pattern is unchanged for years. Treat between attacks only, dim room, no scented products.",
		plan: &demoPlan{draft: true,
			goals: map[string][2]float64{
				"migraine days in 4 weeks":               {8, 5},
				"neck and shoulder pain between attacks": {4, 2},
				"HIT-6":                                  {64, 58},
			},
			homeCare: "Headache diary; chin tucks and suboccipital self-release with two tennis balls in a sock, 5 minutes each evening.",
		},
	},
	{client: 6, condition: "muscle_strain", daysAgo: 0, onsetAgo: 8, draft: true,
		subjective: assess.Subjective{
			ChiefComplaint: "Sharp pain on the right side of my neck into the top of the shoulder since lifting boxes onto a high shelf at work.",
			Mechanism:      "Work injury: lifting a 40 lb box overhead, felt a pull on the right side of the neck. Reported to my supervisor the same day.",
			Aggravating:    "Turning my head to the right, reaching overhead, carrying my bag on that shoulder.",
			Easing:         "Ice, keeping my arm supported on an armrest.",
		},
		pain: [3]int{5, 3, 7},
		marks: []demoMark{
			{"posterior", "upper_trapezius", "right", "pain", 3, "sharp on lifting the arm"},
			{"posterior", "levator_scapulae", "right", "hypertonicity", 2, ""},
			{"posterior", "cervical_paraspinals", "right", "tenderness", 2, ""},
		},
		rom: []assess.ROM{
			{Motion: "cervical.rotation", Side: "right", Degrees: 45, Pain: true},
			{Motion: "cervical.rotation", Side: "left", Degrees: 62, Pain: true},
		},
		tests: []assess.TestResult{
			{Test: "resisted_isometric", Side: "right", Result: "positive", Note: "shoulder shrug against resistance reproduces the pain"},
		},
	},
	{client: 7, condition: "fibromyalgia", daysAgo: 54, onsetAgo: 2200,
		subjective: assess.Subjective{
			ChiefComplaint: "Aching and burning all over, worst in my neck, shoulders and low back, and I'm exhausted even after a full night in bed.",
			Mechanism:      "Diagnosed with fibromyalgia six years ago after a long stretch of widespread pain; a flare followed a bad winter flu.",
			Aggravating:    "Cold, damp weather, stress, overdoing it on a good day, sitting more than an hour.",
			Easing:         "A warm bath, gentle walking, pacing my day, my stretching routine.",
			FunctionalLimits: "I can walk about 15 minutes before I pay for it the next day. Vacuuming or carrying laundry upstairs wipes me out. " +
				"Maybe one night a week I wake up feeling rested.",
			PriorTreatment: "Duloxetine, a warm-water exercise class, a pain psychology group last year.",
			ClientGoals:    "Walk my dog around the park and sleep better.",
		},
		pain: [3]int{6, 4, 8},
		posture: []assess.PostureFinding{
			{Finding: "forward_head"},
			{Finding: "rounded_shoulders"},
			{Finding: "thoracic_kyphosis"},
		},
		marks: []demoMark{
			{"posterior", "upper_trapezius", "bilateral", "tenderness", 2, ""},
			{"posterior", "cervical_paraspinals", "bilateral", "tenderness", 2, ""},
			{"posterior", "levator_scapulae", "bilateral", "hypertonicity", 1, ""},
			{"posterior", "rhomboids", "bilateral", "tenderness", 2, ""},
			{"posterior", "thoracic_paraspinals", "bilateral", "tenderness", 1, ""},
			{"posterior", "lumbar_paraspinals", "bilateral", "tenderness", 2, ""},
			{"posterior", "gluteus_medius", "bilateral", "tenderness", 2, "tender to light pressure"},
		},
		rom: []assess.ROM{
			{Motion: "cervical.rotation", Side: "right", Degrees: 64},
			{Motion: "cervical.rotation", Side: "left", Degrees: 66},
			{Motion: "shoulder.flexion", Side: "right", Degrees: 150},
			{Motion: "shoulder.flexion", Side: "left", Degrees: 155},
			{Motion: "thoracolumbar.flexion", Degrees: 60, Pain: true},
		},
		gait:     []string{"shortened_stride"},
		gaitNote: "Slow, careful walk; arms held close.",
		assessment: "Fibromyalgia (physician-diagnosed) in a flare: widespread tenderness to light pressure rather than discrete trigger points, " +
			"poor sleep and low activity tolerance. Forward bending limited and painful; other motions near normal. Start light and short " +
			"(45 minutes at most, per the prescription), build on how the client feels the next day; pair with pacing and walking.",
		plan: &demoPlan{
			goals: map[string][2]float64{
				"average pain over the past week":   {6, 4},
				"nights a week of refreshing sleep": {1, 3},
				"FIQR":                              {58, 44},
				"walk without a flare the next day": {15, 30},
			},
			homeCare:    "Walk 10 minutes a day, adding 2 minutes a week if the next day is no worse; warm bath before bed; gentle stretching routine from the water class.",
			cosignAfter: 9,
		},
		reeval: &demoReeval{daysAgo: 11,
			pain:   [3]int{4, 2, 6},
			limits: "I'm walking 25 minutes most days and walked the dog around the park twice. Three nights a week I wake up rested. Laundry is still hard.",
			rom:    map[string]int{"thoracolumbar.flexion/": 72, "shoulder.flexion/right": 160, "shoulder.flexion/left": 162},
			marks: map[string]int{"upper_trapezius/bilateral": 1, "cervical_paraspinals/bilateral": 1, "rhomboids/bilateral": 1, "lumbar_paraspinals/bilateral": 1,
				"thoracic_paraspinals/bilateral": 0},
			gait:     []string{},
			gaitNote: "Walks at an ordinary pace with normal arm swing.",
			assessment: "Better on every measure after six weekly visits: average pain 4 (from 6), three rested nights a week (from one), walking 25 " +
				"minutes without a flare. Tenderness now mild. Forward bending 72°. Continue the plan; sessions may lengthen to 60 minutes.",
		},
	},
	{client: 8, condition: "carpal_tunnel", daysAgo: 40, onsetAgo: 300,
		subjective: assess.Subjective{
			ChiefComplaint: "Numbness and tingling in my right thumb and first two fingers, back again after it settled in the spring; worse at night.",
			Mechanism:      "Came on gradually with long hours typing for school and pulling shots at my barista job; it settled with massage in the spring and came back when the semester started.",
			Aggravating:    "Typing papers, tamping espresso, holding my phone, gaming with a controller.",
			Easing:         "Shaking my hand out, my night splint, stretching my forearm on breaks.",
			FunctionalLimits: "I wake up two or three nights a week with my hand asleep. By the end of a shift I can't hold the milk pitcher steady, " +
				"and I can only type for about 15 minutes before my fingers go numb.",
			PriorTreatment: "Six massage visits in the spring (helped), night splint, ibuprofen. My doctor mentioned a nerve test if it keeps coming back.",
			ClientGoals:    "Get through classes and a full shift without my hand going numb, and sleep through the night.",
		},
		pain: [3]int{3, 1, 6},
		posture: []assess.PostureFinding{
			{Finding: "forward_head"},
			{Finding: "rounded_shoulders", Note: "more on the right"},
			{Finding: "elevated_shoulder", Side: "right"},
		},
		marks: []demoMark{
			{"anterior", "forearm_flexors", "right", "trigger_point", 2, "refers into the palm"},
			{"anterior", "wrist", "right", "numbness", 2, ""},
			{"anterior", "hand", "right", "numbness", 2, "thumb, index and middle finger"},
			{"anterior", "thenar", "right", "tenderness", 1, "no visible wasting"},
			{"anterior", "pectoralis_minor", "right", "hypertonicity", 2, ""},
			{"anterior", "scalenes", "right", "trigger_point", 1, ""},
			{"posterior", "forearm_extensors", "right", "hypertonicity", 1, ""},
		},
		rom: []assess.ROM{
			{Motion: "wrist.flexion", Side: "right", Degrees: 58, Pain: true},
			{Motion: "wrist.flexion", Side: "left", Degrees: 78},
			{Motion: "wrist.extension", Side: "right", Degrees: 48},
			{Motion: "wrist.extension", Side: "left", Degrees: 68},
		},
		tests: []assess.TestResult{
			{Test: "phalen", Side: "right", Result: "positive", Note: "tingling in thumb and index finger at 35 seconds"},
			{Test: "phalen", Side: "left", Result: "negative"},
			{Test: "tinel_wrist", Side: "right", Result: "positive"},
			{Test: "reverse_phalen", Side: "right", Result: "positive"},
			{Test: "upper_limb_tension", Side: "right", Result: "positive", Note: "tingling eased when the neck bent toward the arm"},
			{Test: "spurling", Side: "right", Result: "negative"},
		},
		assessment: "Recurrent right carpal tunnel syndrome (diagnosed): night symptoms, Phalen and Tinel positive on the right, median nerve tension " +
			"sensitive. Cervical screen negative. Forearm flexor trigger points and a tight pectoralis minor and scalenes along the nerve's path; " +
			"wrist flexion and extension limited on the right. No thenar wasting or constant numbness. No sustained pressure over the tunnel.",
		plan: &demoPlan{
			goals: map[string][2]float64{
				"Boston CTQ": {2.6, 1.8},
				"QuickDASH":  {34, 18},
				"type or hold a phone before numbness starts": {15, 45},
			},
			homeCare: "Median nerve glides 10 × 2 a day; forearm flexor stretch on every break; neutral-wrist night splint; laptop on a stand with a separate keyboard; tamp with the wrist straight.",
		},
		reeval: &demoReeval{daysAgo: 12,
			pain:   [3]int{1, 0, 3},
			limits: "I wake up with my hand asleep maybe once a week now. I got through a double shift; my fingers only tingle a little by closing.",
			rom:    map[string]int{"wrist.flexion/right": 72, "wrist.extension/right": 62},
			tests: map[string]assess.TestResult{
				"phalen/right":             {Result: "positive", Note: "tingling at 55 seconds (35 at the first evaluation)"},
				"tinel_wrist/right":        {Result: "negative"},
				"reverse_phalen/right":     {Result: "equivocal", Note: "slight tingling at the end of the minute"},
				"upper_limb_tension/right": {Result: "negative"},
			},
			marks: map[string]int{"forearm_flexors/right": 1, "wrist/right": 1, "hand/right": 1, "pectoralis_minor/right": 1, "scalenes/right": 0, "forearm_extensors/right": 0},
			assessment: "Improving: night waking once a week (from two or three), worst pain 3 (from 6), Tinel now negative and Phalen positive only " +
				"late. Right wrist extension 62° and flexion 72°, within the normal band. Continue the plan to its end; nerve testing only if it stalls.",
		},
	},
	{client: 12, therapist: "aisha.patel@demo.test", condition: "lymphedema_edema", daysAgo: 22, onsetAgo: 120,
		subjective: assess.Subjective{
			ChiefComplaint: "My left arm feels heavy and swollen by the end of the day, and my rings and watch are tight on that side.",
			Mechanism:      "After treatment for cancer last year, with lymph nodes removed under my left arm and radiation. The swelling started about four months ago.",
			Aggravating:    "Hot weather, carrying shopping bags on the left, long flights, gardening.",
			Easing:         "Raising my arm on a pillow, my compression sleeve, the exercises the oncology nurse showed me.",
			FunctionalLimits: "I can't carry anything heavy on the left and I've stopped gardening. My sleeve is hard to get on by myself. " +
				"Reaching the top shelf pulls under my arm.",
			PriorTreatment: "Compression sleeve fitted two months ago. No lymphatic drainage yet.",
			ClientGoals:    "Keep the swelling down so I can garden again, and get my full reach back.",
		},
		pain: [3]int{2, 1, 4},
		posture: []assess.PostureFinding{
			{Finding: "rounded_shoulders"},
			{Finding: "elevated_shoulder", Side: "left", Note: "guarding the arm"},
		},
		marks: []demoMark{
			{"anterior", "biceps", "left", "swelling", 2, "upper arm 3.5 cm larger than the right"},
			{"anterior", "forearm_flexors", "left", "swelling", 2, ""},
			{"anterior", "hand", "left", "swelling", 1, "back of the hand"},
			{"posterior", "triceps", "left", "swelling", 1, ""},
			{"anterior", "pectoralis_major", "left", "scar", 1, "axillary scar, well healed, some tethering"},
			{"posterior", "upper_trapezius", "left", "hypertonicity", 1, ""},
		},
		rom: []assess.ROM{
			{Motion: "shoulder.flexion", Side: "left", Degrees: 140, Pain: true},
			{Motion: "shoulder.flexion", Side: "right", Degrees: 175},
			{Motion: "shoulder.abduction", Side: "left", Degrees: 125},
			{Motion: "shoulder.abduction", Side: "right", Degrees: 170},
		},
		tests: []assess.TestResult{
			{Test: "pitting_edema", Side: "left", Result: "positive", Note: "shallow pit at the forearm, rebounds within 10 seconds"},
			{Test: "stemmer", Side: "left", Result: "negative", Note: "skin fold lifts at the middle finger"},
		},
		gait:     []string{"reduced_arm_swing"},
		gaitNote: "Left arm held against the body.",
		assessment: "Secondary lymphedema of the left arm after axillary node removal and radiation (ISL stage I–II: pitting, Stemmer negative). " +
			"No redness, heat or sudden change; no sign of infection or clot. Shoulder flexion and abduction limited on the left by axillary " +
			"tightness. Manual lymphatic drainage with the sleeve, scar work only near the healed axilla, and range-of-motion exercise. No " +
			"deep pressure, heat or blood-pressure cuff on the left arm.",
		plan: &demoPlan{
			goals: map[string][2]float64{
				"circumference difference between the affected and the other limb": {3.5, 2},
				"PSFS": {4, 7},
			},
			homeCare:    "Self-drainage sequence each morning (taught in session); sleeve on waking until bedtime; shoulder wall-walks 10 × 2 a day; skin care and no blood pressure or needles on the left.",
			cosignAfter: 8,
		},
	},
	{client: 14, condition: "plantar_fasciitis", daysAgo: 24, onsetAgo: 110,
		subjective: assess.Subjective{
			ChiefComplaint: "Stabbing pain under my right heel with the first steps in the morning and after I've been sitting.",
			Mechanism:      "Started when I increased my running for a half marathon in new shoes.",
			Aggravating:    "First steps out of bed, standing at the counter, running more than 2 miles, walking barefoot on tile.",
			Easing:         "It loosens up after 10 minutes of walking; rolling my foot on a frozen water bottle.",
			FunctionalLimits: "I limp for the first few minutes every morning. I had to stop running and I can stand to cook for about 20 minutes " +
				"before my heel aches.",
			PriorTreatment: "Physical therapy with Hannah Brooks (calf stretching, foot strengthening), new shoes with arch support.",
			ClientGoals:    "Run my half marathon in the spring and walk without limping in the morning.",
		},
		pain: [3]int{3, 1, 8},
		posture: []assess.PostureFinding{
			{Finding: "foot_pronation", Side: "bilateral", Note: "more on the right"},
		},
		marks: []demoMark{
			{"posterior", "plantar_fascia", "right", "pain", 3, "medial heel, first steps"},
			{"posterior", "gastrocnemius", "right", "trigger_point", 2, ""},
			{"posterior", "soleus", "right", "trigger_point", 2, "refers to the heel"},
			{"posterior", "achilles", "right", "tenderness", 1, ""},
			{"posterior", "gastrocnemius", "left", "hypertonicity", 1, ""},
			{"anterior", "peroneals", "right", "hypertonicity", 1, ""},
		},
		rom: []assess.ROM{
			{Motion: "ankle.dorsiflexion", Side: "right", Degrees: 8, Pain: true},
			{Motion: "ankle.dorsiflexion", Side: "left", Degrees: 16},
			{Motion: "ankle.plantarflexion", Side: "right", Degrees: 40},
			{Motion: "ankle.plantarflexion", Side: "left", Degrees: 45},
		},
		tests: []assess.TestResult{
			{Test: "windlass", Side: "right", Result: "positive", Note: "heel pain with the big toe lifted"},
			{Test: "windlass", Side: "left", Result: "negative"},
			{Test: "thompson", Side: "right", Result: "negative", Note: "foot moves: Achilles intact"},
		},
		gait:     []string{"antalgic", "shortened_stride"},
		gaitNote: "Short step onto the right heel for the first few minutes after rest.",
		assessment: "Right plantar fasciitis with a tight calf: first-step heel pain, windlass positive, dorsiflexion 8° (16° on the left). " +
			"No numbness, no night pain, no trauma: nothing to suggest a stress fracture or nerve entrapment. Adjunct to physical therapy: " +
			"calf and plantar fascia myofascial and trigger point work, avoiding hard friction at the heel.",
		plan: &demoPlan{
			goals: map[string][2]float64{
				"LEFS":                          {52, 64},
				"stand before heel pain starts": {20, 60},
			},
			homeCare: "Plantar fascia stretch before the first steps; calf stretch against the wall 3 × 30 s, knee straight and bent; roll the arch on a frozen bottle after standing; keep to the PT's return-to-run plan.",
		},
	},
}

// seedAssessments records the demo evaluations and plans through the app.
func seedAssessments(ctx context.Context, env *SeedEnv) error {
	a := env.App
	cs := byID(env.Clients)
	today, err := time.Parse(clinic.DateLayout, a.ClinicDate(env.Owner))
	if err != nil {
		return err
	}
	day := func(n int) string { return today.AddDate(0, 0, -n).Format(clinic.DateLayout) }
	for _, d := range demoAssessments {
		if d.client >= len(cs) {
			continue
		}
		c := cs[d.client]
		who := therapistOf(env, c, d.therapist)
		if who == nil {
			return fmt.Errorf("no therapist works where client %d attends", c.ID)
		}
		ev, err := a.StartEvaluation(ctx, who, c.ID, assess.Initial, d.condition, day(d.daysAgo))
		if err != nil {
			return fmt.Errorf("evaluation of client %d: %w", c.ID, err)
		}
		d.fill(ev, day(d.onsetAgo))
		if err := a.SaveEvaluation(ctx, who, ev, !d.draft); err != nil {
			return fmt.Errorf("evaluation of client %d: %w", c.ID, err)
		}
		if d.plan == nil {
			continue
		}
		p, err := seedPlan(ctx, env, who, c, ev, d.plan, today)
		if err != nil {
			return fmt.Errorf("plan of client %d: %w", c.ID, err)
		}
		if r := d.reeval; r != nil {
			re, err := a.StartEvaluation(ctx, who, c.ID, assess.Reeval, "", day(r.daysAgo))
			if err != nil {
				return fmt.Errorf("re-evaluation of client %d: %w", c.ID, err)
			}
			r.apply(re)
			if err := a.SaveEvaluation(ctx, who, re, true); err != nil {
				return fmt.Errorf("re-evaluation of client %d: %w", c.ID, err)
			}
			if r.revise != nil {
				if err := revisePlan(ctx, env, who, c, p, re, r.revise, today); err != nil {
					return fmt.Errorf("plan of client %d, version 2: %w", c.ID, err)
				}
			}
		}
	}
	return nil
}

// therapistOf is who evaluates a client: the therapist named, else the
// client's own therapist, else the first therapist of the client's
// location.
func therapistOf(env *SeedEnv, c clinic.Client, email string) *auth.Actor {
	actor := func(u *clinic.User) *auth.Actor {
		return &auth.Actor{User: u, Org: env.Org, IP: "127.0.0.1", Via: "demo setup"}
	}
	if u := env.Users[email]; u != nil {
		return actor(u)
	}
	for _, s := range Staff {
		if u := env.Users[s.Email]; u != nil && u.Role == clinic.RoleTherapist && u.ID == c.PreferredTherapistID {
			return actor(u)
		}
	}
	for _, s := range Staff {
		u := env.Users[s.Email]
		if u == nil || u.Role != clinic.RoleTherapist {
			continue
		}
		for _, l := range u.LocationIDs {
			if l == c.PreferredLocationID {
				return actor(u)
			}
		}
	}
	return nil
}

// fill writes the therapist's findings into a new evaluation.
func (d *demoAssessment) fill(e *assess.Evaluation, onset string) {
	e.Subjective = d.subjective
	e.Subjective.OnsetDate = onset
	now, best, worst := d.pain[0], d.pain[1], d.pain[2]
	e.Subjective.PainNow, e.Subjective.PainBest, e.Subjective.PainWorst = &now, &best, &worst
	e.Posture = append([]assess.PostureFinding(nil), d.posture...)
	e.Marks = nil
	for _, m := range d.marks {
		x, y, _ := assess.RegionSpot(m.view, m.region, m.side) // a region off its view fails validation when saved
		e.Marks = append(e.Marks, assess.Mark{View: m.view, Region: m.region, Side: m.side, X: x, Y: y, Kind: m.kind, Intensity: m.intensity, Note: m.note})
	}
	e.ROM = append([]assess.ROM(nil), d.rom...)
	e.Tests = append([]assess.TestResult(nil), d.tests...)
	e.Gait = append([]string(nil), d.gait...)
	e.GaitNote = d.gaitNote
	e.Assessment = d.assessment
}

// apply writes what changed into a re-evaluation that starts from the
// evaluation before it.
func (r *demoReeval) apply(e *assess.Evaluation) {
	now, best, worst := r.pain[0], r.pain[1], r.pain[2]
	e.Subjective.PainNow, e.Subjective.PainBest, e.Subjective.PainWorst = &now, &best, &worst
	if r.limits != "" {
		e.Subjective.FunctionalLimits = r.limits
	}
	for i, m := range e.ROM {
		if deg, ok := r.rom[m.Motion+"/"+m.Side]; ok {
			e.ROM[i].Degrees, e.ROM[i].Pain = deg, false
		}
	}
	for i, t := range e.Tests {
		if nt, ok := r.tests[t.Test+"/"+t.Side]; ok {
			e.Tests[i].Result, e.Tests[i].Note = nt.Result, nt.Note
		}
	}
	marks := e.Marks[:0]
	for _, m := range e.Marks {
		if n, ok := r.marks[m.Region+"/"+m.Side]; ok {
			if n == 0 {
				continue
			}
			m.Intensity, m.Note = n, ""
		}
		marks = append(marks, m)
	}
	e.Marks = marks
	if r.gait != nil {
		e.Gait = r.gait
	}
	if r.gaitNote != "" {
		e.GaitNote = r.gaitNote
	}
	e.Assessment = r.assessment
}

// seedPlan writes, signs and sends the plan of care that follows ev (or
// leaves it a draft), and files the co-signed copy when it came back.
func seedPlan(ctx context.Context, env *SeedEnv, who *auth.Actor, c clinic.Client, ev *assess.Evaluation, d *demoPlan, today time.Time) (*assess.Plan, error) {
	a := env.App
	p, err := a.StartPlan(ctx, who, c.ID, ev.Condition, ev.ID)
	if err != nil {
		return nil, err
	}
	rx, err := prescriptionOf(ctx, env, who, c.ID, p.PrescriptionID)
	if err != nil {
		return nil, err
	}
	if !d.draft {
		// Written on the day of the evaluation, or when the prescription
		// arrived after it; for the prescription's frequency and weeks.
		start := max(ev.Date, rx.StartOn)
		if rx.FrequencyPerWeek > 0 && rx.DurationWeeks > 0 {
			p.PerWeek, p.Weeks = rx.FrequencyPerWeek, rx.DurationWeeks
		}
		if err := restart(p, start); err != nil {
			return nil, err
		}
	}
	setGoals(p, d.goals)
	p.HomeCare = d.homeCare
	if err := a.SavePlan(ctx, who, p, !d.draft); err != nil {
		return nil, err
	}
	if d.draft {
		return p, nil
	}
	return p, sendAndCosign(ctx, env, who, c, p, rx, d.cosignAfter, today)
}

// revisePlan writes the next version of p after the re-evaluation re, signs it and sends it.
func revisePlan(ctx context.Context, env *SeedEnv, who *auth.Actor, c clinic.Client, p *assess.Plan, re *assess.Evaluation, d *demoRevision, today time.Time) error {
	a := env.App
	v2, err := a.RevisePlan(ctx, who, c.ID, p.ID)
	if err != nil {
		return err
	}
	rx, err := prescriptionOf(ctx, env, who, c.ID, v2.PrescriptionID)
	if err != nil {
		return err
	}
	v2.EvaluationID, v2.PerWeek, v2.Weeks = re.ID, d.perWeek, d.weeks
	if err := restart(v2, re.Date); err != nil {
		return err
	}
	// The goals met are dropped; the rest carry on from the re-evaluation's values.
	goals := v2.Goals[:0]
	for _, g := range v2.Goals {
		if !contains(d.met, g.What) {
			goals = append(goals, g)
		}
	}
	v2.Goals = goals
	setGoals(v2, d.goals)
	v2.HomeCare = d.homeCare
	if err := a.SavePlan(ctx, who, v2, true); err != nil {
		return err
	}
	return sendAndCosign(ctx, env, who, c, v2, rx, 0, today)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// prescriptionOf reads the prescription a plan was started from.
func prescriptionOf(ctx context.Context, env *SeedEnv, who *auth.Actor, clientID, id int64) (*care.Prescription, error) {
	ps, _, err := env.App.Prescriptions(ctx, who, clientID)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if ps[i].ID == id {
			return &ps[i], nil
		}
	}
	return nil, fmt.Errorf("client %d has no prescription in force for the plan", clientID)
}

// restart moves a plan to start on start: short-term goals keep their
// distance from the old start (halfway through the plan when that would
// fall before the new start), within the plan's weeks; long-term goals
// fall due when the plan ends.
func restart(p *assess.Plan, start string) error {
	from, err := time.Parse(clinic.DateLayout, p.StartDate)
	if err != nil {
		return err
	}
	to, err := time.Parse(clinic.DateLayout, start)
	if err != nil {
		return err
	}
	end := to.AddDate(0, 0, 7*p.Weeks)
	for i, g := range p.Goals {
		due := end
		if g.Term == assess.GoalShort {
			due = to.AddDate(0, 0, 7*p.Weeks/2)
			if t, err := time.Parse(clinic.DateLayout, g.TargetDate); err == nil && !t.Before(from) {
				due = earlier(to.Add(t.Sub(from)), end)
			}
		}
		p.Goals[i].TargetDate = due.Format(clinic.DateLayout)
	}
	p.StartDate = start
	return nil
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// setGoals sets the baseline and target of the goals named.
func setGoals(p *assess.Plan, goals map[string][2]float64) {
	for i, g := range p.Goals {
		if bt, ok := goals[g.What]; ok {
			p.Goals[i].Baseline, p.Goals[i].Target = bt[0], bt[1]
		}
	}
}

// sendAndCosign marks a signed plan sent to the prescriber and, when
// cosignAfter is set, files the copy the physician signed and returned
// that many days after the plan started.
func sendAndCosign(ctx context.Context, env *SeedEnv, who *auth.Actor, c clinic.Client, p *assess.Plan, rx *care.Prescription, cosignAfter int, today time.Time) error {
	a := env.App
	if err := a.MarkPlanSent(ctx, who, c.ID, p.ID, rx.PhysicianID); err != nil {
		return err
	}
	if cosignAfter == 0 {
		return nil
	}
	start, err := time.Parse(clinic.DateLayout, p.StartDate)
	if err != nil {
		return err
	}
	on := earlier(start.AddDate(0, 0, cosignAfter), today).Format(clinic.DateLayout)
	doc := &clinic.Document{ClientID: c.ID, Kind: DocumentPlanOfCare, Filename: "Plan of care " + c.LastName + " " + p.StartDate + " co-signed.pdf"}
	if err := a.SaveDocument(ctx, who, doc, cosignedPlanPDF(c, p, rx.PhysicianName, on)); err != nil {
		return err
	}
	return a.RecordCosign(ctx, who, c.ID, p.ID, on, rx.PhysicianName, doc.ID)
}

// cosignedPlanPDF stands in for the scan of a plan of care the physician
// signed and faxed back.
func cosignedPlanPDF(c clinic.Client, p *assess.Plan, physician, on string) []byte {
	name := p.Condition
	if cond, ok := assess.ConditionByKey(p.Condition); ok {
		name = cond.Name
	}
	lines := []string{
		"Riverside Medical Massage - PLAN OF CARE (returned by fax)", "",
		"Patient: " + c.FirstName + " " + c.LastName + "    Date of birth: " + c.DOB,
		"Plan start: " + p.StartDate + "    Version " + strconv.Itoa(p.Version),
		"Condition: " + name + "    Diagnoses (ICD-10-CM): " + strings.Join(p.Diagnoses, ", "),
		fmt.Sprintf("Frequency: %d per week for %d weeks", p.PerWeek, p.Weeks), "",
		"Goals:",
	}
	for _, g := range p.Goals {
		what := g.What
		if g.Measure == assess.MeasureROM {
			what = assess.MotionLabel(g.What, g.Side)
		}
		lines = append(lines, wrap(fmt.Sprintf("- %s (%s term): from %s to %s %s by %s", what, g.Term,
			strconv.FormatFloat(g.Baseline, 'f', -1, 64), strconv.FormatFloat(g.Target, 'f', -1, 64), g.Unit, g.TargetDate), 90)...)
	}
	lines = append(lines, "", "Therapist: "+p.SignedByName, "",
		"I have reviewed this plan of care and certify that the treatment is medically necessary.", "",
		"Physician signature: "+physician+"    Date: "+on)
	return onePagePDF(lines)
}
