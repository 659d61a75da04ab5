package assess

// The condition library: a page for each condition medical massage commonly
// treats, written by us in plain words, with what to assess, what helps,
// what to avoid, how to measure progress, typical diagnosis codes and the
// literature behind it. Choosing a condition prefills an evaluation's tests
// and motions and a plan's techniques, goals and outcome measures.
//
// Codes are ICD-10-CM and each is billable in the built-in FY2027 code set
// (internal/billing/icd10, checked by conditions_test.go); most follow
// icd10.Conditions() (../shared/reference/billing.md §5). They are the codes
// usually seen on a referral, not a diagnosis: the prescription's codes win.

// GoalTemplate is a measurable goal a condition suggests. The plan adds the
// client's baseline, target and date.
type GoalTemplate struct {
	Term    string // short or long
	Measure string // one of the Measure* kinds
	What    string // an outcome measure's name, a Motions key, or words
	Unit    string
	Weeks   int    // from the start of the plan
	Better  string // lower or higher: which way is improvement
}

// Goal terms (Goal.Term, GoalTemplate.Term) and which way a measure
// improves (GoalTemplate.Better).
const (
	GoalShort    = "short"
	GoalLong     = "long"
	BetterLower  = "lower"
	BetterHigher = "higher"
)

// Condition is one entry of the library.
type Condition struct {
	Key, Name, Summary string
	RedFlags           []string // signs that mean refer out
	Tests              []string // SpecialTests keys to perform
	Motions            []string // Motions keys to measure
	Regions            []string // Regions keys usually treated
	Techniques         []string // Techniques keys that usually help
	Avoid              []string // what to avoid, plain words
	OutcomeMeasures    []string // names of OutcomeMeasureNames
	ICD10              []string // typical ICD-10-CM codes, dotted
	Goals              []GoalTemplate
	References         []string // full citations
}

// OutcomeMeasureNames are the outcome measures the library may suggest
// (../shared/reference/clinical.md §1).
var OutcomeMeasureNames = []string{"NPRS", "NDI", "ODI", "RMDQ", "PSFS", "LEFS", "QuickDASH", "Boston CTQ", "HIT-6", "FIQR",
	"PROMIS Pain Interference", "TSK", "GROC"}

// Units of goals.
const (
	unitPain    = "/10"
	unitPercent = "%"
	unitPoints  = "points"
	unitDegrees = "degrees"
	unitMinutes = "minutes"
)

func painGoal(what string, weeks int) GoalTemplate {
	return GoalTemplate{GoalShort, MeasurePain, what, unitPain, weeks, BetterLower}
}

func romGoal(term, motion string, weeks int) GoalTemplate {
	return GoalTemplate{term, MeasureROM, motion, unitDegrees, weeks, BetterHigher}
}

func outcomeGoal(term, measure, unit string, weeks int, better string) GoalTemplate {
	return GoalTemplate{term, MeasureOutcome, measure, unit, weeks, better}
}

func functionGoal(term, what, unit string, weeks int, better string) GoalTemplate {
	return GoalTemplate{term, MeasureFunction, what, unit, weeks, better}
}

// Citations used by several conditions.
const (
	refFarrar2001    = "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM (2001). Clinical importance of changes in chronic pain intensity measured on an 11-point numerical pain rating scale. Pain 94(2):149-158."
	refStratford1995 = "Stratford P, Gill C, Westaway M, Binkley J (1995). Assessing disability and change on individual patients: a report of a patient specific measure. Physiotherapy Canada 47(4):258-263."
	refBlanpied2017  = "Blanpied PR, Gross AR, Elliott JM, et al. (2017). Neck pain: revision 2017. Clinical practice guidelines linked to the International Classification of Functioning, Disability and Health from the Orthopaedic Section of the American Physical Therapy Association. Journal of Orthopaedic & Sports Physical Therapy 47(7):A1-A83."
	refVernon1991    = "Vernon H, Mior S (1991). The Neck Disability Index: a study of reliability and validity. Journal of Manipulative and Physiological Therapeutics 14(7):409-415."
	refFurlan2015    = "Furlan AD, Giraldo M, Baskwill A, Irvin E, Imamura M (2015). Massage for low-back pain. Cochrane Database of Systematic Reviews (9):CD001929."
	refFairbank2000  = "Fairbank JC, Pynsent PB (2000). The Oswestry Disability Index. Spine 25(22):2940-2952."
	refICHD3         = "Headache Classification Committee of the International Headache Society (2018). The International Classification of Headache Disorders, 3rd edition. Cephalalgia 38(1):1-211."
	refKosinski2003  = "Kosinski M, Bayliss MS, Bjorner JB, et al. (2003). A six-item short-form survey for measuring headache impact: the HIT-6. Quality of Life Research 12(8):963-974."
	refMajlesi2008   = "Majlesi J, Togay H, Unalan H, Toprak S (2008). The sensitivity and specificity of the Slump and the Straight Leg Raising tests in patients with lumbar disc herniation. Journal of Clinical Rheumatology 14(2):87-91."
	refBinkley1999   = "Binkley JM, Stratford PW, Lott SA, Riddle DL (1999). The Lower Extremity Functional Scale (LEFS): scale development, measurement properties, and clinical application. Physical Therapy 79(4):371-383."
	refBeaton2005    = "Beaton DE, Wright JG, Katz JN; Upper Extremity Collaborative Group (2005). Development of the QuickDASH: comparison of three item-reduction approaches. Journal of Bone and Joint Surgery, American volume 87(5):1038-1046."
	refCook2009      = "Cook JL, Purdam CR (2009). Is tendon pathology a continuum? A pathology model to explain the clinical presentation of load-induced tendinopathy. British Journal of Sports Medicine 43(6):409-416."
	refJoseph2012    = "Joseph MF, Taft K, Moskwa M, Denegar CR (2012). Deep friction massage to treat tendinopathy: a systematic review of a classic treatment in the face of a new paradigm of understanding. Journal of Sport Rehabilitation 21(4):343-353."
	refSimons1999    = "Simons DG, Travell JG, Simons LS (1999). Travell & Simons' Myofascial Pain and Dysfunction: The Trigger Point Manual, volume 1: upper half of body, 2nd edition. Baltimore: Williams & Wilkins."
	refWalton2011    = "Walton T (2011). Medical Conditions and Massage Therapy: A Decision Tree Approach. Baltimore: Lippincott Williams & Wilkins."
	refKelley2013    = "Kelley MJ, Shaffer MA, Kuhn JE, et al. (2013). Shoulder pain and mobility deficits: adhesive capsulitis. Journal of Orthopaedic & Sports Physical Therapy 43(5):A1-A31."
)

// Red flags shared by several conditions.
const (
	flagCaudaEquina = "Loss of bladder or bowel control, or numbness in the groin, genitals or inner thighs (possible cauda equina syndrome): emergency care now."
	flagSystemic    = "Fever, night sweats, unexplained weight loss, or a history of cancer with new pain."
	flagNightPain   = "Constant pain that is worse at night and is not eased by rest or any position."
	flagDVT         = "One calf or leg swollen, warm, red or painful (possible deep vein clot): no massage; refer urgently."
	flagThunderclap = "A sudden, severe 'worst ever' headache that peaks within a minute: emergency care now."
)

// Library holds the conditions in the order of the issue that named them.
var Library = []Condition{
	{
		Key: "chronic_neck_pain", Name: "Chronic neck pain",
		Summary: "Neck pain that has lasted three months or longer, usually without one clear injury behind it. It is mostly mechanical: the muscles, joints and fascia of the neck and upper back are sore and stiff, with tension in the upper trapezius, levator scapulae and suboccipitals, and often a forward-head posture from long hours at a desk or on a phone. The ache may spread to the shoulder blades or the back of the head and tends to build through the day. Massage combined with movement and posture advice gives good short-term relief.",
		RedFlags: []string{
			"Pain after a fall, collision or other trauma that has not been medically assessed.",
			"Weakness or clumsiness of the hands, or a change in walking or balance (possible spinal cord compression).",
			"Sudden severe headache, dizziness, double vision, trouble speaking or swallowing, or drop attacks (possible vascular cause): emergency care.",
			flagSystemic,
			flagNightPain,
		},
		Tests:      []string{"spurling", "cervical_distraction", "upper_limb_tension"},
		Motions:    []string{"cervical.flexion", "cervical.extension", "cervical.lateral_flexion", "cervical.rotation"},
		Regions:    []string{"upper_trapezius", "levator_scapulae", "suboccipitals", "cervical_paraspinals", "scalenes", "sternocleidomastoid", "rhomboids"},
		Techniques: []string{"swedish", "myofascial_release", "trigger_point", "neuromuscular", "muscle_energy", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Thrusts or forceful end-range movements of the neck: outside massage scope.",
			"Sustained deep pressure over the front and sides of the throat, where the carotid artery runs.",
			"Holding the neck turned or extended on the table if it brings on dizziness.",
		},
		OutcomeMeasures: []string{"NDI", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M54.2", "G89.29", "M62.838"},
		Goals: []GoalTemplate{
			painGoal("neck pain at worst", 4),
			romGoal(GoalShort, "cervical.rotation", 4),
			outcomeGoal(GoalLong, "NDI", unitPercent, 8, BetterLower),
			functionGoal(GoalLong, "work at a computer before neck pain starts", unitMinutes, 8, BetterHigher),
		},
		References: []string{
			"Sherman KJ, Cherkin DC, Hawkes RJ, Miglioretti DL, Deyo RA (2009). Randomized trial of therapeutic massage for chronic neck pain. Clinical Journal of Pain 25(3):233-238.",
			refBlanpied2017,
			refVernon1991,
		},
	},
	{
		Key: "low_back_pain", Name: "Low back pain",
		Summary: "Pain between the lowest ribs and the creases of the buttocks, sometimes spreading into the thigh. Most low back pain is non-specific: no single structure can be blamed, and guarding muscles, stiff joints, deconditioning and stress all play a part. Most episodes settle within weeks, but many come back and some become chronic. Clinical guidelines place massage among the first treatments to try without medicines, together with staying active and exercise.",
		RedFlags: []string{
			flagCaudaEquina,
			"Leg weakness that is getting worse, or a foot that drops or slaps when walking.",
			"Significant trauma, or a minor fall in someone with osteoporosis (possible fracture).",
			"Back or abdominal pain with a pulsing feeling in the abdomen (possible aortic aneurysm): emergency care.",
			flagSystemic,
			flagNightPain,
		},
		Tests:      []string{"straight_leg_raise", "slump", "kemp", "faber", "thomas"},
		Motions:    []string{"thoracolumbar.flexion", "thoracolumbar.extension", "thoracolumbar.lateral_flexion", "thoracolumbar.rotation", "hip.flexion"},
		Regions:    []string{"lumbar_paraspinals", "quadratus_lumborum", "gluteus_maximus", "gluteus_medius", "iliopsoas", "hamstrings", "thoracic_paraspinals", "sacroiliac"},
		Techniques: []string{"swedish", "deep_tissue", "myofascial_release", "trigger_point", "muscle_energy", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Deep pressure into the abdomen over the aorta when working the psoas; go slowly and only with consent.",
			"Lying face down if it sends pain down the leg: use side-lying or a pillow under the abdomen.",
			"Advising bed rest: keep the client moving within comfort.",
		},
		OutcomeMeasures: []string{"ODI", "RMDQ", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M54.50", "M54.59", "M62.830", "G89.29"},
		Goals: []GoalTemplate{
			painGoal("low back pain at worst", 4),
			romGoal(GoalShort, "thoracolumbar.flexion", 4),
			outcomeGoal(GoalLong, "ODI", unitPercent, 8, BetterLower),
			functionGoal(GoalLong, "stand or walk before back pain stops the activity", unitMinutes, 8, BetterHigher),
		},
		References: []string{
			"Cherkin DC, Sherman KJ, Kahn J, et al. (2011). A comparison of the effects of 2 types of massage and usual care on chronic low back pain: a randomized, controlled trial. Annals of Internal Medicine 155(1):1-9.",
			refFurlan2015,
			"Qaseem A, Wilt TJ, McLean RM, Forciea MA (2017). Noninvasive treatments for acute, subacute, and chronic low back pain: a clinical practice guideline from the American College of Physicians. Annals of Internal Medicine 166(7):514-530.",
			refFairbank2000,
			"Roland M, Morris R (1983). A study of the natural history of back pain. Part I: development of a reliable and sensitive measure of disability in low-back pain. Spine 8(2):141-144.",
		},
	},
	{
		Key: "tension_headache", Name: "Tension-type headache",
		Summary: "The most common kind of headache: a pressing or tight, band-like ache on both sides of the head, mild to moderate, without the throbbing, sickness and sensitivity to light of migraine. An episode lasts from half an hour to several days; on fifteen or more days a month it is called chronic. Trigger points in the suboccipitals, upper trapezius, sternocleidomastoid and temporalis can reproduce the pain, and stress, short sleep and long static postures keep it going. Trigger point massage of the head and neck has reduced how often these headaches come in trials.",
		RedFlags: []string{
			flagThunderclap,
			"Headache with fever, stiff neck, rash, confusion or drowsiness.",
			"A new headache after age 50, or one that has changed pattern or keeps getting worse.",
			"Headache with weakness, numbness, speech or vision problems, or loss of balance.",
			"Headache after a head injury, or one brought on by coughing, straining or lying down.",
		},
		Tests:      []string{"spurling", "jaw_opening"},
		Motions:    []string{"cervical.flexion", "cervical.extension", "cervical.lateral_flexion", "cervical.rotation"},
		Regions:    []string{"suboccipitals", "upper_trapezius", "sternocleidomastoid", "temporalis", "levator_scapulae", "cranium", "frontalis", "masseter"},
		Techniques: []string{"trigger_point", "swedish", "myofascial_release", "neuromuscular", "positional_release", "breathing_relaxation", "home_care_exercise"},
		Avoid: []string{
			"Deep or vigorous work during a strong headache if it makes the pain worse.",
			"Strongly scented oils, which set off headaches in some people.",
		},
		OutcomeMeasures: []string{"HIT-6", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"G44.209", "G44.219", "G44.229"},
		Goals: []GoalTemplate{
			functionGoal(GoalShort, "headache days in 4 weeks", "days", 4, BetterLower),
			painGoal("headache intensity at worst", 4),
			outcomeGoal(GoalLong, "HIT-6", unitPoints, 8, BetterLower),
			romGoal(GoalLong, "cervical.rotation", 8),
		},
		References: []string{
			"Moraska AF, Stenerson L, Butryn N, Krutsch JP, Schmiege SJ, Mann JD (2015). Myofascial trigger point-focused head and neck massage for recurrent tension-type headache: a randomized, placebo-controlled clinical trial. Clinical Journal of Pain 31(2):159-168.",
			refICHD3,
			refKosinski2003,
		},
	},
	{
		Key: "migraine", Name: "Migraine",
		Summary: "A neurological disorder with repeated attacks of moderate to severe, often one-sided, throbbing headache lasting hours to three days, usually with nausea and sensitivity to light and sound. Some people first have an aura, a visual or sensory disturbance that builds over minutes. Attacks are set off by triggers such as short sleep, stress, hormonal change, missed meals and some foods. Massage between attacks lowers stress and improves sleep, and in a trial reduced how often attacks came; it does not treat the attack itself.",
		RedFlags: []string{
			flagThunderclap,
			"An aura lasting more than an hour, or weakness of one side of the body.",
			"Headache with fever, stiff neck, confusion or a seizure.",
			"A change in the usual pattern of attacks, or new headaches after age 50.",
			"Headache after a head injury.",
		},
		Tests:      []string{"spurling", "jaw_opening"},
		Motions:    []string{"cervical.flexion", "cervical.extension", "cervical.rotation"},
		Regions:    []string{"suboccipitals", "upper_trapezius", "sternocleidomastoid", "temporalis", "cranium", "frontalis", "cervical_paraspinals"},
		Techniques: []string{"swedish", "trigger_point", "myofascial_release", "breathing_relaxation", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Treating during an attack unless the client asks; then keep it light, in a dim, quiet room.",
			"Scented products, bright light and noise.",
			"Heat to the head during an attack: cold to the neck or forehead is usually better tolerated.",
		},
		OutcomeMeasures: []string{"HIT-6", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"G43.909", "G43.009", "G43.109"},
		Goals: []GoalTemplate{
			functionGoal(GoalShort, "migraine days in 4 weeks", "days", 6, BetterLower),
			painGoal("neck and shoulder pain between attacks", 4),
			outcomeGoal(GoalLong, "HIT-6", unitPoints, 12, BetterLower),
		},
		References: []string{
			"Lawler SP, Cameron LD (2006). A randomized, controlled trial of massage therapy as a treatment for migraine. Annals of Behavioral Medicine 32(1):50-59.",
			refICHD3,
			refKosinski2003,
		},
	},
	{
		Key: "fibromyalgia", Name: "Fibromyalgia",
		Summary: "A long-term condition of widespread pain and tenderness together with fatigue, unrefreshing sleep and trouble with thinking and memory ('fibro fog'). It reflects a nervous system that turns up pain signals (central sensitisation) rather than damage in the muscles. Symptoms come and go, and flares follow stress, poor sleep or doing too much. Gentle, regular massage helps pain, sleep and mood for many people, while pressure that is too deep can set off a flare.",
		RedFlags: []string{
			"New joint swelling, morning stiffness lasting over an hour, a rash or fever (possible inflammatory disease).",
			"Muscle weakness that is getting worse, rather than pain.",
			"Low mood with thoughts of self-harm: help the client reach care the same day (988 in the US).",
			flagSystemic,
		},
		Motions:    []string{"cervical.rotation", "shoulder.flexion", "thoracolumbar.flexion"},
		Regions:    []string{"upper_trapezius", "cervical_paraspinals", "thoracic_paraspinals", "lumbar_paraspinals", "gluteus_medius", "rhomboids", "levator_scapulae"},
		Techniques: []string{"swedish", "myofascial_release", "positional_release", "breathing_relaxation", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Deep pressure, vigorous friction and long sessions early on: start light and short, and build on how the client felt the next day.",
			"Treating a flare as ordinary muscle tension.",
		},
		OutcomeMeasures: []string{"FIQR", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M79.7"},
		Goals: []GoalTemplate{
			painGoal("average pain over the past week", 4),
			functionGoal(GoalShort, "nights a week of refreshing sleep", "nights", 6, BetterHigher),
			outcomeGoal(GoalLong, "FIQR", unitPoints, 12, BetterLower),
			functionGoal(GoalLong, "walk without a flare the next day", unitMinutes, 12, BetterHigher),
		},
		References: []string{
			"Li YH, Wang FY, Feng CQ, Yang XF, Sun YH (2014). Massage therapy for fibromyalgia: a systematic review and meta-analysis of randomized controlled trials. PLoS One 9(2):e89304.",
			"Bennett RM, Friend R, Jones KD, Ward R, Han BK, Ross RL (2009). The Revised Fibromyalgia Impact Questionnaire (FIQR): validation and psychometric properties. Arthritis Research & Therapy 11(4):R120.",
			"Macfarlane GJ, Kronisch C, Dean LE, et al. (2017). EULAR revised recommendations for the management of fibromyalgia. Annals of the Rheumatic Diseases 76(2):318-328.",
		},
	},
	{
		Key: "sciatica", Name: "Sciatica",
		Summary: "Pain that runs from the low back or buttock down the back or side of the leg, often below the knee, sometimes with numbness, tingling or weakness. It comes from irritation of a lumbar or sacral nerve root or of the sciatic nerve, most often by a bulging disc or a narrowed spinal canal. Many cases improve over six to twelve weeks. Massage eases the guarding in the back, buttock and leg muscles, but the irritated nerve itself is not pressed.",
		RedFlags: []string{
			flagCaudaEquina,
			"Leg weakness that is getting worse, or foot drop.",
			"Symptoms in both legs at once.",
			"Severe, unrelenting pain despite rest and medication.",
			flagSystemic,
		},
		Tests:      []string{"straight_leg_raise", "slump", "kemp", "piriformis", "faber", "valsalva"},
		Motions:    []string{"thoracolumbar.flexion", "thoracolumbar.extension", "hip.flexion", "hip.internal_rotation"},
		Regions:    []string{"lumbar_paraspinals", "quadratus_lumborum", "gluteus_maximus", "gluteus_medius", "piriformis", "hamstrings", "gastrocnemius"},
		Techniques: []string{"swedish", "myofascial_release", "trigger_point", "positional_release", "muscle_energy", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Deep pressure along the path of the sciatic nerve in the buttock and back of the thigh when it brings on leg symptoms.",
			"Positions or stretches that send symptoms further down the leg.",
			"Strong hamstring stretching while the nerve is irritable.",
		},
		OutcomeMeasures: []string{"ODI", "NPRS", "LEFS", "PSFS", "GROC"},
		ICD10:           []string{"M54.30", "M54.31", "M54.32", "M54.41", "M54.42", "M54.16"},
		Goals: []GoalTemplate{
			painGoal("leg pain at worst", 4),
			romGoal(GoalShort, "thoracolumbar.flexion", 4),
			outcomeGoal(GoalLong, "ODI", unitPercent, 10, BetterLower),
			functionGoal(GoalLong, "sit before leg symptoms start", unitMinutes, 10, BetterHigher),
		},
		References: []string{
			"Jensen RK, Kongsted A, Kjaer P, Koes B (2019). Diagnosis and treatment of sciatica. BMJ 367:l6273.",
			refMajlesi2008,
			refFurlan2015,
		},
	},
	{
		Key: "piriformis_syndrome", Name: "Piriformis syndrome",
		Summary: "Deep buttock pain, often with pain down the back of the thigh, blamed on the piriformis muscle irritating the sciatic nerve where the nerve leaves the pelvis. Sitting, especially on a hard seat or a wallet, climbing stairs and crossing the legs make it worse. The diagnosis is debated and is partly reached by ruling out a disc or joint cause. Soft tissue work to the deep hip rotators, stretching and easing the load on the hip are the usual conservative care.",
		RedFlags: []string{
			flagCaudaEquina,
			"Leg weakness, foot drop or numbness that is spreading.",
			"Buttock pain with fever, or after an injection in the buttock.",
			flagSystemic,
		},
		Tests:      []string{"piriformis", "faber", "straight_leg_raise", "slump", "trendelenburg"},
		Motions:    []string{"hip.internal_rotation", "hip.external_rotation", "hip.flexion", "hip.adduction"},
		Regions:    []string{"piriformis", "gluteus_maximus", "gluteus_medius", "hamstrings", "sacroiliac", "tfl", "lumbar_paraspinals"},
		Techniques: []string{"trigger_point", "myofascial_release", "positional_release", "muscle_energy", "pnf_stretching", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Sustained deep pressure that brings on tingling or shooting pain down the leg.",
			"Long stretches in positions that reproduce leg symptoms; prefer side-lying with a pillow between the knees.",
		},
		OutcomeMeasures: []string{"LEFS", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"G57.00", "G57.01", "G57.02", "G57.03"},
		Goals: []GoalTemplate{
			painGoal("buttock pain when sitting", 4),
			romGoal(GoalShort, "hip.internal_rotation", 4),
			outcomeGoal(GoalLong, "LEFS", unitPoints, 8, BetterHigher),
			functionGoal(GoalLong, "sit before buttock pain starts", unitMinutes, 8, BetterHigher),
		},
		References: []string{
			"Hopayian K, Song F, Riera R, Sambandan S (2010). The clinical features of the piriformis syndrome: a systematic review. European Spine Journal 19(12):2095-2109.",
			"Fishman LM, Dombi GW, Michaelsen C, et al. (2002). Piriformis syndrome: diagnosis, treatment, and outcome—a 10-year study. Archives of Physical Medicine and Rehabilitation 83(3):295-301.",
		},
	},
	{
		Key: "carpal_tunnel", Name: "Carpal tunnel syndrome",
		Summary: "Numbness, tingling and pain in the thumb, index and middle fingers and half of the ring finger, caused by pressure on the median nerve as it passes through the carpal tunnel at the front of the wrist. Symptoms are often worst at night and with long gripping or bent-wrist positions; later the grip weakens and the muscles at the base of the thumb can waste. Repetitive hand work, pregnancy, diabetes and an underactive thyroid all raise the risk. Soft tissue work to the forearm, wrist and hand, with nerve and tendon gliding exercises, can ease mild to moderate symptoms.",
		RedFlags: []string{
			"Constant numbness, or visible wasting of the muscles at the base of the thumb: refer for nerve testing.",
			"Weakness that is getting worse, or dropping things often.",
			"Symptoms in both hands with neck pain, clumsiness or balance changes (possible cervical spinal cord problem).",
			"Swelling, heat and redness at the wrist, or symptoms after a wrist fracture.",
		},
		Tests:      []string{"phalen", "tinel_wrist", "reverse_phalen", "upper_limb_tension", "spurling"},
		Motions:    []string{"wrist.flexion", "wrist.extension"},
		Regions:    []string{"forearm_flexors", "wrist", "thenar", "hand", "forearm_extensors", "pectoralis_minor", "scalenes"},
		Techniques: []string{"myofascial_release", "trigger_point", "swedish", "neuromuscular", "positional_release", "home_care_exercise"},
		Avoid: []string{
			"Sustained deep pressure or friction directly over the carpal tunnel at the front of the wrist, which presses on the nerve further. (Cross-fibre friction is kept for the forearm muscles, not the tunnel.)",
			"Holding the wrist bent for long periods while treating.",
			"Heat on the wrist if it increases tingling.",
		},
		OutcomeMeasures: []string{"Boston CTQ", "QuickDASH", "NPRS", "PSFS"},
		ICD10:           []string{"G56.00", "G56.01", "G56.02", "G56.03"},
		Goals: []GoalTemplate{
			painGoal("hand and wrist pain at worst", 4),
			romGoal(GoalShort, "wrist.extension", 4),
			outcomeGoal(GoalLong, "Boston CTQ", unitPoints, 8, BetterLower),
			outcomeGoal(GoalLong, "QuickDASH", unitPoints, 8, BetterLower),
			functionGoal(GoalLong, "type or hold a phone before numbness starts", unitMinutes, 8, BetterHigher),
		},
		References: []string{
			"Levine DW, Simmons BP, Koris MJ, et al. (1993). A self-administered questionnaire for the assessment of severity of symptoms and functional status in carpal tunnel syndrome. Journal of Bone and Joint Surgery, American volume 75(11):1585-1592.",
			"Erickson M, Lawrence M, Jansen CWS, Coker D, Amadio P, Cleary C (2019). Hand pain and sensory deficits: carpal tunnel syndrome. Clinical practice guidelines linked to the International Classification of Functioning, Disability and Health from the Academy of Hand and Upper Extremity Physical Therapy and the Academy of Orthopaedic Physical Therapy of the American Physical Therapy Association. Journal of Orthopaedic & Sports Physical Therapy 49(5):CPG1-CPG85.",
			"Elliott R, Burkett B (2013). Massage therapy as an effective treatment for carpal tunnel syndrome. Journal of Bodywork and Movement Therapies 17(3):332-338.",
			"Fernández-de-las-Peñas C, Ortega-Santiago R, de la Llave-Rincón AI, et al. (2015). Manual physical therapy versus surgery for carpal tunnel syndrome: a randomized parallel-group trial. Journal of Pain 16(11):1087-1094.",
			refBeaton2005,
		},
	},
	{
		Key: "thoracic_outlet", Name: "Thoracic outlet syndrome",
		Summary: "A group of conditions in which the nerves of the brachial plexus, or less often the subclavian artery or vein, are squeezed on their way from the neck to the armpit: between the scalene muscles, under the collarbone, or beneath pectoralis minor. Most cases involve the nerves, with aching, heaviness, numbness and tingling in the arm and hand that are worse with the arms overhead or when carrying loads. Drooping shoulders, a forward head and tight scalenes and pectoralis minor are common contributors. Conservative care of posture, soft tissue and nerve mobility is the usual first step.",
		RedFlags: []string{
			"A cold, pale or bluish hand, or a weak or absent pulse at the wrist (artery compressed): refer urgently.",
			"Sudden swelling, heaviness and blue colour of the whole arm with visible veins (possible clot in the subclavian vein): emergency care.",
			"Wasting of the hand muscles, or weakness that is getting worse.",
			"A lump above the collarbone.",
		},
		Tests:      []string{"adson", "roos", "upper_limb_tension", "spurling"},
		Motions:    []string{"cervical.lateral_flexion", "cervical.rotation", "shoulder.abduction", "shoulder.flexion"},
		Regions:    []string{"scalenes", "pectoralis_minor", "pectoralis_major", "upper_trapezius", "sternocleidomastoid", "levator_scapulae", "serratus_anterior"},
		Techniques: []string{"myofascial_release", "trigger_point", "muscle_energy", "positional_release", "breathing_relaxation", "swedish", "home_care_exercise"},
		Avoid: []string{
			"Deep or sustained pressure in the hollow above the collarbone and in the armpit, where the nerves and vessels run.",
			"Long periods with the arms overhead on the table.",
		},
		OutcomeMeasures: []string{"QuickDASH", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"G54.0"},
		Goals: []GoalTemplate{
			painGoal("arm pain at worst", 4),
			romGoal(GoalShort, "cervical.lateral_flexion", 4),
			outcomeGoal(GoalLong, "QuickDASH", unitPoints, 10, BetterLower),
			functionGoal(GoalLong, "work with the arms raised before symptoms start", unitMinutes, 10, BetterHigher),
		},
		References: []string{
			"Kuhn JE, Lebus GF, Bible JE (2015). Thoracic outlet syndrome. Journal of the American Academy of Orthopaedic Surgeons 23(4):222-232.",
			"Hooper TL, Denton J, McGalliard MK, Brismée JM, Sizer PS Jr (2010). Thoracic outlet syndrome: a controversial clinical condition. Part 1: anatomy, and clinical examination/diagnosis. Journal of Manual & Manipulative Therapy 18(2):74-83.",
			refBeaton2005,
		},
	},
	{
		Key: "whiplash", Name: "Whiplash",
		Summary: "Injury to the soft tissues of the neck from a sudden back-and-forth movement of the head, most often in a rear-end car collision. Neck pain and stiffness usually come on within hours to a day or two, often with headache, shoulder and upper back pain, and sometimes dizziness, jaw pain or tingling in the arms. Most people recover over weeks to a few months, and an early return to gentle movement helps more than a collar. Massage starts gentle and away from the sorest tissue in the first days and progresses as the tissues settle.",
		RedFlags: []string{
			"Not yet medically assessed after the collision, especially at age 65 or over, after a dangerous mechanism, or with tingling in the arms (Canadian C-spine rule): refer before treating.",
			"Tenderness on the bony midline of the neck, or the client cannot turn the head 45 degrees each way.",
			"Numbness, weakness or tingling in the arms or legs, or trouble walking or with the bladder.",
			"Severe headache, confusion, vomiting or other signs of concussion.",
			"Dizziness, double vision, or trouble speaking or swallowing.",
		},
		Tests:      []string{"spurling", "cervical_distraction", "upper_limb_tension", "jaw_opening"},
		Motions:    []string{"cervical.flexion", "cervical.extension", "cervical.lateral_flexion", "cervical.rotation"},
		Regions:    []string{"cervical_paraspinals", "suboccipitals", "sternocleidomastoid", "scalenes", "upper_trapezius", "levator_scapulae", "thoracic_paraspinals"},
		Techniques: []string{"swedish", "positional_release", "myofascial_release", "lymphatic_drainage", "hydrotherapy_cold", "muscle_energy", "home_care_exercise"},
		Avoid: []string{
			"Deep work or stretching of the neck in the first days after the injury.",
			"End-range neck movements and any thrust manipulation.",
			"Pressure on the front of the neck.",
		},
		OutcomeMeasures: []string{"NDI", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"S13.4XXA", "S13.4XXD", "S13.4XXS", "S16.1XXD"},
		Goals: []GoalTemplate{
			painGoal("neck pain at worst", 3),
			romGoal(GoalShort, "cervical.rotation", 4),
			outcomeGoal(GoalLong, "NDI", unitPercent, 10, BetterLower),
			functionGoal(GoalLong, "drive, including checking over the shoulder, before neck pain starts", unitMinutes, 10, BetterHigher),
		},
		References: []string{
			"Spitzer WO, Skovron ML, Salmi LR, et al. (1995). Scientific monograph of the Quebec Task Force on Whiplash-Associated Disorders: redefining 'whiplash' and its management. Spine 20(8 Suppl):1S-73S.",
			"Stiell IG, Wells GA, Vandemheen KL, et al. (2001). The Canadian C-spine rule for radiography in alert and stable trauma patients. JAMA 286(15):1841-1848.",
			refBlanpied2017,
		},
	},
	{
		Key: "muscle_strain", Name: "Muscle strain",
		Summary: "A stretch or tear of muscle fibres, or of the junction where muscle becomes tendon, from a sudden load or overstretch; it ranges from a few fibres to a complete rupture. It causes local pain, tenderness, spasm and often bruising, with pain when the muscle works against resistance or is stretched. In the first days the injury is protected and moved gently; repair tissue then forms and remodels over weeks. Massage in the later phases helps restore glide, length and readiness for strengthening.",
		RedFlags: []string{
			"A pop at the time of injury with a visible gap or bunching of the muscle, or a large loss of strength (possible complete rupture).",
			"Rapidly growing swelling, a tense calf or thigh, or pain out of proportion (possible compartment syndrome).",
			flagDVT,
			"A firm lump that grows in the muscle weeks after a heavy bruise.",
			"No improvement after two to three weeks.",
		},
		Tests:      []string{"resisted_isometric", "straight_leg_raise"},
		Motions:    []string{"cervical.rotation", "thoracolumbar.flexion", "hip.flexion", "knee.flexion"},
		Regions:    []string{"hamstrings", "lumbar_paraspinals", "upper_trapezius", "cervical_paraspinals", "gastrocnemius", "quadriceps", "adductors"},
		Techniques: []string{"lymphatic_drainage", "swedish", "cross_fibre_friction", "myofascial_release", "pnf_stretching", "hydrotherapy_cold", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Deep pressure, friction or stretching of the injured spot in the first 72 hours.",
			"Heat on a fresh injury.",
			"Stretching into pain.",
		},
		OutcomeMeasures: []string{"NPRS", "PSFS", "LEFS", "NDI", "ODI", "GROC"},
		ICD10:           []string{"S16.1XXA", "S16.1XXD", "S39.012A", "S39.012D", "S29.012D", "S76.011A"},
		Goals: []GoalTemplate{
			painGoal("pain on using the muscle", 2),
			romGoal(GoalShort, "hip.flexion", 3),
			outcomeGoal(GoalLong, "PSFS", unitPain, 6, BetterHigher),
		},
		References: []string{
			"Järvinen TA, Järvinen TL, Kääriäinen M, Kalimo H, Järvinen M (2005). Muscle injuries: biology and treatment. American Journal of Sports Medicine 33(5):745-764.",
			"Bleakley CM, Glasgow P, MacAuley DC (2012). PRICE needs updating, should we call the POLICE? British Journal of Sports Medicine 46(4):220-221.",
			"Crane JD, Ogborn DI, Cupido C, et al. (2012). Massage therapy attenuates inflammatory signaling after exercise-induced muscle damage. Science Translational Medicine 4(119):119ra13.",
			refStratford1995,
		},
	},
	{
		Key: "osteoarthritis", Name: "Osteoarthritis",
		Summary: "A joint condition in which the cartilage thins and the bone, joint lining and surrounding muscles change, most often in the knees, hips, hands and spine. It brings pain with use, short stiffness after rest (usually under half an hour), less range and sometimes swelling or creaking. It becomes common after middle age and after joint injuries, and weak, stiff muscles around the joint add to the disability. In trials, regular massage of the muscles around the knee improved pain and function in knee osteoarthritis.",
		RedFlags: []string{
			"A hot, red, very swollen joint, especially with fever (possible infection or gout): refer the same day.",
			"Morning stiffness longer than an hour in several joints, or swelling of the small joints of the hands and feet (possible inflammatory arthritis).",
			"Suddenly unable to bear weight, or a joint that locks or gives way.",
			flagNightPain,
		},
		Tests:      []string{"faber", "thomas"},
		Motions:    []string{"knee.flexion", "knee.extension", "hip.flexion", "hip.internal_rotation"},
		Regions:    []string{"quadriceps", "hamstrings", "knee", "it_band", "adductors", "gastrocnemius", "gluteus_medius"},
		Techniques: []string{"swedish", "myofascial_release", "passive_rom", "trigger_point", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Deep pressure or friction over a swollen or inflamed joint.",
			"Forcing the joint past its comfortable range.",
			"Heat on a hot, swollen joint.",
		},
		OutcomeMeasures: []string{"LEFS", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M17.0", "M17.10", "M17.11", "M17.12"},
		Goals: []GoalTemplate{
			painGoal("knee pain when walking", 4),
			romGoal(GoalShort, "knee.flexion", 4),
			outcomeGoal(GoalLong, "LEFS", unitPoints, 8, BetterHigher),
			functionGoal(GoalLong, "walk before pain stops the activity", unitMinutes, 8, BetterHigher),
		},
		References: []string{
			"Perlman AI, Sabina A, Williams AL, Njike VY, Katz DL (2006). Massage therapy for osteoarthritis of the knee: a randomized controlled trial. Archives of Internal Medicine 166(22):2533-2538.",
			"Perlman A, Fogerite SG, Glass O, et al. (2019). Efficacy and safety of massage for osteoarthritis of the knee: a randomized clinical trial. Journal of General Internal Medicine 34(3):379-386.",
			refBinkley1999,
		},
	},
	{
		Key: "tmj_disorder", Name: "TMJ disorder",
		Summary: "Pain and poor function of the jaw joints and the chewing muscles, felt in front of the ear, in the cheek and at the temple, with clicking, limited opening or a jaw that catches. Clenching and grinding, stress, a forward-head posture and past jaw injury are common contributors, and tension-type headache often comes with it. Most cases are muscular and settle with self-care, soft tissue work and changes of habit. Work inside the mouth is done only where the therapist's licence allows it, and only with the client's explicit consent.",
		RedFlags: []string{
			"The jaw locks open or closed.",
			"Jaw pain on exertion with chest discomfort or breathlessness (possible heart cause): emergency care.",
			"Swelling, fever or a dental infection.",
			"New numbness of the face or new hearing loss.",
			"Over age 50: new jaw pain on chewing with scalp tenderness or changes in vision (possible giant cell arteritis): refer the same day.",
		},
		Tests:      []string{"jaw_opening", "spurling"},
		Motions:    []string{"cervical.flexion", "cervical.extension", "cervical.rotation"},
		Regions:    []string{"masseter", "temporalis", "tmj", "sternocleidomastoid", "suboccipitals", "upper_trapezius"},
		Techniques: []string{"trigger_point", "myofascial_release", "positional_release", "breathing_relaxation", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Work inside the mouth unless the licence allows it, with gloves and consent each session.",
			"Forcing the mouth open or stretching the jaw past comfort.",
			"Deep pressure over the joint itself when it is inflamed.",
		},
		OutcomeMeasures: []string{"NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M26.601", "M26.602", "M26.603", "M26.609", "M26.621", "M26.622", "M26.623"},
		Goals: []GoalTemplate{
			painGoal("jaw pain when chewing", 4),
			functionGoal(GoalShort, "mouth opening between the front teeth", "mm", 4, BetterHigher),
			outcomeGoal(GoalLong, "PSFS", unitPain, 8, BetterHigher),
		},
		References: []string{
			"Schiffman E, Ohrbach R, Truelove E, et al. (2014). Diagnostic Criteria for Temporomandibular Disorders (DC/TMD) for clinical and research applications. Journal of Oral & Facial Pain and Headache 28(1):6-27.",
			"Armijo-Olivo S, Pitance L, Singh V, Neto F, Thie N, Michelotti A (2016). Effectiveness of manual therapy and therapeutic exercise for temporomandibular disorders: systematic review and meta-analysis. Physical Therapy 96(1):9-25.",
		},
	},
	{
		Key: "frozen_shoulder", Name: "Frozen shoulder",
		Summary: "A painful stiffening of the shoulder joint capsule, which thickens and shrinks so that movement is lost whether the client moves the arm or the therapist does, outward rotation most of all. It passes through a painful 'freezing' phase, a stiff 'frozen' phase and a slow 'thawing' phase over one to three years. It is most common between 40 and 65, in women, and in people with diabetes or thyroid disease. Massage and gentle mobility work ease the pain and guarding around the shoulder and help keep the range gained; forcing the joint in the painful phase makes it worse.",
		RedFlags: []string{
			"Shoulder pain with chest pain, breathlessness or pain on exertion: emergency care.",
			"Unable to lift the arm after a fall (possible fracture or tendon tear).",
			"A hot, red joint or fever.",
			flagSystemic,
		},
		Tests:      []string{"apley_scratch", "hawkins_kennedy", "empty_can"},
		Motions:    []string{"shoulder.flexion", "shoulder.abduction", "shoulder.external_rotation", "shoulder.internal_rotation"},
		Regions:    []string{"deltoid", "supraspinatus", "infraspinatus", "teres", "pectoralis_major", "pectoralis_minor", "latissimus_dorsi", "upper_trapezius", "biceps"},
		Techniques: []string{"myofascial_release", "trigger_point", "muscle_energy", "passive_rom", "pnf_stretching", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Forcing the shoulder into painful end range, especially in the freezing phase.",
			"Stretching so hard that the shoulder is more painful the next day.",
		},
		OutcomeMeasures: []string{"QuickDASH", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M75.00", "M75.01", "M75.02"},
		Goals: []GoalTemplate{
			painGoal("shoulder pain at night", 4),
			romGoal(GoalShort, "shoulder.external_rotation", 6),
			romGoal(GoalLong, "shoulder.flexion", 12),
			outcomeGoal(GoalLong, "QuickDASH", unitPoints, 12, BetterLower),
		},
		References: []string{
			refKelley2013,
			refBeaton2005,
		},
	},
	{
		Key: "rotator_cuff", Name: "Rotator cuff injury",
		Summary: "Irritation, wear or tearing of the four rotator cuff tendons (supraspinatus, infraspinatus, teres minor and subscapularis) that hold the ball of the shoulder in its socket. It causes pain at the side of the upper arm, especially when lifting the arm out to the side or overhead and when lying on that side, with weakness if a tendon is torn. Overuse and pinching under the point of the shoulder irritate the tendons from middle age on; tears follow falls or build up with age. Massage of the cuff and the muscles around the shoulder blade, with graded strengthening, is part of conservative care.",
		RedFlags: []string{
			"Sudden inability to lift the arm after a fall or a pop (possible full-thickness tear): refer promptly.",
			"Shoulder pain with chest pain or breathlessness: emergency care.",
			"Fever, or a hot, swollen shoulder.",
			"Marked weakness with wasting of the muscles above and below the spine of the shoulder blade.",
		},
		Tests:      []string{"hawkins_kennedy", "neer", "empty_can", "drop_arm", "speed", "apley_scratch"},
		Motions:    []string{"shoulder.flexion", "shoulder.abduction", "shoulder.external_rotation", "shoulder.internal_rotation"},
		Regions:    []string{"supraspinatus", "infraspinatus", "teres", "deltoid", "pectoralis_minor", "upper_trapezius", "biceps", "serratus_anterior"},
		Techniques: []string{"trigger_point", "myofascial_release", "cross_fibre_friction", "positional_release", "muscle_energy", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Friction or deep pressure on a recently torn or surgically repaired tendon.",
			"Positions with the arm overhead that bring on the pain.",
		},
		OutcomeMeasures: []string{"QuickDASH", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M75.100", "M75.101", "M75.102", "M75.41", "M75.42", "S46.011D", "S46.012D"},
		Goals: []GoalTemplate{
			painGoal("shoulder pain lifting the arm", 4),
			romGoal(GoalShort, "shoulder.abduction", 4),
			outcomeGoal(GoalLong, "QuickDASH", unitPoints, 10, BetterLower),
			functionGoal(GoalLong, "reach overhead before shoulder pain starts", "repetitions", 10, BetterHigher),
		},
		References: []string{
			"Hermans J, Luime JJ, Meuffels DE, Reijman M, Simel DL, Bierma-Zeinstra SMA (2013). Does this patient with shoulder pain have rotator cuff disease? The Rational Clinical Examination systematic review. JAMA 310(8):837-847.",
			"Park HB, Yokota A, Gill HS, El Rassi G, McFarland EG (2005). Diagnostic accuracy of clinical tests for the different degrees of subacromial impingement syndrome. Journal of Bone and Joint Surgery, American volume 87(7):1446-1455.",
			refBeaton2005,
		},
	},
	{
		Key: "tendinitis", Name: "Tendinitis",
		Summary: "Pain and a reduced tolerance to load in a tendon, such as at the outer elbow, the Achilles, the front of the shoulder or the thumb side of the wrist. Although it is called tendinitis, most long-standing cases show disorganised repair and wear (tendinopathy) more than inflammation. It follows a change in load: a new activity, more repetitions or less rest. Care manages the load and builds the tendon's capacity with progressive exercise; cross-fibre friction and soft tissue work ease the pain and prepare for that exercise.",
		RedFlags: []string{
			"A sudden pop with loss of strength (possible rupture).",
			"A hot, red, swollen tendon sheath with fever (possible infection).",
			"Tendon pain after starting a fluoroquinolone antibiotic: tell the prescriber.",
			"Tendon pain in several places with joint swelling or skin changes (possible inflammatory disease).",
		},
		Tests:      []string{"cozen", "golfers_elbow", "finkelstein", "speed", "thompson", "resisted_isometric"},
		Motions:    []string{"wrist.flexion", "wrist.extension", "ankle.dorsiflexion", "shoulder.flexion"},
		Regions:    []string{"forearm_extensors", "forearm_flexors", "achilles", "biceps", "wrist", "gastrocnemius", "soleus", "supraspinatus"},
		Techniques: []string{"cross_fibre_friction", "myofascial_release", "trigger_point", "swedish", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Friction on a tendon in its first irritable days, or on one already very sensitive to touch.",
			"Hard stretching of the tendon while it is irritable.",
		},
		OutcomeMeasures: []string{"NPRS", "PSFS", "QuickDASH", "LEFS", "GROC"},
		ICD10:           []string{"M77.9", "M77.10", "M77.11", "M77.12", "M76.60", "M76.61", "M76.62", "M65.4", "M75.20", "M75.21", "M75.22"},
		Goals: []GoalTemplate{
			painGoal("tendon pain during the aggravating activity", 4),
			outcomeGoal(GoalShort, "PSFS", unitPain, 4, BetterHigher),
			outcomeGoal(GoalLong, "QuickDASH", unitPoints, 12, BetterLower),
		},
		References: []string{
			refJoseph2012,
			refCook2009,
			refBeaton2005,
		},
	},
	{
		Key: "bursitis", Name: "Bursitis",
		Summary: "Irritation of a bursa, a small fluid-filled sac that lets tendons and muscles slide over bone, most often at the outside of the hip, the point of the shoulder, the back of the elbow or the front of the knee. It causes local tenderness and pain with pressure or with movements that squeeze it, such as lying on the sore hip. At the hip the pain is now usually traced to the gluteal tendons as much as to the bursa. Massage works on the muscles that load the area, not on the bursa itself.",
		RedFlags: []string{
			"A bursa that is hot, red and swollen, especially with fever or a break in the skin nearby (possible infection): refer the same day.",
			"Sudden large swelling after a blow.",
			"Pain that wakes the client every night or does not ease with rest.",
		},
		Tests:      []string{"trendelenburg", "ober", "faber", "hawkins_kennedy", "neer"},
		Motions:    []string{"hip.abduction", "hip.adduction", "hip.internal_rotation", "shoulder.abduction"},
		Regions:    []string{"gluteus_medius", "tfl", "it_band", "gluteus_maximus", "deltoid", "supraspinatus", "elbow", "quadriceps"},
		Techniques: []string{"myofascial_release", "trigger_point", "positional_release", "swedish", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Direct pressure or friction on the inflamed bursa.",
			"Heat on a hot or swollen bursa.",
			"Side-lying on the painful side; use a pillow between the knees.",
		},
		OutcomeMeasures: []string{"NPRS", "LEFS", "QuickDASH", "PSFS", "GROC"},
		ICD10:           []string{"M70.60", "M70.61", "M70.62", "M75.50", "M75.51", "M75.52", "M70.21", "M70.22", "M71.9"},
		Goals: []GoalTemplate{
			painGoal("pain lying on the affected side", 4),
			functionGoal(GoalShort, "lie on the affected side before pain starts", unitMinutes, 4, BetterHigher),
			outcomeGoal(GoalLong, "LEFS", unitPoints, 8, BetterHigher),
		},
		References: []string{
			"Lustenberger DP, Ng VY, Best TM, Ellis TJ (2011). Efficacy of treatment of trochanteric bursitis: a systematic review. Clinical Journal of Sport Medicine 21(5):447-453.",
			"Grimaldi A, Fearon A (2015). Gluteal tendinopathy: integrating pathomechanics and clinical features in its management. Journal of Orthopaedic & Sports Physical Therapy 45(11):910-922.",
			refBinkley1999,
		},
	},
	{
		Key: "plantar_fasciitis", Name: "Plantar fasciitis",
		Summary: "Pain under the heel and along the arch from an overloaded plantar fascia, the thick band that runs from the heel bone to the toes. The first steps in the morning or after sitting are typically the worst, easing as the client walks and returning after long standing. Tight calves, a sudden increase in running or standing, weight gain and very flat or very high arches raise the risk. Soft tissue work to the calf and foot, stretching of the calf and fascia, and managing the load help most people within months.",
		RedFlags: []string{
			"Heel pain after a fall or a jump, or pain when the heel bone is squeezed from both sides (possible stress fracture).",
			"Numbness or burning in the sole (possible nerve entrapment).",
			"Pain in both heels with other joint pain or back stiffness (possible inflammatory arthritis).",
			"A red, hot, swollen foot, especially in someone with diabetes: refer the same day.",
		},
		Tests:      []string{"windlass", "thompson"},
		Motions:    []string{"ankle.dorsiflexion", "ankle.plantarflexion"},
		Regions:    []string{"plantar_fascia", "gastrocnemius", "soleus", "achilles", "foot", "peroneals"},
		Techniques: []string{"myofascial_release", "trigger_point", "cross_fibre_friction", "pnf_stretching", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Hard friction or deep pressure where the fascia attaches to the heel if it is very sensitive, or within two weeks of an injection there.",
			"Treating numbness or burning in the sole as if it were fascia pain.",
		},
		OutcomeMeasures: []string{"LEFS", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M72.2"},
		Goals: []GoalTemplate{
			painGoal("heel pain on the first steps in the morning", 4),
			romGoal(GoalShort, "ankle.dorsiflexion", 4),
			outcomeGoal(GoalLong, "LEFS", unitPoints, 10, BetterHigher),
			functionGoal(GoalLong, "stand before heel pain starts", unitMinutes, 10, BetterHigher),
		},
		References: []string{
			"Martin RL, Davenport TE, Reischl SF, et al. (2014). Heel pain—plantar fasciitis: revision 2014. Journal of Orthopaedic & Sports Physical Therapy 44(11):A1-A33.",
			"DiGiovanni BF, Nawoczenski DA, Lintal ME, et al. (2003). Tissue-specific plantar fascia-stretching exercise enhances outcomes in patients with chronic heel pain: a prospective, randomized study. Journal of Bone and Joint Surgery, American volume 85(7):1270-1277.",
			refBinkley1999,
		},
	},
	{
		Key: "shin_splints", Name: "Shin splints",
		Summary: "Pain with exercise along the inner edge of the shinbone over a stretch of several centimetres (medial tibial stress syndrome), from repeated stress on the bone and the muscles attached to it. It is common in runners, dancers and new recruits, especially after a sudden increase in training, on hard surfaces or in worn shoes. At first the pain comes with activity and eases with rest, but it can persist if the loading continues. Relative rest, a gradual return to running and soft tissue work to the calf are the usual care.",
		RedFlags: []string{
			"Pain in one small spot on the bone that hurts to press, at rest or at night (possible stress fracture): refer.",
			"A tight, swollen calf or shin with numbness during exercise (possible exertional compartment syndrome).",
			flagDVT,
		},
		Tests:      []string{"resisted_isometric"},
		Motions:    []string{"ankle.dorsiflexion", "ankle.plantarflexion", "ankle.inversion", "ankle.eversion"},
		Regions:    []string{"tibialis_anterior", "gastrocnemius", "soleus", "peroneals", "achilles", "foot"},
		Techniques: []string{"myofascial_release", "trigger_point", "swedish", "pnf_stretching", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Deep pressure directly on the painful edge of the bone.",
			"Encouraging the client to run through the pain.",
		},
		OutcomeMeasures: []string{"LEFS", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"S86.891A", "S86.891D", "S86.892A", "S86.892D", "S86.899A", "S86.899D"},
		Goals: []GoalTemplate{
			painGoal("shin pain during and after running", 3),
			functionGoal(GoalLong, "run before shin pain starts", unitMinutes, 8, BetterHigher),
			outcomeGoal(GoalLong, "LEFS", unitPoints, 8, BetterHigher),
		},
		References: []string{
			"Moen MH, Tol JL, Weir A, Steunebrink M, De Winter TC (2009). Medial tibial stress syndrome: a critical review. Sports Medicine 39(7):523-546.",
			"Winters M, Eskes M, Weir A, Moen MH, Backx FJ, Bakker EW (2013). Treatment of medial tibial stress syndrome: a systematic review. Sports Medicine 43(12):1315-1333.",
			refBinkley1999,
		},
	},
	{
		Key: "myofascial_pain", Name: "Myofascial pain syndrome",
		Summary: "Regional muscle pain produced by trigger points: small, very tender spots within a taut band of muscle that are painful to press and send pain in a recognisable pattern, often some distance away. It often follows overuse, long static postures, injury or stress, and the trigger points can stiffen and weaken the muscle. Unlike fibromyalgia it is regional, and pressing the point reproduces the client's familiar pain. Trigger point pressure, stretching and changing the habits that keep the points active are the mainstays of care.",
		RedFlags: []string{
			"Widespread pain with fatigue and poor sleep (consider fibromyalgia or another whole-body cause).",
			"Weakness, numbness or changed reflexes (possible nerve cause).",
			flagSystemic,
			flagNightPain,
		},
		Tests:      []string{"resisted_isometric"},
		Motions:    []string{"cervical.rotation", "shoulder.flexion", "thoracolumbar.flexion"},
		Regions:    []string{"upper_trapezius", "levator_scapulae", "infraspinatus", "quadratus_lumborum", "gluteus_medius", "rhomboids", "suboccipitals", "piriformis"},
		Techniques: []string{"trigger_point", "neuromuscular", "myofascial_release", "positional_release", "muscle_energy", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Pressure the client cannot relax into (above about 7 out of 10).",
			"Working many trigger points hard in one session, which can leave the client sore for days.",
		},
		OutcomeMeasures: []string{"NPRS", "PSFS", "PROMIS Pain Interference", "GROC"},
		ICD10:           []string{"M79.18", "M79.12", "M62.838"},
		Goals: []GoalTemplate{
			painGoal("pain in the usual pattern at worst", 4),
			romGoal(GoalShort, "cervical.rotation", 4),
			outcomeGoal(GoalLong, "PSFS", unitPain, 8, BetterHigher),
		},
		References: []string{
			refSimons1999,
			"Shah JP, Thaker N, Heimur J, Aredo JV, Sikdar S, Gerber L (2015). Myofascial trigger points then and now: a historical and scientific perspective. PM&R 7(7):746-761.",
			refFarrar2001,
			refStratford1995,
		},
	},
	{
		Key: "scoliosis_posture", Name: "Scoliosis and postural imbalance",
		Summary: "Scoliosis is a sideways curve of the spine with rotation of the vertebrae, usually of unknown cause and first seen in adolescence; a functional curve comes instead from a leg length difference, a muscle imbalance or pain, and straightens when the cause goes. Postural imbalance more broadly covers habitual patterns such as forward head, rounded shoulders and an increased upper back curve, which overload some muscles and weaken others. Massage cannot straighten a structural curve, but it eases the muscle pain and stiffness that come with curves and postures and supports corrective exercise.",
		RedFlags: []string{
			"A curve that is quickly getting worse, especially in a child or teenager who is still growing: refer.",
			"A painful curve in a young person, or a curve with night pain (possible tumour or infection).",
			"Numbness, weakness, or changes in bladder or bowel control.",
			"Breathlessness with a severe upper back curve.",
		},
		Tests:      []string{"adams_forward_bend", "trendelenburg", "thomas"},
		Motions:    []string{"thoracolumbar.lateral_flexion", "thoracolumbar.rotation", "thoracolumbar.flexion", "cervical.rotation"},
		Regions:    []string{"thoracic_paraspinals", "lumbar_paraspinals", "quadratus_lumborum", "latissimus_dorsi", "rhomboids", "pectoralis_major", "pectoralis_minor", "upper_trapezius", "iliopsoas"},
		Techniques: []string{"myofascial_release", "swedish", "trigger_point", "muscle_energy", "pnf_stretching", "home_care_exercise"},
		Avoid: []string{
			"Promising that massage will straighten a structural curve.",
			"Deep pressure over the ribs in a client with osteoporosis.",
		},
		OutcomeMeasures: []string{"ODI", "NDI", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M41.9", "M41.20", "M41.24", "M41.26", "M40.04", "R29.3"},
		Goals: []GoalTemplate{
			painGoal("back pain at the end of the day", 4),
			romGoal(GoalShort, "thoracolumbar.lateral_flexion", 6),
			outcomeGoal(GoalLong, "ODI", unitPercent, 12, BetterLower),
			functionGoal(GoalLong, "stand before back pain starts", unitMinutes, 12, BetterHigher),
		},
		References: []string{
			"Negrini S, Donzelli S, Aulisa AG, et al. (2018). 2016 SOSORT guidelines: orthopaedic and rehabilitation treatment of idiopathic scoliosis during growth. Scoliosis and Spinal Disorders 13:3.",
			"Kendall FP, McCreary EK, Provance PG, Rodgers MM, Romani WA (2005). Muscles: Testing and Function with Posture and Pain, 5th edition. Baltimore: Lippincott Williams & Wilkins.",
			refFairbank2000,
		},
	},
	{
		Key: "lymphedema_edema", Name: "Lymphedema and edema",
		Summary: "Edema is swelling from fluid that leaks out of the small blood vessels faster than the lymphatic system can clear it, as with long standing, heat, injury, pregnancy, some medicines, or heart, kidney or liver disease. Lymphedema is a lasting, protein-rich swelling that builds up because the lymphatic system itself is damaged or underdeveloped, most often after lymph nodes are removed or irradiated during cancer treatment. Over time lymphedema thickens the skin and raises the risk of skin infection (cellulitis). Manual lymphatic drainage, as part of complete decongestive therapy with compression, exercise and skin care, reduces and controls the swelling.",
		RedFlags: []string{
			"Sudden swelling of one limb with pain, warmth or redness (possible deep vein clot): no massage; refer urgently.",
			"Red, hot, spreading skin with fever (cellulitis): do not treat the area; refer the same day.",
			"Swelling of both legs with breathlessness, rapid weight gain, or swelling that does not go down overnight (possible heart, kidney or liver cause): physician clearance first.",
			"New swelling in someone treated for cancer (possible recurrence): refer.",
		},
		Tests:      []string{"pitting_edema", "stemmer"},
		Motions:    []string{"shoulder.flexion", "shoulder.abduction", "knee.flexion", "ankle.dorsiflexion"},
		Regions:    []string{"biceps", "triceps", "forearm_flexors", "hand", "quadriceps", "gastrocnemius", "ankle", "foot"},
		Techniques: []string{"lymphatic_drainage", "breathing_relaxation", "passive_rom", "home_care_exercise"},
		Avoid: []string{
			"Deep pressure, friction, brisk strokes, heat and cupping on the affected limb.",
			"Massage of a swelling that is hot, red or suddenly painful.",
			"Blood pressure cuffs, injections and tight jewellery or clothing on the affected limb.",
		},
		OutcomeMeasures: []string{"PSFS", "QuickDASH", "LEFS", "GROC"},
		ICD10:           []string{"I89.0", "I97.2", "R60.0", "R60.9"},
		Goals: []GoalTemplate{
			functionGoal(GoalShort, "circumference difference between the affected and the other limb", "cm", 4, BetterLower),
			romGoal(GoalShort, "shoulder.flexion", 6),
			outcomeGoal(GoalLong, "PSFS", unitPain, 12, BetterHigher),
		},
		References: []string{
			"Ezzo J, Manheimer E, McNeely ML, et al. (2015). Manual lymphatic drainage for lymphedema following breast cancer treatment. Cochrane Database of Systematic Reviews (5):CD003475.",
			"Executive Committee of the International Society of Lymphology (2020). The diagnosis and treatment of peripheral lymphedema: 2020 consensus document of the International Society of Lymphology. Lymphology 53(1):3-19.",
			"Stemmer R (1976). Ein klinisches Zeichen zur Früh- und Differentialdiagnose des Lymphödems. Vasa 5(3):261-262.",
		},
	},
	{
		Key: "multiple_sclerosis", Name: "Multiple sclerosis",
		Summary: "An immune-driven disease of the brain and spinal cord in which the myelin that insulates nerve fibres is damaged, disturbing the signals they carry. Symptoms vary widely and may come and go in relapses or progress steadily: fatigue, stiffness and spasms (spasticity), weakness, numbness, problems with balance and walking, pain and sensitivity to heat. Massage can ease spasticity-related discomfort, pain and fatigue and improve wellbeing, as part of care led by the client's neurology team. Each session is adapted to the day's fatigue, sensation and tolerance of heat.",
		RedFlags: []string{
			"New or clearly worse symptoms over a few days (a possible relapse): refer to the neurology team.",
			"Fever or signs of infection, which can make symptoms worse.",
			"Areas of reduced sensation: check the skin by looking, and do not rely on the client's report of pressure.",
			flagDVT,
		},
		Motions:    []string{"hip.flexion", "knee.extension", "ankle.dorsiflexion", "shoulder.flexion"},
		Regions:    []string{"hamstrings", "quadriceps", "adductors", "gastrocnemius", "soleus", "iliopsoas", "lumbar_paraspinals", "upper_trapezius"},
		Techniques: []string{"swedish", "passive_rom", "myofascial_release", "breathing_relaxation", "home_care_exercise"},
		Avoid: []string{
			"Heat, hot packs and warm rooms, which can bring on symptoms for a while.",
			"Brisk, stimulating strokes and tapping over spastic muscles, which can set off spasms.",
			"Deep pressure where sensation is reduced.",
		},
		OutcomeMeasures: []string{"PSFS", "NPRS", "GROC"},
		ICD10:           []string{"G35.D", "G35.A", "G35.B0", "G35.C0"},
		Goals: []GoalTemplate{
			painGoal("pain or cramping from muscle spasms", 4),
			romGoal(GoalShort, "ankle.dorsiflexion", 6),
			outcomeGoal(GoalLong, "PSFS", unitPain, 12, BetterHigher),
		},
		References: []string{
			"Negahban H, Rezaie S, Goharpey S (2013). Massage therapy and exercise therapy in patients with multiple sclerosis: a randomized controlled pilot study. Clinical Rehabilitation 27(12):1126-1136.",
			"Thompson AJ, Banwell BL, Barkhof F, et al. (2018). Diagnosis of multiple sclerosis: 2017 revisions of the McDonald criteria. Lancet Neurology 17(2):162-173.",
			refStratford1995,
		},
	},
	{
		Key: "stroke_recovery", Name: "Stroke recovery",
		Summary: "After a stroke, damage to part of the brain leaves weakness or paralysis on one side of the body, changes in muscle tone (often spasticity) and sensation, and sometimes a painful shoulder, a swollen hand, and difficulties with speech and thinking. Recovery is fastest in the first months but continues for years with practice. Massage supports the rehabilitation team by easing tone and pain, caring for the painful shoulder on the weak side and lowering anxiety; it adds to active therapy and does not replace it.",
		RedFlags: []string{
			"Sudden new weakness, facial droop, trouble speaking, loss of vision or a severe headache (a new stroke): call emergency services.",
			flagDVT,
			"A shoulder that becomes swollen, hot or much more painful.",
			"Uncontrolled blood pressure, or chest pain.",
		},
		Tests:      []string{"pitting_edema", "apley_scratch"},
		Motions:    []string{"shoulder.flexion", "shoulder.external_rotation", "elbow.extension", "wrist.extension", "ankle.dorsiflexion"},
		Regions:    []string{"pectoralis_major", "biceps", "forearm_flexors", "hand", "deltoid", "upper_trapezius", "gastrocnemius", "soleus", "hamstrings"},
		Techniques: []string{"swedish", "passive_rom", "lymphatic_drainage", "myofascial_release", "breathing_relaxation", "home_care_exercise"},
		Avoid: []string{
			"Pulling on the weak arm or lifting it by the hand: support the shoulder, which can partly slip out of its socket.",
			"Heat or deep pressure where sensation is reduced.",
			"Brisk, stimulating strokes over spastic muscles.",
		},
		OutcomeMeasures: []string{"PSFS", "NPRS", "GROC"},
		ICD10:           []string{"I69.351", "I69.352", "I69.353", "I69.354", "I69.359"},
		Goals: []GoalTemplate{
			painGoal("shoulder pain on the weak side", 4),
			romGoal(GoalShort, "shoulder.external_rotation", 6),
			outcomeGoal(GoalLong, "PSFS", unitPain, 12, BetterHigher),
		},
		References: []string{
			"Mok E, Woo CP (2004). The effects of slow-stroke back massage on anxiety and shoulder pain in elderly stroke patients. Complementary Therapies in Nursing and Midwifery 10(4):209-216.",
			"Winstein CJ, Stein J, Arena R, et al. (2016). Guidelines for adult stroke rehabilitation and recovery: a guideline for healthcare professionals from the American Heart Association/American Stroke Association. Stroke 47(6):e98-e169.",
			refStratford1995,
		},
	},
	{
		Key: "post_surgical", Name: "Post-surgical recovery",
		Summary: "Recovery after an operation such as a joint replacement, a tendon or ligament repair, spinal surgery or cancer surgery. In the following weeks the tissues are swollen, stiff and tender, the scar is forming, and protective muscle guarding limits movement. Once the surgeon allows it, massage can reduce swelling, ease pain and anxiety, keep scar tissue mobile and help restore range, within the precautions set by the surgeon and physical therapist. Work near the incision waits until it has fully closed.",
		RedFlags: []string{
			"Calf pain, swelling or warmth, or sudden breathlessness or chest pain (possible clot): no massage; emergency care.",
			"Redness, heat, discharge or opening of the wound, or fever (possible infection).",
			"Pain that is getting worse rather than better, or a sudden loss of function.",
			"The surgeon's precautions (movement limits, weight bearing) are not yet known: ask before treating.",
		},
		Tests:      []string{"pitting_edema"},
		Motions:    []string{"knee.flexion", "knee.extension", "hip.flexion", "shoulder.flexion"},
		Regions:    []string{"quadriceps", "hamstrings", "knee", "gastrocnemius", "it_band", "deltoid"},
		Techniques: []string{"lymphatic_drainage", "scar_mobilization", "swedish", "passive_rom", "myofascial_release", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Any pressure on or beside an incision that has not fully healed.",
			"Movements the surgeon has restricted, such as bending the hip past 90 degrees after some hip replacements.",
			"Deep work on the operated limb until the clot risk has been considered.",
		},
		OutcomeMeasures: []string{"LEFS", "QuickDASH", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"Z47.89", "Z47.1", "Z48.89", "Z96.651", "Z96.652", "Z96.641", "Z96.642"},
		Goals: []GoalTemplate{
			painGoal("pain at the operated joint at worst", 3),
			romGoal(GoalShort, "knee.flexion", 4),
			outcomeGoal(GoalLong, "LEFS", unitPoints, 12, BetterHigher),
		},
		References: []string{
			"Kukimoto Y, Ooe N, Ideguchi N (2017). The effects of massage therapy on pain and anxiety after surgery: a systematic review and meta-analysis. Pain Management Nursing 18(6):378-390.",
			"Shin TM, Bordeaux JS (2012). The role of massage in scar management: a literature review. Dermatologic Surgery 38(3):414-423.",
			refBinkley1999,
		},
	},
	{
		Key: "repetitive_strain", Name: "Repetitive strain injury",
		Summary: "An umbrella term for pain in the neck, shoulder, forearm, wrist or hand that builds up from repeated movements, long awkward postures, forceful gripping or vibration at work or in hobbies. It can be a specific condition such as a tendinopathy, de Quervain tenosynovitis, tennis elbow or a nerve entrapment, or non-specific forearm pain with aching, fatigue and tingling. Changes to the work, regular breaks and building the tissues' capacity matter as much as treatment. Soft tissue work to the forearm, shoulder and neck eases symptoms and helps the client notice and change habits.",
		RedFlags: []string{
			"Constant numbness, weakness or wasting of the hand muscles.",
			"Swelling, redness and heat along a tendon.",
			"Symptoms in both arms with neck pain, clumsiness or balance changes.",
		},
		Tests:      []string{"phalen", "tinel_wrist", "finkelstein", "cozen", "golfers_elbow", "upper_limb_tension"},
		Motions:    []string{"wrist.flexion", "wrist.extension", "forearm.pronation", "forearm.supination"},
		Regions:    []string{"forearm_flexors", "forearm_extensors", "wrist", "hand", "upper_trapezius", "biceps", "triceps", "pectoralis_minor"},
		Techniques: []string{"myofascial_release", "trigger_point", "cross_fibre_friction", "swedish", "hydrotherapy_cold", "home_care_exercise"},
		Avoid: []string{
			"Deep work that leaves the arm sore for the next working day: build up gradually.",
			"Friction over the nerves at the wrist and at the inner elbow.",
		},
		OutcomeMeasures: []string{"QuickDASH", "NPRS", "PSFS", "GROC"},
		ICD10:           []string{"M70.90", "M70.931", "M70.932", "M70.941", "M70.942", "M77.9", "M65.4"},
		Goals: []GoalTemplate{
			painGoal("forearm pain at the end of the working day", 4),
			romGoal(GoalShort, "wrist.extension", 4),
			outcomeGoal(GoalLong, "QuickDASH", unitPoints, 8, BetterLower),
			functionGoal(GoalLong, "work at the keyboard or tool before symptoms start", unitMinutes, 8, BetterHigher),
		},
		References: []string{
			"van Tulder M, Malmivaara A, Koes B (2007). Repetitive strain injury. Lancet 369(9575):1815-1822.",
			refBeaton2005,
			refJoseph2012,
		},
	},
	{
		Key: "pregnancy", Name: "Pregnancy-related discomfort",
		Summary: "The aches that often come with pregnancy as weight, posture and the ligaments change: low back and pelvic girdle pain, upper back and neck tension, leg cramps, swelling of the feet and hands, and carpal tunnel symptoms. Sleep and stress often suffer too. Massage in a side-lying or well-supported position eases these discomforts and lowers anxiety. A low-risk pregnancy is not a reason to avoid massage in any trimester; a high-risk pregnancy needs clearance from the prenatal care provider.",
		RedFlags: []string{
			"Vaginal bleeding, leaking fluid, or regular painful contractions before 37 weeks: stop and refer urgently.",
			"Sudden swelling of the face and hands, severe headache, changes in vision or pain under the ribs (possible preeclampsia): refer urgently.",
			flagDVT,
			"The baby moving less than usual.",
			"A high-risk pregnancy without clearance from the prenatal care provider.",
		},
		Tests:      []string{"pitting_edema", "faber", "phalen"},
		Regions:    []string{"lumbar_paraspinals", "quadratus_lumborum", "gluteus_medius", "piriformis", "sacroiliac", "upper_trapezius", "levator_scapulae", "gastrocnemius", "foot"},
		Techniques: []string{"swedish", "myofascial_release", "lymphatic_drainage", "positional_release", "breathing_relaxation", "home_care_exercise"},
		Avoid: []string{
			"Lying flat on the back after about 20 weeks: use side-lying or a wedge so the womb does not press on the large veins.",
			"Deep pressure on the inner calves and thighs, where clots are more likely during pregnancy.",
			"Deep pressure on the abdomen.",
			"Lying face down unless the table supports the abdomen and the client is comfortable.",
		},
		OutcomeMeasures: []string{"NPRS", "RMDQ", "PSFS", "GROC"},
		ICD10:           []string{"M54.50", "M54.59", "M53.3", "M54.6", "M62.831", "R60.0", "G56.03"},
		Goals: []GoalTemplate{
			painGoal("low back or pelvic pain at worst", 3),
			functionGoal(GoalShort, "hours of sleep before discomfort wakes the client", "hours", 4, BetterHigher),
			outcomeGoal(GoalLong, "RMDQ", unitPoints, 8, BetterLower),
		},
		References: []string{
			"Fogarty S, Werner R, James JL (2023). Applying scientific rationale to the current perceptions and explanations of massage and miscarriage in the first trimester. International Journal of Therapeutic Massage & Bodywork 16(1). doi:10.3822/ijtmb.v16i1.771.",
			"Field T (2010). Pregnancy and labor massage. Expert Review of Obstetrics & Gynecology 5(2):177-181.",
			refWalton2011,
		},
	},
	{
		Key: "anxiety_stress", Name: "Anxiety and stress-related tension",
		Summary: "Stress is the body's response to demands; anxiety is worry or fear that lasts beyond the situation or is out of proportion to it. Both keep the nervous system on alert, which shows in the body as raised muscle tension in the jaw, neck, shoulders and back, shallow breathing, poor sleep, headaches and fatigue. Massage lowers anxiety and tension in the short term, and in a trial reduced the symptoms of generalised anxiety disorder. It complements care from a mental health professional for an anxiety disorder and does not replace it.",
		RedFlags: []string{
			"Thoughts of self-harm or suicide: stay with the client and connect them with help the same day (988 in the US).",
			"Chest pain, breathlessness or palpitations that have not been assessed (rule out a heart or lung cause).",
			"Panic attacks, low mood or drinking that are getting worse: encourage the client to see their physician.",
			"A history of trauma: ask before touching sensitive areas and let the client stop at any time.",
		},
		Tests:      []string{"jaw_opening"},
		Motions:    []string{"cervical.rotation", "cervical.lateral_flexion"},
		Regions:    []string{"upper_trapezius", "levator_scapulae", "suboccipitals", "masseter", "temporalis", "pectoralis_minor", "cervical_paraspinals", "thoracic_paraspinals"},
		Techniques: []string{"swedish", "breathing_relaxation", "myofascial_release", "hydrotherapy_hot", "home_care_exercise"},
		Avoid: []string{
			"Deep or painful work that keeps the client on guard.",
			"Working areas the client has not agreed to: check in often and let them stop at any time.",
		},
		OutcomeMeasures: []string{"PSFS", "NPRS", "GROC"},
		ICD10:           []string{"F41.9", "F41.1", "M62.838"},
		Goals: []GoalTemplate{
			painGoal("neck and shoulder tension", 4),
			functionGoal(GoalShort, "nights a week of unbroken sleep", "nights", 4, BetterHigher),
			outcomeGoal(GoalLong, "PSFS", unitPain, 8, BetterHigher),
		},
		References: []string{
			"Rapaport MH, Schettler PJ, Larson ER, et al. (2016). Acute Swedish massage monotherapy successfully remediates symptoms of generalized anxiety disorder: a proof-of-concept, randomized controlled study. Journal of Clinical Psychiatry 77(7):e883-e891.",
			"Moyer CA, Rounds J, Hannum JW (2004). A meta-analysis of massage therapy research. Psychological Bulletin 130(1):3-18.",
			refStratford1995,
		},
	},
}

var conditionIndex = func() map[string]int {
	m := make(map[string]int, len(Library))
	for i, c := range Library {
		m[c.Key] = i
	}
	return m
}()

// ConditionByKey returns the library entry of key.
func ConditionByKey(key string) (Condition, bool) {
	i, ok := conditionIndex[key]
	if !ok {
		return Condition{}, false
	}
	return Library[i], true
}
