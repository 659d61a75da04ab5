package assess

// The catalogues an evaluation and a plan pick from: special tests,
// techniques, posture findings and gait findings. Keys are stored: never
// rename one. The wording is ours, written for therapists; a test says what
// it screens for, not what it proves, because a massage therapist screens
// and refers rather than diagnoses.

// SpecialTest is an orthopaedic or neurological screening test.
type SpecialTest struct {
	Key        string
	Name       string
	Region     string // the body area it belongs to, for grouping
	ScreensFor string // what a positive result suggests
	Procedure  string // how it is done
	Positive   string // what counts as positive
	Sided      bool   // performed and recorded per side
}

// Test regions, head to foot, for grouping the catalogue.
const (
	TestRegionJaw      = "Jaw"
	TestRegionNeck     = "Neck and thoracic outlet"
	TestRegionShoulder = "Shoulder"
	TestRegionElbow    = "Elbow"
	TestRegionWrist    = "Wrist and hand"
	TestRegionBack     = "Back and spine"
	TestRegionHip      = "Hip and pelvis"
	TestRegionLeg      = "Leg, ankle and foot"
	TestRegionGeneral  = "Swelling and soft tissue"
)

// TestRegions lists the regions in the order the catalogue shows them.
var TestRegions = []string{TestRegionJaw, TestRegionNeck, TestRegionShoulder, TestRegionElbow, TestRegionWrist,
	TestRegionBack, TestRegionHip, TestRegionLeg, TestRegionGeneral}

// SpecialTests is the catalogue of tests massage therapists commonly use.
var SpecialTests = []SpecialTest{
	{Key: "jaw_opening", Name: "Three-knuckle jaw opening", Region: TestRegionJaw,
		ScreensFor: "Restricted or painful mouth opening from the jaw joint or the chewing muscles (temporomandibular disorder).",
		Procedure:  "The client opens the mouth as wide as is comfortable and tries to fit the middle three knuckles of their own hand, stacked one above the other, between the upper and lower front teeth. Watch the chin for a swing to one side and listen for clicks.",
		Positive:   "Fewer than three knuckles fit, the jaw swings to one side on opening, or opening clicks or hurts."},

	{Key: "spurling", Name: "Spurling (foraminal compression)", Region: TestRegionNeck, Sided: true,
		ScreensFor: "An irritated cervical nerve root (cervical radiculopathy).",
		Procedure:  "With the client seated, bend the head toward the side being tested with a little extension, then press gently and evenly down on the top of the head for a few seconds. Stop at once if symptoms are strong.",
		Positive:   "Pain, tingling or numbness spreads into the shoulder blade or arm on the tested side. Neck pain alone is not positive."},
	{Key: "cervical_distraction", Name: "Cervical distraction", Region: TestRegionNeck,
		ScreensFor: "Whether neck or arm symptoms come from compression of a nerve root or facet joint, in support of Spurling.",
		Procedure:  "With the client supine or seated, cradle the base of the skull with one hand and the chin or forehead with the other, and lift the head gently along the line of the spine so the neck is unloaded. Hold for several breaths.",
		Positive:   "Neck or arm symptoms lessen or go away while the neck is unloaded."},
	{Key: "upper_limb_tension", Name: "Upper limb tension test (median nerve bias)", Region: TestRegionNeck, Sided: true,
		ScreensFor: "Sensitivity of the brachial plexus or median nerve along its path (neural tension).",
		Procedure:  "With the client supine, hold the shoulder down, take the arm out to the side to about shoulder height, turn the forearm palm up, extend the wrist and fingers, rotate the shoulder outward and then straighten the elbow slowly. Add a side bend of the neck away from, then toward, the arm.",
		Positive:   "The client's own arm symptoms appear, grow when the neck bends away and ease when it bends toward the arm, or the range differs clearly from the other side."},
	{Key: "adson", Name: "Adson", Region: TestRegionNeck, Sided: true,
		ScreensFor: "Compression of the artery or nerves of the arm by the scalene muscles (thoracic outlet syndrome).",
		Procedure:  "With the client seated, find the radial pulse at the wrist. Take the arm slightly out to the side and back with the shoulder rotated outward; the client turns the head toward the tested side, lifts the chin and holds a deep breath.",
		Positive:   "The pulse fades or disappears, or the client's arm symptoms are reproduced. Compare with the other side: some people without symptoms lose the pulse."},
	{Key: "roos", Name: "Roos (elevated arm stress test)", Region: TestRegionNeck,
		ScreensFor: "Thoracic outlet syndrome (compression of the nerves and vessels between the neck and the armpit).",
		Procedure:  "The client sits or stands with both arms raised in a 'hands up' position: shoulders out to the side and rotated back, elbows bent to a right angle. They open and close the hands slowly and steadily for up to three minutes.",
		Positive:   "The client cannot keep going for three minutes, or heaviness, numbness, tingling, pain or paleness develops in the arm."},
	{Key: "valsalva", Name: "Valsalva manoeuvre", Region: TestRegionNeck,
		ScreensFor: "Something taking up space in the spinal canal, such as a disc bulge, that raises pressure on nerves when the client strains.",
		Procedure:  "The seated client takes a breath, holds it and bears down as if straining for a few seconds, then breathes out.",
		Positive:   "Back or neck pain increases, or pain spreads into an arm or leg, while straining."},

	{Key: "hawkins_kennedy", Name: "Hawkins-Kennedy", Region: TestRegionShoulder, Sided: true,
		ScreensFor: "Pinching of the rotator cuff tendons or bursa under the point of the shoulder (subacromial impingement).",
		Procedure:  "Raise the client's arm forward to shoulder height with the elbow bent to a right angle, support the elbow, and turn the forearm down so the shoulder rotates inward.",
		Positive:   "Pain at the front or side of the shoulder as the arm rotates inward."},
	{Key: "neer", Name: "Neer", Region: TestRegionShoulder, Sided: true,
		ScreensFor: "Subacromial impingement of the rotator cuff.",
		Procedure:  "Steady the shoulder blade with one hand. With the client's arm straight and the thumb pointing down, lift the arm forward and up as far as it goes.",
		Positive:   "Pain at the front or top of the shoulder near the end of the lift."},
	{Key: "empty_can", Name: "Empty can (Jobe)", Region: TestRegionShoulder, Sided: true,
		ScreensFor: "Weakness or irritation of the supraspinatus tendon.",
		Procedure:  "The client holds both arms at shoulder height, angled about thirty degrees forward of straight out to the side, with the thumbs pointing down. Press down on both forearms while the client resists.",
		Positive:   "Weakness on one side compared with the other, or pain at the top of the shoulder."},
	{Key: "drop_arm", Name: "Drop arm", Region: TestRegionShoulder, Sided: true,
		ScreensFor: "A large tear of the rotator cuff, especially supraspinatus.",
		Procedure:  "Lift the client's straight arm out to the side to shoulder height or above, then ask them to lower it slowly to the side on their own.",
		Positive:   "The arm drops suddenly or cannot be lowered smoothly, often with pain. Refer for medical assessment."},
	{Key: "apley_scratch", Name: "Apley scratch", Region: TestRegionShoulder, Sided: true,
		ScreensFor: "Overall shoulder mobility in rotation and reach, as lost in frozen shoulder and rotator cuff problems.",
		Procedure:  "The client reaches over the shoulder to touch the top of the opposite shoulder blade, then reaches behind the back from below to touch the lower tip of the opposite shoulder blade. Compare the sides.",
		Positive:   "Clearly less reach than the other side, or pain during the reach."},
	{Key: "speed", Name: "Speed", Region: TestRegionShoulder, Sided: true,
		ScreensFor: "Irritation of the long head of the biceps tendon at the front of the shoulder.",
		Procedure:  "With the elbow straight and the palm up, the client raises the arm forward to about shoulder height and holds it there while you press down on the forearm.",
		Positive:   "Pain in the groove at the front of the shoulder where the biceps tendon runs."},
	{Key: "yergason", Name: "Yergason", Region: TestRegionShoulder, Sided: true,
		ScreensFor: "Irritation or instability of the biceps tendon in its groove at the front of the shoulder.",
		Procedure:  "With the elbow bent to a right angle at the client's side and the palm facing down, the client turns the palm up and the arm outward against your resistance.",
		Positive:   "Pain at the front of the shoulder, or the tendon is felt to slip out of its groove."},

	{Key: "cozen", Name: "Cozen (tennis elbow)", Region: TestRegionElbow, Sided: true,
		ScreensFor: "Irritation of the tendons of the wrist extensors at the outer elbow (lateral epicondylalgia, 'tennis elbow').",
		Procedure:  "With the elbow bent, forearm turned palm down and hand in a fist, steady the elbow with your thumb on the outer bony point. The client lifts the back of the hand against your resistance.",
		Positive:   "Sudden pain at the outer elbow over the bony point."},
	{Key: "golfers_elbow", Name: "Golfer's elbow test (medial epicondylalgia)", Region: TestRegionElbow, Sided: true,
		ScreensFor: "Irritation of the tendons of the wrist flexors at the inner elbow (medial epicondylalgia, 'golfer's elbow').",
		Procedure:  "With the client's forearm palm up, slowly straighten the elbow and bend the wrist back; or have the client bend the wrist toward the palm against your resistance.",
		Positive:   "Pain at the inner elbow over the bony point."},

	{Key: "phalen", Name: "Phalen (wrist flexion)", Region: TestRegionWrist, Sided: true,
		ScreensFor: "Compression of the median nerve in the carpal tunnel (carpal tunnel syndrome).",
		Procedure:  "The client presses the backs of the hands together in front of the chest with the wrists fully bent and the fingers pointing down, and holds the position for up to one minute.",
		Positive:   "Numbness or tingling in the thumb, index and middle fingers and half of the ring finger within the minute."},
	{Key: "reverse_phalen", Name: "Reverse Phalen (prayer test)", Region: TestRegionWrist, Sided: true,
		ScreensFor: "Compression of the median nerve in the carpal tunnel, checked in wrist extension.",
		Procedure:  "The client presses the palms together in front of the chest, fingers pointing up, and lowers the hands until the wrists are fully bent back, holding for up to one minute.",
		Positive:   "Numbness or tingling in the thumb, index and middle fingers within the minute."},
	{Key: "tinel_wrist", Name: "Tinel at the wrist", Region: TestRegionWrist, Sided: true,
		ScreensFor: "An irritated median nerve at the carpal tunnel.",
		Procedure:  "With the client's palm up and the wrist relaxed, tap lightly four to six times with a fingertip over the middle of the front of the wrist crease, where the median nerve runs.",
		Positive:   "Tingling or an electric feeling shooting into the thumb, index or middle finger."},
	{Key: "finkelstein", Name: "Finkelstein", Region: TestRegionWrist, Sided: true,
		ScreensFor: "Irritation of the thumb tendons at the side of the wrist (de Quervain tenosynovitis).",
		Procedure:  "The client tucks the thumb into the palm and closes the fingers over it, then tilts the wrist gently toward the little finger.",
		Positive:   "Sharp pain over the thumb side of the wrist, clearly worse than on the other side."},

	{Key: "straight_leg_raise", Name: "Straight leg raise", Region: TestRegionBack, Sided: true,
		ScreensFor: "Tension on an irritated lumbar nerve root or the sciatic nerve (sciatica, disc problems).",
		Procedure:  "With the client supine and relaxed, lift the leg slowly with the knee straight until symptoms appear or the hamstrings stop the movement. Note the angle; lower the leg slightly and bend the foot up to see whether symptoms return.",
		Positive:   "The client's own leg pain, spreading below the knee, appears roughly between 30 and 70 degrees and returns when the foot is bent up. Tightness at the back of the thigh alone is not positive."},
	{Key: "slump", Name: "Slump", Region: TestRegionBack, Sided: true,
		ScreensFor: "Sensitivity of the spinal cord, nerve roots and sciatic nerve to stretch (neural tension, sciatica).",
		Procedure:  "The client sits at the edge of the table, slumps the back, drops the chin to the chest, then straightens one knee and pulls the foot up. Then the client lifts the head while keeping the rest of the position.",
		Positive:   "The client's own back or leg symptoms appear in the slumped position and ease when the head is lifted."},
	{Key: "kemp", Name: "Kemp (quadrant)", Region: TestRegionBack, Sided: true,
		ScreensFor: "Irritation of a lumbar facet joint, or a nerve root narrowed at its exit.",
		Procedure:  "With the client standing or seated, guide the trunk into backward bending, side bending and rotation toward the tested side, with gentle pressure through the shoulders at the end.",
		Positive:   "Local back pain on the tested side suggests a facet joint; pain spreading into the leg suggests a nerve root."},
	{Key: "adams_forward_bend", Name: "Adam forward bend", Region: TestRegionBack,
		ScreensFor: "A structural scoliosis, in which the spine is rotated as well as curved.",
		Procedure:  "The client stands with feet together and bends forward from the waist with the arms hanging and the knees straight. Look along the back from behind and from the front.",
		Positive:   "One side of the ribs or lower back stays higher than the other (a rib hump). A curve that disappears on bending is more likely functional."},

	{Key: "faber", Name: "FABER (Patrick)", Region: TestRegionHip, Sided: true,
		ScreensFor: "Problems of the hip joint or the sacroiliac joint.",
		Procedure:  "With the client supine, place the foot of the tested leg on the opposite knee (a figure four) and let the bent knee fall outward toward the table. Steady the opposite side of the pelvis and press gently on the bent knee.",
		Positive:   "Pain in the groin suggests the hip joint; pain at the back of the pelvis suggests the sacroiliac joint; the knee staying well above the other side's shows restriction."},
	{Key: "piriformis", Name: "Piriformis (FAIR)", Region: TestRegionHip, Sided: true,
		ScreensFor: "Tension of the piriformis muscle on the sciatic nerve (piriformis syndrome).",
		Procedure:  "The client lies on the untested side with the top hip bent to about sixty degrees and the knee bent. Steady the pelvis and let the top knee lower toward the table, pressing gently.",
		Positive:   "Deep buttock pain, or the client's own sciatic symptoms down the leg."},
	{Key: "thomas", Name: "Thomas", Region: TestRegionHip, Sided: true,
		ScreensFor: "Shortness of the hip flexors: iliopsoas, rectus femoris and tensor fasciae latae.",
		Procedure:  "The client sits at the very end of the table, hugs one knee to the chest and rolls back to lie down, keeping the low back flat. The other leg hangs over the edge.",
		Positive:   "The hanging thigh rises off the table (iliopsoas), the hanging knee straightens (rectus femoris) or the leg drifts outward (tensor fasciae latae and iliotibial band)."},
	{Key: "ober", Name: "Ober", Region: TestRegionHip, Sided: true,
		ScreensFor: "Tightness of the iliotibial band and tensor fasciae latae.",
		Procedure:  "The client lies on the untested side with the bottom hip and knee bent. Steady the pelvis, take the top leg back slightly and up, then let it lower toward the table.",
		Positive:   "The top leg stays up and does not lower to the level of the table."},
	{Key: "trendelenburg", Name: "Trendelenburg", Region: TestRegionHip, Sided: true,
		ScreensFor: "Weakness of the gluteus medius and minimus of the standing leg.",
		Procedure:  "The client stands on the tested leg and lifts the other foot off the floor, holding for up to thirty seconds. Watch the level of the pelvis from behind.",
		Positive:   "The pelvis drops on the side of the lifted leg, or the client leans the trunk over the standing leg to stay up."},

	{Key: "windlass", Name: "Windlass", Region: TestRegionLeg, Sided: true,
		ScreensFor: "Irritation of the plantar fascia (plantar fasciitis).",
		Procedure:  "With the client standing on a step with the toes over the edge, or seated, bend the big toe back as far as it goes while the foot is steadied.",
		Positive:   "The client's own heel or arch pain is reproduced."},
	{Key: "thompson", Name: "Thompson (calf squeeze)", Region: TestRegionLeg, Sided: true,
		ScreensFor: "A complete tear of the Achilles tendon.",
		Procedure:  "The client lies face down with the feet over the end of the table. Squeeze the middle of the calf firmly.",
		Positive:   "The foot does not point down when the calf is squeezed. Refer the same day."},
	{Key: "anterior_drawer_ankle", Name: "Anterior drawer (ankle)", Region: TestRegionLeg, Sided: true,
		ScreensFor: "Laxity of the ligament at the front of the outer ankle after a sprain.",
		Procedure:  "With the client seated or supine and the ankle pointed slightly down, steady the lower shin with one hand and draw the heel forward with the other.",
		Positive:   "The foot slides forward more than on the other side, with no firm stop, or the test reproduces pain."},

	{Key: "pitting_edema", Name: "Pitting edema", Region: TestRegionGeneral, Sided: true,
		ScreensFor: "Fluid swelling of the tissues that leaves a dent under pressure.",
		Procedure:  "Press a thumb firmly into the swollen area, over bone where possible (the top of the foot, the shin, the back of the hand), for five seconds, then release and watch the skin.",
		Positive:   "A dent remains after the thumb is lifted. Note how deep it is and how long it takes to fill."},
	{Key: "stemmer", Name: "Stemmer sign", Region: TestRegionGeneral, Sided: true,
		ScreensFor: "Lymphedema of the foot or hand.",
		Procedure:  "Try to pinch and lift a fold of skin on the top of the base of the second toe (or the middle finger) between thumb and index finger.",
		Positive:   "The skin is too thick to lift into a fold."},
	{Key: "resisted_isometric", Name: "Resisted isometric contraction", Region: TestRegionGeneral, Sided: true,
		ScreensFor: "Whether pain comes from a muscle or tendon (contractile tissue) rather than a joint or ligament.",
		Procedure:  "With the joint in a resting middle position, the client pushes against your hand so the muscle works hard but nothing moves. Compare with a gentle passive stretch of the same muscle.",
		Positive:   "The resisted contraction reproduces the pain, and the passive stretch also hurts: suggests a strain or tendon problem in that muscle."},
}

var testIndex = func() map[string]int {
	m := make(map[string]int, len(SpecialTests))
	for i, t := range SpecialTests {
		m[t.Key] = i
	}
	return m
}()

// TestByKey returns the special test of key.
func TestByKey(key string) (SpecialTest, bool) {
	i, ok := testIndex[key]
	if !ok {
		return SpecialTest{}, false
	}
	return SpecialTests[i], true
}

// Technique is a treatment technique a plan can name.
type Technique struct {
	Key, Name, Description string
}

// Techniques is the catalogue of techniques.
var Techniques = []Technique{
	{"swedish", "Swedish massage", "Gliding, kneading, friction, tapping and rocking strokes at a comfortable pressure, to ease general muscle tension, settle the nervous system and warm tissue before more specific work."},
	{"deep_tissue", "Deep tissue massage", "Slow strokes and sustained pressure worked through the layers of muscle and fascia, to ease chronic tension in a region. Pressure builds gradually and stays within the client's comfort."},
	{"trigger_point", "Trigger point therapy", "Sustained or repeated pressure on tender, taut spots within a muscle that refer pain elsewhere, held until the tenderness and referral ease, followed by lengthening of the muscle."},
	{"myofascial_release", "Myofascial release", "Slow, sustained stretching and shearing of the skin and fascia, usually without oil, waiting for the tissue to soften before moving on, to restore glide between layers."},
	{"neuromuscular", "Neuromuscular therapy", "A systematic, muscle-by-muscle assessment and treatment of trigger points, tight bands and postural strain, with attention to what keeps the problem going."},
	{"neuromuscular_reeducation", "Neuromuscular re-education", "Retraining of balance, coordination, posture and the sense of joint position: slow controlled movements, weight shifts and postural holds guided by the therapist's hands and cues, so the body relearns how to hold and move a region."},
	{"lymphatic_drainage", "Manual lymphatic drainage", "Very light, slow, rhythmic skin-stretching strokes that follow the lymph pathways, clearing the nodes nearest the trunk first, to move fluid out of a swollen area."},
	{"positional_release", "Positional release (strain-counterstrain)", "The tender point is monitored while the body part is placed passively in the position of greatest ease, held for about ninety seconds, and returned slowly to neutral."},
	{"muscle_energy", "Muscle energy technique", "The client gently contracts a muscle against the therapist's steady resistance for a few seconds, relaxes, and the therapist takes up the new slack, to lengthen a muscle or improve a joint's range."},
	{"pnf_stretching", "PNF stretching", "Proprioceptive neuromuscular facilitation: the muscle is stretched, contracted against resistance, relaxed and then stretched further, using the nervous system's reflexes to gain range."},
	{"cross_fibre_friction", "Cross-fibre friction", "Short, firm strokes across the direction of the fibres of a tendon, ligament or muscle at the exact site of the lesion, for a few minutes, to ease pain and encourage well-aligned repair."},
	{"cupping", "Cupping", "Cups held on the skin by suction, left in place or glided over oiled skin, to lift and decompress the tissues. Leaves temporary marks; avoid fragile skin and anticoagulated clients."},
	{"hydrotherapy_hot", "Hydrotherapy: heat", "Moist heat packs or warm water applied for about ten to twenty minutes to relax muscle, ease stiffness and prepare tissue for manual work. Not on new injuries, swelling or areas with poor sensation."},
	{"hydrotherapy_cold", "Hydrotherapy: cold", "Ice packs or cold applied for about ten to fifteen minutes with a barrier on the skin, to calm pain and irritation after a flare or after friction work. Not for clients with cold sensitivity or poor circulation."},
	{"passive_rom", "Passive and active-assisted range of motion", "The therapist moves a joint slowly through its available range, or assists the client's own movement, to maintain mobility and reduce stiffness without strain."},
	{"scar_mobilization", "Scar tissue mobilisation", "Once an incision has fully closed and the surgeon agrees, gentle lifting, rolling and stretching of the scar and the tissue around it, to reduce adhesion and sensitivity."},
	{"breathing_relaxation", "Breathing and relaxation", "Guided slow diaphragmatic breathing and calm, rhythmic touch, to lower arousal and muscle guarding; often used at the start and end of a session."},
	{"home_care_exercise", "Home care and exercise", "Stretches, strengthening and self-massage the client does between visits, with posture and activity advice, written down so progress can be checked."},
}

var techniqueIndex = func() map[string]int {
	m := make(map[string]int, len(Techniques))
	for i, t := range Techniques {
		m[t.Key] = i
	}
	return m
}()

// TechniqueByKey returns the technique of key.
func TechniqueByKey(key string) (Technique, bool) {
	i, ok := techniqueIndex[key]
	if !ok {
		return Technique{}, false
	}
	return Techniques[i], true
}

// PostureDef is a standard postural finding and the view it is seen from.
// A sided finding records the side it is on (for a curve, the convex side;
// for a tilt, the high side).
type PostureDef struct {
	Key   string
	View  string // anterior, posterior, lateral
	Label string
	Sided bool
}

// PostureFindings is the catalogue of posture findings, by view.
var PostureFindings = []PostureDef{
	{"head_tilt", "anterior", "Head tilt (side bent toward)", true},
	{"head_rotation", "anterior", "Head rotation (turned toward)", true},
	{"elevated_shoulder", "anterior", "Elevated shoulder", true},
	{"lateral_pelvic_tilt", "anterior", "Lateral pelvic tilt (high side)", true},
	{"leg_length", "anterior", "Apparent leg length difference (short side)", true},
	{"knee_valgus", "anterior", "Knee valgus (knock knee)", true},
	{"knee_varus", "anterior", "Knee varus (bow leg)", true},
	{"winged_scapula", "posterior", "Winged scapula", true},
	{"lateral_curve", "posterior", "Lateral curve of the spine (scoliosis), convex side", true},
	{"foot_pronation", "posterior", "Foot pronation (flat arch, heel turned out)", true},
	{"foot_supination", "posterior", "Foot supination (high arch, heel turned in)", true},
	{"forward_head", "lateral", "Forward head posture", false},
	{"rounded_shoulders", "lateral", "Rounded (protracted) shoulders", false},
	{"thoracic_kyphosis", "lateral", "Increased thoracic kyphosis", false},
	{"lumbar_hyperlordosis", "lateral", "Increased lumbar lordosis", false},
	{"flat_back", "lateral", "Flat back (reduced lumbar curve)", false},
	{"sway_back", "lateral", "Sway back (hips forward of the shoulders)", false},
	{"anterior_pelvic_tilt", "lateral", "Anterior pelvic tilt", false},
	{"posterior_pelvic_tilt", "lateral", "Posterior pelvic tilt", false},
	{"knee_hyperextension", "lateral", "Knee hyperextension", true},
}

var postureIndex = func() map[string]int {
	m := make(map[string]int, len(PostureFindings))
	for i, p := range PostureFindings {
		m[p.Key] = i
	}
	return m
}()

// PostureByKey returns the posture finding of key.
func PostureByKey(key string) (PostureDef, bool) {
	i, ok := postureIndex[key]
	if !ok {
		return PostureDef{}, false
	}
	return PostureFindings[i], true
}

// GaitDef is a standard gait observation.
type GaitDef struct {
	Key, Label string
}

// GaitFindings is the catalogue of gait observations.
var GaitFindings = []GaitDef{
	{"antalgic", "Antalgic: short, quick step onto the painful side"},
	{"trendelenburg", "Trendelenburg: pelvis drops on the swing side, or the trunk leans over the stance leg"},
	{"reduced_arm_swing", "Reduced arm swing"},
	{"reduced_trunk_rotation", "Reduced trunk rotation (stiff, guarded trunk)"},
	{"shortened_stride", "Shortened stride"},
	{"steppage", "Steppage: knee lifted high to clear a dropped foot"},
	{"circumduction", "Circumduction: leg swung out in an arc"},
	{"hip_hike", "Hip hiking on the swing side"},
	{"wide_base", "Wide base of support"},
	{"unsteady", "Unsteady or ataxic; loses balance"},
	{"shuffling", "Shuffling, feet barely leave the floor"},
	{"toe_out", "Toes turned out"},
	{"toe_in", "Toes turned in"},
	{"uses_aid", "Uses a cane, crutches or walker"},
}

var gaitIndex = func() map[string]int {
	m := make(map[string]int, len(GaitFindings))
	for i, g := range GaitFindings {
		m[g.Key] = i
	}
	return m
}()

// GaitByKey returns the gait finding of key.
func GaitByKey(key string) (GaitDef, bool) {
	i, ok := gaitIndex[key]
	if !ok {
		return GaitDef{}, false
	}
	return GaitFindings[i], true
}
