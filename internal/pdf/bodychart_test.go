package pdf

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"

	"github.com/fascia-health/fascia/internal/assess"
)

// chartMarks is a chart with a mark of every kind, on all three figures,
// one of them on both sides.
func chartMarks(t *testing.T) []assess.Mark {
	t.Helper()
	places := []struct{ view, region, side string }{
		{"anterior", "pectoralis_major", "right"},
		{"posterior", "upper_trapezius", "left"},
		{"posterior", "lumbar_paraspinals", "bilateral"},
		{"posterior", "it_band", "right"},
		{"anterior", "knee", "left"},
		{"anterior", "wrist", "right"},
		{"anterior", "ankle", "left"},
		{"anterior", "abdominals", "midline"},
		{"lateral", "masseter", "right"},
	}
	var ms []assess.Mark
	for i, k := range assess.MarkKinds {
		p := places[i]
		x, y, ok := assess.RegionSpot(p.view, p.region, p.side)
		if !ok {
			t.Fatalf("no spot for %v", p)
		}
		ms = append(ms, assess.Mark{View: p.view, Region: p.region, Side: p.side, X: x, Y: y, Kind: k.Key, Intensity: i%3 + 1})
	}
	if err := assess.ValidateMarks(ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestBodyChartPDF(t *testing.T) {
	ms := chartMarks(t)
	f := fpdf.New("P", "mm", "Letter", "")
	f.SetMargins(16, 13, 16)
	f.AddPage()
	f.SetFont("Helvetica", "B", 10)
	f.SetDrawColor(10, 20, 30)
	f.SetFillColor(40, 50, 60)
	f.SetTextColor(70, 80, 90)
	f.SetLineWidth(0.3)
	f.Text(16, 18, "Palpation")

	const x, y, w = 16.0, 22.0, 183.9
	h := BodyChart(f, x, y, w, ms)
	d := assess.ChartDrawing(ms, assess.SVGOptions{})
	if want := w * d.Height / d.Width; math.Abs(h-want) > 1e-9 || h < 100 || h > 200 {
		t.Errorf("height used %.2f mm, want %.2f (the drawing's proportions) and a readable size", h, want)
	}
	if f.Err() {
		t.Fatalf("fpdf: %v", f.Error())
	}
	// The page's own settings are as they were.
	if r, g, b := f.GetDrawColor(); r != 10 || g != 20 || b != 30 {
		t.Errorf("draw colour left at %d,%d,%d", r, g, b)
	}
	if r, g, b := f.GetFillColor(); r != 40 || g != 50 || b != 60 {
		t.Errorf("fill colour left at %d,%d,%d", r, g, b)
	}
	if r, g, b := f.GetTextColor(); r != 70 || g != 80 || b != 90 {
		t.Errorf("text colour left at %d,%d,%d", r, g, b)
	}
	if f.GetLineWidth() != 0.3 {
		t.Errorf("line width left at %v", f.GetLineWidth())
	}
	if pt, _ := f.GetFontSize(); pt != 10 {
		t.Errorf("font size left at %v", pt)
	}
	f.Text(16, y+h+6, "After the chart")

	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if keep := os.Getenv("FASCIA_KEEP_PDF"); keep != "" {
		dir = keep
	}
	file := filepath.Join(dir, "bodychart.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, want := range []string{"Front", "Back", "Head and neck, right side", "Key", "Size:", "mild", "moderate", "severe", "After the chart"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF does not say %q", want)
		}
	}
	for _, k := range assess.MarkKinds {
		if !strings.Contains(text, k.Label) {
			t.Errorf("the legend lacks %q", k.Label)
		}
	}
	// Every mark carries its number, as the list beside it does.
	fields := strings.Fields(text)
	for n := 1; n <= len(ms); n++ {
		found := false
		for _, fd := range fields {
			found = found || fd == strconv.Itoa(n)
		}
		if !found {
			t.Errorf("mark %d's number is not on the chart", n)
		}
	}

	// poppler draws it without complaint (a broken path would stop it).
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		png := filepath.Join(dir, "bodychart")
		if out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-singlefile", file, png).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("pdftoppm: %v %s", err, out)
		}
		if st, err := os.Stat(png + ".png"); err != nil || st.Size() < 10000 {
			t.Errorf("rendered page: %v", err)
		}
	}
}

// An empty chart still draws the figures (to chart on paper by hand), and
// a bad box draws nothing.
func TestBodyChartPDFEdges(t *testing.T) {
	f := fpdf.New("P", "mm", "Letter", "")
	f.AddPage()
	f.SetFont("Helvetica", "", 10)
	if h := BodyChart(f, 16, 20, 120, nil); h <= 0 {
		t.Errorf("an empty chart used %v mm", h)
	}
	if h := BodyChart(f, 16, 20, 0, chartMarks(t)); h != 0 {
		t.Errorf("a chart of no width used %v mm", h)
	}
	if f.Err() {
		t.Fatal(f.Error())
	}
}

func TestChartRGB(t *testing.T) {
	tests := []struct {
		in      string
		r, g, b int
	}{
		{"#c62828", 0xc6, 0x28, 0x28},
		{"#ffffff", 255, 255, 255},
		{"", 0, 0, 0},
		{"red", 0, 0, 0},
		{"#zzzzzz", 0, 0, 0},
	}
	for _, tc := range tests {
		if r, g, b := chartRGB(tc.in); r != tc.r || g != tc.g || b != tc.b {
			t.Errorf("chartRGB(%q) = %d,%d,%d", tc.in, r, g, b)
		}
	}
}
