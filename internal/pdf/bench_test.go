package pdf

import (
	"testing"

	"github.com/fascia-health/fascia/internal/assess"
)

// benchDoc is a heavy evaluation: 50 body-chart marks, 20 range-of-motion
// rows and 8 special tests (issue #4: the evaluation PDF in under 300 ms).
func benchDoc() EvaluationDoc {
	doc := sampleDoc()
	e := doc.Eval
	kinds := []string{"pain", "trigger_point", "hypertonicity", "adhesion", "tenderness", "numbness", "swelling", "scar", "treated"}
	regions := []struct{ view, region string }{
		{"anterior", "pectoralis_major"}, {"anterior", "forearm_flexors"}, {"anterior", "quadriceps"},
		{"posterior", "upper_trapezius"}, {"posterior", "rhomboids"}, {"posterior", "hamstrings"},
		{"posterior", "gluteus_medius"}, {"lateral", "scalenes"}, {"lateral", "sternocleidomastoid"},
	}
	e.Marks = e.Marks[:0]
	for i := range 50 {
		r := regions[i%len(regions)]
		side := "left"
		if i%2 == 1 {
			side = "right"
		}
		e.Marks = append(e.Marks, assess.Mark{
			View: r.view, Region: r.region, Side: side,
			X: 0.3 + float64(i%5)*0.1, Y: 0.1 + float64(i%8)*0.1,
			Kind: kinds[i%len(kinds)], Intensity: 1 + i%3,
			Note: "tender on palpation, eases with sustained pressure",
		})
	}
	motions := []string{"cervical.rotation", "cervical.lateral_flexion", "shoulder.flexion", "shoulder.abduction",
		"shoulder.external_rotation", "elbow.flexion", "wrist.flexion", "wrist.extension", "hip.flexion", "knee.flexion"}
	e.ROM = e.ROM[:0]
	for i, m := range motions {
		mo, _ := assess.MotionByKey(m)
		e.ROM = append(e.ROM,
			assess.ROM{Motion: m, Side: "left", Degrees: mo.Normal * (70 + i*3) / 100, Pain: i%3 == 0},
			assess.ROM{Motion: m, Side: "right", Degrees: mo.Normal * 95 / 100})
	}
	tests := []string{"phalen", "reverse_phalen", "tinel_wrist", "finkelstein", "spurling", "straight_leg_raise", "golfers_elbow", "jaw_opening"}
	e.Tests = e.Tests[:0]
	for i, k := range tests {
		res := "negative"
		if i%3 == 0 {
			res = "positive"
		}
		e.Tests = append(e.Tests, assess.TestResult{Test: k, Side: "right", Result: res, Note: "reproduced the familiar symptoms"})
	}
	return doc
}

func BenchmarkEvaluationPDF(b *testing.B) {
	doc := benchDoc()
	if len(doc.Eval.Marks) != 50 || len(doc.Eval.ROM) != 20 || len(doc.Eval.Tests) != 8 {
		b.Fatalf("bench document has %d marks, %d ROM rows, %d tests", len(doc.Eval.Marks), len(doc.Eval.ROM), len(doc.Eval.Tests))
	}
	var size int
	for b.Loop() {
		pdf, err := Evaluation(doc)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

func BenchmarkPlanOfCarePDF(b *testing.B) {
	doc := samplePlanDoc()
	for b.Loop() {
		if _, err := PlanOfCare(doc); err != nil {
			b.Fatal(err)
		}
	}
}
