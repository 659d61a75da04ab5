-- Intake: the consent documents an owner writes (each edit a new version), the
-- single-use links clients sign through, the signed health-history versions,
-- therapists' reviews of them, and each organisation's intake settings.
-- A signed intake and a saved consent version never change: triggers refuse
-- UPDATE and DELETE, so even a direct statement cannot alter what was signed.

CREATE TABLE consent_documents (
    id         INTEGER PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    UNIQUE (org_id, kind, version)
);

CREATE TABLE intake_links (
    id         INTEGER PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    client_id  BIGINT NOT NULL REFERENCES clients(id),
    token_hash TEXT NOT NULL UNIQUE,
    kiosk      INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    created_by BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT NOT NULL DEFAULT 0,
    revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX intake_links_client ON intake_links(org_id, client_id);

CREATE TABLE intakes (
    id             INTEGER PRIMARY KEY,
    org_id         BIGINT NOT NULL REFERENCES orgs(id),
    client_id      BIGINT NOT NULL REFERENCES clients(id),
    version        INTEGER NOT NULL,
    -- exactly the bytes the client signed (answers and consent texts), and their SHA-256
    signed_doc     TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    signed_at      BIGINT NOT NULL,
    signed_by      TEXT NOT NULL,
    signature_kind TEXT NOT NULL,
    signature_png  TEXT NOT NULL DEFAULT '',
    signed_ip      TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL,
    link_id        BIGINT UNIQUE REFERENCES intake_links(id),
    UNIQUE (client_id, version)
);
CREATE INDEX intakes_org_client ON intakes(org_id, client_id, version);

CREATE TRIGGER intakes_no_update BEFORE UPDATE ON intakes
BEGIN SELECT RAISE(ABORT, 'a signed intake never changes: store a new version'); END;
CREATE TRIGGER intakes_no_delete BEFORE DELETE ON intakes
BEGIN SELECT RAISE(ABORT, 'a signed intake never changes: store a new version'); END;
-- INSERT OR REPLACE would overwrite a row without an UPDATE or DELETE trigger firing.
CREATE TRIGGER intakes_no_replace BEFORE INSERT ON intakes
WHEN EXISTS (SELECT 1 FROM intakes WHERE id = NEW.id OR (client_id = NEW.client_id AND version = NEW.version) OR link_id = NEW.link_id)
BEGIN SELECT RAISE(ABORT, 'a signed intake never changes: store a new version'); END;
CREATE TRIGGER consent_documents_no_update BEFORE UPDATE ON consent_documents
BEGIN SELECT RAISE(ABORT, 'a consent version never changes: save a new version'); END;
CREATE TRIGGER consent_documents_no_delete BEFORE DELETE ON consent_documents
BEGIN SELECT RAISE(ABORT, 'a consent version never changes: save a new version'); END;
CREATE TRIGGER consent_documents_no_replace BEFORE INSERT ON consent_documents
WHEN EXISTS (SELECT 1 FROM consent_documents WHERE id = NEW.id OR (org_id = NEW.org_id AND kind = NEW.kind AND version = NEW.version))
BEGIN SELECT RAISE(ABORT, 'a consent version never changes: save a new version'); END;

CREATE TABLE intake_reviews (
    intake_id   BIGINT PRIMARY KEY REFERENCES intakes(id),
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    reviewed_at BIGINT NOT NULL,
    reviewed_by BIGINT NOT NULL REFERENCES users(id)
);

CREATE TABLE intake_settings (
    org_id        BIGINT PRIMARY KEY REFERENCES orgs(id),
    link_days     INTEGER NOT NULL DEFAULT 7,
    yearly_update INTEGER NOT NULL DEFAULT 0
);
