-- SOAP session notes and their addenda. The clinical content is a JSON
-- document in `body` (S, O, A, P, pains, marks, techniques, modalities,
-- screening acknowledgement); the columns are what lists, counts and locks
-- need. Dates are 'YYYY-MM-DD' text, instants Unix milliseconds.
CREATE TABLE session_notes (
    id              INTEGER PRIMARY KEY,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    client_id       BIGINT NOT NULL REFERENCES clients(id),
    appointment_id  BIGINT REFERENCES appointments(id),
    plan_id         BIGINT REFERENCES treatment_plans(id),
    therapist_id    BIGINT NOT NULL REFERENCES users(id),
    service_date    TEXT NOT NULL,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft',
    version         BIGINT NOT NULL DEFAULT 1,
    signed_by       BIGINT REFERENCES users(id),
    signed_at       BIGINT NOT NULL DEFAULT 0,
    late_entry      INTEGER NOT NULL DEFAULT 0,
    cosign_required INTEGER NOT NULL DEFAULT 0,
    cosigned_by     BIGINT REFERENCES users(id),
    cosigned_at     BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX session_notes_client ON session_notes(org_id, client_id, service_date);
CREATE INDEX session_notes_plan ON session_notes(plan_id, status, service_date);
-- An appointment has at most one note.
CREATE UNIQUE INDEX session_notes_appointment ON session_notes(appointment_id) WHERE appointment_id IS NOT NULL;

-- A signed note never changes and is never deleted; corrections are
-- addenda. The one change left is recording the required co-signature,
-- once. (Row values compare every column but the co-signature's.)
CREATE TRIGGER session_notes_signed_no_update BEFORE UPDATE ON session_notes
WHEN OLD.status = 'signed' AND (
    (NEW.id, NEW.org_id, NEW.client_id, NEW.appointment_id, NEW.plan_id, NEW.therapist_id, NEW.service_date, NEW.kind, NEW.body,
     NEW.status, NEW.version, NEW.signed_by, NEW.signed_at, NEW.late_entry, NEW.cosign_required, NEW.created_at, NEW.updated_at)
    IS NOT
    (OLD.id, OLD.org_id, OLD.client_id, OLD.appointment_id, OLD.plan_id, OLD.therapist_id, OLD.service_date, OLD.kind, OLD.body,
     OLD.status, OLD.version, OLD.signed_by, OLD.signed_at, OLD.late_entry, OLD.cosign_required, OLD.created_at, OLD.updated_at)
    OR ((NEW.cosigned_by IS NOT OLD.cosigned_by OR NEW.cosigned_at IS NOT OLD.cosigned_at)
        AND NOT (OLD.cosign_required = 1 AND OLD.cosigned_by IS NULL AND NEW.cosigned_by IS NOT NULL AND NEW.cosigned_at > 0)))
BEGIN SELECT RAISE(ABORT, 'a signed note never changes: write an addendum'); END;
CREATE TRIGGER session_notes_signed_no_delete BEFORE DELETE ON session_notes WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed note never changes: write an addendum'); END;
-- INSERT OR REPLACE and UPDATE OR REPLACE delete the row they collide with
-- without firing its delete trigger: refuse a collision with a signed note
-- (by id, or by appointment through the unique index) and any change of id.
CREATE TRIGGER session_notes_no_replace BEFORE INSERT ON session_notes
WHEN EXISTS (SELECT 1 FROM session_notes WHERE id = NEW.id OR (NEW.appointment_id IS NOT NULL AND appointment_id = NEW.appointment_id AND status = 'signed'))
BEGIN SELECT RAISE(ABORT, 'a signed note never changes: write an addendum'); END;
CREATE TRIGGER session_notes_id_fixed BEFORE UPDATE OF id ON session_notes WHEN NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'a note keeps its id'); END;
CREATE TRIGGER session_notes_appointment_taken BEFORE UPDATE OF appointment_id ON session_notes
WHEN NEW.appointment_id IS NOT NULL AND NEW.appointment_id IS NOT OLD.appointment_id
    AND EXISTS (SELECT 1 FROM session_notes WHERE appointment_id = NEW.appointment_id AND status = 'signed')
BEGIN SELECT RAISE(ABORT, 'a signed note never changes: write an addendum'); END;

-- Addenda to signed notes: append-only.
CREATE TABLE note_addenda (
    id        INTEGER PRIMARY KEY,
    org_id    BIGINT NOT NULL REFERENCES orgs(id),
    note_id   BIGINT NOT NULL REFERENCES session_notes(id),
    reason    TEXT NOT NULL,
    body      TEXT NOT NULL,
    signed_by BIGINT NOT NULL REFERENCES users(id),
    signed_at BIGINT NOT NULL
);
CREATE INDEX note_addenda_note ON note_addenda(note_id, signed_at);
CREATE TRIGGER note_addenda_signed_note BEFORE INSERT ON note_addenda
WHEN NOT EXISTS (SELECT 1 FROM session_notes WHERE id = NEW.note_id AND org_id = NEW.org_id AND status = 'signed')
BEGIN SELECT RAISE(ABORT, 'an addendum is added to a signed note'); END;
CREATE TRIGGER note_addenda_no_replace BEFORE INSERT ON note_addenda
WHEN EXISTS (SELECT 1 FROM note_addenda WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'an addendum never changes'); END;
CREATE TRIGGER note_addenda_no_update BEFORE UPDATE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'an addendum never changes'); END;
CREATE TRIGGER note_addenda_no_delete BEFORE DELETE ON note_addenda
BEGIN SELECT RAISE(ABORT, 'an addendum never changes'); END;
