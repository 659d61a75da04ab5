package store

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

const clientCols = `id, org_id, first_name, middle_name, last_name, suffix, preferred_name, dob, sex, address1, address2, city, state, zip, phone, email,
	emergency_name, emergency_phone, emergency_relation, preferred_location_id, COALESCE(preferred_therapist_id, 0), status, version, created_at, updated_at`

// briefCols are the columns of a ClientFilter.Brief search, scanned by scanBrief.
const briefCols = `id, org_id, first_name, middle_name, last_name, suffix, preferred_name, dob, phone, email, preferred_location_id, status, version`

func scanBrief(row interface{ Scan(...any) error }) (*clinic.Client, error) {
	var c clinic.Client
	var status string
	if err := row.Scan(&c.ID, &c.OrgID, &c.FirstName, &c.MiddleName, &c.LastName, &c.Suffix, &c.PreferredName, &c.DOB,
		&c.Phone, &c.Email, &c.PreferredLocationID, &status, &c.Version); err != nil {
		return nil, dbErr(err)
	}
	c.Status = clinic.ClientStatus(status)
	return &c, nil
}

func key(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// prefixEnd is the first string after every string that starts with p, in
// bytewise order (SQLite BINARY, PostgreSQL COLLATE "C"), so "k >= p AND k < end"
// is a prefix match that uses the index.
func prefixEnd(p string) string { return p + "\U0010FFFF" }

func scanClient(row interface{ Scan(...any) error }) (*clinic.Client, error) {
	var c clinic.Client
	var created, updated int64
	var sex, status string
	err := row.Scan(&c.ID, &c.OrgID, &c.FirstName, &c.MiddleName, &c.LastName, &c.Suffix, &c.PreferredName, &c.DOB, &sex,
		&c.Address1, &c.Address2, &c.City, &c.State, &c.Zip, &c.Phone, &c.Email,
		&c.EmergencyName, &c.EmergencyPhone, &c.EmergencyRelation, &c.PreferredLocationID, &c.PreferredTherapistID, &status, &c.Version, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such client.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	c.Sex, c.Status, c.CreatedAt, c.UpdatedAt = clinic.Sex(sex), clinic.ClientStatus(status), ms2t(created), ms2t(updated)
	return &c, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// checkClientRefs makes sure the location and therapist belong to the client's organisation.
func (db *DB) checkClientRefs(ctx context.Context, tx *sql.Tx, c *clinic.Client) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM locations WHERE id = $1 AND org_id = $2", c.PreferredLocationID, c.OrgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose one of your organisation's locations.", Fields: map[string]string{"preferred_location_id": "Unknown location."}}
	}
	if c.PreferredTherapistID != 0 {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE id = $1 AND org_id = $2 AND role = 'therapist'", c.PreferredTherapistID, c.OrgID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return &errs.Error{Code: errs.Invalid, Message: "Choose one of your organisation's therapists.", Fields: map[string]string{"preferred_therapist_id": "Unknown therapist."}}
		}
	}
	return nil
}

// CreateClient stores a new client (c.OrgID set by the caller).
func (db *DB) CreateClient(ctx context.Context, tx *sql.Tx, c *clinic.Client) error {
	if err := c.Validate(db.Now()); err != nil {
		return err
	}
	if err := clientText(c); err != nil {
		return err
	}
	if err := db.checkClientRefs(ctx, tx, c); err != nil {
		return err
	}
	now := db.now()
	c.Version, c.CreatedAt, c.UpdatedAt = 1, ms2t(now), ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO clients (org_id, first_name, middle_name, last_name, suffix, preferred_name, dob, sex, address1, address2, city, state, zip, phone, email,
		emergency_name, emergency_phone, emergency_relation, preferred_location_id, preferred_therapist_id, status, version, created_at, updated_at,
		first_key, last_key, preferred_key, email_key, phone_digits)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, $22, $22, $23, $24, $25, $26, $27) RETURNING id`,
		c.OrgID, c.FirstName, c.MiddleName, c.LastName, c.Suffix, c.PreferredName, c.DOB, string(c.Sex), c.Address1, c.Address2, c.City, c.State, c.Zip, c.Phone, c.Email,
		c.EmergencyName, c.EmergencyPhone, c.EmergencyRelation, c.PreferredLocationID, nullID(c.PreferredTherapistID), string(c.Status), now,
		key(c.FirstName), key(c.LastName), key(c.PreferredName), c.Email, clinic.Digits(c.Phone)).Scan(&c.ID))
}

// UpdateClient saves c if it is still at version c.Version; otherwise it
// returns a Conflict and changes nothing. On success c.Version is the new version.
func (db *DB) UpdateClient(ctx context.Context, tx *sql.Tx, c *clinic.Client) error {
	if err := c.Validate(db.Now()); err != nil {
		return err
	}
	if err := clientText(c); err != nil {
		return err
	}
	if err := db.checkClientRefs(ctx, tx, c); err != nil {
		return err
	}
	now := db.now()
	res, err := tx.ExecContext(ctx, `UPDATE clients SET first_name = $1, middle_name = $2, last_name = $3, suffix = $4, preferred_name = $5, dob = $6, sex = $7,
		address1 = $8, address2 = $9, city = $10, state = $11, zip = $12, phone = $13, email = $14, emergency_name = $15, emergency_phone = $16, emergency_relation = $17,
		preferred_location_id = $18, preferred_therapist_id = $19, status = $20, version = version + 1, updated_at = $21,
		first_key = $22, last_key = $23, preferred_key = $24, email_key = $25, phone_digits = $26
		WHERE id = $27 AND org_id = $28 AND version = $29`,
		c.FirstName, c.MiddleName, c.LastName, c.Suffix, c.PreferredName, c.DOB, string(c.Sex), c.Address1, c.Address2, c.City, c.State, c.Zip, c.Phone, c.Email,
		c.EmergencyName, c.EmergencyPhone, c.EmergencyRelation, c.PreferredLocationID, nullID(c.PreferredTherapistID), string(c.Status), now,
		key(c.FirstName), key(c.LastName), key(c.PreferredName), c.Email, clinic.Digits(c.Phone), c.ID, c.OrgID, c.Version)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := db.clientTx(ctx, tx, c.OrgID, c.ID)
		if err != nil {
			return err
		}
		return &errs.Error{Code: errs.Conflict, Message: "Someone else saved this client after you opened it (now at version " + itoa(int(cur.Version)) + "). Nothing was saved; review their changes and save again."}
	}
	c.Version++
	c.UpdatedAt = ms2t(now)
	return nil
}

// clientText refuses text fields that cannot be stored alike on both engines.
func clientText(c *clinic.Client) error {
	return checkText("first_name", c.FirstName, "middle_name", c.MiddleName, "last_name", c.LastName, "suffix", c.Suffix,
		"preferred_name", c.PreferredName, "dob", c.DOB, "address1", c.Address1, "address2", c.Address2, "city", c.City,
		"state", c.State, "zip", c.Zip, "phone", c.Phone, "email", c.Email, "emergency_name", c.EmergencyName,
		"emergency_phone", c.EmergencyPhone, "emergency_relation", c.EmergencyRelation)
}

func (db *DB) clientTx(ctx context.Context, tx *sql.Tx, orgID, id int64) (*clinic.Client, error) {
	return scanClient(tx.QueryRowContext(ctx, "SELECT "+clientCols+" FROM clients WHERE id = $1 AND org_id = $2", id, orgID))
}

// Client finds a client of an organisation; another organisation's client is NotFound.
func (db *DB) Client(ctx context.Context, orgID, id int64) (*clinic.Client, error) {
	return scanClient(db.queryRow(ctx, "SELECT "+clientCols+" FROM clients WHERE id = $1 AND org_id = $2", id, orgID))
}

// ClientForUpdate reads a client inside a write transaction.
func (db *DB) ClientForUpdate(ctx context.Context, tx *sql.Tx, orgID, id int64) (*clinic.Client, error) {
	return db.clientTx(ctx, tx, orgID, id)
}

// PossibleDuplicates finds clients with the same legal name and date of birth.
func (db *DB) PossibleDuplicates(ctx context.Context, orgID int64, first, last, dob string, exceptID int64) ([]clinic.Client, error) {
	if d, ok := clinic.ParseDate(dob); ok {
		dob = d
	}
	if !storable(first) || !storable(last) || !storable(dob) {
		return nil, nil // no stored client has such a name (see clientText)
	}
	rows, err := db.query(ctx, "SELECT "+clientCols+" FROM clients WHERE org_id = $1 AND last_key = $2 AND first_key = $3 AND dob = $4 AND id <> $5 ORDER BY id LIMIT 20",
		orgID, key(last), key(first), dob, exceptID)
	if err != nil {
		return nil, dbErr(err)
	}
	return collectClients(rows, scanClient)
}

func collectClients(rows *sql.Rows, scan func(interface{ Scan(...any) error }) (*clinic.Client, error)) ([]clinic.Client, error) {
	defer rows.Close()
	var out []clinic.Client
	for rows.Next() {
		c, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, dbErr(rows.Err())
}

var (
	digitsOnlyRE = regexp.MustCompile(`^[\d\s().+-]+$`)
)

// SearchClients finds clients by a prefix of name, phone or email, or by
// date of birth. A name search runs in tiers: clients whose last name
// starts with the text first (by last, then first name), then those whose
// first name does, then those whose preferred name does. Each tier reads
// one index in its own order and stops at the page size, so a search costs
// the same whether the prefix matches ten clients or ten thousand — one
// ORDER BY over the union would have to sort every match, and a single OR
// makes both engines walk the organisation's whole index (SQLite has no
// statistics to know better).
func (db *DB) SearchClients(ctx context.Context, orgID int64, f clinic.ClientFilter) ([]clinic.Client, error) {
	if f.LocationIDs != nil && len(f.LocationIDs) == 0 {
		return nil, nil
	}
	q := strings.TrimSpace(cleanText(f.Query))
	if len(q) > 100 {
		q = strings.ToValidUTF8(q[:100], "") // not in the middle of a character
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	const byName = "last_key, first_key, id"
	var tiers []searchTier
	switch {
	case q == "":
		tiers = []searchTier{{nil, byName}}
	case isDate(q):
		d, _ := clinic.ParseDate(q)
		tiers = []searchTier{{[]cond{{"dob = ?", []any{d}}}, byName}}
	case strings.Contains(q, "@"):
		tiers = []searchTier{{[]cond{prefixCond("email_key", key(q))}, byName}}
	case digitsOnlyRE.MatchString(q) && len(clinic.Digits(q)) >= 3:
		tiers = []searchTier{{[]cond{prefixCond("phone_digits", clinic.Digits(q))}, byName}}
	default:
		toks := strings.FieldsFunc(key(q), func(r rune) bool { return r == ' ' || r == ',' })
		switch len(toks) {
		case 0:
			tiers = []searchTier{{nil, byName}}
		case 1:
			t := toks[0]
			last, first, pref := prefixCond("last_key", t), prefixCond("first_key", t), prefixCond("preferred_key", t)
			tiers = []searchTier{
				{[]cond{last}, byName},
				{[]cond{first, last.not()}, "first_key, last_key, id"},
				{[]cond{pref, first.not(), last.not()}, "preferred_key, last_key, id"},
			}
		default:
			// "ann smi" or "smith, ann": one token is a first (or preferred) name, the other the last name.
			a, b := toks[0], toks[len(toks)-1]
			firstA, lastB := prefixCond("first_key", a), prefixCond("last_key", b)
			prefA, lastA, firstB := prefixCond("preferred_key", a), prefixCond("last_key", a), prefixCond("first_key", b)
			tiers = []searchTier{
				{[]cond{lastB, firstA}, byName},
				{[]cond{lastB, prefA, firstA.not()}, byName},
				{[]cond{lastA, firstB, and(firstA, lastB).not(), and(prefA, lastB).not()}, byName},
			}
		}
	}
	var extra []cond
	if f.LocationIDs != nil {
		ids := make([]any, len(f.LocationIDs))
		for i, l := range f.LocationIDs {
			ids[i] = l
		}
		extra = append(extra, cond{"preferred_location_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", ids})
	}
	if f.Status != "" {
		extra = append(extra, cond{"status = ?", []any{string(f.Status)}})
	}
	out := []clinic.Client{}
	offset := f.Offset
	for _, t := range tiers {
		if len(out) == limit {
			break
		}
		where, args := buildWhere(orgID, append(slices.Clone(t.conds), extra...))
		if offset > 0 {
			// Skip whole tiers the page starts after (an index-only count).
			var n int
			if err := db.queryRow(ctx, "SELECT COUNT(*) FROM clients WHERE "+where, args...).Scan(&n); err != nil {
				return nil, dbErr(err)
			}
			if offset >= n {
				offset -= n
				continue
			}
		}
		cols, scan := clientCols, scanClient
		if f.Brief {
			cols, scan = briefCols, scanBrief
		}
		sqlq := "SELECT " + cols + " FROM clients WHERE " + where + " ORDER BY " + t.order + " LIMIT " + itoa(limit-len(out))
		if offset > 0 {
			sqlq += " OFFSET " + itoa(offset)
			offset = 0
		}
		rows, err := db.query(ctx, sqlq, args...)
		if err != nil {
			return nil, dbErr(err)
		}
		cs, err := collectClients(rows, scan)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// cond is one SQL condition with ? for its arguments, numbered when built.
type cond struct {
	sql  string
	args []any
}

func (c cond) not() cond { return cond{"NOT " + c.sql, c.args} }

func and(cs ...cond) cond {
	var parts []string
	var args []any
	for _, c := range cs {
		parts = append(parts, c.sql)
		args = append(args, c.args...)
	}
	return cond{"(" + strings.Join(parts, " AND ") + ")", args}
}

// prefixCond matches values of col that start with p, as an index range.
func prefixCond(col, p string) cond {
	return cond{"(" + col + " >= ? AND " + col + " < ?)", []any{p, prefixEnd(p)}}
}

type searchTier struct {
	conds []cond
	order string
}

// buildWhere joins conds after the organisation's, numbering placeholders $1, $2, ….
func buildWhere(orgID int64, conds []cond) (string, []any) {
	args := []any{orgID}
	parts := []string{"org_id = $1"}
	for _, c := range conds {
		var b strings.Builder
		i := 0
		for _, r := range c.sql {
			if r == '?' {
				args = append(args, c.args[i])
				i++
				b.WriteString("$" + itoa(len(args)))
				continue
			}
			b.WriteRune(r)
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, " AND "), args
}

func isDate(s string) bool {
	_, ok := clinic.ParseDate(s)
	return ok
}

// CountClients counts an organisation's clients.
func (db *DB) CountClients(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM clients WHERE org_id = $1", orgID).Scan(&n)
	return n, dbErr(err)
}
