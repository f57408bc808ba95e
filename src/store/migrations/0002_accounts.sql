-- trienkhai schema, version 2: accounts, role grants on organization subtrees, sessions, API
-- tokens, sign-in throttling, and the append-only audit log.

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,            -- argon2id, encoded with its parameters
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled_at          TEXT,
    failed_count         INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,                     -- ISO timestamp; sign-in refused before it
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    updated_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);

-- A role on an organization's subtree; admin is over everything and names no organization.
-- Revoking keeps the row: grants have a history.
CREATE TABLE grants (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL CHECK (role IN ('admin', 'office', 'editor', 'leader', 'inspector', 'viewer')),
    org_id     INTEGER REFERENCES organizations(id),
    granted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    granted_by INTEGER REFERENCES users(id),
    revoked_at TEXT,
    revoked_by INTEGER REFERENCES users(id),
    CHECK ((role = 'admin') = (org_id IS NULL))
);
CREATE INDEX grants_active ON grants(user_id) WHERE revoked_at IS NULL;

-- A session is known by the SHA-256 of its cookie's 256 random bits; the cookie itself is
-- never stored.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    csrf_token   TEXT NOT NULL,
    client_addr  TEXT,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at     TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    last_used_at TEXT,
    revoked_at   TEXT
);

-- Failed sign-ins per client address, for the slow-down and the temporary lock.
CREATE TABLE signin_failures (
    client_addr  TEXT PRIMARY KEY,
    count        INTEGER NOT NULL,
    last_at      TEXT NOT NULL,
    locked_until TEXT
) WITHOUT ROWID;

-- Every write, appended in the transaction of the write. Each entry's hash is the SHA-256 of the
-- previous entry's hash and this entry's canonical form, so a row changed by hand breaks the
-- chain from there on (`trienkhai audit verify`).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER,
    login       TEXT,
    client_addr TEXT,
    request_id  TEXT,
    action      TEXT NOT NULL,      -- create, update, sign_in_failed, denied, ...
    object_type TEXT NOT NULL,
    object_id   INTEGER,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_user ON audit_log(user_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
