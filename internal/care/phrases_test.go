package care

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestQuickPhrases(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range QuickPhrases {
		if seen[p.Text] {
			t.Errorf("phrase repeated: %q", p.Text)
		}
		seen[p.Text] = true
		if !oneOf(p.Section, []string{SectionS, SectionO, SectionA, SectionP}) {
			t.Errorf("%q: unknown section %q", p.Text, p.Section)
		}
		// Inserted as a sentence of the note.
		first, _ := utf8.DecodeRuneInString(p.Text)
		if !unicode.IsUpper(first) || !strings.HasSuffix(p.Text, ".") || strings.TrimSpace(p.Text) != p.Text {
			t.Errorf("%q: not a sentence", p.Text)
		}
		if len(p.Text) > 120 {
			t.Errorf("%q: too long for a quick phrase", p.Text)
		}
	}
}

func TestPhrasesFor(t *testing.T) {
	for _, s := range []string{SectionS, SectionO, SectionA, SectionP} {
		ps := PhrasesFor(s)
		if len(ps) < 8 {
			t.Errorf("section %s has %d phrases, want about 10", s, len(ps))
		}
		for _, p := range ps {
			if p.Section != s {
				t.Errorf("section %s got a phrase of %s", s, p.Section)
			}
		}
		if lower := PhrasesFor(strings.ToLower(s)); len(lower) != len(ps) {
			t.Errorf("section %q: %d phrases, upper case gives %d", strings.ToLower(s), len(lower), len(ps))
		}
	}
	if got := PhrasesFor("A")[0].Text; got != "Tolerated treatment well; no adverse response." {
		t.Errorf("first A phrase %q", got)
	}
	if ps := PhrasesFor("X"); len(ps) != 0 {
		t.Errorf("unknown section gives %v", ps)
	}
	if ps := PhrasesFor(""); len(ps) != 0 {
		t.Errorf("empty section gives %v", ps)
	}
}
