package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUnitsContract is issue #6's command-line contract.
func TestUnitsContract(t *testing.T) {
	code, out, errOut := fascia(t, "units", "--json", "97140=33", "97124=7")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var got struct {
		Rule  string `json:"rule"`
		Lines []struct {
			Code    string `json:"code"`
			Minutes int    `json:"minutes"`
			Units   int    `json:"units"`
		} `json:"lines"`
		TotalUnits int `json:"total_units"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %q", out)
	}
	if got.Rule != "cms" || got.TotalUnits != 3 || len(got.Lines) != 2 || got.Lines[0].Code != "97140" || got.Lines[0].Minutes != 33 || got.Lines[0].Units != 2 || got.Lines[1].Units != 1 {
		t.Errorf("got %+v", got)
	}
	// Flags after the codes, the AMA rule, untimed codes: one unit each, not timed minutes.
	code, out, _ = fascia(t, "units", "97140=10", "97124=10", "97112=10", "97010=45", "--rule", "ama", "--json")
	if code != 0 || !strings.Contains(out, `"rule":"ama"`) || !strings.Contains(out, `"total_units":4`) || !strings.Contains(out, `{"code":"97010","minutes":45,"units":1}`) {
		t.Errorf("ama: exit %d, %s", code, out)
	}
	// Text: each line and the total with the explanation.
	code, out, _ = fascia(t, "units", "97140=33", "97124=7")
	if code != 0 || !strings.Contains(out, "Total: 3 units") || !strings.Contains(out, "40 timed minutes → 3 units: 2 × 97140, 1 × 97124") {
		t.Errorf("text: exit %d, %s", code, out)
	}
	for _, bad := range [][]string{{"99999=10"}, {"97140=-5"}, {"97140=ten"}, {"97140"}, {"--rule", "medicare", "97140=10"}, {}} {
		code, out, errOut := fascia(t, append([]string{"units"}, bad...)...)
		if code == 0 || out != "" || !strings.Contains(errOut, "fascia") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want a message and a non-zero exit", bad, code, out, errOut)
		}
	}
}
