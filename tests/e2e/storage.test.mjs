// The browser's storage failing, for real: Chromium's own quota, reached by filling
// localStorage, never a mocked setItem. Nothing the learner made may be lost: a lab the
// browser will not save is said so (and export offered), a lab an import replaces is
// downloaded when it cannot be kept, and a saved session that cannot be read is never
// deleted or saved over before the learner has downloaded or discarded it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { ROOT, button, openPage, openWithoutStorage, put, records, start, stop, text, until } from "./harness.mjs";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(ROOT + "dist")));

after(() => stop({ server, browser }));

/** Fills this origin's localStorage until Chromium refuses even 16 characters more. */
async function fill(page) {
  return page.evaluate(() => {
    let n = 0;
    for (let size = 1 << 20; size >= 16; size >>= 1) {
      const chunk = "x".repeat(size);
      try {
        for (;;) localStorage.setItem(`junk-${n++}`, chunk);
      } catch (e) {
        if (e.name !== "QuotaExceededError") throw e;
      }
    }
    return n;
  });
}

/** Removes what `fill` stored. */
async function unfill(page) {
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith("junk-")) localStorage.removeItem(k);
  });
}

const banner = (page) => page.locator(".banner");
const textOf = async (download) => readFile(await download.path(), "utf8");

describe("StreamLab when the browser's storage is full (release build)", () => {
  test("a save the browser refuses is said once, with export offered; saving again is said too", async () => {
    const { context, page, problems } = await openPage(browser, url);
    try {
      await put(page, '{"voter": {"S": "before"}, "choice": {"S": "tea"}}');
      await until("the first record", async () => (await records(page).count()) === 1);
      await fill(page);
      await put(page, '{"voter": {"S": "unsaved"}, "choice": {"S": "tea"}}');
      await until("the banner", async () => /refused to save your lab \(QuotaExceededError/.test(await banner(page).textContent().catch(() => "")));
      assert.match(await banner(page).textContent(), /Export it/);
      assert.match(await page.locator("#files").textContent(), /refused to save your lab/);
      // The saved lab is still the one before the refusal, not a half-written one.
      const saved = await page.evaluate(() => localStorage.getItem("streamlab.session"));
      assert.match(saved, /before/);
      assert.doesNotMatch(saved, /unsaved/);

      await unfill(page);
      await put(page, '{"voter": {"S": "after"}, "choice": {"S": "tea"}}');
      await until("saved again", async () => /saved in this browser again/.test(await banner(page).textContent()));
      await page.reload();
      await button(page, "Put item").waitFor();
      await until("every item after the reload", async () => (await records(page).count()) === 3);
      assert.match(await page.locator("#table").textContent(), /unsaved/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("an import over a lab the browser has no room to keep downloads that lab instead", async () => {
    const { context, page, problems } = await openPage(browser, url);
    try {
      await put(page, '{"voter": {"S": "kept-voter"}, "choice": {"S": "tea"}}');
      await until("the put", async () => (await records(page).count()) === 1);
      await fill(page);
      const other = JSON.stringify({ steps: [
        { CreateTable: { TableName: "Other", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST" } },
      ] });
      await page.getByLabel("Scenario JSON").fill(other);
      const [download] = await Promise.all([page.waitForEvent("download"), button(page, "Import pasted scenario").click()]);
      assert.equal(download.suggestedFilename(), "streamlab-previous-lab.json");
      await until("the import note", async () => /downloaded as streamlab-previous-lab\.json/.test(await page.locator("#files").textContent()));
      assert.doesNotMatch(await page.locator("#table").textContent(), /kept-voter/);
      // The file is a scenario that brings the lab back.
      const previous = await textOf(download);
      assert.match(previous, /kept-voter/);
      await unfill(page);
      await page.getByLabel("Scenario JSON").fill(previous);
      await button(page, "Import pasted scenario").click();
      await until("the lab back", async () => /kept-voter/.test(await page.locator("#table").textContent()));
      assert.equal(await records(page).count(), 1);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("an unreadable saved session with no room to set it aside is kept until downloaded or discarded", async () => {
    const { context, page, problems } = await openPage(browser, url);
    try {
      const broken = "{broken" + "y".repeat(1_500_000);
      const setUp = async () => {
        await page.evaluate((text) => { localStorage.clear(); localStorage.setItem("streamlab.session", text); }, broken);
        await fill(page);
        await page.reload();
        await button(page, "Put item").waitFor();
        await until("the banner", async () => /no room to set it aside/.test(await banner(page).textContent().catch(() => "")));
      };
      await setUp();
      assert.match(await banner(page).textContent(), /could not be restored/);
      assert.equal(await page.evaluate(() => localStorage.getItem("streamlab.session.set-aside")), null);
      // Work goes on, but the page does not save over the unreadable session.
      await put(page, '{"voter": {"S": "new"}}');
      await until("the record", async () => (await records(page).count()) === 1);
      assert.equal(await page.evaluate(() => localStorage.getItem("streamlab.session")), broken);
      assert.equal(await button(page, "Dismiss").count(), 0, "the banner cannot just be dismissed");

      const [download] = await Promise.all([page.waitForEvent("download"), button(page, "Download it").click()]);
      assert.equal(download.suggestedFilename(), "streamlab-unreadable-session.txt");
      assert.equal(await textOf(download), broken);
      await until("the banner gone", async () => (await banner(page).count()) === 0);

      // Discarding it instead removes it, and saving resumes.
      await setUp();
      await button(page, "Discard it").click();
      await until("the banner gone", async () => (await banner(page).count()) === 0);
      assert.equal(await page.evaluate(() => localStorage.getItem("streamlab.session")), null);
      await unfill(page);
      await put(page, '{"voter": {"S": "saved-now"}}');
      await until("saved", async () => /saved-now/.test(await page.evaluate(() => localStorage.getItem("streamlab.session") ?? "")));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("StreamLab when the browser gives the page no storage at all (release build)", () => {
  // Chromium's own setting, as a school's managed browser or a learner may set it: "Block all
  // cookies" also blocks localStorage, which then throws SecurityError on every access. Set in
  // the profile's preferences, not mocked.
  test("the lab, a lesson and a quiz work; the learner is told the lab is not saved and how to keep it", async () => {
    const { page, problems, close } = await openWithoutStorage();
    try {
      await page.goto(url);
      const blocked = await page.evaluate(() => { try { localStorage.length; return ""; } catch (e) { return e.name; } });
      assert.equal(blocked, "SecurityError", "the profile blocks storage, as the test means it to");
      await button(page, "Put item").waitFor({ timeout: 15000 });
      await put(page, '{"voter": {"S": "nostore"}, "choice": {"S": "tea"}}');
      await until("the record", async () => (await records(page).count()) === 1);
      await until("the banner", async () => /refused to save your lab \(this browser gives the page no storage\)/.test(await banner(page).textContent().catch(() => "")));
      assert.match(await banner(page).textContent(), /Export it \(Files › Export scenario\)/);
      // Lessons and quizzes need no storage either (progress is simply not kept).
      await page.goto(`${url}#lesson=streams-basics`);
      await until("the lesson", async () => /Step 1 of/.test(await text(page.locator(".lesson"))));
      await page.goto(`${url}#quiz=basics`);
      await button(page, "Start practice").or(button(page, "Start exam")).first().waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
