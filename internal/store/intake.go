package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// IntakeLink is a single-use, expiring link through which a client fills
// in and signs an intake. Only the SHA-256 of its token is stored.
type IntakeLink struct {
	ID        int64
	OrgID     int64
	ClientID  int64
	Kiosk     bool // handed to the client on a clinic device
	CreatedAt time.Time
	CreatedBy int64
	ExpiresAt time.Time
	UsedAt    time.Time
	RevokedAt time.Time
}

// Live reports whether the link can still be used at now.
func (l *IntakeLink) Live(now time.Time) bool {
	return l.UsedAt.IsZero() && l.RevokedAt.IsZero() && now.Before(l.ExpiresAt)
}

const linkCols = "id, org_id, client_id, kiosk, created_at, created_by, expires_at, used_at, revoked_at"

func scanLink(row interface{ Scan(...any) error }) (*IntakeLink, error) {
	var l IntakeLink
	var kiosk int
	var c, e, u, r int64
	err := row.Scan(&l.ID, &l.OrgID, &l.ClientID, &kiosk, &c, &l.CreatedBy, &e, &u, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "This link is no longer valid.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	l.Kiosk, l.CreatedAt, l.ExpiresAt, l.UsedAt, l.RevokedAt = kiosk == 1, ms2t(c), ms2t(e), ms2t(u), ms2t(r)
	return &l, nil
}

// CreateIntakeLink stores a new link (OrgID, ClientID, Kiosk, CreatedBy and
// ExpiresAt set by the caller) under the hash of its token.
func (db *DB) CreateIntakeLink(ctx context.Context, tx *sql.Tx, l *IntakeLink, tokenHash string) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE id = $1 AND org_id = $2", l.ClientID, l.OrgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "No such client.")
	}
	now := db.now()
	l.CreatedAt = ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO intake_links (org_id, client_id, token_hash, kiosk, created_at, created_by, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		l.OrgID, l.ClientID, tokenHash, b2i(l.Kiosk), now, l.CreatedBy, l.ExpiresAt.UnixMilli()).Scan(&l.ID))
}

// IntakeLinkByHash finds a link by the hash of its token, whatever its
// state (the caller decides whether it is still live). NotFound if none.
func (db *DB) IntakeLinkByHash(ctx context.Context, tokenHash string) (*IntakeLink, error) {
	if !storable(tokenHash) {
		return nil, errs.E(errs.NotFound, "This link is no longer valid.")
	}
	return scanLink(db.queryRow(ctx, "SELECT "+linkCols+" FROM intake_links WHERE token_hash = $1", tokenHash))
}

// OpenIntakeLinks lists a client's links that can still be used, newest first.
func (db *DB) OpenIntakeLinks(ctx context.Context, orgID, clientID int64) ([]IntakeLink, error) {
	rows, err := db.query(ctx, "SELECT "+linkCols+" FROM intake_links WHERE org_id = $1 AND client_id = $2 AND used_at = 0 AND revoked_at = 0 AND expires_at > $3 ORDER BY id DESC",
		orgID, clientID, db.now())
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []IntakeLink
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *l)
	}
	return out, dbErr(rows.Err())
}

// RevokeIntakeLink ends a client's link before it is used.
func (db *DB) RevokeIntakeLink(ctx context.Context, tx *sql.Tx, orgID, clientID, id int64) error {
	res, err := tx.ExecContext(ctx, "UPDATE intake_links SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND client_id = $4 AND used_at = 0 AND revoked_at = 0",
		db.now(), id, orgID, clientID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "No such link, or it is already used or revoked.")
	}
	return nil
}

// InsertIntake stores a signed intake as the client's next version.
// signedDoc is exactly what was signed (care.SignedBytes); its SHA-256 is
// stored beside it, and the answers are read back from it, so what is
// shown is always what was signed. in.OrgID, ClientID, SignedAt, SignedBy,
// SignatureKind, SignaturePNG, SignedFrom and Source are set by the caller.
//
// With linkID the link is consumed in the same transaction: a link that is
// used, revoked or expired by then gives Gone and nothing is stored.
//
// There is no way to change a stored intake: an update is a new version.
func (db *DB) InsertIntake(ctx context.Context, tx *sql.Tx, in *care.Intake, signedDoc []byte, linkID int64) error {
	doc := string(signedDoc)
	if !storable(doc) || !storable(in.SignedBy) || !storable(in.SignedFrom) || !storable(in.Source) {
		return errs.E(errs.Invalid, "The health history holds characters that cannot be stored.")
	}
	if _, err := care.ParseSigned(signedDoc); err != nil {
		return errs.Wrap(errs.Internal, err, "the signed intake does not parse")
	}
	now := db.now()
	if linkID != 0 {
		res, err := tx.ExecContext(ctx, `UPDATE intake_links SET used_at = $1
			WHERE id = $2 AND org_id = $3 AND client_id = $4 AND used_at = 0 AND revoked_at = 0 AND expires_at > $1`,
			now, linkID, in.OrgID, in.ClientID)
		if err != nil {
			return dbErr(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.E(errs.Gone, "This link is no longer valid. Please contact the clinic.")
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE id = $1 AND org_id = $2", in.ClientID, in.OrgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "No such client.")
	}
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM intakes WHERE client_id = $1", in.ClientID).Scan(&v); err != nil {
		return dbErr(err)
	}
	if in.SignedAt.IsZero() {
		in.SignedAt = ms2t(now)
	}
	in.SignedAt = ms2t(in.SignedAt.UnixMilli())
	in.Version, in.ContentHash = v+1, care.HashSigned(signedDoc)
	png := ""
	if len(in.SignaturePNG) > 0 {
		png = base64.StdEncoding.EncodeToString(in.SignaturePNG)
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO intakes (org_id, client_id, version, signed_doc, content_hash, signed_at, signed_by, signature_kind, signature_png, signed_ip, source, link_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		in.OrgID, in.ClientID, in.Version, doc, in.ContentHash, in.SignedAt.UnixMilli(), in.SignedBy, in.SignatureKind, png, in.SignedFrom, in.Source, nullID(linkID)).Scan(&in.ID)
	if isUnique(err) {
		return errs.E(errs.Conflict, "Another version of this health history was saved at the same moment. Nothing was saved; please send it again.")
	}
	return dbErr(err)
}

const intakeSelect = `SELECT i.id, i.org_id, i.client_id, i.version, i.signed_doc, i.content_hash, i.signed_at, i.signed_by, i.signature_kind, PNG, i.signed_ip, i.source,
	COALESCE(r.reviewed_at, 0), COALESCE(r.reviewed_by, 0), COALESCE(u.name, '')
	FROM intakes i LEFT JOIN intake_reviews r ON r.intake_id = i.id LEFT JOIN users u ON u.id = r.reviewed_by `

func intakeQuery(withPNG bool) string {
	col := "''"
	if withPNG {
		col = "i.signature_png"
	}
	return strings.Replace(intakeSelect, "PNG", col, 1)
}

func scanIntake(row interface{ Scan(...any) error }) (*care.Intake, error) {
	var in care.Intake
	var doc, png string
	var signed, reviewed int64
	err := row.Scan(&in.ID, &in.OrgID, &in.ClientID, &in.Version, &doc, &in.ContentHash, &signed, &in.SignedBy, &in.SignatureKind, &png, &in.SignedFrom, &in.Source,
		&reviewed, &in.ReviewedBy, &in.ReviewedByName)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No health history on record.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	d, err := care.ParseSigned([]byte(doc))
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "a stored intake does not parse")
	}
	d.Intake.ApplyTo(&in)
	for _, c := range d.Consents {
		in.Consents = append(in.Consents, care.ConsentRef{ID: c.ID, Kind: c.Kind, Version: c.Version})
	}
	in.SignedAt, in.ReviewedAt = ms2t(signed), ms2t(reviewed)
	if png != "" {
		if in.SignaturePNG, err = base64.StdEncoding.DecodeString(png); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "a stored signature does not decode")
		}
	}
	return &in, nil
}

// Intakes lists a client's signed intakes, newest version first (without the drawn signatures).
func (db *DB) Intakes(ctx context.Context, orgID, clientID int64) ([]care.Intake, error) {
	rows, err := db.query(ctx, intakeQuery(false)+"WHERE i.org_id = $1 AND i.client_id = $2 ORDER BY i.version DESC", orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []care.Intake
	for rows.Next() {
		in, err := scanIntake(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *in)
	}
	return out, dbErr(rows.Err())
}

// IntakeVersion reads one version of a client's intake, with its drawn signature.
func (db *DB) IntakeVersion(ctx context.Context, orgID, clientID int64, version int) (*care.Intake, error) {
	return scanIntake(db.queryRow(ctx, intakeQuery(true)+"WHERE i.org_id = $1 AND i.client_id = $2 AND i.version = $3", orgID, clientID, version))
}

// LatestIntake reads a client's newest intake; NotFound when there is none.
func (db *DB) LatestIntake(ctx context.Context, orgID, clientID int64) (*care.Intake, error) {
	return scanIntake(db.queryRow(ctx, intakeQuery(true)+
		"WHERE i.org_id = $1 AND i.client_id = $2 AND i.version = (SELECT MAX(version) FROM intakes WHERE org_id = $1 AND client_id = $2)", orgID, clientID))
}

// SignedIntake returns the stored signed bytes of an intake and their stored hash.
func (db *DB) SignedIntake(ctx context.Context, orgID, intakeID int64) (doc []byte, hash string, err error) {
	var s string
	err = db.queryRow(ctx, "SELECT signed_doc, content_hash FROM intakes WHERE id = $1 AND org_id = $2", intakeID, orgID).Scan(&s, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", errs.E(errs.NotFound, "No such health history.")
	}
	if err != nil {
		return nil, "", dbErr(err)
	}
	return []byte(s), hash, nil
}

// ReviewIntake records that a therapist reviewed an intake version. A
// version is reviewed once: a second review is a Conflict.
func (db *DB) ReviewIntake(ctx context.Context, tx *sql.Tx, orgID, intakeID, userID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM intakes WHERE id = $1 AND org_id = $2", intakeID, orgID).Scan(&n); err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return errs.E(errs.NotFound, "No such health history.")
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO intake_reviews (intake_id, org_id, reviewed_at, reviewed_by) VALUES ($1, $2, $3, $4)", intakeID, orgID, db.now(), userID)
	if isUnique(err) {
		return errs.E(errs.Conflict, "This version was already marked reviewed.")
	}
	return dbErr(err)
}

// IntakeSettings are an organisation's intake choices.
type IntakeSettings struct {
	// LinkDays is how long a new intake link stays valid.
	LinkDays int
	// YearlyUpdate asks for a new health history when the latest is over a year old.
	YearlyUpdate bool
}

// DefaultLinkDays is how long an intake link stays valid unless the owner says otherwise.
const DefaultLinkDays = 7

// IntakeSettingsOf reads an organisation's intake settings (the defaults until an owner saves them).
func (db *DB) IntakeSettingsOf(ctx context.Context, orgID int64) (IntakeSettings, error) {
	s := IntakeSettings{LinkDays: DefaultLinkDays}
	var yearly int
	err := db.queryRow(ctx, "SELECT link_days, yearly_update FROM intake_settings WHERE org_id = $1", orgID).Scan(&s.LinkDays, &yearly)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, dbErr(err)
	}
	s.YearlyUpdate = yearly == 1
	return s, nil
}

// SaveIntakeSettings stores an organisation's intake settings.
func (db *DB) SaveIntakeSettings(ctx context.Context, tx *sql.Tx, orgID int64, s IntakeSettings) error {
	if s.LinkDays < 1 || s.LinkDays > 60 {
		return &errs.Error{Code: errs.Invalid, Message: "Choose how many days a link stays valid.", Fields: map[string]string{"link_days": "Between 1 and 60 days."}}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO intake_settings (org_id, link_days, yearly_update) VALUES ($1, $2, $3)
		ON CONFLICT (org_id) DO UPDATE SET link_days = excluded.link_days, yearly_update = excluded.yearly_update`, orgID, s.LinkDays, b2i(s.YearlyUpdate))
	return dbErr(err)
}
