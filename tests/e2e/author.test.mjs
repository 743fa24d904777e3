// End-to-end tests of the Author view (issue 18, "Authoring without Rust"): an instructor's
// lesson and quiz files pasted, picked with the file input or dropped, and checked in the page
// as `streamlab check` checks them. Release build in dist/, Debian's Chromium.
// By hand: `node --test --test-concurrency=1 tests/e2e/author.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ROOT, button, openPage, shardHeavyScenario, start, stop, text, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";
let server, url, browser;
before(async () => ({ server, url, browser } = await start(DIST)));
after(() => stop({ server, browser }));

const www = (p) => readFileSync(ROOT + "www/" + p, "utf8");
const file = (page, name) => page.locator(".author-file").filter({ has: page.getByRole("heading", { name }) });

describe("the Author view (release build)", () => {
  test("a pasted lesson with a JSON mistake gets its line, column and fix; picked files are compared with the index.json given with them, or else the site's; a dropped lesson passes", async () => {
    const { context, page, problems } = await openPage(browser, url);
    try {
      // From the catalogue.
      await page.getByRole("link", { name: "Catalogue" }).click();
      await page.getByRole("link", { name: "Check your files" }).click();
      await page.getByRole("heading", { name: "Check your lesson and quiz files" }).waitFor();

      // A comma after the last member, on line 3: the error is at line 4, column 1.
      await page.getByLabel("Or paste a file's text").fill('{\n "id": "broken",\n "steps": [],\n}\n');
      await button(page, "Check pasted text").click();
      const pasted = file(page, /Pasted text/);
      await until("the pasted text's verdict", async () => /1 problem/.test(await text(pasted)));
      assert.match(
        await text(pasted.getByRole("listitem")),
        /not valid JSON at line 4, column 1: trailing comma; remove the comma before the closing bracket/,
      );

      // A good bank and an index.json that does not list it (and lists a file not given).
      const index = JSON.stringify({ format: 1, banks: [{ id: "gone", title: "Gone" }] });
      await page.getByLabel("Choose files").setInputFiles([
        { name: "basics.json", mimeType: "application/json", buffer: Buffer.from(www("quizzes/basics.json")) },
        { name: "index.json", mimeType: "application/json", buffer: Buffer.from(index) },
      ]);
      const bank = file(page, /basics\.json/);
      await until("the bank's verdict", async () => /1 problem/.test(await text(bank)));
      assert.match(await text(bank), /not listed in index\.json: add \{"id": "basics", "title": \.\.\.\} to it/);
      assert.match(await text(file(page, /^index\.json/)), /lists "gone", but gone\.json is not among the files given/);
      assert.match(await text(page.locator(".author-summary")), /3 files checked: 3 with problems/);

      // The index fixed and picked again: it replaces the first, and the bank passes, its
      // answers run by the engine.
      const fixed = JSON.stringify({ format: 1, banks: [{ id: "basics", title: "Basics" }] });
      await page.getByLabel("Choose files").setInputFiles([{ name: "index.json", mimeType: "application/json", buffer: Buffer.from(fixed) }]);
      await until("the bank passes", async () => (await text(bank.locator(".author-status"))) === "ok");
      assert.match(await text(bank), /quiz bank, \d+ questions, each checked for 8 seeds/);

      // A lesson dropped on the view.
      const lesson = www("lessons/view-types.json");
      const dt = await page.evaluateHandle((t) => {
        const d = new DataTransfer();
        d.items.add(new File([t], "view-types.json", { type: "application/json" }));
        return d;
      }, lesson);
      await page.locator(".author-drop").dispatchEvent("drop", { dataTransfer: dt });
      const dropped = file(page, /view-types\.json/);
      await until("the dropped lesson's verdict", async () => /lesson, 6 steps/.test(await text(dropped)));

      // With no lesson index given, a new lesson is compared with this site's own.
      const mine = lesson.replace('"id": "view-types"', '"id": "mine"');
      await page.getByLabel("Choose files").setInputFiles([{ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(mine) }]);
      const added = file(page, /mine\.json/);
      await until("the new lesson's verdict", async () => /1 problem/.test(await text(added)));
      assert.match(await text(added), /not listed in this site's lessons\/index\.json: add \{"id": "mine", "title": \.\.\.\} to it/);
      await page.getByRole("button", { name: "Remove mine.json" }).click();

      // Removed, the pasted text's verdict goes.
      await page.getByRole("button", { name: "Remove Pasted text" }).click();
      await until("the pasted text removed", async () => (await pasted.count()) === 0);
      assert.match(await text(page.locator(".author-summary")), /3 files checked: all ok/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  // A bank whose question's scenario would run for months over 64 hourly-rolling shards: the
  // page stops it at the simulator's limit for a question and says so (before the limits, this
  // paste kept the page busy for minutes), and the page answers at once after it.
  test("a pasted bank with a runaway scenario gets the simulator's limit as its verdict, and the page stays usable", async () => {
    const { context, page, problems } = await openPage(browser, url + "#author");
    try {
      await page.getByRole("heading", { name: "Check your lesson and quiz files" }).waitFor();
      const scenario = shardHeavyScenario(300 * 86400, "a", [{ PutItem: { TableName: "Votes", Item: { voter: { S: "b" } } } }]);
      const bank = { format: 1, id: "runaway", title: "Runaway", description: "d", questions: [
        { id: "months", kind: "record", prompt: "Which record?", explanation: "An INSERT.", scenario,
          options: [{ text: "None", record: null, explanation: "A new item makes one." },
            { text: "An INSERT", record: { eventName: "INSERT", dynamodb: { Keys: { voter: { S: "b" } } } } }], answer: 1 },
      ] };
      await page.getByLabel("Or paste a file's text").fill(JSON.stringify(bank, null, 1));
      await button(page, "Check pasted text").click();
      const pasted = file(page, /Pasted text/);
      await until("the verdict", async () => /problem/.test(await text(pasted)), 10000);
      assert.match(await text(pasted), /question months, seed 0: field "scenario": at step 5 it passes 100,000 units of work, the simulator's limit for a question's scenario \(not an AWS limit\)/);
      // The page answers: the catalogue opens.
      await page.getByRole("link", { name: "Catalogue", exact: true }).click();
      await page.getByRole("link", { name: "Check your files" }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("axe-core finds no serious or critical violations in the Author view with verdicts, nor in the update notice", async () => {
    // addScriptTag injects an inline script, which the page's CSP rightly forbids: bypass it here.
    const { context, page } = await openPage(browser, url + "#author", { bypassCSP: true });
    try {
      await page.getByLabel("Or paste a file's text").fill("{'id': 'x'}");
      await button(page, "Check pasted text").click();
      await page.getByLabel("Choose files").setInputFiles([
        { name: "basics.json", mimeType: "application/json", buffer: Buffer.from(www("quizzes/basics.json")) },
      ]);
      await until("two verdicts", async () => (await page.locator(".author-file").count()) === 2);
      assert.match(await text(file(page, /Pasted text/)), /line 1, column 2.*double quotes/);
      // The notice, as boot.js announces a new version.
      await page.evaluate(() => dispatchEvent(new Event("streamlab-update")));
      await page.getByRole("button", { name: "Reload to update" }).waitFor();
      await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8") });
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      assert.deepEqual(bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`), []);
      // "Not now" hides it.
      await button(page, "Not now").click();
      assert.equal(await page.getByRole("button", { name: "Reload to update" }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
