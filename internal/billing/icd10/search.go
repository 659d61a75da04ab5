package icd10

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MaxQuery bounds the part of a query that is searched, in bytes.
const MaxQuery = 200

// index makes Search fast over a full release (~95,000 codes): an inverted
// index from title words to codes, and the codes grouped for code-prefix
// lookups. Codes are numbered by a fixed rank (billable first, then the
// conditions medical massage treats most, then the built-in list's codes,
// then shorter titles, then code order), so the posting lists are in rank
// order and a search can stop as soon as it has enough results.
type index struct {
	byRank []int32 // rank → position in Set.codes

	vocab     []string // distinct words of titles and aliases, sorted; a word's id is its position
	postStart []int32  // word id → start of its postings; len(vocab)+1 entries
	post      []int32  // ranks of the codes a word occurs in, ascending per word

	tokStart []int32 // rank → start of its word ids; n+1 entries
	toks     []int32 // word ids of a code, ascending

	// groups hold positions in Set.codes (so in key order) for code-prefix
	// lookups, in the order they are shown: billable codes of the common
	// conditions, then billable codes by length, then headers by length.
	groups [][]int32

	bitmaps sync.Pool // *[]uint64 of (n+63)/64 words
}

func buildIndex(s *Set) *index {
	n := len(s.codes)
	ix := &index{}
	common := builtinKeys()
	type rk struct {
		pos                         int32
		billable, preferred, common bool
		rlen                        int
	}
	rs := make([]rk, n)
	for i, c := range s.codes {
		rs[i] = rk{int32(i), c.Billable, preferred[s.keys[i]], common[s.keys[i]], rankLen(c.Title)}
	}
	less := func(a, b bool) int { // true first
		switch {
		case a == b:
			return 0
		case a:
			return -1
		}
		return 1
	}
	slices.SortStableFunc(rs, func(a, b rk) int {
		if c := less(a.billable, b.billable); c != 0 {
			return c
		}
		if c := less(a.preferred, b.preferred); c != 0 {
			return c
		}
		if c := less(a.common, b.common); c != 0 {
			return c
		}
		return a.rlen - b.rlen // then key order: rs starts in key order and the sort is stable
	})
	ix.byRank = make([]int32, n)
	for r, x := range rs {
		ix.byRank[r] = x.pos
	}

	// Words of each code, by rank.
	ids := map[string]int32{}
	var words []string
	perRank := make([][]int32, n)
	var buf []string
	for r, pos := range ix.byRank {
		buf = tokenize(s.codes[pos].Title, buf[:0])
		if a := aliases[s.keys[pos]]; a != "" {
			buf = tokenize(a, buf)
		}
		ws := make([]int32, 0, len(buf))
		for _, w := range buf {
			id, ok := ids[w]
			if !ok {
				id = int32(len(words))
				ids[w] = id
				words = append(words, w)
			}
			ws = append(ws, id)
		}
		perRank[r] = ws
	}
	// Renumber words in sorted order, so a prefix is a range of ids.
	order := make([]int32, len(words))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(words[a], words[b]) })
	newID := make([]int32, len(words))
	ix.vocab = make([]string, len(words))
	for i, old := range order {
		newID[old] = int32(i)
		ix.vocab[i] = words[old]
	}
	ix.tokStart = make([]int32, n+1)
	count := make([]int32, len(words)+1)
	for r, ws := range perRank {
		for i, w := range ws {
			ws[i] = newID[w]
		}
		slices.Sort(ws)
		ws = slices.Compact(ws)
		perRank[r] = ws
		ix.tokStart[r+1] = ix.tokStart[r] + int32(len(ws))
		for _, w := range ws {
			count[w+1]++
		}
	}
	ix.toks = make([]int32, 0, ix.tokStart[n])
	for _, ws := range perRank {
		ix.toks = append(ix.toks, ws...)
	}
	ix.postStart = make([]int32, len(words)+1)
	for w := 1; w <= len(words); w++ {
		ix.postStart[w] = ix.postStart[w-1] + count[w]
	}
	ix.post = make([]int32, ix.postStart[len(words)])
	fill := slices.Clone(ix.postStart[:len(words)])
	for r, ws := range perRank {
		for _, w := range ws {
			ix.post[fill[w]] = int32(r)
			fill[w]++
		}
	}

	// Code-prefix groups.
	ix.groups = make([][]int32, 11)
	for i, c := range s.codes {
		k := s.keys[i]
		g := 0
		switch {
		case c.Billable && preferred[k]:
		case c.Billable:
			g = 1 + len(k) - 3
		default:
			g = 6 + len(k) - 3
		}
		if g < 0 || g >= len(ix.groups) { // keys are 3..7 characters; be safe with hand-made sets
			g = len(ix.groups) - 1
		}
		ix.groups[g] = append(ix.groups[g], int32(i))
	}
	words64 := (n + 63) / 64
	ix.bitmaps.New = func() any { b := make([]uint64, words64); return &b }
	return ix
}

// rankLen is how long a title counts for ranking: without its encounter
// ending and its side, in steps of 8 characters, so the initial, subsequent
// and sequela codes of an injury and the sides of a condition rank
// together, in code order.
func rankLen(t string) int {
	for _, end := range []string{", initial encounter", ", subsequent encounter", ", sequela"} {
		if i := strings.Index(t, end); i > 0 {
			t = t[:i]
			break
		}
	}
	n := 0
	for _, w := range tokenize(t, nil) {
		switch w {
		case "right", "left", "bilateral", "unspecified", "unsp":
		default:
			n += len(w) + 1
		}
	}
	return n / 8
}

// tokenize appends the lower-cased words (runs of letters and digits) of s.
func tokenize(s string, out []string) []string {
	start := -1
	lower := true
	for i := 0; i <= len(s); {
		r, size := rune(0), 1
		if i < len(s) {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		word := i < len(s) && (r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') ||
			r >= utf8.RuneSelf && r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		if word {
			if start < 0 {
				start, lower = i, true
			}
			if r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf {
				lower = false
			}
		} else if start >= 0 {
			w := s[start:i]
			if !lower {
				w = strings.ToLower(w)
			}
			out = append(out, w)
			start = -1
		}
		i += size
	}
	return out
}

// codeQuery returns the dotless code prefix q is, or "" when q is not
// written like (the start of) a code.
func codeQuery(q string) string {
	k := Key(q)
	if len(k) < 2 || len(k) > 7 || k[0] < 'A' || k[0] > 'Z' || k[1] < '0' || k[1] > '9' {
		return ""
	}
	for i := 2; i < len(k); i++ {
		if c := k[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return ""
		}
	}
	return k
}

// Search finds codes by code prefix or by words of the title, best first:
// the exact code, then codes starting with the query (billable before
// headers, shorter before longer), then codes whose title has a word
// starting with each word of the query (billable first, the conditions
// medical massage treats most first, shorter titles first).
func (s *Set) Search(q string, limit int) []Code {
	q = strings.TrimSpace(q)
	if q == "" || limit <= 0 {
		return nil
	}
	if len(q) > MaxQuery {
		q = q[:MaxQuery]
	}
	var out []Code
	var taken map[int32]bool
	if k := codeQuery(q); k != "" {
		pos := s.codePrefix(k, limit)
		if len(pos) > 0 {
			taken = make(map[int32]bool, len(pos))
			for _, p := range pos {
				out = append(out, s.codes[p])
				taken[p] = true
			}
		}
	}
	if len(out) < limit {
		for _, p := range s.wordSearch(q, limit-len(out), taken) {
			out = append(out, s.codes[p])
		}
	}
	return out
}

// codePrefix lists up to limit positions of codes starting with k.
func (s *Set) codePrefix(k string, limit int) []int32 {
	var out []int32
	exact, hasExact := s.byKey[k]
	if hasExact {
		out = append(out, int32(exact))
	}
	for _, g := range s.idx.groups {
		if len(out) >= limit {
			break
		}
		lo := sort.Search(len(g), func(i int) bool { return s.keys[g[i]] >= k })
		for i := lo; i < len(g) && len(out) < limit && strings.HasPrefix(s.keys[g[i]], k); i++ {
			if hasExact && int(g[i]) == exact {
				continue
			}
			out = append(out, g[i])
		}
	}
	return out
}

// wordRange is the range of word ids starting with w.
func (ix *index) wordRange(w string) (int32, int32) {
	lo := sort.SearchStrings(ix.vocab, w)
	hi := lo + sort.Search(len(ix.vocab)-lo, func(i int) bool { return !strings.HasPrefix(ix.vocab[lo+i], w) })
	return int32(lo), int32(hi)
}

// wordSearch lists up to limit positions of codes having, for every word of
// q, a word starting with it, in rank order, leaving out taken.
func (s *Set) wordSearch(q string, limit int, taken map[int32]bool) []int32 {
	ix := s.idx
	ws := tokenize(q, nil)
	if len(ws) == 0 || len(ix.vocab) == 0 {
		return nil
	}
	if len(ws) > 12 { // a longer query is not a search anyone types
		ws = ws[:12]
	}
	type wr struct{ lo, hi, cost int32 }
	rs := make([]wr, 0, len(ws))
	for _, w := range ws {
		lo, hi := ix.wordRange(w)
		if lo == hi {
			return nil
		}
		rs = append(rs, wr{lo, hi, ix.postStart[hi] - ix.postStart[lo]})
	}
	// The rarest word drives; the others are checked on its codes.
	slices.SortFunc(rs, func(a, b wr) int { return int(a.cost - b.cost) })
	rs = slices.CompactFunc(rs, func(a, b wr) bool { return a.lo == b.lo && a.hi == b.hi })
	d, others := rs[0], rs[1:]
	var out []int32
	matches := func(r int32) bool {
		toks := ix.toks[ix.tokStart[r]:ix.tokStart[r+1]]
		for _, o := range others {
			i, _ := slices.BinarySearch(toks, o.lo)
			if i == len(toks) || toks[i] >= o.hi {
				return false
			}
		}
		pos := ix.byRank[r]
		return !taken[pos]
	}
	if d.hi-d.lo == 1 {
		// One word: its postings are already in rank order.
		for _, r := range ix.post[ix.postStart[d.lo]:ix.postStart[d.hi]] {
			if matches(r) {
				out = append(out, ix.byRank[r])
				if len(out) == limit {
					break
				}
			}
		}
		return out
	}
	// Several words share the prefix: merge their postings through a bitmap
	// of ranks, then read it in rank order.
	bp := ix.bitmaps.Get().(*[]uint64)
	bm := *bp
	for _, r := range ix.post[ix.postStart[d.lo]:ix.postStart[d.hi]] {
		bm[r>>6] |= 1 << (r & 63)
	}
	for wi, word := range bm {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			word &= word - 1
			r := int32(wi<<6 + b)
			if len(out) < limit && matches(r) {
				out = append(out, ix.byRank[r])
			}
		}
		bm[wi] = 0
		if len(out) == limit {
			// Clear the rest before the bitmap goes back to the pool.
			clear(bm[wi+1:])
			break
		}
	}
	ix.bitmaps.Put(bp)
	return out
}
