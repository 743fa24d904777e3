// What every end-to-end test file shares: where things are, how Chromium is launched (Debian's,
// never a downloaded one), and serving a built site. Not a test file itself.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

/** Serves `site` (a built dist/, or a folder holding one under a sub-path) on 127.0.0.1 and
 *  launches Chromium: `{ server, url, browser }`. `index` is the index.html that must exist. */
export async function start(site, index = site + "/index.html") {
  assert.ok(existsSync(index), `${index} is missing: run trunk build --release --offline`);
  await mkdir(ARTIFACTS, { recursive: true });
  const { server, url } = await serve(site);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return { server, url, browser };
}

/** Closes what `start` opened. */
export async function stop({ server, browser } = {}) {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
}

/** A fresh browser context on `href` with the wasm started (the "Put item" button is there).
 *  `problems` collects console errors and warnings, HTTP errors, page errors and dialogs
 *  (no alert() may ever run); `requests` every URL the page asked for. */
export async function openPage(browser, href, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, ...options });
  const page = await context.newPage();
  const { problems, requests } = watch(page);
  await page.goto(href);
  await button(page, "Put item").waitFor({ timeout: 15000 });
  return { context, page, problems, requests };
}

/** A Chromium of its own whose profile blocks all cookies (Chromium's setting, as a school's
 *  managed browser or a learner may set it), which also blocks localStorage and service
 *  workers; a page of it with `watch`'s problems. `close()` ends it and removes the profile. */
export async function openWithoutStorage() {
  const profile = await mkdtemp(tmpdir() + "/streamlab-nostorage-");
  await mkdir(profile + "/Default", { recursive: true });
  await writeFile(profile + "/Default/Preferences", JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
  return { page, problems: watch(page).problems, close };
}

/** What `openPage` collects about `page`, for a page opened another way: `{ problems, requests }`,
 *  filled as the page runs. */
export function watch(page) {
  const problems = [];
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    // Trunk puts SRI hashes on its preload links; Chromium ignores them on `as="fetch"` preloads.
    if (/integrity. attribute is currently ignored for preload/.test(m.text())) return;
    problems.push(`console ${m.type()}: ${m.text()} ${m.location().url}`);
  });
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", async (d) => { problems.push(`dialog ${d.type()}: ${d.message()}`); await d.dismiss(); });
  return { problems, requests };
}

/** The text of a locator's element ("" when it has none). */
export const text = async (loc) => (await loc.textContent()) ?? "";

/** Waits until `fn()` returns true (Yew renders asynchronously). */
export async function until(what, fn, timeout = 8000) {
  const end = Date.now() + timeout;
  while (!(await fn())) {
    if (Date.now() > end) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const button = (page, name) => page.getByRole("button", { name, exact: true });
export const records = (page) => page.getByRole("list", { name: "Stream records" }).getByRole("listitem");

// The lab's main controls, as the app tests drive them.
export const item = (page) => page.getByRole("textbox", { name: "Item" });
export const region = (page, name) => page.getByRole("region", { name, exact: true });

/** Puts the DynamoDB JSON `json` through the item editor. */
export async function put(page, json) {
  await item(page).fill(json);
  await button(page, "Put item").click();
}

export async function advance(page, seconds) {
  const field = page.getByRole("spinbutton", { name: "Seconds" });
  // On a phone the clock bar shows Advance clock under "More".
  if (!(await field.isVisible())) await button(page, "More").click();
  await field.fill(String(seconds));
  await button(page, "Advance clock").click();
}

/** Deploys `rules`, with the mapping `settings` (label to value) filled in first. */
export async function deploy(page, rules, settings = {}) {
  await page.getByRole("textbox", { name: "Trigger rules" }).fill(rules);
  if (Object.keys(settings).length) {
    const details = page.locator("details.mapping");
    if (!(await details.evaluate((d) => d.open))) await details.locator("summary").click();
    for (const [label, value] of Object.entries(settings)) await page.getByLabel(label).fill(value);
  }
  await button(page, "Deploy").click();
  await until("deployed", async () => /Deployed/.test((await page.locator("#triggers").textContent()) ?? ""));
}

/** Ends an exam as a learner does: "Finish exam", then the submit step's Submit button. */
export async function submitExam(page) {
  await page.getByRole("button", { name: /^Finish exam/ }).click();
  await page.getByRole("heading", { name: "Submit your exam" }).waitFor();
  await page.getByRole("button", { name: /^Submit (exam|with \d+ unanswered)$/ }).click();
  await page.getByRole("heading", { name: "Your results" }).waitFor();
}

/** A scenario of 64 shards rolling over hourly behind a mapping, with a put of `voter` and the
 *  clock advanced `seconds` (and `then`, more steps): a few hundred bytes that cost about 2.7
 *  units of simulation work per simulated second to replay. For the work-budget tests. */
export function shardHeavyScenario(seconds, voter = "a", then = []) {
  return { simulator: { shardsPerStream: 64, shardRolloverSeconds: 3600 }, steps: [
    { CreateTable: { TableName: "Votes", KeySchema: [{ AttributeName: "voter", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "voter", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } } },
    { CreateFunction: { FunctionName: "f", Code: "on INSERT\n  count votes" } },
    { CreateEventSourceMapping: { FunctionName: "f", TableName: "Votes", StartingPosition: "TRIM_HORIZON" } },
    { PutItem: { TableName: "Votes", Item: { voter: { S: voter } } } },
    { AdvanceClock: { Seconds: seconds } },
    ...then,
  ] };
}
