package app

import (
	"context"
	"database/sql"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// Audit actions of scanned documents.
const (
	AuditDocumentCreate = "document.create"
	AuditDocumentRead   = "document.read"
)

// Upload is a file a person sent: its name as their computer called it and
// its bytes. Its type is worked out from the bytes alone.
type Upload struct {
	Filename string
	Data     []byte
}

// Documents are part of the client's record: whoever may edit the client
// may add one, whoever may open the chart may read one (a therapist only
// for clients of their own locations). Both are audited.

// SaveDocument stores a scanned document of d.ClientID (d.Kind and
// d.Filename set by the caller; the type, size and checksum are worked out
// from data). It is refused when data is not a PDF, JPEG or PNG or is over
// 10 MB; then nothing is stored.
func (s *App) SaveDocument(ctx context.Context, a *auth.Actor, d *clinic.Document, data []byte) error {
	if _, err := s.careClient(ctx, a, auth.ClientWrite, AuditDocumentCreate, d.ClientID); err != nil {
		return err
	}
	if _, err := clinic.CheckUpload("document", data); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		e, err := s.saveDocument(ctx, tx, a, d, data)
		return []*audit.Entry{e}, err
	})
}

// saveDocument stores d inside tx and returns its audit entry.
func (s *App) saveDocument(ctx context.Context, tx *sql.Tx, a *auth.Actor, d *clinic.Document, data []byte) (*audit.Entry, error) {
	d.OrgID, d.ID, d.UploadedBy = a.User.OrgID, 0, a.User.ID
	if err := s.DB.CreateDocument(ctx, tx, d, data); err != nil {
		return nil, err
	}
	// The kind and type, never the file name: a name can be a client's.
	return withDetail(entry(a, AuditDocumentCreate, "document", d.ID, audit.OK), "client "+i64(d.ClientID)+", "+d.Kind+", "+d.ContentType), nil
}

// Document reads a document with its bytes, checked against its checksum.
// Another organisation's document is not found; one of a client the actor
// may not see is refused.
func (s *App) Document(ctx context.Context, a *auth.Actor, id int64) (*clinic.Document, []byte, error) {
	if err := s.require(ctx, a, auth.ClientRead, AuditDocumentRead); err != nil {
		return nil, nil, err
	}
	info, err := s.DB.DocumentInfo(ctx, a.User.OrgID, id)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, s.deny(ctx, a, AuditDocumentRead, "document", id, err)
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := s.DB.Client(ctx, a.User.OrgID, info.ClientID)
	if err != nil {
		return nil, nil, err
	}
	if ok, err := s.maySee(ctx, a, c); err != nil {
		return nil, nil, err
	} else if !ok {
		return nil, nil, s.deny(ctx, a, AuditDocumentRead, "document", id, errs.E(errs.Forbidden, "This document belongs to a client of a location you do not work at."))
	}
	d, data, err := s.DB.Document(ctx, a.User.OrgID, id)
	if err != nil {
		if errs.Is(err, errs.Internal) {
			// Bytes changed behind Fascia's back (or a disk fault): never
			// served; the owner restores the file from a backup.
			s.Log.Error("document failed its checksum", "document", id, "err", err)
		}
		return nil, nil, err
	}
	if err := s.audit(ctx, withDetail(entry(a, AuditDocumentRead, "document", id, audit.OK), "client "+i64(d.ClientID))); err != nil {
		return nil, nil, err
	}
	return d, data, nil
}
