package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// maxOrderFile bounds the file read: a full release is about 14 MB.
const maxOrderFile = 64 << 20

// yearInName finds the fiscal year in a CMS file name (icd10cm_order_2027.txt,
// icd10cm-order-2027.txt, icd10cm_order_2027_April.txt).
var yearInName = regexp.MustCompile(`(?i)order[_-]?(20[0-9]{2})(?:[^0-9]|$)`)

func cmdCodesImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("codes import", "Loads a CMS ICD-10-CM order file (icd10cm_order_YYYY.txt from the annual release) as the\n"+
		"code set of one fiscal year, replacing what that year had. Dates of service in that fiscal year\n"+
		"(October 1 to September 30) then use it; until a year is imported, the built-in list is used.\n"+
		"The whole file is checked first: a malformed line is reported as FILE:LINE and nothing changes.\n\n"+
		"Example: fascia codes import --db fascia.db icd10cm_order_2027.txt", stderr)
	dsn := fs.String("db", envOr("FASCIA_DB", "fascia.db"), "database: a SQLite file path, or a postgres:// URL")
	fyFlag := fs.Int("fy", 0, "the fiscal year the file is for (read from a name like icd10cm_order_2027.txt when left out)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Flags may also follow the file name.
	var files []string
	for rest := fs.Args(); len(rest) > 0; rest = fs.Args() {
		files = append(files, rest[0])
		if err := parseFlags(fs, rest[1:]); err != nil {
			return err
		}
	}
	if len(files) != 1 {
		fs.Usage()
		return errs.E(errs.Invalid, "Name one order file to import (got %d).", len(files))
	}
	file := files[0]
	fy := *fyFlag
	if fy == 0 {
		m := yearInName.FindStringSubmatch(filepath.Base(file))
		if m == nil {
			return errs.E(errs.Invalid, "Cannot tell the fiscal year from the name %s: add --fy YEAR (the year on the CMS release, e.g. --fy 2027).", filepath.Base(file))
		}
		fy, _ = strconv.Atoi(m[1])
	}
	if fy < app.MinFiscalYear || fy > app.MaxFiscalYear {
		return errs.E(errs.Invalid, "--fy %d is not an ICD-10-CM year: use %d to %d.", fy, app.MinFiscalYear, app.MaxFiscalYear)
	}

	// Parse the whole file before touching the database.
	f, err := os.Open(file)
	if err != nil {
		return errs.E(errs.Invalid, "Cannot open %s: %v", file, errors.Unwrap(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > maxOrderFile {
		return errs.E(errs.Invalid, "%s is larger than %d MB: it is not an ICD-10-CM order file.", file, maxOrderFile>>20)
	}
	entries, err := icd10.ParseOrderEntries(io.LimitReader(f, maxOrderFile+1))
	if err != nil {
		var pe *icd10.ParseError
		if errors.As(err, &pe) {
			if pe.Line > 0 {
				fmt.Fprintf(stderr, "%s:%d: %s\n", file, pe.Line, pe.Msg)
			} else {
				fmt.Fprintf(stderr, "%s: %s\n", file, pe.Msg)
			}
			fmt.Fprintln(stderr, "nothing was imported")
			return exitCode(1)
		}
		return err
	}

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, slog.New(slog.NewTextHandler(stderr, nil)))
	if err := a.ImportCodesCLI(ctx, fy, filepath.Base(file), entries); err != nil {
		return err
	}
	billable := 0
	for _, e := range entries {
		if e.Billable {
			billable++
		}
	}
	fmt.Fprintf(stdout, "imported %d ICD-10-CM codes (%d billable) for FY%d from %s\n", len(entries), billable, fy, filepath.Base(file))
	return nil
}
