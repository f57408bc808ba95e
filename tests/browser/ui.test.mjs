// The web interface in a real browser: Debian's Chromium, headless, driven by playwright-core,
// against a real `trienkhai serve` on 127.0.0.1 with a fresh demo database. It walks what a
// person new to trienkhai does: open the dashboard, follow a number to its list, filter and
// search, create a task, report progress, see the status and the dashboard change, extend a
// deadline. Every page type is scanned with axe-core and photographed at 1280 and 390 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startApp, axeScan, photograph } from "./fixture.mjs";

let app, base, browser, context, consoleErrors;

before(async () => {
  app = await startApp("browser");
  ({ base, browser, context, consoleErrors } = app);
});

after(async () => {
  await app?.close();
});

test("the dashboard opens in Vietnamese and shows Hà Nội's ten programs", async () => {
  const page = await context.newPage();
  await page.goto(base + "/");
  assert.match(await page.locator("h1").innerText(), /Tổng quan/);
  assert.equal(await page.locator("html").getAttribute("lang"), "vi");
  for (const n of ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"])
    assert.ok(await page.locator("td", { hasText: new RegExp(`^${n}$`) }).count() >= 1, `program ${n}`);
  await page.close();
});

test("a dashboard number leads to the overdue tasks and who leads them", async () => {
  const page = await context.newPage();
  await page.goto(base + "/");
  const link = page.locator("table.counts a[href*='status=overdue']");
  const count = Number(await link.innerText());
  assert.ok(count > 0, "the demo has overdue tasks");
  await link.click();
  await page.waitForURL(/\/tasks\?/);
  const badges = page.locator("table.tasks tbody .badge");
  assert.equal(await badges.count(), Math.min(count, 50));
  for (const text of await badges.allInnerTexts()) assert.equal(text, "Quá hạn chưa hoàn thành");
  const firstLead = await page.locator("table.tasks tbody tr td:nth-child(2)").first().innerText();
  assert.ok(firstLead.length > 0, "the lead unit is shown");
  await page.close();
});

test("search and filters ignore diacritics and live in the URL", async () => {
  const page = await context.newPage();
  await page.goto(base + "/tasks");
  await page.fill("#f-q", "quy hoach");
  await page.click(".filters button[type=submit]");
  await page.waitForURL(/q=quy\+hoach/);
  const titles = await page.locator("table.tasks tbody td:first-child a").allInnerTexts();
  assert.ok(titles.length > 0);
  for (const t of titles) assert.match(t.toLowerCase(), /quy hoạch/);
  await page.goto(base + "/search?q=HA+NOI");
  assert.ok(await page.locator("a", { hasText: "Đảng bộ thành phố Hà Nội" }).count() >= 1);
  await page.close();
});

test("create a task, report progress, see the status and dashboard change, extend a deadline", async () => {
  const page = await context.newPage();
  await page.goto(base + "/");
  const totalBefore = Number(await page.locator("table.counts tr:last-child td").innerText());

  await page.goto(base + "/tasks/new");
  await page.fill("#f-title", "Tổ chức hội nghị sơ kết giữa nhiệm kỳ");
  await page.selectOption("#f-lead_org_id", { label: "Văn phòng Thành ủy Hà Nội" });
  await page.fill("#f-due", "Quý I/2021");
  await page.click("form.stacked button[type=submit]");
  await page.waitForURL(/\/tasks\/\d+$/);
  assert.match(await page.locator("h1").innerText(), /hội nghị sơ kết/);
  assert.equal(await page.locator(".badge").first().innerText(), "Quá hạn chưa hoàn thành");
  assert.ok(await page.locator("text=31/03/2021").count() >= 1, "the deadline is shown resolved");

  await page.goto(base + "/");
  const totalAfter = Number(await page.locator("table.counts tr:last-child td").innerText());
  assert.equal(totalAfter, totalBefore + 1);
  await page.goBack();

  await page.fill("#u-progress", "100");
  await page.fill("#u-narrative", "Đã tổ chức hội nghị");
  await page.click("form[action$='/updates'] button");
  await page.waitForURL(/#updates$/);
  assert.equal(await page.locator(".badge").first().innerText(), "Hoàn thành quá hạn");
  assert.ok(await page.locator(".timeline", { hasText: "Đã tổ chức hội nghị" }).count() === 1);

  // A second task, to extend: a refused deadline first, then a good one.
  await page.goto(base + "/tasks/new");
  await page.fill("#f-title", "Ban hành kế hoạch tuyên truyền");
  await page.selectOption("#f-lead_org_id", { label: "Văn phòng Thành ủy Hà Nội" });
  await page.fill("#f-due", "31/12/2099");
  await page.click("form.stacked button[type=submit]");
  await page.waitForURL(/\/tasks\/\d+$/);
  await page.fill("#e-new_due", "đầu tháng 7/2100");
  await page.fill("#e-reason", "Chờ hướng dẫn");
  await page.fill("#e-approved_by", "Thường trực Thành ủy");
  await page.click("form[action$='/extensions'] button");
  assert.match(await page.locator(".error-summary").innerText(), /đầu tháng 7\/2100/);
  assert.equal(await page.inputValue("#e-reason"), "Chờ hướng dẫn");
  await page.fill("#e-new_due", "Quý I/2100");
  await page.click("form[action$='/extensions'] button");
  await page.waitForURL(/#extensions$/);
  assert.ok(await page.locator(".timeline .extension", { hasText: "Quý I/2100" }).count() === 1);
  assert.ok(await page.locator("text=31/03/2100").count() >= 1);
  await page.close();
});

test("every page type passes axe and is photographed at 1280 and 390 px", async () => {
  // axe is injected as an inline script, which the pages' Content-Security-Policy rightly
  // refuses: this context alone bypasses it, so the other tests still see every violation.
  const scanning = await browser.newContext({ locale: "vi-VN", bypassCSP: true,
                                              extraHTTPHeaders: { "Accept-Language": "vi-VN,vi" } });
  await app.signIn("quantri", scanning);
  const page = await scanning.newPage();
  const pages = [["dashboard", "/"], ["tasks", "/tasks"], ["task", "/tasks/1"], ["task-new", "/tasks/new"],
                 ["task-edit", "/tasks/1/edit"], ["programs", "/programs"], ["program", "/programs/1"],
                 ["organizations", "/organizations"], ["organization", "/organizations/1"],
                 ["documents", "/documents"], ["document", "/documents/1"], ["search", "/search?q=dang+bo"],
                 ["indicators", "/indicators"], ["indicator", "/indicators/1"],
                 ["admin-users", "/admin/users"], ["admin-audit", "/admin/audit"],
                 ["account-password", "/account/password"], ["reports", "/reports"], ["report-new", "/reports/new"], ["notifications", "/notifications"],
                 ["report-schedule", "/reports/1"], ["report-period", "/reports/1/2026-Q3"],
                 ["not-found", "/khong-co"]];
  for (const [name, path] of pages) {
    const response = await page.goto(base + path);
    assert.equal(response.status(), name === "not-found" ? 404 : 200, path);
    await axeScan(page, name);
    await photograph(page, name);
  }
  // A unit's report (the demo's Quý III/2026 of the quarterly schedule), read-only once accepted
  // and as the form it is while a draft.
  await page.goto(base + "/reports/1/2026-Q3");
  for (const [name, unit] of [["report-accepted", "Đảng bộ phường Hoàn Kiếm"], ["report-draft", "Ban Dân vận Thành ủy Hà Nội"]]) {
    const href = await page.locator("table a", { hasText: unit }).first().getAttribute("href");
    const response = await page.goto(base + href);
    assert.equal(response.status(), 200, href);
    await axeScan(page, name);
    await photograph(page, name);
    await page.goto(base + "/reports/1/2026-Q3");
  }
  await scanning.close();
});

test("no page wrote an error to the console", () => {
  // A refused form answers 422 on purpose, and the browser reports that status as an error.
  assert.deepEqual(consoleErrors.filter((e) => !/status of 422 \(Unprocessable/.test(e)), []);
});
