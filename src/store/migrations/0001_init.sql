-- trienkhai schema, version 1: organizations, terms, documents and their items, programs,
-- indicators and targets, tasks with coordinators, updates and deadline extensions.
-- Dates are ISO text 'YYYY-MM-DD'; text columns named *_folded hold tk_text_fold() of the
-- text beside them, for search that ignores case and diacritics.

-- The organization tree keeps its history: a unit is never moved or renamed in place; it is
-- closed (valid_to) and a successor is created, so the past stays as it was.
CREATE TABLE organizations (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES organizations(id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    short_name  TEXT,
    code        TEXT UNIQUE,          -- agency code under QCVN 102:2016/BTTTT, when it has one
    valid_from  TEXT,
    valid_to    TEXT,
    successor_id INTEGER REFERENCES organizations(id),
    name_folded TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX organizations_parent ON organizations(parent_id);

-- Every (ancestor, descendant) pair, the unit itself at depth 0: a subtree is one index range.
CREATE TABLE org_ancestors (
    ancestor_id INTEGER NOT NULL REFERENCES organizations(id),
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    depth       INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, org_id)
) WITHOUT ROWID;
CREATE INDEX org_ancestors_org ON org_ancestors(org_id, depth);

CREATE TRIGGER organizations_ancestors AFTER INSERT ON organizations
BEGIN
    INSERT INTO org_ancestors(ancestor_id, org_id, depth) VALUES (NEW.id, NEW.id, 0);
    INSERT INTO org_ancestors(ancestor_id, org_id, depth)
        SELECT ancestor_id, NEW.id, depth + 1 FROM org_ancestors WHERE org_id = NEW.parent_id;
END;

CREATE TRIGGER organizations_parent_fixed BEFORE UPDATE OF parent_id ON organizations
WHEN OLD.parent_id IS NOT NEW.parent_id
BEGIN
    SELECT RAISE(ABORT, 'organization parent is fixed; close the unit and create a successor');
END;

-- Nhiệm kỳ: the term of a congress of an organization (ordinal 17 = "XVII", 2020-2025).
CREATE TABLE terms (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    ordinal         INTEGER NOT NULL CHECK (ordinal BETWEEN 1 AND 100),
    year_from       INTEGER NOT NULL,
    year_to         INTEGER NOT NULL,
    name            TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    UNIQUE (organization_id, ordinal),
    CHECK (year_to > year_from)
);

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    number          TEXT,             -- "01-CTr/TU", "123/KH-UBND"
    title           TEXT NOT NULL,
    organization_id INTEGER NOT NULL REFERENCES organizations(id),
    issued_on       TEXT,
    term_id         INTEGER REFERENCES terms(id),
    implements_id   INTEGER REFERENCES documents(id),  -- cụ thể hóa: the parent document it concretizes
    continues_id    INTEGER REFERENCES documents(id),  -- the earlier document it carries on
    summary         TEXT,
    title_folded    TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX documents_org ON documents(organization_id);
CREATE INDEX documents_implements ON documents(implements_id);
CREATE INDEX documents_term ON documents(term_id);

-- Goals, orientations, breakthroughs and solutions listed in a document.
CREATE TABLE document_items (
    id             INTEGER PRIMARY KEY,
    document_id    INTEGER NOT NULL REFERENCES documents(id),
    kind           TEXT NOT NULL,
    position       INTEGER NOT NULL DEFAULT 0,
    text           TEXT NOT NULL,
    milestone_year INTEGER,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX document_items_document ON document_items(document_id, position);

-- Chương trình công tác: a numbered work program of an action program.
CREATE TABLE programs (
    id                 INTEGER PRIMARY KEY,
    document_id        INTEGER NOT NULL REFERENCES documents(id),
    number             TEXT,
    title              TEXT NOT NULL,
    period_text        TEXT,
    period_first       TEXT,
    period_last        TEXT,
    lead_org_id        INTEGER REFERENCES organizations(id),
    steering_committee TEXT,          -- Ban chỉ đạo
    continues_id       INTEGER REFERENCES programs(id),  -- kế thừa: the earlier term's program
    title_folded       TEXT NOT NULL,
    -- Kept by the triggers on tasks, so a program's progress is read, not recomputed.
    task_count         INTEGER NOT NULL DEFAULT 0,
    weight_sum         REAL NOT NULL DEFAULT 0,
    weighted_progress  REAL NOT NULL DEFAULT 0,
    created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX programs_document ON programs(document_id);

CREATE TABLE indicators (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER REFERENCES documents(id),
    program_id      INTEGER REFERENCES programs(id),
    organization_id INTEGER REFERENCES organizations(id),
    group_name      TEXT,
    code            TEXT,
    name            TEXT NOT NULL,
    unit            TEXT,
    aggregation     TEXT NOT NULL DEFAULT 'last',   -- sum, mean, last, none
    direction       TEXT NOT NULL DEFAULT 'increase', -- increase, decrease
    name_folded     TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX indicators_document ON indicators(document_id);
CREATE INDEX indicators_program ON indicators(program_id);

-- The target of an indicator at a milestone year (2025, 2030, 2045).
CREATE TABLE indicator_targets (
    id           INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    year         INTEGER NOT NULL,
    value        REAL,
    text         TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    UNIQUE (indicator_id, year)
);

CREATE TABLE indicator_values (
    id              INTEGER PRIMARY KEY,
    indicator_id    INTEGER NOT NULL REFERENCES indicators(id),
    organization_id INTEGER REFERENCES organizations(id),
    on_date         TEXT NOT NULL,
    value           REAL NOT NULL,
    is_estimate     INTEGER NOT NULL DEFAULT 0,  -- "ước": an estimate, not a final figure
    note            TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX indicator_values_series ON indicator_values(indicator_id, on_date);

CREATE TABLE tasks (
    id                 INTEGER PRIMARY KEY,
    program_id         INTEGER REFERENCES programs(id),
    document_id        INTEGER REFERENCES documents(id),
    parent_id          INTEGER REFERENCES tasks(id),
    title              TEXT NOT NULL,
    description        TEXT,
    lead_org_id        INTEGER NOT NULL REFERENCES organizations(id),   -- cơ quan chủ trì
    responsible_person TEXT,
    due_text           TEXT NOT NULL,   -- as written: "Quý I/2021", "Thường xuyên"
    due_kind           TEXT NOT NULL,   -- span, continuous, recurring year|quarter|month
    due_first          TEXT,
    due_last           TEXT,            -- the deadline (NULL when continuous or recurring)
    output             TEXT,            -- sản phẩm: the expected output
    weight             REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
    progress           INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    completed_on       TEXT,            -- the day progress reached 100 (the latest such day when recurring)
    is_sample          INTEGER NOT NULL DEFAULT 0,
    search_folded      TEXT NOT NULL,
    title_folded       TEXT NOT NULL DEFAULT '',   -- the order of "sort by title"
    created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX tasks_lead_due ON tasks(lead_org_id, due_last);
CREATE INDEX tasks_program ON tasks(program_id, due_last);
CREATE INDEX tasks_document ON tasks(document_id);
CREATE INDEX tasks_parent ON tasks(parent_id);
CREATE INDEX tasks_due ON tasks(due_last);
-- The task list's default order (deadline, continuous tasks last): pages of the list, and the
-- status filters that bound the deadline, walk this index and stop at the page's end.
CREATE INDEX tasks_due_order ON tasks(coalesce(due_last, '9999-12-31'), id);
-- Open tasks only: what is overdue or falls due soon is found without reading finished work.
CREATE INDEX tasks_open ON tasks(lead_org_id, due_last) WHERE completed_on IS NULL;

CREATE TABLE task_coordinators (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    org_id  INTEGER NOT NULL REFERENCES organizations(id),
    PRIMARY KEY (task_id, org_id)
) WITHOUT ROWID;
CREATE INDEX task_coordinators_org ON task_coordinators(org_id);

CREATE TABLE task_updates (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    reported_on TEXT NOT NULL,
    progress    INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    narrative   TEXT,
    evidence    TEXT,             -- a link or a document reference
    is_sample   INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX task_updates_task ON task_updates(task_id, reported_on, id);

-- Gia hạn: a deadline moved, with its reason and who approved it; the old deadline stays here.
CREATE TABLE task_extensions (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER NOT NULL REFERENCES tasks(id),
    old_due_text  TEXT NOT NULL,
    old_due_last  TEXT,
    new_due_text  TEXT NOT NULL,
    new_due_last  TEXT,
    reason        TEXT NOT NULL,
    approved_by   TEXT NOT NULL,
    decided_on    TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX task_extensions_task ON task_extensions(task_id, id);

-- Counts of tasks by (organization, scope, deadline kind, deadline, completion day), kept by
-- the triggers below. scope 0 counts the tasks the unit leads itself, scope 1 those of its whole
-- subtree. A dashboard or scorecard reads these few rows instead of the tasks: the status of
-- every task on any day follows from its deadline and completion day alone (core/status.c).
-- '' stands for "none" so the columns can be part of the key.
CREATE TABLE task_rollup (
    org_id       INTEGER NOT NULL,
    scope        INTEGER NOT NULL,
    due_kind     TEXT NOT NULL,
    due_last     TEXT NOT NULL,
    completed_on TEXT NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (org_id, scope, due_kind, due_last, completed_on)
) WITHOUT ROWID;
-- The triggers' "DELETE ... WHERE n = 0" would otherwise scan every row on each task change.
CREATE INDEX task_rollup_empty ON task_rollup(n) WHERE n = 0;

CREATE TRIGGER tasks_rollup_insert AFTER INSERT ON tasks
BEGIN
    INSERT INTO task_rollup(org_id, scope, due_kind, due_last, completed_on, n)
        SELECT a.ancestor_id, 1, NEW.due_kind, coalesce(NEW.due_last, ''), coalesce(NEW.completed_on, ''), 1
        FROM org_ancestors a WHERE a.org_id = NEW.lead_org_id
        UNION ALL
        SELECT NEW.lead_org_id, 0, NEW.due_kind, coalesce(NEW.due_last, ''), coalesce(NEW.completed_on, ''), 1
    ON CONFLICT DO UPDATE SET n = n + 1;
    UPDATE programs SET task_count = task_count + 1, weight_sum = weight_sum + NEW.weight,
                        weighted_progress = weighted_progress + NEW.weight * NEW.progress
    WHERE id = NEW.program_id;
END;

CREATE TRIGGER tasks_rollup_delete AFTER DELETE ON tasks
BEGIN
    UPDATE task_rollup SET n = n - 1
    WHERE due_kind = OLD.due_kind AND due_last = coalesce(OLD.due_last, '')
      AND completed_on = coalesce(OLD.completed_on, '')
      AND ((scope = 1 AND org_id IN (SELECT ancestor_id FROM org_ancestors WHERE org_id = OLD.lead_org_id))
           OR (scope = 0 AND org_id = OLD.lead_org_id));
    DELETE FROM task_rollup WHERE n = 0;
    UPDATE programs SET task_count = task_count - 1, weight_sum = weight_sum - OLD.weight,
                        weighted_progress = weighted_progress - OLD.weight * OLD.progress
    WHERE id = OLD.program_id;
END;

CREATE TRIGGER tasks_rollup_update AFTER UPDATE OF lead_org_id, due_kind, due_last, completed_on ON tasks
WHEN OLD.lead_org_id IS NOT NEW.lead_org_id OR OLD.due_kind IS NOT NEW.due_kind
  OR OLD.due_last IS NOT NEW.due_last OR OLD.completed_on IS NOT NEW.completed_on
BEGIN
    UPDATE task_rollup SET n = n - 1
    WHERE due_kind = OLD.due_kind AND due_last = coalesce(OLD.due_last, '')
      AND completed_on = coalesce(OLD.completed_on, '')
      AND ((scope = 1 AND org_id IN (SELECT ancestor_id FROM org_ancestors WHERE org_id = OLD.lead_org_id))
           OR (scope = 0 AND org_id = OLD.lead_org_id));
    DELETE FROM task_rollup WHERE n = 0;
    INSERT INTO task_rollup(org_id, scope, due_kind, due_last, completed_on, n)
        SELECT a.ancestor_id, 1, NEW.due_kind, coalesce(NEW.due_last, ''), coalesce(NEW.completed_on, ''), 1
        FROM org_ancestors a WHERE a.org_id = NEW.lead_org_id
        UNION ALL
        SELECT NEW.lead_org_id, 0, NEW.due_kind, coalesce(NEW.due_last, ''), coalesce(NEW.completed_on, ''), 1
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tasks_program_update AFTER UPDATE OF program_id, weight, progress ON tasks
WHEN OLD.program_id IS NOT NEW.program_id OR OLD.weight IS NOT NEW.weight OR OLD.progress IS NOT NEW.progress
BEGIN
    UPDATE programs SET task_count = task_count - 1, weight_sum = weight_sum - OLD.weight,
                        weighted_progress = weighted_progress - OLD.weight * OLD.progress
    WHERE id = OLD.program_id;
    UPDATE programs SET task_count = task_count + 1, weight_sum = weight_sum + NEW.weight,
                        weighted_progress = weighted_progress + NEW.weight * NEW.progress
    WHERE id = NEW.program_id;
END;

-- Search over folded text by substring: trigram FTS keeps it an index lookup at 200.000 tasks.
CREATE VIRTUAL TABLE tasks_fts USING fts5(search_folded, content='tasks', content_rowid='id', tokenize='trigram');
CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_fts(rowid, search_folded) VALUES (NEW.id, NEW.search_folded);
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_fts(tasks_fts, rowid, search_folded) VALUES ('delete', OLD.id, OLD.search_folded);
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF search_folded ON tasks BEGIN
    INSERT INTO tasks_fts(tasks_fts, rowid, search_folded) VALUES ('delete', OLD.id, OLD.search_folded);
    INSERT INTO tasks_fts(rowid, search_folded) VALUES (NEW.id, NEW.search_folded);
END;
