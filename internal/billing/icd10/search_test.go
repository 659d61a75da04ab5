package icd10_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
)

func codes(cs []icd10.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}

func TestSearchRanking(t *testing.T) {
	for name, s := range sets(t) {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				q     string
				first []string // the results must start with these, in order
				has   []string // and include these within the limit
			}{
				{q: "M54.2", first: []string{"M54.2"}},
				{q: "m542", first: []string{"M54.2"}},
				{q: "M54.2 ", first: []string{"M54.2"}},
				{q: "m54", first: []string{"M54", "M54.2"}, has: []string{"M54.50"}},
				{q: "S13.4", first: []string{"S13.4", "S13.4XXA", "S13.4XXD", "S13.4XXS"}},
				{q: "low back pain", first: []string{"M54.50"}, has: []string{"M54.51", "M54.59"}},
				{q: "LOW BACK", first: []string{"M54.50"}},
				{q: "carpal tunnel right", first: []string{"G56.01"}},
				{q: "carp tun", first: []string{"G56.00", "G56.01", "G56.02", "G56.03"}},
				{q: "whiplash", first: []string{"S13.4XXA", "S13.4XXD", "S13.4XXS"}},
				{q: "sprain cervical", first: []string{"S13.4XXA", "S13.4XXD", "S13.4XXS"}},
				{q: "neck", first: []string{"M54.2"}, has: []string{"S13.4XXA", "S16.1XXA"}},
				{q: "fibromyalgia", first: []string{"M79.7"}},
				{q: "sciatica", first: []string{"M54.30", "M54.31", "M54.32"}},
				{q: "frozen shoulder", has: []string{"M75.01"}},
				{q: "plantar fasc", first: []string{"M72.2"}},
				{q: "shin splints", has: []string{"S86.891A"}},
				{q: "tension headache", first: []string{"G44.209"}},
				{q: "rotator cuff strain right", first: []string{"S46.011A"}},
			} {
				got := codes(s.Search(tc.q, 10))
				if len(got) < len(tc.first) || !slices.Equal(got[:len(tc.first)], tc.first) {
					t.Errorf("Search(%q) = %v, want it to start with %v", tc.q, got, tc.first)
				}
				for _, h := range tc.has {
					if !slices.Contains(got, h) {
						t.Errorf("Search(%q) = %v, want %s among the first 10", tc.q, got, h)
					}
				}
			}
			// Billable codes come before headers among word matches.
			got := s.Search("low back pain", 10)
			seenHeader := false
			for _, c := range got {
				if !c.Billable {
					seenHeader = true
				} else if seenHeader {
					t.Errorf("Search(low back pain): billable %s after a header: %v", c.Code, codes(got))
				}
			}
			// Every result has all the query words as prefixes of its words (or aliases).
			for _, c := range s.Search("strain musc", 50) {
				low := strings.ToLower(c.Title)
				if !strings.Contains(low, "strain") || !strings.Contains(low, "musc") {
					t.Errorf("Search(strain musc) found %s %q", c.Code, c.Title)
				}
			}
			// Limits and empty queries.
			if n := len(s.Search("pain", 3)); n != 3 {
				t.Errorf("limit 3 gave %d", n)
			}
			for _, q := range []string{"", "   ", "zzzzqx", "%", "_", "\x00", "\xff\xfe", strings.Repeat("a ", 5000)} {
				if got := s.Search(q, 10); q != strings.Repeat("a ", 5000) && len(got) != 0 {
					t.Errorf("Search(%.20q) = %v, want nothing", q, codes(got))
				}
			}
			if got := s.Search("pain", 0); got != nil {
				t.Errorf("limit 0 gave %v", got)
			}
			// No duplicates when a query is a code and words at once.
			got = s.Search("M54", 100)
			seen := map[string]bool{}
			for _, c := range got {
				if seen[c.Code] {
					t.Errorf("Search(M54) lists %s twice", c.Code)
				}
				seen[c.Code] = true
			}
		})
	}
}

// TestSearchFullReleaseMatchesScan compares the index with a plain scan
// over the full release: same codes for word queries, as a set.
func TestSearchFullReleaseMatchesScan(t *testing.T) {
	es := icd10test.LoadRelease2022(t)
	s := icd10.NewSetFrom(2022, icd10test.ReleaseName, es)
	for _, q := range []string{"fract femur", "sprain ankle left", "diabetes", "pain in r", "cholera", "zzz"} {
		want := map[string]bool{}
		qs := strings.Fields(q)
		for _, e := range es {
			words := strings.FieldsFunc(strings.ToLower(e.Title), func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
			})
			all := true
			for _, w := range qs {
				if !slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) }) {
					all = false
					break
				}
			}
			if all {
				want[e.Code.Code] = true
			}
		}
		got := s.Search(q, len(es))
		gotSet := map[string]bool{}
		for _, c := range got {
			gotSet[c.Code] = true
		}
		for c := range want {
			if !gotSet[c] {
				t.Errorf("Search(%q) misses %s", q, c)
				break
			}
		}
		if len(gotSet) != len(want) {
			t.Errorf("Search(%q): %d codes, a scan finds %d", q, len(gotSet), len(want))
		}
	}
}

// queries is a varied workload: codes, code prefixes, words and word
// prefixes as typed, one keystroke at a time.
func queries(s *icd10.Set, n int) []string {
	rnd := rand.New(rand.NewPCG(7, 11))
	cs := s.Codes()
	out := make([]string, 0, n)
	for len(out) < n {
		c := cs[rnd.IntN(len(cs))]
		switch rnd.IntN(4) {
		case 0: // a code, typed partly
			k := c.Code
			out = append(out, k[:1+rnd.IntN(len(k))])
		case 1: // one word, typed partly
			ws := strings.Fields(c.Title)
			w := strings.Trim(ws[rnd.IntN(len(ws))], ",()[]")
			if w == "" {
				continue
			}
			out = append(out, strings.ToLower(w[:1+rnd.IntN(len(w))]))
		default: // two or three words of a title
			ws := strings.Fields(strings.ToLower(c.Title))
			k := min(len(ws), 2+rnd.IntN(2))
			i := rnd.IntN(len(ws) - k + 1)
			out = append(out, strings.Join(ws[i:i+k], " "))
		}
	}
	return out
}

func BenchmarkSearchFullRelease(b *testing.B) {
	s := icd10.NewSetFrom(2022, icd10test.ReleaseName, icd10test.LoadRelease2022(b))
	qs := queries(s, 10000)
	b.ResetTimer()
	for i := range b.N {
		s.Search(qs[i%len(qs)], 20)
	}
}

func BenchmarkSearchBuiltin(b *testing.B) {
	s := icd10.Builtin()
	qs := queries(s, 10000)
	b.ResetTimer()
	for i := range b.N {
		s.Search(qs[i%len(qs)], 20)
	}
}

func BenchmarkLoadFullRelease(b *testing.B) {
	es := icd10test.LoadRelease2022(b)
	b.ResetTimer()
	for range b.N {
		icd10.NewSetFrom(2022, icd10test.ReleaseName, es)
	}
}

// TestSearchPercentiles measures 10,000 varied searches over the full
// release and logs the percentiles (run with -v; never asserted).
func TestSearchPercentiles(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement, not a check")
	}
	s := icd10.NewSetFrom(2022, icd10test.ReleaseName, icd10test.LoadRelease2022(t))
	qs := queries(s, 10000)
	for _, q := range qs[:500] { // warm up
		s.Search(q, 20)
	}
	d := make([]time.Duration, len(qs))
	worst := ""
	for i, q := range qs {
		start := time.Now()
		s.Search(q, 20)
		d[i] = time.Since(start)
		if d[i] == slices.Max(d[:i+1]) {
			worst = q
		}
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	pct := func(p float64) time.Duration { return d[int(p*float64(len(d)-1))] }
	t.Log(fmt.Sprintf("search over %d codes, %d queries, limit 20: p50 %v, p90 %v, p99 %v, p99.9 %v, max %v (%q)",
		s.Len(), len(qs), pct(.50), pct(.90), pct(.99), pct(.999), d[len(d)-1], worst))
}
