// End-to-end tests of the instructor's side (issue 18): the course catalogue. Release build in
// dist/, Debian's Chromium through playwright-core.
// By hand: `node --test --test-concurrency=1 tests/e2e/instructor.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ROOT, openPage, start, stop, text, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";
let server, url, browser;
before(async () => ({ server, url, browser } = await start(DIST)));
after(() => stop({ server, browser }));

const read = (p) => JSON.parse(readFileSync(ROOT + "www/" + p, "utf8"));

describe("the instructor's side (release build)", () => {
  test("the catalogue lists every lesson and quiz of the indexes with goals, level, duration, links and an iframe snippet", async () => {
    const { context, page, problems } = await openPage(browser, url);
    try {
      await page.getByRole("link", { name: "Catalogue" }).click();
      const lessons = read("lessons/index.json").lessons;
      const banks = read("quizzes/index.json").banks;
      const entries = page.locator(".catalogue-entry");
      await until("the catalogue", async () => (await entries.count()) === lessons.length + banks.length, 15000);
      // A lesson: its goals come from its own file.
      const vt = read("lessons/view-types.json");
      const entry = page.getByRole("listitem", { name: vt.title });
      const t = await text(entry);
      assert.match(t, new RegExp(`Lesson · ${vt.level} · ${vt.duration} min`));
      for (const g of vt.goals) assert.ok(t.includes(g.text), `goal ${g.text}`);
      // Its SCO's launch path in the SCORM package (make scorm; tests/e2e/scorm.test.mjs).
      assert.ok(t.includes("SCORM SCO: index.html?lesson=view-types"), t);
      const snippet = await entry.getByLabel("Iframe snippet").inputValue();
      assert.match(snippet, new RegExp(`^<iframe src="${url}\\?embed=1#lesson=view-types" title="StreamLab: ${vt.title}"`));
      // A quiz too.
      assert.match(await text(page.getByRole("listitem", { name: banks[0].title })), /^.*Quiz/);
      // The embed link opens the lesson without the page's header.
      await page.goto(`${url}?embed=1#lesson=view-types`);
      await until("the lesson", async () => /Step 1 of/.test(await text(page.locator(".lesson"))));
      assert.equal(await page.locator(".masthead").isVisible(), false);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
