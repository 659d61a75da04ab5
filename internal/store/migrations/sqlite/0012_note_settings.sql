-- How a clinic's session notes become billed units (issue #6): the map from
-- techniques and modalities to procedure codes, the default unit rule, and
-- the payers that bill by the other rule. code_map is a JSON object
-- {"swedish": "97124", …} ("" = not billed) merged over the built-in
-- defaults when read; payer_rules is {"Blue Cross": "ama", …}.
-- updated_at is Unix milliseconds.
CREATE TABLE note_settings (
    org_id      BIGINT PRIMARY KEY REFERENCES orgs(id),
    code_map    TEXT NOT NULL DEFAULT '{}',
    unit_rule   TEXT NOT NULL DEFAULT 'cms',
    payer_rules TEXT NOT NULL DEFAULT '{}',
    updated_at  BIGINT NOT NULL
);
