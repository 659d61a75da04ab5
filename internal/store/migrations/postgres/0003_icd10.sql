-- ICD-10-CM code sets imported from CMS order files, one per fiscal year
-- (fascia codes import). Without one the built-in list is used. Codes are
-- stored without their dot, as the order file and X12 write them.
CREATE TABLE icd10_sets (
    fiscal_year INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    code_count  INTEGER NOT NULL,
    loaded_at   BIGINT NOT NULL
);

CREATE TABLE icd10_codes (
    fiscal_year INTEGER NOT NULL REFERENCES icd10_sets(fiscal_year),
    code        TEXT NOT NULL,
    billable    INTEGER NOT NULL,
    short_title TEXT NOT NULL,
    long_title  TEXT NOT NULL,
    PRIMARY KEY (fiscal_year, code)
);
