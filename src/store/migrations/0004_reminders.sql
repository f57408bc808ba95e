-- trienkhai schema, version 4: reminders of outstanding reports (service/remind.h), in the app and
-- by e-mail, and the addresses they go to.

ALTER TABLE users ADD COLUMN email TEXT;

-- Reminders go to the editors and offices granted on the reporting unit itself.
CREATE INDEX grants_org ON grants(org_id) WHERE revoked_at IS NULL;

-- One reminder of one kind, to one user, on one channel, for a unit's report of a period: the
-- UNIQUE key is what makes a reminder go out once, whatever restarts or reruns happen. An 'app'
-- reminder is delivered when it is written (sent_at set); an 'email' one when the SMTP server
-- took it (sent_at), and until then `error` keeps the last failure and the next run tries again.
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES report_schedules(id),
    period_key  TEXT NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES organizations(id),
    kind        TEXT NOT NULL CHECK (kind IN ('before_due', 'overdue')),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    channel     TEXT NOT NULL CHECK (channel IN ('app', 'email')),
    due_on      TEXT NOT NULL,
    address     TEXT,                   -- the e-mail address, for 'email'
    subject     TEXT NOT NULL,
    message     TEXT NOT NULL,
    link        TEXT NOT NULL,          -- the path of the report's page
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    sent_at     TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    read_at     TEXT,                   -- 'app': when its user opened it
    UNIQUE (schedule_id, period_key, org_id, kind, user_id, channel),
    CHECK ((channel = 'email') = (address IS NOT NULL))
);
CREATE INDEX reminders_user ON reminders(user_id, id) WHERE channel = 'app';
CREATE INDEX reminders_unsent ON reminders(id) WHERE sent_at IS NULL;

-- What a user sees in the app: their reminders, read or not.
CREATE VIEW notifications AS
    SELECT id, user_id, schedule_id, period_key, org_id, kind, due_on, subject, message, link, created_at, read_at
    FROM reminders WHERE channel = 'app';
