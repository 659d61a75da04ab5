package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

const physicianCols = `id, org_id, kind, name, credentials, specialty, npi, practice, phone, fax, address1, city, state, zip, version, created_at, updated_at`

func scanPhysician(row interface{ Scan(...any) error }) (*clinic.Physician, error) {
	var p clinic.Physician
	var kind string
	var created, updated int64
	err := row.Scan(&p.ID, &p.OrgID, &kind, &p.Name, &p.Credentials, &p.Specialty, &p.NPI, &p.Practice, &p.Phone, &p.Fax,
		&p.Address1, &p.City, &p.State, &p.Zip, &p.Version, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such physician or referral source.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	p.Kind, p.CreatedAt, p.UpdatedAt = clinic.PhysicianKind(kind), ms2t(created), ms2t(updated)
	return &p, nil
}

// searchWords splits text into lower-case words of letters and digits
// ("O'Brien-Smith, PT" is o, brien, smith, pt).
func searchWords(s string) []string {
	return strings.FieldsFunc(key(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// physicianSearchText is what the directory search looks in: the words of
// the name, credentials, practice, specialty and city, each after a space.
func physicianSearchText(p *clinic.Physician) string {
	return " " + strings.Join(searchWords(strings.Join([]string{p.Name, p.Credentials, p.Practice, p.Specialty, p.City}, " ")), " ") + " "
}

func physicianText(p *clinic.Physician) error {
	return checkText("name", p.Name, "credentials", p.Credentials, "specialty", p.Specialty, "npi", p.NPI, "practice", p.Practice,
		"phone", p.Phone, "fax", p.Fax, "address1", p.Address1, "city", p.City, "state", p.State, "zip", p.Zip)
}

func npiTaken(err error) error {
	if isUnique(err) {
		return &errs.Error{Code: errs.Conflict, Message: "This NPI is already in the directory.",
			Fields: map[string]string{"npi": "Another entry of the directory has this NPI; search for it instead of adding it twice."}}
	}
	return dbErr(err)
}

// CreatePhysician adds an entry to p.OrgID's directory.
func (db *DB) CreatePhysician(ctx context.Context, tx *sql.Tx, p *clinic.Physician) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := physicianText(p); err != nil {
		return err
	}
	now := db.now()
	p.Version, p.CreatedAt, p.UpdatedAt = 1, ms2t(now), ms2t(now)
	return npiTaken(tx.QueryRowContext(ctx, `INSERT INTO physicians (org_id, kind, name, credentials, specialty, npi, practice, phone, fax, address1, city, state, zip,
		search_text, name_key, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16) RETURNING id`,
		p.OrgID, string(p.Kind), p.Name, p.Credentials, p.Specialty, p.NPI, p.Practice, p.Phone, p.Fax, p.Address1, p.City, p.State, p.Zip,
		physicianSearchText(p), key(p.Name), now).Scan(&p.ID))
}

// UpdatePhysician saves p if it is still at version p.Version; otherwise it
// returns a Conflict and changes nothing.
func (db *DB) UpdatePhysician(ctx context.Context, tx *sql.Tx, p *clinic.Physician) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := physicianText(p); err != nil {
		return err
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE physicians SET kind = $1, name = $2, credentials = $3, specialty = $4, npi = $5, practice = $6, phone = $7, fax = $8,
		address1 = $9, city = $10, state = $11, zip = $12, search_text = $13, name_key = $14, version = version + 1, updated_at = $15
		WHERE id = $16 AND org_id = $17 AND version = $18`,
		string(p.Kind), p.Name, p.Credentials, p.Specialty, p.NPI, p.Practice, p.Phone, p.Fax, p.Address1, p.City, p.State, p.Zip,
		physicianSearchText(p), key(p.Name), now, p.ID, p.OrgID, p.Version)
	if err != nil {
		return npiTaken(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := scanPhysician(tx.QueryRowContext(ctx, "SELECT "+physicianCols+" FROM physicians WHERE id = $1 AND org_id = $2", p.ID, p.OrgID))
		if err != nil {
			return err
		}
		return &errs.Error{Code: errs.Conflict, Message: "Someone else saved this entry after you opened it (now at version " + itoa(int(cur.Version)) + "). Nothing was saved; review their changes and save again."}
	}
	p.Version++
	p.UpdatedAt = ms2t(now)
	return nil
}

// Physician finds an entry of an organisation's directory; another
// organisation's is NotFound.
func (db *DB) Physician(ctx context.Context, orgID, id int64) (*clinic.Physician, error) {
	return scanPhysician(db.queryRow(ctx, "SELECT "+physicianCols+" FROM physicians WHERE id = $1 AND org_id = $2", id, orgID))
}

// checkPhysician makes sure id is an entry of orgID's directory.
func checkPhysician(ctx context.Context, tx *sql.Tx, orgID, id int64, field string) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM physicians WHERE id = $1 AND org_id = $2", id, orgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose an entry of your directory.", Fields: map[string]string{field: "Unknown physician or referral source."}}
	}
	return nil
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '\'.
func physicianLikeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SearchPhysicians lists an organisation's directory by name, narrowed to
// entries where every word of the query starts a word of the name,
// practice, specialty or city, or whose NPI starts with the digits typed.
// A directory holds tens to hundreds of entries, so a scan of the
// organisation's rows is fine.
func (db *DB) SearchPhysicians(ctx context.Context, orgID int64, f clinic.PhysicianFilter) ([]clinic.Physician, error) {
	args := []any{orgID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	where := []string{"org_id = $1"}
	q := strings.TrimSpace(cleanText(f.Query))
	if len(q) > 100 {
		q = strings.ToValidUTF8(q[:100], "")
	}
	if d := clinic.Digits(q); d != "" && d == strings.ReplaceAll(q, " ", "") {
		where = append(where, "npi LIKE "+arg(physicianLikeEscape(d)+"%")+` ESCAPE '\'`)
	} else {
		words := searchWords(q)
		if q != "" && len(words) == 0 {
			return nil, nil // nothing searchable typed ("%", "--"): no entry matches
		}
		for i, w := range words {
			if i == 6 {
				break
			}
			where = append(where, "search_text LIKE "+arg("% "+physicianLikeEscape(w)+"%")+` ESCAPE '\'`)
		}
	}
	if f.Kind != "" {
		where = append(where, "kind = "+arg(string(f.Kind)))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	rows, err := db.query(ctx, "SELECT "+physicianCols+" FROM physicians WHERE "+strings.Join(where, " AND ")+" ORDER BY name_key, id LIMIT "+itoa(limit), args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []clinic.Physician
	for rows.Next() {
		p, err := scanPhysician(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, dbErr(rows.Err())
}
