-- Who must have their session notes co-signed, and by whom (issue #6:
-- "Supervised therapists or students can require a co-signature"): one row
-- per supervised therapist, naming the owner or therapist who co-signs.
-- reason is 'supervised' (a therapist working under supervision) or
-- 'student'. An owner may co-sign any such note too. updated_at is Unix
-- milliseconds.
CREATE TABLE note_supervision (
    user_id       BIGINT PRIMARY KEY REFERENCES users(id),
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    supervisor_id BIGINT NOT NULL REFERENCES users(id),
    reason        TEXT NOT NULL CHECK (reason IN ('supervised', 'student')),
    updated_at    BIGINT NOT NULL,
    CHECK (supervisor_id <> user_id)
);
CREATE INDEX note_supervision_supervisor ON note_supervision(org_id, supervisor_id);
-- The signed notes still awaiting their co-signature, for the queue of
-- notes to co-sign: few rows, whatever the number of notes.
CREATE INDEX session_notes_awaiting_cosign ON session_notes(org_id, service_date)
    WHERE status = 'signed' AND cosign_required = 1 AND cosigned_by IS NULL;
