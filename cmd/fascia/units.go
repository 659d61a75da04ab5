package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/fascia-health/fascia/internal/billing/units"
)

// cmdUnits prints the billable units of a session's codes and minutes.
func cmdUnits(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("units", "Prints the billable units of each procedure code from its minutes, and the total with how\n"+
		"it was reached. Untimed codes (97010, 97018, 97022, 97026) are one unit each whatever the minutes\n"+
		"and do not count towards the timed minutes.\n\n"+
		"Usage: fascia units [--rule cms|ama] [--json] CODE=MINUTES …\n"+
		"Example: fascia units 97140=33 97124=7", stderr)
	rule := fs.String("rule", "cms", "cms: the CMS 8-minute rule (the day's timed minutes together); ama: the AMA substantial-portion rule (each code on its own)")
	asJSON := fs.Bool("json", false, "print JSON: {\"rule\", \"lines\": [{\"code\", \"minutes\", \"units\"}], \"total_units\"}")
	// Flags may come after the codes too.
	var rest []string
	for next := args; ; {
		if err := parseFlags(fs, next); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		next = fs.Args()[1:]
	}
	if len(rest) == 0 {
		fmt.Fprintln(stderr, "fascia units: give at least one CODE=MINUTES, such as 97140=33")
		return exitCode(2)
	}
	var lines []units.Line
	for _, a := range rest {
		l, err := units.ParseArg(a)
		if err != nil {
			return err
		}
		lines = append(lines, l)
	}
	res, err := units.Calculate(units.Rule(*rule), lines)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		return enc.Encode(res)
	}
	fmt.Fprintf(stdout, "%s\n", res.Rule.Label())
	for _, l := range res.Lines {
		kind := "timed"
		if !l.Timed {
			kind = "untimed"
		}
		fmt.Fprintf(stdout, "  %-6s %4d min  %-7s  %d unit%s\n", l.Code, l.Minutes, kind, l.Units, plural(l.Units))
	}
	fmt.Fprintf(stdout, "Total: %d unit%s\n%s\n", res.TotalUnits, plural(res.TotalUnits), res.Explanation)
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
