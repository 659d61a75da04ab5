package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
)

// sample returns an unchained entry with every field set.
func sample(i int) *audit.Entry {
	return &audit.Entry{
		At:         time.UnixMilli(1_760_000_000_000 + int64(i)*1000).UTC(),
		OrgID:      7,
		UserID:     42,
		Actor:      "maria@example.test",
		Action:     audit.ClientRead,
		RecordType: "client",
		RecordID:   int64(100 + i),
		SourceIP:   "203.0.113.9",
		Result:     audit.OK,
		Detail:     "via web",
	}
}

// chain builds a valid trail of n entries.
func chain(n int) []audit.Entry {
	var out []audit.Entry
	var prev *audit.Entry
	for i := range n {
		e := sample(i)
		audit.Chain(prev, e)
		out = append(out, *e)
		prev = e
	}
	return out
}

// verify feeds es to a Verifier and finishes it against the last entry (the
// head the database would hold), or against head when given.
func verify(es []audit.Entry, head ...audit.Entry) *audit.Verifier {
	v := &audit.Verifier{}
	for _, e := range es {
		v.Add(e)
	}
	switch {
	case len(head) > 0:
		v.Finish(head[0].Seq, head[0].Hash)
	case len(es) > 0:
		v.Finish(es[len(es)-1].Seq, es[len(es)-1].Hash)
	default:
		v.Finish(0, audit.GenesisHash)
	}
	return v
}

func problems(v *audit.Verifier) string {
	var s []string
	for _, p := range v.Problems {
		s = append(s, p.String())
	}
	return strings.Join(s, "; ")
}

func TestChainLinks(t *testing.T) {
	es := chain(3)
	if es[0].Seq != 1 || es[0].PrevHash != audit.GenesisHash {
		t.Fatalf("first entry: seq %d prev %q", es[0].Seq, es[0].PrevHash)
	}
	for i := 1; i < len(es); i++ {
		if es[i].Seq != es[i-1].Seq+1 || es[i].PrevHash != es[i-1].Hash {
			t.Fatalf("entry %d does not link: %+v after %+v", i, es[i], es[i-1])
		}
	}
	for _, e := range es {
		if len(e.Hash) != 64 || e.Hash != audit.ComputeHash(&e) {
			t.Fatalf("entry %d hash %q", e.Seq, e.Hash)
		}
	}
	if es[0].Hash == es[1].Hash {
		t.Fatal("two entries share a hash")
	}
	// Deterministic.
	if chain(3)[2].Hash != es[2].Hash {
		t.Fatal("the same trail hashed differently twice")
	}
}

func TestComputeHashCoversEveryField(t *testing.T) {
	base := chain(2)[1]
	want := audit.ComputeHash(&base)
	for name, change := range map[string]func(e *audit.Entry){
		"Seq":             func(e *audit.Entry) { e.Seq++ },
		"At":              func(e *audit.Entry) { e.At = e.At.Add(time.Millisecond) },
		"OrgID":           func(e *audit.Entry) { e.OrgID++ },
		"UserID":          func(e *audit.Entry) { e.UserID++ },
		"Actor":           func(e *audit.Entry) { e.Actor = "mallory@example.test" },
		"Action":          func(e *audit.Entry) { e.Action = audit.ClientUpdate },
		"RecordType":      func(e *audit.Entry) { e.RecordType = "user" },
		"RecordID":        func(e *audit.Entry) { e.RecordID++ },
		"SourceIP":        func(e *audit.Entry) { e.SourceIP = "198.51.100.1" },
		"Result":          func(e *audit.Entry) { e.Result = audit.Refused },
		"Detail":          func(e *audit.Entry) { e.Detail = "via api" },
		"Detail emptied":  func(e *audit.Entry) { e.Detail = "" },
		"PrevHash":        func(e *audit.Entry) { e.PrevHash = audit.GenesisHash },
		"Actor case":      func(e *audit.Entry) { e.Actor = strings.ToUpper(e.Actor) },
		"OrgID negative":  func(e *audit.Entry) { e.OrgID = -e.OrgID },
		"Actor+Action mv": func(e *audit.Entry) { e.Actor, e.Action = e.Actor+e.Action[:1], e.Action[1:] },
		// Moving characters between adjacent fields must not give the same encoding.
		"Detail+Result mv": func(e *audit.Entry) { e.Result, e.Detail = e.Result+e.Detail[:2], e.Detail[2:] },
	} {
		e := base
		change(&e)
		if got := audit.ComputeHash(&e); got == want {
			t.Errorf("changing %s does not change the hash", name)
		}
	}
	// The stored Hash is not an input.
	e := base
	e.Hash = "something else"
	if audit.ComputeHash(&e) != want {
		t.Error("the hash depends on the Hash field itself")
	}
	// Sub-millisecond time is not stored, so it must not count.
	e = base
	e.At = e.At.Add(999 * time.Microsecond)
	if audit.ComputeHash(&e) != want {
		t.Error("the hash depends on sub-millisecond time, which the database does not keep")
	}
}

func TestVerifier(t *testing.T) {
	alter := func(f func(es []audit.Entry) []audit.Entry) []audit.Entry { return f(chain(6)) }
	for _, tc := range []struct {
		name    string
		trail   []audit.Entry
		head    *audit.Entry // nil: the last entry of trail
		wantSeq []int64      // entries named by the problems, in order
		wantIn  string       // a phrase the report must contain
	}{
		{name: "intact", trail: chain(6)},
		{name: "empty", trail: nil},
		{name: "altered actor", trail: alter(func(es []audit.Entry) []audit.Entry { es[2].Actor = "x"; return es }),
			wantSeq: []int64{3}, wantIn: "altered"},
		{name: "altered detail", trail: alter(func(es []audit.Entry) []audit.Entry { es[3].Detail += "!"; return es }),
			wantSeq: []int64{4}, wantIn: "altered"},
		{name: "altered and rehashed", trail: alter(func(es []audit.Entry) []audit.Entry {
			es[2].RecordID = 999
			es[2].Hash = audit.ComputeHash(&es[2])
			return es
		}), wantSeq: []int64{4}, wantIn: "does not link"},
		{name: "deleted middle", trail: alter(func(es []audit.Entry) []audit.Entry { return append(es[:2:2], es[3:]...) }),
			wantSeq: []int64{3}, wantIn: "missing"},
		{name: "deleted first", trail: alter(func(es []audit.Entry) []audit.Entry { return es[1:] }),
			wantSeq: []int64{1}, wantIn: "missing"},
		{name: "deleted two", trail: alter(func(es []audit.Entry) []audit.Entry { return append(es[:1:1], es[3:]...) }),
			wantSeq: []int64{2}, wantIn: "entries 2 to 3 are missing"},
		{name: "truncated tail", trail: chain(6)[:4], head: &chain(6)[5],
			wantSeq: []int64{6}, wantIn: "ends at entry 4"},
		{name: "everything deleted", trail: nil, head: &chain(6)[5],
			wantSeq: []int64{6}, wantIn: "ends at entry 0"},
		{name: "reordered", trail: alter(func(es []audit.Entry) []audit.Entry { es[2], es[3] = es[3], es[2]; return es }),
			wantIn: "inserted"},
		{name: "duplicated entry", trail: alter(func(es []audit.Entry) []audit.Entry {
			return append(es[:3:3], append([]audit.Entry{es[2]}, es[3:]...)...)
		}), wantIn: "repeats"},
		{name: "inserted and rechained at end, head not updated", trail: alter(func(es []audit.Entry) []audit.Entry {
			e := sample(99)
			audit.Chain(&es[5], e)
			return append(es, *e)
		}), head: &chain(6)[5], wantIn: "entry 7"},
		{name: "forged entry with made-up hash", trail: alter(func(es []audit.Entry) []audit.Entry {
			e := sample(99)
			e.Seq, e.PrevHash, e.Hash = 7, es[5].Hash, strings.Repeat("ab", 32)
			return append(es, *e)
		}), head: &chain(6)[5], wantIn: "entry 7: its content does not match its hash (altered entry)"},
		{name: "replaced entry (new content, correct seq, own chain)", trail: alter(func(es []audit.Entry) []audit.Entry {
			e := sample(50)
			e.Seq, e.PrevHash = 3, strings.Repeat("1", 64)
			e.Hash = audit.ComputeHash(e)
			es[2] = *e
			return es
		}), wantSeq: []int64{3, 4}, wantIn: "does not link"},
		{name: "last entry replaced and rehashed", trail: alter(func(es []audit.Entry) []audit.Entry {
			es[5].Detail = "forged"
			es[5].Hash = audit.ComputeHash(&es[5])
			return es
		}), head: &chain(6)[5], wantSeq: []int64{6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *audit.Verifier
			if tc.head != nil {
				v = verify(tc.trail, *tc.head)
			} else {
				v = verify(tc.trail)
			}
			if v.Count != int64(len(tc.trail)) {
				t.Errorf("Count = %d, want %d", v.Count, len(tc.trail))
			}
			intact := tc.wantIn == "" && tc.wantSeq == nil
			if v.OK() != intact {
				t.Fatalf("OK = %v, problems: %s", v.OK(), problems(v))
			}
			if intact {
				return
			}
			if !strings.Contains(problems(v), tc.wantIn) {
				t.Errorf("report %q does not say %q", problems(v), tc.wantIn)
			}
			if tc.wantSeq != nil {
				var got []int64
				for _, p := range v.Problems {
					got = append(got, p.Seq)
				}
				if !equal(got, tc.wantSeq) {
					t.Errorf("problems name entries %v, want %v (%s)", got, tc.wantSeq, problems(v))
				}
			}
			for _, p := range v.Problems {
				if !strings.HasPrefix(p.String(), "entry ") {
					t.Errorf("problem %q does not name its entry", p)
				}
			}
		})
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzTamper flips one byte of one field of one entry of a valid trail; the
// verifier must always notice.
func FuzzTamper(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint16(0), uint8(1))
	f.Add(uint8(3), uint8(5), uint16(3), uint8(0x20))
	f.Add(uint8(5), uint8(11), uint16(63), uint8(0xff))
	f.Add(uint8(2), uint8(12), uint16(10), uint8(0x80))
	f.Fuzz(func(t *testing.T, which, field uint8, pos uint16, mask uint8) {
		if mask == 0 {
			mask = 1
		}
		es := chain(6)
		head := es[len(es)-1]
		e := &es[int(which)%len(es)]
		flip := func(s string) string {
			b := []byte(s)
			if len(b) == 0 {
				return string([]byte{mask})
			}
			b[int(pos)%len(b)] ^= mask
			return string(b)
		}
		flipInt := func(n int64) int64 {
			return n ^ (int64(mask) << (8 * (int(pos) % 8)))
		}
		switch field % 13 {
		case 0:
			e.Seq = flipInt(e.Seq)
		case 1:
			e.At = time.UnixMilli(flipInt(e.At.UnixMilli())).UTC()
		case 2:
			e.OrgID = flipInt(e.OrgID)
		case 3:
			e.UserID = flipInt(e.UserID)
		case 4:
			e.Actor = flip(e.Actor)
		case 5:
			e.Action = flip(e.Action)
		case 6:
			e.RecordType = flip(e.RecordType)
		case 7:
			e.RecordID = flipInt(e.RecordID)
		case 8:
			e.SourceIP = flip(e.SourceIP)
		case 9:
			e.Result = flip(e.Result)
		case 10:
			e.Detail = flip(e.Detail)
		case 11:
			e.PrevHash = flip(e.PrevHash)
		case 12:
			e.Hash = flip(e.Hash)
		}
		if v := verify(es, head); v.OK() {
			t.Fatalf("flipping field %d of entry %d (pos %d, mask %#x) went unnoticed", field%13, e.Seq, pos, mask)
		}
	})
}

// FuzzComputeHashInjective: two entries that differ in any field hash differently.
func FuzzComputeHashInjective(f *testing.F) {
	f.Add("a", "b", "c", "d", "e", "f", "a", "b", "c", "d", "e", "f")
	f.Add("ab", "", "c", "d", "e", "f", "a", "b", "c", "d", "e", "f")
	f.Add("1:a;", "b", "", "", "", "", "1:a;1:b;", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, a1, a2, a3, a4, a5, a6, b1, b2, b3, b4, b5, b6 string) {
		x := &audit.Entry{Actor: a1, Action: a2, RecordType: a3, SourceIP: a4, Result: a5, Detail: a6, PrevHash: audit.GenesisHash}
		y := &audit.Entry{Actor: b1, Action: b2, RecordType: b3, SourceIP: b4, Result: b5, Detail: b6, PrevHash: audit.GenesisHash}
		same := a1 == b1 && a2 == b2 && a3 == b3 && a4 == b4 && a5 == b5 && a6 == b6
		if (audit.ComputeHash(x) == audit.ComputeHash(y)) != same {
			t.Fatalf("entries %+v and %+v: same=%v but hashes equal=%v", x, y, same, !same)
		}
	})
}
