package care

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
)

// The default rules, one or more per row of the contraindication table in
// ../shared/reference/clinical.md §3. That table is a synthesis of Werner
// (ABMP "Pathology Conversations" and A Massage Therapist's Guide to
// Pathology), Walton (Medical Conditions and Massage Therapy: A Decision
// Tree Approach, LWW 2011, with its pressure scale 0–5) and the MBLEx
// outline's split of site-specific and pathology-related contraindications.
// Batavia 2004 (J Bodyw Mov Ther 8:48) found 21 sources listing 3 to 86
// contraindications, 76% without references: that is why every rule names
// its source and owners can review and change them.
//
// Where a number is ours and not the table's, the rule's Source says so.

// Sources cited by the default rules.
const (
	srcTable    = "Fascia reference table (clinical.md §3), synthesising Werner (ABMP Pathology Conversations), Walton 2011 and the MBLEx outline"
	srcWerner   = "Werner, A Massage Therapist's Guide to Pathology; ABMP Pathology Conversations"
	srcWerner42 = "Werner, ABMP Pathology Conversations ep. 42 (deep vein thrombosis)"
	srcWalton   = "Walton, Medical Conditions and Massage Therapy: A Decision Tree Approach (LWW 2011)"
	srcMBLEx    = "FSMTB MBLEx content outline: pathology-related and site-specific contraindications"
	srcFogarty  = "Fogarty, Werner & James 2023, IJTMB 16(1), doi:10.3822/ijtmb.v16i1.771"
	// Sweetland 2009 (Million Women Study): venous thromboembolism risk after
	// surgery is highest in the first 6 weeks, still raised at 7–12 weeks.
	srcSweetland = "Sweetland et al. 2009, BMJ 339:b4583 (clot risk highest in the first 6 weeks after surgery)"
)

// Modifications used by several rules.
const (
	// Walton's pressure scale: 0 is a still hold, 1 light lotioning, 2 heavy lotioning, 5 deep.
	modLightPressure = "light pressure only (Walton 0–2); no deep work or friction"
	modUnreliable    = "moderate pressure at most (Walton 0–3); watch the tissue, do not rely on the client's pain feedback"
)

// The systolic and diastolic rules share their reasons, so one reading
// that crosses both thresholds shows as one finding (see merge).
const (
	reasonCrisis = "Blood pressure of 180/110 or more is a hypertensive-crisis reading: retake it after 5 minutes' rest; if it is still that high, the client needs medical care today."
	reasonBPHigh = "Blood pressure of 160/100 or more (moderate hypertension): get the physician's clearance."
)

var (
	defaultsOnce sync.Once
	defaults     []Rule
	defaultsHash string
)

// DefaultRules returns the default rules, enabled and marked Builtin. Every
// call returns a new slice the caller may change.
func DefaultRules() []Rule {
	defaultsOnce.Do(buildDefaults)
	out := make([]Rule, len(defaults))
	copy(out, defaults)
	return out
}

// DefaultRule returns the default rule with key, if there is one.
func DefaultRule(key string) (Rule, bool) {
	defaultsOnce.Do(buildDefaults)
	for _, r := range defaults {
		if r.Key == key {
			return r, true
		}
	}
	return Rule{}, false
}

// DefaultRulesHash changes whenever the default rules change, so stores
// know when to add defaults a new release brought.
func DefaultRulesHash() string {
	defaultsOnce.Do(buildDefaults)
	return defaultsHash
}

func buildDefaults() {
	cond := func(key string) Trigger { return Trigger{Kind: TriggerCondition, Value: key} }
	med := func(key string) Trigger { return Trigger{Kind: TriggerMedicationClass, Value: key} }
	n := func(k TriggerKind, v int) Trigger { return Trigger{Kind: k, N: v} }
	defaults = []Rule{
		// Fever; acute systemic or contagious infection → AVOID (reschedule).
		{Key: "default.fever", Trigger: cond("fever"), Level: LevelAvoid,
			Reason: "Fever or a contagious illness: the body is fighting an infection, massage adds to the load and others can catch it. Reschedule.",
			Source: srcTable + "; " + srcMBLEx},
		{Key: "default.acute_infection", Trigger: cond("acute_infection"), Level: LevelAvoid,
			Reason: "An infection under treatment right now is a systemic condition: reschedule until it has cleared.",
			Source: srcTable + "; " + srcMBLEx},

		// Suspected DVT (one leg hot, swollen, painful) → AVOID + urgent referral.
		{Key: "default.suspected_dvt", Trigger: cond("suspected_dvt"), Level: LevelAvoid,
			Reason: "A hot, swollen, painful limb may be a blood clot (deep vein thrombosis); massage could dislodge it. No massage until a physician has ruled it out.",
			Source: srcWerner42},
		{Key: "default.suspected_dvt.refer", Trigger: cond("suspected_dvt"), Level: LevelReferUrgent,
			Reason: "Possible deep vein thrombosis: the client should see a physician today.",
			Source: srcWerner42},

		// Diagnosed DVT or PE, on treatment → clearance; avoid locally on the limb.
		// Walton: precautions continue for at least 6 months.
		{Key: "default.dvt_history", Trigger: cond("dvt_history"), Level: LevelClearance,
			Reason: "A diagnosed blood clot or pulmonary embolism: get the physician's clearance; precautions continue for at least 6 months.",
			Source: srcWalton},
		{Key: "default.dvt_history.limb", Trigger: cond("dvt_history"), Level: LevelAvoidLocal, Region: "the limb with the clot (ask the client which)",
			Modification: "no massage of the affected limb",
			Reason:       "Pressure on a limb with a clot risks dislodging it.",
			Source:       srcWalton},

		// Anticoagulants or antiplatelets; low platelets → MODIFY (gentle pressure only).
		{Key: "default.anticoagulant", Trigger: med("anticoagulant"), Level: LevelModify, Modification: modLightPressure,
			Reason: "The client takes an anticoagulant (blood thinner): bruising and bleeding under the skin come easily.",
			Source: srcWalton + "; " + srcTable},
		{Key: "default.antiplatelet", Trigger: med("antiplatelet"), Level: LevelModify, Modification: modLightPressure,
			Reason: "The client takes an antiplatelet medicine: bruising and bleeding under the skin come easily.",
			Source: srcWalton + "; " + srcTable},
		{Key: "default.bleeding_disorder", Trigger: cond("bleeding_disorder"), Level: LevelModify, Modification: modLightPressure,
			Reason: "A bleeding disorder or low platelets: bruising and bleeding under the skin come easily.",
			Source: srcWalton + "; " + srcTable},

		// Recent surgery → avoid locally at the incision; clearance if recent.
		// Both windows are ours: 42 days is the 6 weeks of highest clot risk
		// (Sweetland 2009); 90 days for the incision is our product decision
		// (the table gives no number; a scar is fragile for months).
		{Key: "default.surgery.site", Trigger: n(TriggerSurgeryWithin, 90), Level: LevelAvoidLocal, Region: AtSite,
			Modification: "no pressure on or around the incision until it has fully healed",
			Reason:       "Surgery in the last 90 days: the incision and the tissue around it are still healing.",
			Source:       srcTable + "; 90-day window: Fascia's choice"},
		{Key: "default.surgery.clearance", Trigger: n(TriggerSurgeryWithin, 42), Level: LevelClearance,
			Reason: "Surgery in the last 6 weeks: clot risk is at its highest; get the surgeon's or physician's clearance.",
			Source: srcTable + "; 42-day window: " + srcSweetland},

		// Active cancer treatment → MODIFY (pressure, site, position); clearance if neutropenic.
		{Key: "default.cancer_treatment", Trigger: cond("cancer_treatment"), Level: LevelModify,
			Modification: "adjust pressure, site and position: light pressure (Walton 0–2), avoid treatment sites and ports, position for comfort",
			Reason:       "Cancer treatment now or in the last year. Massage does not spread cancer (a myth); the treatment's effects are what need care.",
			Source:       srcWalton},
		{Key: "default.chemotherapy", Trigger: med("chemotherapy"), Level: LevelModify,
			Modification: "adjust pressure, site and position: light pressure (Walton 0–2), avoid the port or line, position for comfort",
			Reason:       "The client takes chemotherapy or immunotherapy: skin, blood counts and veins may be affected.",
			Source:       srcWalton},
		{Key: "default.neutropenia", Trigger: cond("neutropenia"), Level: LevelClearance,
			Reason: "A low white blood cell count makes infection likely: get the oncologist's clearance.",
			Source: srcWalton},

		// Lymph nodes removed or lymphedema → MODIFY (light pressure on that quadrant, lifelong).
		{Key: "default.lymph_nodes_removed", Trigger: cond("lymph_nodes_removed"), Level: LevelModify,
			Modification: "light pressure (Walton 0–2) on the body quadrant whose nodes were removed, for life",
			Reason:       "Lymph nodes removed: the quadrant they drained is at lifelong risk of lymphedema.",
			Source:       srcWalton},
		{Key: "default.lymphedema", Trigger: cond("lymphedema"), Level: LevelModify,
			Modification: "light pressure (Walton 0–2) on the affected quadrant; no deep work there",
			Reason:       "Lymphedema: deeper pressure can worsen the swelling.",
			Source:       srcWalton},

		// Pregnancy, first trimester, low-risk → MODIFY (positioning only).
		// The miscarriage claim is a myth (Fogarty, Werner & James 2023).
		{Key: "default.pregnancy", Trigger: Trigger{Kind: TriggerPregnancy}, Level: LevelModify,
			Modification: "positioning: side-lying or semi-reclined with support; not flat on the back in later pregnancy",
			Reason:       "Pregnant: adjust the position for comfort and circulation.",
			Source:       srcFogarty},
		{Key: "default.pregnancy.first_trimester", Trigger: n(TriggerPregnancyWeeks, 13), Level: LevelModify,
			Modification: "positioning for comfort only; nothing else needs to change",
			Reason:       "First trimester: massage does not cause miscarriage (a myth); only positioning changes.",
			Source:       srcFogarty},

		// High-risk pregnancy or preeclampsia → clearance.
		{Key: "default.high_risk_pregnancy", Trigger: cond("high_risk_pregnancy"), Level: LevelClearance,
			Reason: "A high-risk pregnancy: get the obstetrician's or midwife's clearance.",
			Source: srcTable + "; " + srcFogarty},
		{Key: "default.preeclampsia", Trigger: cond("preeclampsia"), Level: LevelClearance,
			Reason: "Preeclampsia (high blood pressure in pregnancy): get the obstetrician's or midwife's clearance.",
			Source: srcTable + "; " + srcFogarty},

		// Osteoporosis → MODIFY (no forceful pressure or mobilisation); severe → clearance.
		{Key: "default.osteoporosis", Trigger: cond("osteoporosis"), Level: LevelModify,
			Modification: "no forceful pressure or joint mobilisation; moderate pressure at most (Walton 0–3)",
			Reason:       "Osteoporosis or osteopenia: bones break more easily under force.",
			Source:       srcTable + "; " + srcWalton},
		{Key: "default.osteoporosis_severe", Trigger: cond("osteoporosis_severe"), Level: LevelClearance,
			Reason: "Severe osteoporosis, or a fracture from a minor fall: get the physician's clearance.",
			Source: srcTable + "; " + srcWalton},
		{Key: "default.osteoporosis_severe.modify", Trigger: cond("osteoporosis_severe"), Level: LevelModify,
			Modification: "light pressure (Walton 0–2); no joint mobilisation",
			Reason:       "Severe osteoporosis: bones can break under ordinary pressure.",
			Source:       srcTable + "; " + srcWalton},

		// Varicose veins → avoid locally deep pressure over and distal to them.
		{Key: "default.varicose_veins", Trigger: cond("varicose_veins"), Level: LevelAvoidLocal, Region: "over and below (distal to) the varicose veins",
			Modification: "no deep pressure over or below them; light strokes toward the heart are fine",
			Reason:       "Varicose veins are fragile and may hide clots.",
			Source:       srcTable + "; " + srcWerner},

		// Uncontrolled or unstable hypertension → AVOID / CLEARANCE; controlled → MODIFY.
		{Key: "default.hypertension_uncontrolled", Trigger: cond("hypertension_uncontrolled"), Level: LevelClearance,
			Reason: "High blood pressure that is not under control: get the physician's clearance.",
			Source: srcTable},
		{Key: "default.hypertension", Trigger: cond("hypertension"), Level: LevelModify,
			Modification: "let the client rise slowly from the table; avoid long head-down positions",
			Reason:       "Controlled high blood pressure: medication can make the client dizzy on standing.",
			Source:       srcTable},
		{Key: "default.antihypertensive", Trigger: med("antihypertensive"), Level: LevelModify,
			Modification: "let the client rise slowly from the table",
			Reason:       "Blood pressure medication: the client may be dizzy on standing after lying down.",
			Source:       srcTable},
		// Thresholds are ours. 180/110: the American Heart Association's
		// hypertensive-crisis reading (its 2012 page; the current AHA chart says
		// 180/120, so ours is the more cautious) and ESC/ESH 2018 grade 3.
		// 160/100: ESC/ESH 2018 grade 2 (moderate) hypertension.
		{Key: "default.bp_crisis.systolic", Trigger: n(TriggerSystolicAtLeast, 180), Level: LevelReferUrgent,
			Reason: reasonCrisis,
			Source: "American Heart Association, hypertensive crisis (180/110, 2012; 180/120 since 2017); ESC/ESH 2018 grade 3. Threshold: Fascia's choice"},
		{Key: "default.bp_crisis.diastolic", Trigger: n(TriggerDiastolicAtLeast, 110), Level: LevelReferUrgent,
			Reason: reasonCrisis,
			Source: "American Heart Association, hypertensive crisis (180/110, 2012; 180/120 since 2017); ESC/ESH 2018 grade 3. Threshold: Fascia's choice"},
		{Key: "default.bp_high.systolic", Trigger: n(TriggerSystolicAtLeast, 160), Level: LevelClearance,
			Reason: reasonBPHigh,
			Source: "ESC/ESH 2018 guidelines, grade 2 hypertension (160–179/100–109). Threshold: Fascia's choice"},
		{Key: "default.bp_high.diastolic", Trigger: n(TriggerDiastolicAtLeast, 100), Level: LevelClearance,
			Reason: reasonBPHigh,
			Source: "ESC/ESH 2018 guidelines, grade 2 hypertension (160–179/100–109). Threshold: Fascia's choice"},

		// Open wound, burn, local skin infection → avoid locally.
		{Key: "default.open_wound", Trigger: cond("open_wound"), Level: LevelAvoidLocal, Region: "site of the wound, burn or rash",
			Modification: "no contact with the area; keep lotion away from it",
			Reason:       "Open skin lets infection in and is painful to touch.",
			Source:       srcTable + "; " + srcMBLEx},
		{Key: "default.skin_infection", Trigger: cond("skin_infection"), Level: LevelAvoidLocal, Region: "site of the skin infection",
			Modification: "no contact with the area; cover it; wash hands and linens as after any infection",
			Reason:       "A skin infection can spread to other areas and to the therapist.",
			Source:       srcTable + "; " + srcMBLEx},

		// Acute injury (< 72 h) or suspected fracture → avoid locally + refer.
		// "Refer" for a fresh injury is a physician's assessment (clearance);
		// a possible fracture is sent on today (refer urgently).
		{Key: "default.acute_injury", Trigger: cond("acute_injury"), Level: LevelAvoidLocal, Region: "site of the injury",
			Modification: "no massage of the injured area in the first 72 hours",
			Reason:       "An injury in the last 3 days is still acutely inflamed.",
			Source:       srcTable + "; " + srcMBLEx},
		{Key: "default.acute_injury.refer", Trigger: cond("acute_injury"), Level: LevelClearance,
			Reason: "A fresh injury should be assessed by a physician before it is treated.",
			Source: srcTable},
		{Key: "default.recent_injury", Trigger: n(TriggerInjuryWithin, 3), Level: LevelAvoidLocal, Region: AtSite,
			Modification: "no massage of the injured area in the first 72 hours",
			Reason:       "An injury in the last 3 days is still acutely inflamed.",
			Source:       srcTable + "; " + srcMBLEx},
		{Key: "default.recent_injury.refer", Trigger: n(TriggerInjuryWithin, 3), Level: LevelClearance,
			Reason: "A fresh injury should be assessed by a physician before it is treated.",
			Source: srcTable},
		{Key: "default.suspected_fracture", Trigger: cond("suspected_fracture"), Level: LevelAvoidLocal, Region: "site of the possible fracture",
			Modification: "no pressure or movement of the area",
			Reason:       "A possible broken bone that has not been checked.",
			Source:       srcTable},
		{Key: "default.suspected_fracture.refer", Trigger: cond("suspected_fracture"), Level: LevelReferUrgent,
			Reason: "A possible fracture needs an X-ray: the client should see a physician today.",
			Source: srcTable},

		// Aneurysm → avoid locally + clearance (Werner ep. 42 also covers aortic aneurysm).
		{Key: "default.aneurysm", Trigger: cond("aneurysm"), Level: LevelAvoidLocal, Region: "over the aneurysm (for an aortic aneurysm, the abdomen)",
			Modification: "no pressure over the aneurysm",
			Reason:       "Pressure over an aneurysm could rupture it.",
			Source:       srcTable + "; " + srcWerner42},
		{Key: "default.aneurysm.clearance", Trigger: cond("aneurysm"), Level: LevelClearance,
			Reason: "An aneurysm: get the physician's clearance and ask where it is.",
			Source: srcTable + "; " + srcWerner42},

		// Undiagnosed lump or unexplained pain → avoid locally + refer.
		{Key: "default.undiagnosed_lump", Trigger: cond("undiagnosed_lump"), Level: LevelAvoidLocal, Region: "over the lump or the unexplained pain",
			Modification: "no pressure over it",
			Reason:       "A lump or pain no doctor has looked at yet.",
			Source:       srcTable},
		{Key: "default.undiagnosed_lump.refer", Trigger: cond("undiagnosed_lump"), Level: LevelClearance,
			Reason: "Refer the client to a physician to look at the lump or pain; record their note when it comes.",
			Source: srcTable},

		// Diabetic neuropathy; analgesics or muscle relaxants → MODIFY (feedback unreliable).
		{Key: "default.diabetic_neuropathy", Trigger: cond("diabetic_neuropathy"), Level: LevelModify, Modification: modUnreliable,
			Reason: "Reduced feeling from diabetes: the client may not notice pressure that is too much.",
			Source: srcTable + "; " + srcWalton},
		{Key: "default.analgesic", Trigger: med("analgesic"), Level: LevelModify, Modification: modUnreliable,
			Reason: "Pain medication dulls the client's feedback on pressure.",
			Source: srcTable + "; " + srcWalton},
		{Key: "default.muscle_relaxant", Trigger: med("muscle_relaxant"), Level: LevelModify, Modification: modUnreliable + "; help the client up from the table",
			Reason: "Muscle relaxants dull the client's feedback and can make them drowsy or unsteady.",
			Source: srcTable + "; " + srcWalton},

		// Implanted devices: the table's cancer row names ports (modify the
		// site); Fascia extends "avoid the site" to every implanted device.
		{Key: "default.implanted_device", Trigger: Trigger{Kind: TriggerImplantedDevice}, Level: LevelAvoidLocal, Region: "over the implanted device",
			Modification: "no pressure over the device or its leads, lines or tubing",
			Reason:       "Pressure can move or damage an implanted device (pacemaker, port, pump, stimulator).",
			Source:       srcWalton + " (ports); extended to every implanted device: Fascia's choice"},
	}
	h := sha256.New()
	for i := range defaults {
		defaults[i].Enabled, defaults[i].Builtin = true, true
		fmt.Fprintf(h, "%#v\n", defaults[i])
	}
	defaultsHash = hex.EncodeToString(h.Sum(nil))[:16]
}
