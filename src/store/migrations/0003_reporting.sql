-- trienkhai schema, version 3: the reporting cycle. A schedule says who reports on what and
-- when (Nghị định 09/2019/NĐ-CP periods, core/schedule.c); each reporting unit keeps one report
-- per period, saved as revisions, and moves it through draft -> submitted -> accepted (or back,
-- returned with a reason).

-- A schedule belongs to the body that collects the reports (organization_id: the body that
-- issued its document or program), and names who reports: every unit under a root
-- (reporters 'subtree', optionally down to reporter_depth levels), units of one kind under a
-- root ('kind'), or a list ('list', report_schedule_orgs). Which units are expected for a period
-- follows from this and from the organization tree as it was on the period's due date.
CREATE TABLE report_schedules (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL,
    document_id      INTEGER REFERENCES documents(id),
    program_id       INTEGER REFERENCES programs(id),
    organization_id  INTEGER NOT NULL REFERENCES organizations(id),
    period_type      TEXT NOT NULL
                     CHECK (period_type IN ('month', 'quarter', 'half_year', 'nine_months', 'year', 'once')),
    cutoff_day       INTEGER NOT NULL DEFAULT 14 CHECK (cutoff_day BETWEEN 1 AND 31),
    due_day          INTEGER NOT NULL DEFAULT 25 CHECK (due_day BETWEEN 1 AND 31),
    once_first       TEXT,
    once_last        TEXT,
    once_due_days    INTEGER,
    starts_on        TEXT,            -- periods ending before it are not expected
    ends_on          TEXT,            -- nor those starting after it
    reporters        TEXT NOT NULL CHECK (reporters IN ('subtree', 'kind', 'list')),
    reporter_root_id INTEGER REFERENCES organizations(id),
    reporter_depth   INTEGER CHECK (reporter_depth IS NULL OR reporter_depth >= 1),
    reporter_kind    TEXT,
    title_folded     TEXT NOT NULL,
    created_by       INTEGER REFERENCES users(id),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    CHECK ((document_id IS NULL) <> (program_id IS NULL)),
    CHECK (reporters = 'list' OR reporter_root_id IS NOT NULL),
    CHECK (reporters <> 'kind' OR reporter_kind IS NOT NULL),
    CHECK (period_type <> 'once' OR (once_first IS NOT NULL AND once_last IS NOT NULL AND once_due_days IS NOT NULL))
);
CREATE INDEX report_schedules_org ON report_schedules(organization_id);
CREATE INDEX report_schedules_document ON report_schedules(document_id);
CREATE INDEX report_schedules_program ON report_schedules(program_id);

CREATE TABLE report_schedule_orgs (
    schedule_id INTEGER NOT NULL REFERENCES report_schedules(id),
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (schedule_id, org_id)
) WITHOUT ROWID;

-- One report of a unit for a period of a schedule. submitted_on is the day the latest
-- submission counts for (today, or the day the office received a report on paper); a report is
-- on time when it is on or before due_on, the period's due date kept from when it was created.
CREATE TABLE unit_reports (
    id                  INTEGER PRIMARY KEY,
    schedule_id         INTEGER NOT NULL REFERENCES report_schedules(id),
    period_key          TEXT NOT NULL,           -- "2021-Q2" (core/schedule.h)
    org_id              INTEGER NOT NULL REFERENCES organizations(id),
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    due_on              TEXT NOT NULL,
    submitted_at        TEXT,
    submitted_on        TEXT,
    submitted_by        INTEGER REFERENCES users(id),
    returned_at         TEXT,
    return_reason       TEXT,
    accepted_at         TEXT,
    accepted_by         INTEGER REFERENCES users(id),
    current_revision_id INTEGER REFERENCES unit_report_revisions(id),
    revision_count      INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER REFERENCES users(id),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    -- Completeness of a period looks each expected unit up by this key: one index probe per
    -- unit of the subtree, never a scan of every report.
    UNIQUE (schedule_id, period_key, org_id)
);
CREATE INDEX unit_reports_org ON unit_reports(org_id, schedule_id);

-- A unit's indicator values of a period, for the draft of its report.
CREATE INDEX indicator_values_org ON indicator_values(organization_id, indicator_id, on_date);

-- Every saved version of a report, as JSON: task lines (status, progress, narrative), indicator
-- values, and the four sections of a report: results (kết quả đạt được), limitations (hạn chế),
-- causes (nguyên nhân), proposals (đề xuất, kiến nghị). Never changed once written.
CREATE TABLE unit_report_revisions (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES unit_reports(id),
    number     INTEGER NOT NULL,
    content    TEXT NOT NULL CHECK (json_valid(content)),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    UNIQUE (report_id, number)
);

CREATE TRIGGER unit_report_revisions_no_update BEFORE UPDATE ON unit_report_revisions
BEGIN
    SELECT RAISE(ABORT, 'report revisions are never changed');
END;
CREATE TRIGGER unit_report_revisions_no_delete BEFORE DELETE ON unit_report_revisions
BEGIN
    SELECT RAISE(ABORT, 'report revisions are never changed');
END;
-- The service refuses edits of a submitted or accepted report; this keeps any other writer
-- from slipping a revision under an accepted one.
CREATE TRIGGER unit_report_revisions_locked BEFORE INSERT ON unit_report_revisions
WHEN (SELECT status FROM unit_reports WHERE id = NEW.report_id) IN ('submitted', 'accepted')
BEGIN
    SELECT RAISE(ABORT, 'report is submitted or accepted; return or reopen it first');
END;

-- The consolidated report counts a subtree's tasks per program by deadline and completion day:
-- with every column it reads in one index, it never reads the task rows (2 s to 0,3 s for a
-- province's 200.000 tasks).
CREATE INDEX tasks_lead_program ON tasks(lead_org_id, program_id, due_kind, due_last, completed_on);
