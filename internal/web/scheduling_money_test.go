package web

// Amounts typed in dollars on the scheduling forms: the table of what is
// read and refused, and a fuzz test that nothing typed panics and that what
// the form shows reads back as the same cents.

import (
	"strings"
	"testing"
)

func TestSchedParseDollars(t *testing.T) {
	for _, c := range []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"45", 4500, true}, {"45.00", 4500, true}, {"$45", 4500, true}, {"45.5", 4550, true}, {" $ 7.05 ", 705, true},
		{"$1,250.00", 125000, true}, {"12,500,000", 1250000000, true}, {".5", 50, true}, {"0", 0, true},
		{"-45", -4500, true}, {"-$45", -4500, true}, {"$-45", -4500, true},
		{"", 0, false}, {"$", 0, false}, {".", 0, false}, {"45.", 0, false}, {"45.001", 0, false}, {"4,5", 0, false},
		{"1,25", 0, false}, {"1234,567", 0, false}, {"forty", 0, false}, {"1e3", 0, false}, {"45$", 0, false},
		{"+45", 0, false}, {"--45", 0, false}, {"4 5", 0, false}, {"1000000000", 0, false}, {"٤٥", 0, false}, {"45.5\x00", 0, false},
	} {
		got, err := schedParseDollars(c.in)
		if (err == nil) != c.ok || got != c.cents && c.ok {
			t.Errorf("schedParseDollars(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.cents, c.ok)
		}
	}
}

func FuzzSchedParseDollars(f *testing.F) {
	for _, s := range []string{"45", "$1,250.00", "-$0.05", ".5", "1,2,3", "99999999999999999999", "$\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := schedParseDollars(s)
		if err != nil {
			return
		}
		if c > 999_999_999_99 || c < -999_999_999_99 {
			t.Fatalf("%q read as %d cents, beyond the bound", s, c)
		}
		back, err := schedParseDollars(schedDollars(c))
		if err != nil || back != c {
			t.Fatalf("%q → %d cents → %q → %d, %v", s, c, schedDollars(c), back, err)
		}
		if strings.ContainsAny(schedDollars(c), "$,") {
			t.Fatalf("the form shows %d cents as %q", c, schedDollars(c))
		}
	})
}
