package icd10_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
)

// line builds an order-file line from its fields, padded to the layout.
func line(order int, code string, flag byte, short, long string) string {
	return fmt.Sprintf("%05d %-7s %c %-60s %s", order, code, flag, short, long)
}

var good = []string{
	line(1, "M54", '0', "Dorsalgia", "Dorsalgia"),
	line(2, "M542", '1', "Cervicalgia", "Cervicalgia"),
	line(3, "M545", '0', "Low back pain", "Low back pain"),
	line(4, "M5450", '1', "Low back pain, unspecified", "Low back pain, unspecified"),
	line(5, "S134XXA", '1', "Sprain of ligaments of cervical spine, initial encounter", "Sprain of ligaments of cervical spine, initial encounter"),
	line(6, "M7090", '1', "Unsp soft tissue disord related to use/pressure of unsp site", "Unspecified soft tissue disorder related to use, overuse and pressure of unspecified site"),
}

func TestParseOrderFile(t *testing.T) {
	for _, tc := range []struct {
		name, file string
	}{
		{"LF", strings.Join(good, "\n") + "\n"},
		{"CRLF", strings.Join(good, "\r\n") + "\r\n"},
		{"no final newline", strings.Join(good, "\n")},
		{"blank lines at the end", strings.Join(good, "\n") + "\n\n  \n"},
		{"trailing spaces after the long title", strings.Join(good, "   \n") + "   \n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, err := icd10.ParseOrderEntries(strings.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != len(good) {
				t.Fatalf("%d entries, want %d", len(es), len(good))
			}
			want := []icd10.Entry{
				{Code: icd10.Code{Code: "M54", Title: "Dorsalgia"}, Short: "Dorsalgia"},
				{Code: icd10.Code{Code: "M54.2", Title: "Cervicalgia", Billable: true}, Short: "Cervicalgia"},
				{Code: icd10.Code{Code: "M54.5", Title: "Low back pain"}, Short: "Low back pain"},
				{Code: icd10.Code{Code: "M54.50", Title: "Low back pain, unspecified", Billable: true}, Short: "Low back pain, unspecified"},
				{Code: icd10.Code{Code: "S13.4XXA", Title: "Sprain of ligaments of cervical spine, initial encounter", Billable: true}, Short: "Sprain of ligaments of cervical spine, initial encounter"},
				{Code: icd10.Code{Code: "M70.90", Title: "Unspecified soft tissue disorder related to use, overuse and pressure of unspecified site", Billable: true},
					Short: "Unsp soft tissue disord related to use/pressure of unsp site"},
			}
			for i := range want {
				if es[i] != want[i] {
					t.Errorf("entry %d: %+v, want %+v (the long title is the title)", i, es[i], want[i])
				}
			}
			cs, err := icd10.ParseOrderFile(strings.NewReader(tc.file))
			if err != nil || len(cs) != len(want) || cs[5] != want[5].Code {
				t.Errorf("ParseOrderFile: %v %+v", err, cs)
			}
		})
	}
}

func TestParseOrderFileMalformed(t *testing.T) {
	ok := good[0] + "\n" + good[1] + "\n"
	long := strings.Repeat("x", 2000)
	for _, tc := range []struct {
		name string
		file string
		line int
		says string
	}{
		{"empty file", "", 0, "no codes"},
		{"only blank lines", "\n\n", 0, "no codes"},
		{"short line", ok + "00003 M545    0 Low back pain\n", 3, "at least 78"},
		{"letters in the order number", ok + strings.Replace(good[2], "00003", "0000x", 1) + "\n", 3, "order number"},
		{"order numbers out of order", ok + strings.Replace(good[2], "00003", "00002", 1) + "\n", 3, "does not follow"},
		{"code shifted a column", ok + "00003  M545   0 Low back pain" + strings.Repeat(" ", 47) + " Low back pain\n", 3, "columns 7-13"},
		{"code with a dot", ok + line(3, "M54.5", '0', "Low back pain", "Low back pain") + "\n", 3, "not an ICD-10-CM code"},
		{"lower-case code", ok + line(3, "m545", '0', "Low back pain", "Low back pain") + "\n", 3, "not an ICD-10-CM code"},
		{"code too short", ok + line(3, "M5", '0', "Low back pain", "Low back pain") + "\n", 3, "not an ICD-10-CM code"},
		{"space inside the code", ok + line(3, "M5 45", '0', "Low back pain", "Low back pain") + "\n", 3, "padded with spaces"},
		{"flag not 0 or 1", ok + line(3, "M545", 'Y', "Low back pain", "Low back pain") + "\n", 3, "column 15"},
		{"no space after the flag", ok + strings.Replace(good[2], "0 Low", "0XLow", 1) + "\n", 3, "column 16"},
		{"empty short title", ok + line(3, "M545", '0', "", "Low back pain") + "\n", 3, "short title"},
		{"empty long title", ok + line(3, "M545", '0', "Low back pain", "") + "  \n", 3, "long title"},
		{"long title starts with a space", ok + line(3, "M545", '0', "Low back pain", " Low back pain") + "\n", 3, "long title"},
		{"short title longer than 60", ok + "00003 M545    0 " + strings.Repeat("a", 61) + " Low back pain\n", 3, "column 77"},
		{"duplicate code", ok + line(3, "M542", '1', "Cervicalgia", "Cervicalgia") + "\n", 3, "appears twice (first on line 2)"},
		{"tab in a title", ok + line(3, "M545", '0', "Low back pain", "Low\tback pain") + "\n", 3, "control character"},
		{"NUL byte", ok + line(3, "M545", '0', "Low back pain", "Low back\x00pain") + "\n", 3, "control character"},
		{"invalid UTF-8", ok + line(3, "M545", '0', "Low back pain", "Low back \xff pain") + "\n", 3, "UTF-8"},
		{"blank line in the middle", ok + "\n" + good[2] + "\n", 3, "blank line"},
		{"line far too long", ok + line(3, "M545", '0', "Low back pain", long) + "\n" + good[3] + "\n", 3, "longer than"},
		{"not an order file", "code,title\nM54.2,Cervicalgia\n", 1, "at least 78"},
		{"CSV of the right length", strings.Repeat("a,", 50) + "\n", 1, "order number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, err := icd10.ParseOrderEntries(strings.NewReader(tc.file))
			if err == nil {
				t.Fatalf("accepted: %d entries", len(es))
			}
			if es != nil {
				t.Errorf("returned %d entries with the error: a malformed file must give none", len(es))
			}
			var pe *icd10.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T %v, want *icd10.ParseError", err, err)
			}
			if pe.Line != tc.line || !strings.Contains(pe.Msg, tc.says) {
				t.Errorf("error %q (line %d), want line %d saying %q", err, pe.Line, tc.line, tc.says)
			}
			if tc.line > 0 && !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", tc.line)) {
				t.Errorf("error %q does not start with its line number", err)
			}
		})
	}
}

func TestWriteOrderFileRoundTrip(t *testing.T) {
	es := icd10test.Small()
	got, err := icd10.ParseOrderEntries(bytes.NewReader(icd10test.OrderFile(es)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(es) {
		t.Fatalf("%d entries back, want %d", len(got), len(es))
	}
	for i := range es {
		if got[i] != es[i] {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], es[i])
		}
	}
}

func TestParseRelease2022(t *testing.T) {
	es := icd10test.LoadRelease2022(t)
	if len(es) != 95524 {
		t.Errorf("%d codes, want 95524 (the README's count)", len(es))
	}
	billable := 0
	for _, e := range es {
		if e.Billable {
			billable++
		}
	}
	if billable != 72748 {
		t.Errorf("%d billable codes, want 72748", billable)
	}
	s := icd10.NewSetFrom(2022, icd10test.ReleaseName, es)
	for code, billable := range map[string]bool{"G35": true, "M54.5": false, "M54.50": true, "M79.1": false, "M79.18": true, "S13.4XXA": true} {
		c, ok := s.Lookup(code)
		if !ok || c.Billable != billable {
			t.Errorf("FY2022 %s: %+v %v, want billable=%v", code, c, ok, billable)
		}
	}
	if got := s.ShortTitle("M70.90"); got != "Unsp soft tissue disord related to use/pressure of unsp site" {
		t.Errorf("short title of M70.90: %q", got)
	}
}

func FuzzParseOrderFile(f *testing.F) {
	f.Add([]byte(strings.Join(good, "\n") + "\n"))
	f.Add([]byte(strings.Join(good, "\r\n")))
	f.Add(icd10test.OrderFile(icd10test.Small()))
	f.Add([]byte(""))
	f.Add([]byte("\n\n"))
	f.Add([]byte(good[0] + "\n\n" + good[1]))
	f.Add([]byte("00001 M54     0 Dorsalgia\n"))
	f.Add([]byte(line(1, "M54", '1', "\xff", "\x00")))
	if p := icd10test.ReleasePath(); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b[:20000])
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := icd10.ParseOrderEntries(bytes.NewReader(b))
		if err != nil {
			var pe *icd10.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T, want *ParseError: %v", err, err)
			}
			if es != nil {
				t.Fatalf("entries with an error")
			}
			if pe.Line < 0 || pe.Line > bytes.Count(b, []byte("\n"))+1 {
				t.Fatalf("error on line %d of a %d-line input", pe.Line, bytes.Count(b, []byte("\n"))+1)
			}
			return
		}
		if len(es) == 0 {
			t.Fatal("no error and no codes")
		}
		seen := map[string]bool{}
		for _, e := range es {
			k := icd10.Key(e.Code.Code)
			if seen[k] || e.Code.Code != icd10.Format(k) || e.Title == "" || e.Short == "" || len(e.Short) > 60 {
				t.Fatalf("bad entry accepted: %+v", e)
			}
			if strings.ContainsAny(e.Title+e.Short, "\x00\r\n\t") {
				t.Fatalf("control character accepted: %+v", e)
			}
			seen[k] = true
		}
		// What was read writes back to the same codes.
		again, err := icd10.ParseOrderEntries(bytes.NewReader(icd10test.OrderFile(es)))
		if err != nil || len(again) != len(es) {
			t.Fatalf("round trip: %v (%d vs %d)", err, len(again), len(es))
		}
		for i := range es {
			if again[i] != es[i] {
				t.Fatalf("round trip changed %+v into %+v", es[i], again[i])
			}
		}
		// A set builds from it, and searching it does not panic.
		s := icd10.NewSetFrom(2022, "fuzz", es)
		s.Search(es[0].Title, 5)
		s.Search(es[0].Code.Code, 5)
		s.Check(es[0].Code.Code)
	})
}
