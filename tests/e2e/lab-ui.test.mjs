// End-to-end tests of the lab's controls that lessons point at (issue 21): the stream can be
// turned off and on, tables are created and deleted with their key schema, every deployed
// function is shown and deployed, the timeline names the function, and no lesson points at
// something the page does not show (release build in dist/, Debian's Chromium via
// playwright-core). By hand: `node --test --test-concurrency=1 tests/e2e/lab-ui.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ARTIFACTS, ROOT, advance, button, deploy, openPage, put, records, start, stop, text, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(DIST)));

after(() => stop({ server, browser }));

const openApp = (path = "", options = {}) => openPage(browser, url + path, options);
const shot = async (page, name) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}lab-ui-${name}.png`, fullPage: false });
};
/** Scrolls `selector` to the top of the window, below the sticky clock bar. */
const showAt = (page, selector) =>
  page.evaluate((sel) => {
    document.querySelector(sel).scrollIntoView({ block: "start" });
    window.scrollBy(0, -(document.querySelector(".timebar, .time-bar")?.offsetHeight ?? 100) - 8);
  }, selector);
/** Opens the "Create or delete a table" section. */
const openAdmin = async (page) => {
  const details = page.locator("details.table-admin");
  if (!(await details.evaluate((d) => d.open))) await details.locator("summary").click();
};

describe("the lab's controls (release build)", () => {
  test("the stream is disabled, and enabled again with a view type (a new ARN)", async () => {
    const { context, page, problems } = await openApp();
    try {
      const stream = page.locator("#stream");
      const arn = async () => text(stream.locator(".arn code"));
      const first = await arn();
      assert.match(first, /^arn:aws:dynamodb:/);
      await button(page, "Disable stream").click();
      await until("the stream is disabled", async () => /DISABLED/.test(await text(stream.locator(".count").first())));
      assert.match(await text(stream), /Stream of Votes disabled: new writes are not recorded/);
      assert.equal(await button(page, "Disable stream").isDisabled(), true);
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await until("the put", async () => /PutItem succeeded/.test(await text(page.locator("#item-status"))));
      assert.match(await text(page.locator("#item-status")), /no stream record was written/);
      assert.equal(await records(page).count(), 0);
      // Step back undoes the put, then the disable: one action each.
      await button(page, "Step back").click();
      await button(page, "Step back").click();
      await until("enabled again", async () => /ENABLED/.test(await text(stream.locator(".count").first())));
      assert.equal(await arn(), first);
      await button(page, "Disable stream").click();
      await until("disabled again", async () => /DISABLED/.test(await text(stream.locator(".count").first())));
      await page.getByLabel("Stream view type").selectOption("KEYS_ONLY");
      await until("a new stream", async () => /ENABLED/.test(await text(stream.locator(".count").first())));
      assert.match(await text(stream), /Stream enabled with view type KEYS_ONLY: a new stream, with a new ARN/);
      assert.notEqual(await arn(), first);
      await put(page, '{"voter": {"S": "ben"}, "choice": {"S": "tea"}}');
      await until("a record", async () => (await records(page).count()) === 1);
      await showAt(page, "#stream");
      await shot(page, "stream-1366");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a table is created with its key schema and stream choice, refused with AWS's error, and deleted", async () => {
    const { context, page, problems } = await openApp();
    try {
      const table = page.locator("#table");
      await openAdmin(page);
      // A name AWS refuses: its ValidationException, nothing created.
      await page.locator("#new-table").fill("no spaces");
      await button(page, "Create table").click();
      await until("the error", async () => /ValidationException/.test(await text(table.locator(".table-admin"))));
      assert.match(await text(table.locator(".table-admin")), /\[a-zA-Z0-9_.-\]/);
      // What was typed survives the page's re-render.
      assert.equal(await page.locator("#new-table").inputValue(), "no spaces");
      await page.locator("#new-table").fill("Orders");
      await page.locator("#new-hash").fill("pk");
      await page.locator("#new-hash-type").selectOption("N");
      await page.locator("#new-range").fill("sk");
      await page.locator("#new-view").selectOption("off");
      await button(page, "Create table").click();
      // The new table is on show, and the selector offers both.
      await until("Orders on show", async () => (await page.locator("#table .panel-title select").inputValue().catch(() => "")) === "Orders");
      const options = await page.locator("#table .panel-title select").locator("option").allTextContents();
      assert.deepEqual(options.sort(), ["Orders", "Votes"]);
      // The note is in view: the section stays open on the new table's panel.
      assert.equal(await table.locator("details.table-admin").evaluate((d) => d.open), true);
      assert.match(await text(table.locator(".table-admin")), /CreateTable succeeded: Orders, with no stream/);
      // The item editor follows its key schema: pk (N) and sk (S).
      const editor = await page.getByRole("textbox", { name: "Item" }).inputValue();
      assert.match(editor, /"pk":\s*\{\s*"N"/);
      assert.match(editor, /"sk":\s*\{\s*"S"/);
      await button(page, "Put item").click();
      await until("the put", async () => /PutItem succeeded/.test(await text(page.locator("#item-status"))));
      assert.match(await text(page.locator("#item-status")), /no stream record was written/);
      assert.equal(await text(page.locator("#stream .count").first()), "NONE");
      await showAt(page, ".table-admin");
      await shot(page, "create-table-1366");
      await openAdmin(page);
      await button(page, "Delete table Orders").click();
      await until("Votes back on show", async () => /· key voter/.test(await text(table.locator(".panel-title"))));
      assert.match(await text(table.locator(".table-admin")), /DeleteTable succeeded: Orders/);
      // Step back undoes the delete: Orders is there again.
      await button(page, "Step back").click();
      await until("Orders again", async () => (await page.locator("#table .panel-title select").locator("option").count()) === 2);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("every function of a lesson is shown, with what it reads, and deployed", async () => {
    const { context, page, problems } = await openApp("#lesson=batching-window");
    try {
      const triggers = page.locator("#triggers");
      const fn = page.locator("#function");
      await until("the lesson's functions", async () => (await fn.locator("option").count()) === 3, 15000);
      assert.deepEqual(await fn.locator("option").allTextContents(), ["eager", "patient", "trigger"]);
      assert.equal(await fn.inputValue(), "eager");
      const rules = page.getByRole("textbox", { name: "Trigger rules" });
      assert.doesNotMatch(await rules.inputValue(), /count votes/);
      assert.match(await text(page.locator("#function-reads")), /Reads the stream of Clicks \(mapping enabled, BatchSize 100\)/);
      await fn.selectOption("patient");
      await until("patient's settings", async () => {
        const details = page.locator("details.mapping");
        if (!(await details.evaluate((d) => d.open))) await details.locator("summary").click();
        return (await page.getByLabel("MaximumBatchingWindowInSeconds").inputValue()) === "5";
      });
      const code = await rules.inputValue();
      assert.doesNotMatch(code, /count votes/);
      await rules.fill(code + "\n-- edited\n");
      await button(page, "Deploy").click();
      await until("deployed", async () => /Deployed patient on the stream of Clicks/.test(await text(triggers)));
      await showAt(page, "#triggers");
      await shot(page, "functions-1366");
      // The new code is what the engine runs: choosing eager then patient again shows it.
      await fn.selectOption("eager");
      await until("eager's code", async () => !/-- edited/.test(await rules.inputValue()));
      await fn.selectOption("patient");
      await until("patient's new code", async () => /-- edited/.test(await rules.inputValue()));
      // "trigger" is the lab's own, not deployed yet: it would go onto the table on show.
      await fn.selectOption("trigger");
      await until("a new function", async () => /Not deployed yet: Deploy creates trigger and a mapping on the stream of Clicks/.test(await text(page.locator("#function-reads"))));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a reload shows the table and the function the learner was looking at", async () => {
    const { context, page, problems } = await openApp("#lesson=batching-window");
    try {
      const fn = page.locator("#function");
      await until("the lesson's functions", async () => (await fn.locator("option").count()) === 3, 15000);
      await fn.selectOption("patient");
      // A second table, which becomes the one on show.
      await openAdmin(page);
      await page.locator("#new-table").fill("Orders");
      await page.locator("#new-hash").fill("pk");
      await button(page, "Create table").click();
      const tableSelect = page.locator("#table .panel-title select");
      await until("Orders on show", async () => (await tableSelect.inputValue().catch(() => "")) === "Orders");
      // The lab (the lesson's, now changed) is saved; opening the page again shows the same.
      await page.goto(url);
      await button(page, "Put item").waitFor();
      await until("Orders still on show", async () => (await tableSelect.inputValue().catch(() => "")) === "Orders");
      assert.equal(await fn.inputValue(), "patient");
      // Back to the first table: that choice is kept too.
      await tableSelect.selectOption("Clicks");
      await page.reload();
      await button(page, "Put item").waitFor();
      await until("Clicks on show", async () => (await tableSelect.inputValue().catch(() => "")) === "Clicks");
      assert.equal(await fn.inputValue(), "patient");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("the invocation timeline names the function that ran", async () => {
    const { context, page, problems } = await openApp("#lesson=batching-window&step=2");
    try {
      // Step 2 asks first: answer, then Reveal runs it.
      await until("the question", async () => (await page.getByRole("radio").count()) > 0, 15000);
      await page.getByRole("radio").first().check();
      await button(page, "Reveal").click();
      const lines = page.locator("#triggers .timeline").first().locator("li");
      const invocations = async () =>
        (await lines.evaluateAll((ls) => ls.map((l) => [l.querySelector(".tl-fn")?.textContent, l.textContent])))
          .filter(([, t]) => /Invocation, batch/.test(t)).map(([f]) => f);
      // "Three invocations of eager, each with one record. No invocation of patient yet."
      await until("three invocations", async () => (await invocations()).length === 3);
      assert.deepEqual(await invocations(), ["eager", "eager", "eager"]);
      const { context: own, page: lab } = await openApp();
      try {
        await deploy(lab, "on INSERT\n  count votes by choice");
        await put(lab, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
        await advance(lab, 1);
        const line = lab.locator("#triggers .timeline li").first();
        await until("the invocation", async () => /Invocation, batch of 1 record/.test(await text(line)));
        assert.equal(await text(line.locator(".tl-fn")), "trigger");
      } finally {
        await own.close();
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("no lesson's watch line or playground idea points at something the page does not show", () => {
    // The page shows no API response but the records, events and on-failure records: no
    // GetItem or DescribeTimeToLive response, no polling interval to set.
    const hidden = /GetItem (response|returns|still returns)|DescribeTimeToLive|polling interval|with UpdateTable, write|costs panel/;
    const dir = DIST + "/lessons/";
    const found = [];
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "index.json")) {
      const lesson = JSON.parse(readFileSync(dir + f, "utf8"));
      const lines = [...lesson.steps.flatMap((s) => s.watch ?? []), ...(lesson.playground?.ideas ?? [])];
      for (const l of lines) if (hidden.test(l)) found.push(`${f}: ${l}`);
    }
    assert.deepEqual(found, []);
  });
});

describe("the lab's controls are accessible (axe-core)", () => {
  test("no serious or critical violations with Create table open and a lesson's functions", async () => {
    // addScriptTag injects an inline script, which the page's CSP rightly forbids: bypass it here.
    const { context, page } = await openApp("#lesson=batching-window", { bypassCSP: true });
    try {
      await until("the lesson's functions", async () => (await page.locator("#function option").count()) === 3, 15000);
      await openAdmin(page);
      await page.locator("#new-table").fill("a b");
      await button(page, "Create table").click();
      await until("the error", async () => /ValidationException/.test(await text(page.locator(".table-admin"))));
      await button(page, "Disable stream").click();
      await until("disabled", async () => /DISABLED/.test(await text(page.locator("#stream .count").first())));
      const axe = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), []);
    } finally {
      await context.close();
    }
  });
});

describe("the lab's controls on a phone (390x844)", () => {
  test("the new controls fit without sideways scrolling", async () => {
    const { context, page, problems } = await openApp("#lesson=batching-window", { viewport: { width: 390, height: 844 } });
    try {
      await until("the lesson's functions", async () => (await page.locator("#function option").count()) === 3, 15000);
      await openAdmin(page);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 390, `the page is ${wide} px wide`);
      await showAt(page, ".table-admin");
      await shot(page, "create-table-390");
      await showAt(page, "#triggers");
      await shot(page, "functions-390");
      await showAt(page, "#stream");
      await shot(page, "stream-390");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
