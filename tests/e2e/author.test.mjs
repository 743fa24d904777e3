// End-to-end tests of the Author view (issue 18, "Authoring without Rust"): an instructor's
// lesson and quiz files pasted, picked with the file input or dropped, and checked in the page
// as `streamlab check` checks them. Release build in dist/, Debian's Chromium.
// By hand: `node --test --test-concurrency=1 tests/e2e/author.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT, button, openPage, start, stop, text, until } from "./harness.mjs";

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
});
