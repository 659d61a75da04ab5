package care

// The home-care library the plan (P) of a note picks from: self-care a
// client can do between visits, written in our own words. Sources name the
// public material an item is based on; "written by the team" means we could
// not check one. Keys are stored in notes: never rename one.

// HomeCare is one self-care instruction.
type HomeCare struct {
	Key          string
	Title        string
	Instructions string   // what to do, how long, how often
	Regions      []string // keys of assess.Regions it suits; empty: any
	Cautions     string   // when to stop or not to do it
	Source       string
}

// Sources used by several items.
const (
	homeCareByTeam    = "Written by the team."
	homeCareLeedsNeck = "Based on Leeds Community Healthcare NHS Trust, exercise advice for new and undiagnosed neck problems."
	homeCareLymph     = "Based on the lymphoedema self-management advice of the Scottish Cancer Network clinical management pathway (NHS Scotland Right Decisions), which follows British Lymphology Society guidance."
)

const homeCareStop = "Stop if pain grows sharply, lasts more than an hour afterwards, or numbness, tingling or weakness appears, and tell your therapist."

// HomeCareLibrary is the library, grouped head to foot, general items last.
var HomeCareLibrary = []HomeCare{
	{Key: "chin_tucks", Title: "Chin tucks",
		Instructions: "Sit or stand tall with your eyes level. Glide your head straight back, making a gentle double chin, without tipping the head down. Hold for 5 seconds and relax. Repeat 10 times, 2 to 3 times a day, and whenever you notice your head drifting forward at a screen.",
		Regions:      []string{"suboccipitals", "cervical_paraspinals", "sternocleidomastoid"},
		Cautions:     "Move only as far as is comfortable. " + homeCareStop, Source: homeCareLeedsNeck},
	{Key: "upper_trap_stretch", Title: "Upper trapezius stretch",
		Instructions: "Sit tall and hold the edge of the chair with one hand to keep that shoulder down. Tilt your head, ear toward the opposite shoulder, until you feel a gentle stretch along the side of the neck. Hold for 20 to 30 seconds, breathing slowly. Do each side 2 to 3 times, twice a day.",
		Regions:      []string{"upper_trapezius", "levator_scapulae", "scalenes"},
		Cautions:     "A stretch, never pain. Do not pull on the head with your hand. " + homeCareStop, Source: homeCareLeedsNeck},
	{Key: "neck_range", Title: "Gentle neck turns and tilts",
		Instructions: "Sitting tall, slowly turn your head to look over one shoulder, then the other; then tilt each ear toward its shoulder; then nod the chin gently down and back to level. Move smoothly within a comfortable range, 5 times each way, 2 to 3 times a day.",
		Regions:      []string{"cervical_paraspinals", "sternocleidomastoid", "suboccipitals", "levator_scapulae"},
		Cautions:     "No fast or forced movements and no full circles. Stop and seek medical advice if movement brings on dizziness, double vision or trouble speaking or swallowing.", Source: homeCareByTeam},
	{Key: "jaw_relaxation", Title: "Jaw relaxation",
		Instructions: "Several times a day, check your jaw: lips together, teeth apart, tongue resting lightly on the roof of the mouth behind the front teeth. Place your fingertips on the cheek muscles and breathe out slowly as you let them soften for 1 minute. Then open and close the mouth slowly 5 times keeping the tongue on the roof of the mouth.",
		Regions:      []string{"tmj", "masseter", "temporalis"},
		Cautions:     "Avoid wide yawns, gum and hard or chewy food while the jaw is sore. If the jaw locks open or shut, or chewing is painful for more than two weeks, see your dentist or doctor.", Source: homeCareByTeam},
	{Key: "pectoral_stretch", Title: "Doorway chest stretch",
		Instructions: "Stand in a doorway with your forearms on the frame, elbows a little below shoulder height. Step one foot through and lean forward gently until you feel a stretch across the front of the chest. Hold for 20 to 30 seconds; repeat 3 times, twice a day.",
		Regions:      []string{"pectoralis_major", "pectoralis_minor", "deltoid", "biceps"},
		Cautions:     "Lower the elbows if tingling or numbness comes into the arm or hand. Do not do this stretch if your shoulder has ever dislocated, unless your doctor agrees.", Source: homeCareByTeam},
	{Key: "shoulder_blade_squeeze", Title: "Shoulder blade squeeze",
		Instructions: "Sit or stand tall with the arms relaxed. Draw the shoulder blades gently back and down toward the opposite back pocket, without shrugging or arching the lower back. Hold for 5 seconds and relax. Repeat 10 times, 2 to 3 times a day.",
		Regions:      []string{"rhomboids", "middle_trapezius", "lower_trapezius", "thoracic_paraspinals"},
		Cautions:     "Keep the neck relaxed; a squeeze should not hurt. " + homeCareStop, Source: homeCareByTeam},
	{Key: "pendulum", Title: "Shoulder pendulum",
		Instructions: "Lean forward with your good hand on a table and let the sore arm hang loosely. Shift your weight gently so the arm swings in small circles, then forward and back, then side to side, letting the body move the arm. 30 seconds each way, 2 to 3 times a day.",
		Regions:      []string{"deltoid", "supraspinatus", "infraspinatus", "teres"},
		Cautions:     "The arm stays relaxed and the circles stay small. After an injury or surgery, do this only if your doctor or therapist has cleared it. " + homeCareStop, Source: homeCareByTeam},
	{Key: "wrist_flexor_stretch", Title: "Wrist flexor stretch",
		Instructions: "Hold your arm out in front with the elbow straight and the palm up. With the other hand, ease the fingers and palm gently back toward you until you feel a stretch on the inside of the forearm. Hold for 20 to 30 seconds; repeat 3 times, 2 to 3 times a day and during long spells of typing.",
		Regions:      []string{"forearm_flexors", "wrist", "hand", "elbow"},
		Cautions:     "A gentle stretch only. Ease off if the fingers tingle or go numb. " + homeCareStop, Source: homeCareByTeam},
	{Key: "wrist_extensor_stretch", Title: "Wrist extensor stretch",
		Instructions: "Hold your arm out in front with the elbow straight and the palm down. With the other hand, ease the back of the hand gently down toward you until you feel a stretch on the top of the forearm. Hold for 20 to 30 seconds; repeat 3 times, 2 to 3 times a day.",
		Regions:      []string{"forearm_extensors", "wrist", "elbow"},
		Cautions:     "A gentle stretch only; sharp pain at the outer elbow means ease off. " + homeCareStop, Source: homeCareByTeam},
	{Key: "median_nerve_glide", Title: "Median nerve slider",
		Instructions: "Sit tall with the arm out to the side at shoulder height, elbow bent and palm facing up. Slowly straighten the elbow and bend the wrist back while tilting your head toward that arm; then bend the elbow and wrist back in while tilting the head away. Move smoothly, never holding at the end: 10 slow repetitions, 2 to 3 times a day.",
		Regions:      []string{"wrist", "thenar", "forearm_flexors", "hand"},
		Cautions:     "This should feel like movement, not stretch. Mild tingling that settles within a minute is acceptable; stop if symptoms grow or linger, and tell your therapist. Seek medical advice for constant numbness or weakness of the thumb.",
		Source:       "Based on Coppieters MW, Alshami AM (2007), 'Longitudinal excursion and strain in the median nerve during novel nerve gliding exercises for carpal tunnel syndrome', Journal of Orthopaedic Research."},
	{Key: "tendon_glides", Title: "Finger tendon glides",
		Instructions: "With the wrist straight, move the fingers slowly through five positions, holding each for 3 seconds: straight; hook (bend only the top two finger joints); full fist; tabletop (knuckles bent, fingers straight); straight fist (fingertips to the base of the palm). Repeat the series 5 to 10 times, 3 times a day.",
		Regions:      []string{"wrist", "hand", "thenar", "forearm_flexors"},
		Cautions:     "Move gently within comfort. " + homeCareStop,
		Source:       "Based on Abdolrazaghi HA et al. (2023), 'Effectiveness of tendon and nerve gliding exercises in the treatment of patients with mild idiopathic carpal tunnel syndrome: a randomized controlled trial', Hand 18(2):222-229."},
	{Key: "knee_to_chest", Title: "Knee to chest",
		Instructions: "Lie on your back with both knees bent and feet flat. Bring one knee toward your chest, holding behind the thigh, until you feel a gentle stretch in the lower back and buttock. Hold for 20 to 30 seconds, lower slowly and change legs. 3 times each side, once or twice a day; both knees together when it is comfortable.",
		Regions:      []string{"lumbar_paraspinals", "quadratus_lumborum", "sacrum", "gluteus_maximus"},
		Cautions:     "Keep the head and shoulders relaxed on the floor. " + homeCareStop + " Seek medical help at once for numbness in the groin or any change in bladder or bowel control.", Source: homeCareByTeam},
	{Key: "pelvic_tilts", Title: "Pelvic tilts",
		Instructions: "Lie on your back with knees bent and feet flat. Gently tighten the lower tummy and flatten the small of your back onto the floor, tilting the pelvis; hold for 5 seconds, then let the back return to its natural curve. Breathe throughout. Repeat 10 times, twice a day.",
		Regions:      []string{"lumbar_paraspinals", "abdominals", "sacroiliac", "sacrum"},
		Cautions:     "A small, slow movement; do not hold your breath. In later pregnancy, do this sitting or on hands and knees instead of on your back. " + homeCareStop, Source: homeCareByTeam},
	{Key: "hip_flexor_stretch", Title: "Kneeling hip flexor stretch",
		Instructions: "Kneel on a cushion on one knee with the other foot flat in front. Tuck the tail under and shift your weight forward until you feel a stretch at the front of the hip of the kneeling leg, keeping the trunk upright. Hold for 20 to 30 seconds; 3 times each side, once or twice a day.",
		Regions:      []string{"iliopsoas", "quadriceps", "tfl"},
		Cautions:     "Do not arch the lower back to go further. If kneeling hurts the knee, do it standing with one foot back instead. " + homeCareStop, Source: homeCareByTeam},
	{Key: "piriformis_stretch", Title: "Piriformis stretch",
		Instructions: "Lie on your back with knees bent. Cross the ankle of the sore side over the other knee, then hold behind the uncrossed thigh and draw it gently toward you until you feel a stretch deep in the buttock. Hold for 20 to 30 seconds; 3 times each side, twice a day.",
		Regions:      []string{"piriformis", "gluteus_maximus", "gluteus_medius", "sacroiliac"},
		Cautions:     "Ease off if pain or tingling travels down the leg. After a hip replacement, ask your surgeon before crossing the legs. " + homeCareStop, Source: homeCareByTeam},
	{Key: "hamstring_stretch", Title: "Hamstring stretch",
		Instructions: "Lie on your back and loop a towel or strap around one foot. Keeping the other knee bent, raise the leg with the knee almost straight until you feel a stretch at the back of the thigh. Hold for 20 to 30 seconds; 3 times each side, once or twice a day.",
		Regions:      []string{"hamstrings", "knee"},
		Cautions:     "Stop short of where the stretch turns to pain, and stop if pain or tingling runs below the knee. " + homeCareStop, Source: homeCareByTeam},
	{Key: "calf_stretch", Title: "Wall calf stretch",
		Instructions: "Face a wall with your hands on it and one foot well behind the other, both feet pointing forward. Keeping the back heel down and the back knee straight, bend the front knee until you feel a stretch in the back calf. Hold for 20 to 30 seconds; then bend the back knee slightly to reach the lower calf. 3 times each, twice a day.",
		Regions:      []string{"gastrocnemius", "soleus", "achilles", "ankle"},
		Cautions:     "No bouncing. If the calf is suddenly swollen, warm, red or painful, do not stretch or massage it; see a doctor the same day.", Source: homeCareByTeam},
	{Key: "plantar_fascia_stretch", Title: "Plantar fascia stretch",
		Instructions: "Sit and cross the sore foot over the other knee. Hold the toes and pull them gently back toward the shin until you feel a stretch along the arch. Hold for 15 to 30 seconds and repeat 3 times. Do it first thing in the morning before your first steps, and 2 more times through the day.",
		Regions:      []string{"plantar_fascia", "foot"},
		Cautions:     "A stretch, not pain. Heel pain with numbness, night pain or swelling after an injury needs a doctor's assessment.", Source: homeCareByTeam},
	{Key: "plantar_rolling", Title: "Rolling the arch",
		Instructions: "Sitting down, roll the arch of the bare foot slowly back and forth over a ball or a chilled water bottle, from the heel to the ball of the foot, with light to moderate pressure. 2 to 3 minutes, twice a day; a chilled bottle suits a sore foot after a long day.",
		Regions:      []string{"plantar_fascia", "foot"},
		Cautions:     "Do not roll on broken skin or a bruise. If you have diabetes or reduced feeling in the feet, use only light pressure and check the skin afterwards.", Source: homeCareByTeam},
	{Key: "lymphedema_elevation", Title: "Raising and moving the swollen limb",
		Instructions: "Several times a day, rest the swollen arm or leg raised on pillows, a little above the level of the heart, for 20 to 30 minutes. While it is raised, open and close the hand or point and flex the foot slowly 10 times. Keep moving through the day: gentle, rhythmic activity helps the fluid drain; long spells still do not.",
		Regions:      []string{"hand", "wrist", "forearm_flexors", "forearm_extensors", "biceps", "triceps", "foot", "ankle", "gastrocnemius", "soleus", "knee"},
		Cautions:     "Wear your compression garment as your lymphoedema therapist advised. Seek medical help the same day for redness, heat, new pain, fever or flu-like feelings (possible cellulitis), or for sudden swelling of one leg.",
		Source:       "Written by the team; the advice to keep the limb moving follows the lymphoedema pathway of the Scottish Cancer Network (NHS Scotland Right Decisions)."},
	{Key: "lymphedema_skin_care", Title: "Skin care for a swollen limb",
		Instructions: "Wash the limb daily with a mild soap, dry gently, including between fingers or toes, and apply a plain moisturiser each evening. Take 2 minutes every day to check the skin for cuts, scratches, insect bites or cracks, and clean any break straight away. Wear gloves for gardening and housework, and avoid sunburn and tight jewellery or clothing on the limb.",
		Regions:      []string{"hand", "wrist", "forearm_flexors", "forearm_extensors", "biceps", "triceps", "foot", "ankle", "gastrocnemius", "soleus", "knee"},
		Cautions:     "A red, hot or more swollen area, or fever, can be cellulitis: see a doctor the same day.", Source: homeCareLymph},
	{Key: "scar_care", Title: "Scar care once the wound has closed",
		Instructions: "Only once the wound has fully closed, with no scab or discharge, and your surgeon agrees: twice a day, rub a plain moisturiser into the scar with firm, small circles, then gently move the scar up and down and side to side with two fingers for 3 to 5 minutes. Protect it from the sun for the first year.",
		Cautions:     "Not on an open, weeping or scabbed wound. Stop and contact your surgeon for redness, heat, swelling, discharge or a scar that opens.", Source: homeCareByTeam},
	{Key: "ball_self_massage", Title: "Self-massage with a ball",
		Instructions: "Place a tennis ball between the tender muscle and a wall (or the floor). Lean into it until you feel firm but comfortable pressure, and either hold still on a tender spot for 30 to 60 seconds, breathing slowly, or roll slowly around it. 2 to 3 minutes per area, once a day.",
		Cautions:     "Pressure at most 6 on a scale of 10, never on bone, the front or side of the neck, the spine itself, varicose veins, bruises or a healing injury. Do not use it if you bruise easily or take blood thinners, unless your therapist agrees.", Source: homeCareByTeam},
	{Key: "heat", Title: "Using heat",
		Instructions: "For stiff, achy muscles without swelling: a warm pack, a hot water bottle wrapped in a towel, or a warm shower for 15 to 20 minutes, up to 3 times a day. Heat before stretching makes the stretches easier.",
		Cautions:     "Never directly on the skin and never sleep on a heat pad. Not on a new injury (first 2 to 3 days), a swollen or red area, numb skin, or a limb with lymphoedema. Check the skin halfway; remove it if the skin becomes bright red or blotchy.", Source: homeCareByTeam},
	{Key: "ice", Title: "Using cold",
		Instructions: "For a new strain or a flare-up that feels hot or swollen, or soreness after deep work: an ice pack or bag of frozen peas wrapped in a damp cloth for 10 to 15 minutes, every 2 to 3 hours in the first days.",
		Cautions:     "Always with a cloth between the ice and the skin; stop if the skin turns white or numb. Do not use cold with Raynaud's, cold sensitivity or poor circulation, or over numb skin.", Source: homeCareByTeam},
	{Key: "breathing", Title: "Slow belly breathing",
		Instructions: "Lie on your back with knees bent, or sit supported. Rest one hand on your chest and one on your belly. Breathe in gently through the nose for about 4 seconds so the belly hand rises and the chest hand stays still; breathe out slowly for about 6 seconds. 5 minutes, twice a day and when you notice tension.",
		Cautions:     "Breathe gently; if you feel light-headed, go back to normal breathing for a while. Seek help urgently for chest pain or breathlessness at rest.", Source: homeCareByTeam},
	{Key: "desk_breaks", Title: "Posture breaks for desk work",
		Instructions: "Every 30 minutes at a desk or screen, take a 1 to 2 minute break: stand, roll the shoulders back 5 times, do 5 chin tucks, look at something far away, and walk a few steps. Set the screen at eye level and arm's length, the keyboard so the elbows are about at right angles, and the feet flat on the floor or a footrest.",
		Cautions:     "Discomfort that stays after work or wakes you at night should be mentioned to your therapist.", Source: homeCareByTeam},
	{Key: "walking", Title: "Regular walking",
		Instructions: "Walk at a comfortable pace on most days, starting with what you can do without a flare (for example 10 minutes) and adding a few minutes each week toward 30 minutes a day. Wear supportive shoes and swing the arms relaxed.",
		Cautions:     "Shorten the walk if pain is clearly worse the next morning. Stop and seek help for chest pain, unusual breathlessness, or calf pain that comes on with walking and goes with rest.", Source: homeCareByTeam},
}

var homeCareIndex = func() map[string]int {
	m := make(map[string]int, len(HomeCareLibrary))
	for i, h := range HomeCareLibrary {
		m[h.Key] = i
	}
	return m
}()

// HomeCareByKey returns the library item of key.
func HomeCareByKey(key string) (HomeCare, bool) {
	i, ok := homeCareIndex[key]
	if !ok {
		return HomeCare{}, false
	}
	return HomeCareLibrary[i], true
}

// HomeCareFor lists the items that suit any of regions, in library order,
// then the general items (those for any region).
func HomeCareFor(regions []string) []HomeCare {
	var specific, general []HomeCare
	for _, h := range HomeCareLibrary {
		if len(h.Regions) == 0 {
			general = append(general, h)
			continue
		}
		for _, r := range h.Regions {
			if oneOf(r, regions) {
				specific = append(specific, h)
				break
			}
		}
	}
	return append(specific, general...)
}
