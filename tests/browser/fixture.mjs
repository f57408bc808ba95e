// What every browser test stands on: a real `trienkhai serve` on 127.0.0.1 with a fresh demo
// database, Debian's Chromium driven by playwright-core in a Vietnamese context that records
// console errors, an axe-core scan, and screenshots at 1280 and 390 px.
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const shots = process.env.TK_SCREENSHOTS || join(tmpdir(), "trienkhai-screenshots");

export async function startApp(prefix) {
  const bin = process.env.TK_BIN;
  assert.ok(bin, "TK_BIN must name the trienkhai binary");
  const dir = mkdtempSync(join(tmpdir(), `trienkhai-${prefix}-`));
  mkdirSync(shots, { recursive: true });
  const db = join(dir, "demo.db");
  execFileSync(bin, ["demo", "--db", db]);
  const portFile = join(dir, "port");
  const server = spawn(bin, ["serve", "--db", db, "--listen", "127.0.0.1", "--port", "0", "--port-file", portFile],
                       { stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 200 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
  const base = `http://127.0.0.1:${readFileSync(portFile, "utf8").trim()}`;
  const browser = await chromium.launch({
    executablePath: process.env.TK_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const consoleErrors = [];
  const context = await browser.newContext({ locale: "vi-VN", extraHTTPHeaders: { "Accept-Language": "vi-VN,vi" } });
  context.on("page", (page) => {
    page.on("console", (msg) => { if (msg.type() === "error") consoleErrors.push(`${page.url()}: ${msg.text()}`); });
    page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  });
  // Signs this context in through the sign-in page, as a person would (demo accounts share the
  // password the README gives).
  async function signIn(login = "quantri", into = context) {
    const page = await into.newPage();
    await page.goto(`${base}/sign-in`);
    await page.fill("#login", login);
    await page.fill("#password", "trienkhai-demo");
    await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/sign-in"] button[type="submit"]')]);
    await page.close();
  }
  await signIn();
  async function close() {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
  return { base, browser, context, consoleErrors, close, signIn };
}

// axe is injected as an inline script, which the pages' Content-Security-Policy rightly refuses:
// scan in a context made with { bypassCSP: true }.
export async function axeScan(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), [], `axe on ${name}`);
}

export async function photograph(page, name) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
