package store

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// CreateDocument stores a scanned document of d.ClientID with its bytes.
// The store sets what it can work out itself — the type sniffed from the
// bytes, the size, the SHA-256, a clean file name, the time — so no caller
// can label a file as something it is not. d.OrgID, ClientID, Kind,
// Filename and UploadedBy come from the caller.
func (db *DB) CreateDocument(ctx context.Context, tx *sql.Tx, d *clinic.Document, data []byte) error {
	ct, err := clinic.CheckUpload("document", data)
	if err != nil {
		return err
	}
	if !clinic.ValidDocumentKind(d.Kind) {
		return errs.E(errs.Invalid, "Unknown kind of document %q.", cleanText(d.Kind))
	}
	if _, err := db.clientTx(ctx, tx, d.OrgID, d.ClientID); err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	d.ContentType, d.Size, d.SHA256 = ct, int64(len(data)), hex.EncodeToString(sum[:])
	d.Filename = clinic.CleanFilename(d.Filename, ct)
	now := db.now()
	d.UploadedAt = ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, `INSERT INTO documents (org_id, client_id, kind, filename, content_type, size, sha256, data, uploaded_by, uploaded_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		d.OrgID, d.ClientID, d.Kind, d.Filename, d.ContentType, d.Size, d.SHA256, data, d.UploadedBy, now).Scan(&d.ID))
}

const documentCols = "id, org_id, client_id, kind, filename, content_type, size, sha256, uploaded_by, uploaded_at"

func scanDocument(row interface{ Scan(...any) error }, extra ...any) (*clinic.Document, error) {
	var d clinic.Document
	var at int64
	err := row.Scan(append([]any{&d.ID, &d.OrgID, &d.ClientID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.UploadedBy, &at}, extra...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such document.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	d.UploadedAt = ms2t(at)
	return &d, nil
}

// Document reads a document of an organisation with its bytes, checked
// against the SHA-256 stored when it was uploaded: bytes that changed
// since are an Internal error, never served.
func (db *DB) Document(ctx context.Context, orgID, id int64) (*clinic.Document, []byte, error) {
	var data []byte
	d, err := scanDocument(db.queryRow(ctx, "SELECT "+documentCols+", data FROM documents WHERE id = $1 AND org_id = $2", id, orgID), &data)
	if err != nil {
		return nil, nil, err
	}
	sum := sha256.Sum256(data)
	if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(d.SHA256)) != 1 || int64(len(data)) != d.Size {
		return nil, nil, errs.Wrap(errs.Internal, errors.New("checksum mismatch"), "document %d does not match its stored checksum", id)
	}
	return d, data, nil
}

// DocumentInfo reads what is known about a document, without its bytes.
func (db *DB) DocumentInfo(ctx context.Context, orgID, id int64) (*clinic.Document, error) {
	return scanDocument(db.queryRow(ctx, "SELECT "+documentCols+" FROM documents WHERE id = $1 AND org_id = $2", id, orgID))
}

// ClientDocuments lists a client's documents, newest first, without their bytes.
func (db *DB) ClientDocuments(ctx context.Context, orgID, clientID int64) ([]clinic.Document, error) {
	rows, err := db.query(ctx, "SELECT "+documentCols+" FROM documents WHERE org_id = $1 AND client_id = $2 ORDER BY uploaded_at DESC, id DESC", orgID, clientID)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []clinic.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, dbErr(rows.Err())
}
