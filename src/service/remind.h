/* Reminders of outstanding reports: before a period's due date and after it, to the people of
 * each reporting unit whose report is not in (neither submitted nor accepted), in the app and by
 * e-mail through the installation's SMTP server (io/mail.h).
 *
 * Who is reminded: the users holding an editor or office grant on the reporting unit itself
 * (active grant, account not disabled). Grants on an ancestor do not count: the office above a
 * unit collects its report and follows completeness on the status page, it does not write it.
 *
 * When: a period is "before_due" from days_before days ahead of its due date to the due date
 * itself, and "overdue" from the day after for TK_REMIND_OVERDUE_WINDOW days; older missing
 * reports are left to the status page. Each unit's user gets one reminder of each kind per
 * period and channel, ever: reminders are recorded (store/migrations/0004_reminders.sql, UNIQUE
 * key) before anything is sent, so a rerun or a restart sends nothing twice. An e-mail the
 * server refused is kept with its error and tried again by the next run while the report is
 * still outstanding and the period still in its window; one that went out is never sent again.
 *
 * Only the system (the command line) and admins plan and run reminders. */
#ifndef TK_SERVICE_REMIND_H
#define TK_SERVICE_REMIND_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"
#include "io/mail.h"
#include "service/context.h"

enum {
    TK_REMIND_DAYS_BEFORE_DEFAULT = 5,
    TK_REMIND_DAYS_BEFORE_MAX = 60,
    TK_REMIND_OVERDUE_WINDOW = 30,
};

/* What is due to be sent on ctx->today: {"on", "days_before", "items": [{schedule_id,
 * schedule_title, period_key, period_label, due_on, kind ("before_due"|"overdue"), days (until
 * the due date, or past it), org_id, org_name, user_id, login, display_name, channel
 * ("app"|"email"), address (email) or null, reminder_id (an e-mail kept from a failed send, to
 * retry) or null, subject, message, link}]}, ordered by schedule, period, unit and login.
 * E-mail items are planned only when with_email (an SMTP server is configured) and the user has
 * an address. One statement over every schedule's periods in the window; *plan: new reference. */
tk_code tk_remind_plan(tk_ctx *ctx, int days_before, bool with_email, json_t **plan, tk_error *err);

/* Carries out plan. dry_run: nothing is written or sent; *result lists the plan's items. Else
 * every new item is recorded with its audit entry, one transaction each (an 'app' one is then
 * delivered), and the e-mails are sent through mail (NULL: e-mail items stay recorded unsent),
 * each outcome recorded with its audit entry. *result: {"dry_run", "recorded", "sent",
 * "failed", "items": [the plan's items with "status": "planned" | "delivered" | "sent" |
 * "failed" | "skipped" (another run recorded it first) and "error" for a failure]}. A failed
 * e-mail is not an error of the run. New reference. */
tk_code tk_remind_run(tk_ctx *ctx, const json_t *plan, const tk_mail_server *mail, bool dry_run, json_t **result,
                      tk_error *err);

/* The caller's in-app reminders, newest first: {"items": [{id, schedule_id, period_key, org_id,
 * org_name, kind, due_on, subject, message, link, created_at, read_at}], "unread", "page",
 * "per_page", "has_more"}. TK_UNAUTHORIZED without a caller. */
tk_code tk_remind_notifications(tk_ctx *ctx, const json_t *query, json_t **out, tk_error *err);

/* Marks the caller's notification id read (once; reading it again changes nothing) and answers
 * it as the list does. TK_NOT_FOUND for someone else's. */
tk_code tk_remind_mark_read(tk_ctx *ctx, int64_t id, json_t **out, tk_error *err);

#endif
