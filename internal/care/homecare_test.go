package care

import (
	"strings"
	"testing"
	"unicode"

	"github.com/fascia-health/fascia/internal/assess"
)

func TestHomeCareLibrary(t *testing.T) {
	if n := len(HomeCareLibrary); n < 20 {
		t.Fatalf("library has %d items, want about 25", n)
	}
	seen := map[string]bool{}
	for _, h := range HomeCareLibrary {
		if h.Key == "" || seen[h.Key] {
			t.Errorf("key %q empty or repeated", h.Key)
		}
		seen[h.Key] = true
		if strings.TrimSpace(h.Title) == "" || strings.TrimSpace(h.Source) == "" {
			t.Errorf("%s: needs a title and a source", h.Key)
		}
		// Sources name material; we do not invent addresses.
		if strings.Contains(h.Source, "http") || strings.Contains(h.Source, "www.") {
			t.Errorf("%s: source carries an address", h.Key)
		}
		// A client must be told how long or how often: a number says it.
		if !strings.ContainsFunc(h.Instructions, unicode.IsDigit) {
			t.Errorf("%s: instructions say neither how long nor how often", h.Key)
		}
		// Every item is done alone at home, so every item says when to stop or not to do it.
		if len(strings.TrimSpace(h.Cautions)) < 20 {
			t.Errorf("%s: needs a caution", h.Key)
		}
		for _, r := range h.Regions {
			if _, ok := assess.RegionByKey(r); !ok {
				t.Errorf("%s: region %q is not a body-chart region", h.Key, r)
			}
		}
		got, ok := HomeCareByKey(h.Key)
		if !ok || got.Title != h.Title {
			t.Errorf("HomeCareByKey(%s) = %v, %v", h.Key, got.Title, ok)
		}
		if len(h.Instructions) > maxShortNote*3 {
			t.Errorf("%s: instructions too long for a handout line (%d)", h.Key, len(h.Instructions))
		}
	}
	if _, ok := HomeCareByKey("no_such_item"); ok {
		t.Error("unknown key found")
	}
}

// Every region a condition of the library treats has something to send home.
func TestHomeCareCoversConditionRegions(t *testing.T) {
	for _, key := range []string{"chronic_neck_pain", "low_back_pain", "carpal_tunnel", "plantar_fasciitis", "piriformis_syndrome", "tmj_disorder", "lymphedema_edema"} {
		c, ok := assess.ConditionByKey(key)
		if !ok {
			t.Fatalf("condition %s missing", key)
		}
		specific := 0
		for _, h := range HomeCareFor(c.Regions) {
			if len(h.Regions) > 0 {
				specific++
			}
		}
		if specific == 0 {
			t.Errorf("%s: no region-specific home care for %v", key, c.Regions)
		}
	}
}

func TestHomeCareFor(t *testing.T) {
	keys := func(hs []HomeCare) []string {
		var ks []string
		for _, h := range hs {
			ks = append(ks, h.Key)
		}
		return ks
	}
	got := keys(HomeCareFor([]string{"plantar_fascia"}))
	if len(got) < 3 || got[0] != "plantar_fascia_stretch" || got[1] != "plantar_rolling" {
		t.Fatalf("plantar fascia: %v", got)
	}
	for _, k := range got[2:] {
		if h, _ := HomeCareByKey(k); len(h.Regions) != 0 {
			t.Errorf("after the plantar items only general ones, got %s", k)
		}
	}
	if strings.Contains(strings.Join(got, ","), "chin_tucks") {
		t.Error("neck item offered for a foot")
	}

	// Two regions: items of either, each once, in library order.
	got = keys(HomeCareFor([]string{"tmj", "calf_none", "upper_trapezius"}))
	if got[0] != "upper_trap_stretch" || got[1] != "jaw_relaxation" {
		t.Errorf("tmj and upper trapezius: %v", got)
	}
	n := map[string]int{}
	for _, k := range keys(HomeCareFor([]string{"wrist", "hand", "forearm_flexors"})) {
		n[k]++
		if n[k] > 1 {
			t.Errorf("%s listed twice", k)
		}
	}

	// No region: only the general items.
	for _, h := range HomeCareFor(nil) {
		if len(h.Regions) != 0 {
			t.Errorf("no region given, got %s", h.Key)
		}
	}
	if len(HomeCareFor(nil)) == 0 {
		t.Error("no general items")
	}
}
