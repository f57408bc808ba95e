/* Indicators (chỉ tiêu): an indicator's series rolled up over an organization subtree by its own
 * rule, its targets per milestone year, where its trend lands at the next milestone and how it
 * stands against that target; the summaries a dashboard shows; and the writes the pages make
 * (a value, a target replaced by year).
 *
 * Which values count. Each organization has one figure per day: when a unit enters a second
 * value for the same day (the final figure after the estimate, "ước tăng 5,8%" then "tăng
 * 6,1%"), the one entered last replaces the earlier. A value entered without an organization is
 * the figure of the indicator's owner: its own organization, else its document's issuer. With
 * the rule "none" nothing is rolled up: the series is the owner's own figures (or those of the
 * organization asked for), since a growth rate of the whole is not made from its parts.
 *
 * Every read is bounded: a series holds the latest SERIES_DAYS days with values, a summary the
 * latest TK_INDICATOR_TREND_POINTS; both come from index ranges of one indicator's values, never
 * from a scan of all values. The assessment is always judged on the same last
 * TK_INDICATOR_TREND_POINTS days, so the list, the dashboard and the indicator's page agree.
 *
 * Permissions (service/auth.h): an indicator the caller may not see, or an org outside what they
 * may see, is TK_NOT_FOUND. The roll-up of a visible indicator counts every unit's figures, as a
 * published total does; the figures one by one (tk_indicator_list_values) are only those the
 * caller's grants cover. Writes go through tk_resource_create/update and their checks. */
#ifndef TK_SERVICE_INDICATOR_H
#define TK_SERVICE_INDICATOR_H

#include <jansson.h>
#include <stdint.h>

#include "core/date.h"
#include "core/error.h"
#include "service/context.h"

enum {
    TK_INDICATOR_SERIES_DAYS = 400,  /* days with values a series shows (a century of quarters) */
    TK_INDICATOR_SUMMARY_MAX = 200,  /* indicators one summary lists (a province follows about 100) */
};

/* The series of an indicator. query (string values, as in a URL; both optional):
 *   org   an organization id: only values of its subtree (with "none": of that unit itself)
 *   on    YYYY-MM-DD (default today): values after it are not seen; the next milestone is the
 *         first whose 31/12 is on or after it
 * Answers (new reference):
 *   {"indicator": {...as tk_resource_get returns it...},
 *    "org_id": 3 | null, "on": "2025-06-30",
 *    "points": [{"on_date": "2021-12-31", "value": 5.8, "is_estimate": true}, ...],  oldest first
 *    "targets": [{"year": 2025, "value": 7.0 | null, "text": "..." | null}, ...],  by year
 *    "latest": {"on_date", "value", "is_estimate"} | null,
 *    "next_milestone": {"year": 2025, "on_date": "2025-12-31", "value": 7.0 | null, "text": ... | null} | null,
 *    "projection": {"year": 2025, "on_date": "2025-12-31", "value": 7.46} | null,
 *    "assessment": "achieved" | "on_track" | "off_track" | "unknown"}
 * projection is where the least-squares line through the last TK_INDICATOR_TREND_POINTS points
 * stands on the next milestone's 31/12; null without a next milestone or without two points on
 * different days. TK_NOT_FOUND when the indicator (or org, field "org") does not exist. */
tk_code tk_indicator_series(tk_ctx *ctx, int64_t indicator_id, const json_t *query, json_t **out, tk_error *err);

/* The indicators of an organization's subtree (their own organization, or their document's
 * issuer, is in it), or every indicator when org_id is 0, judged on day `on` over the values of
 * that subtree, in the order they were created (a document's order), at most
 * TK_INDICATOR_SUMMARY_MAX. Made for the dashboard: per indicator two indexed reads (the values
 * of its last 12 days with values, read newest first and stopped there; its targets), so the
 * cost follows the values shown, not the history. Answers (new reference):
 *   {"org_id": 1 | null, "on": "2025-06-30", "has_more": false,
 *    "items": [{"id", "code", "name", "group_name", "unit", "aggregation", "direction",
 *               "organization_id", "document_id", "program_id",
 *               "latest": {"on_date", "value", "is_estimate"} | null,
 *               "next_milestone": {"year", "on_date", "value", "text"} | null,
 *               "projection": {"year", "on_date", "value"} | null,
 *               "assessment": "achieved" | "on_track" | "off_track" | "unknown",
 *               "points": [{"on_date", "value", "is_estimate"}, ...]   the last 12 at most, oldest first
 *              }, ...]}
 * Members that are empty in the database are null. TK_NOT_FOUND when org_id names no unit. */
tk_code tk_indicator_summaries(tk_ctx *ctx, int64_t org_id, tk_date on, json_t **out, tk_error *err);

/* Values as entered, latest day first, with the unit's name and whether a later entry of the
 * same unit and day replaced them. query: org (subtree), page, per_page. Answers
 *   {"items": [{"id", "organization_id", "organization_name", "on_date", "value", "is_estimate",
 *               "note", "superseded"}], "page", "per_page", "has_more"}. */
tk_code tk_indicator_list_values(tk_ctx *ctx, int64_t indicator_id, const json_t *query, json_t **out,
                                 tk_error *err);

/* Records a value {on_date, value, organization_id, is_estimate, note} of the indicator (body
 * as tk_res_indicator_value takes it; indicator_id is set here). *out: the stored value. */
tk_code tk_indicator_add_value(tk_ctx *ctx, int64_t indicator_id, json_t *body, json_t **out, tk_error *err);

/* Sets the target of a milestone year {year, value, text}: a target already set for that year
 * is replaced (value and text left out become empty), since a target is revised, not added
 * twice. *out: the stored target. */
tk_code tk_indicator_set_target(tk_ctx *ctx, int64_t indicator_id, json_t *body, json_t **out, tk_error *err);

#endif
