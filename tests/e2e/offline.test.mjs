// End-to-end test of offline use (issue 18, "Offline classrooms"): after one visit the app, a
// lesson and a quiz work with the network off (the server stopped, and the browser context
// emulated offline), and a new build published while the page is open brings the "new version"
// notice, whose button updates the page without losing the learner's lab. Release build in
// dist/, copied to target/offline-site/ (the test changes its copy), Debian's Chromium.
// By hand: `node --test --test-concurrency=1 tests/e2e/offline.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { ROOT, button, openPage, openWithoutStorage, put, records, start, text, until } from "./harness.mjs";
import { serve } from "./server.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";
const SITE = ROOT + "target/offline-site";
let server, url, browser;

before(async () => {
  await rm(SITE, { recursive: true, force: true });
  await cp(DIST, SITE, { recursive: true });
  ({ server, url, browser } = await start(SITE));
});
after(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((done) => (server ? server.close(done) : done()));
});

/** Stops the server: nothing answers on its port any more. */
async function stopServer() {
  const closed = new Promise((done) => server.close(done));
  server.closeAllConnections();
  await closed;
  server = undefined;
}

const teach = (page) => page.locator("section.teach");

describe("offline use (release build)", () => {
  test("after one visit the app, a lesson and a quiz work offline; a new version is announced and applied without losing the lab", async () => {
    const { context, page, problems } = await openPage(browser, url);
    try {
      // The worker installed (every file kept), then controls the page from its next load.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.reload();
      await button(page, "Put item").waitFor();
      await until("the worker controls the page", () => page.evaluate(() => !!navigator.serviceWorker.controller));

      // The network off: the server stopped and the browser offline.
      await stopServer();
      await context.setOffline(true);
      await page.reload();
      await button(page, "Put item").waitFor({ timeout: 15000 });
      // The learner's own lab, changed offline.
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await until("one record", async () => (await records(page).count()) === 1);
      await page.getByRole("navigation").getByRole("link", { name: "Lessons" }).click();
      await teach(page).getByRole("link", { name: "The four view types" }).click();
      await until("the lesson, offline", async () => /Step 1 of/.test(await text(page.locator(".lesson"))), 15000);
      await page.goto(`${url}#quiz=basics&seed=5`);
      await button(page, "Start practice").click();
      await until("the quiz, offline", async () => /Question 1 of \d/.test(await text(teach(page))));
      await page.goto(`${url}#`);

      // Back online, with a new build published (only the worker's version differs).
      const sw = await readFile(SITE + "/sw.js", "utf8");
      const version = /version:"([0-9a-f]+)"/.exec(sw)[1];
      await writeFile(SITE + "/sw.js", sw.replace(version, "0".repeat(version.length)));
      ({ server } = await serve(SITE, Number(new URL(url).port)));
      await context.setOffline(false);
      await page.reload();
      const notice = page.getByRole("status").filter({ hasText: "A new version of StreamLab is ready" });
      await notice.waitFor({ timeout: 20000 });
      await Promise.all([page.waitForEvent("load"), notice.getByRole("button", { name: "Reload to update" }).click()]);
      await button(page, "Put item").waitFor();
      await until("the new worker controls the page", () =>
        page.evaluate(() => navigator.serviceWorker.controller?.state === "activated"));
      assert.equal(await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !r.waiting)), true);
      assert.equal(await notice.count(), 0, "no notice once updated");
      // The new build's cache is the one kept: the old version's was deleted on activation.
      const names = (await page.evaluate(() => caches.keys())).filter((n) => n.startsWith("streamlab "));
      assert.equal(names.length, 1, names.join(", "));
      assert.ok(names[0].endsWith(" " + "0".repeat(version.length)), names[0]);
      // The learner's own lab (saved in localStorage) is still there.
      await button(page, "Back to my lab").click();
      await until("the learner's record after the update", async () => (await records(page).count()) === 1);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("where the browser refuses the worker (all cookies blocked, as a managed browser may), the page works and says nothing of it", async () => {
    const { page, problems, close } = await openWithoutStorage();
    try {
      await page.goto(url);
      await button(page, "Put item").waitFor({ timeout: 15000 });
      const refused = await page.evaluate(() =>
        navigator.serviceWorker.register("sw.js").then(() => "", (e) => e.name));
      // Chromium says NotSupportedError ("The user denied permission to use Service Worker").
      assert.notEqual(refused, "", "the profile refuses service workers, as the test means it to");
      await page.goto(`${url}#lesson=streams-basics`);
      await until("the lesson", async () => /Step 1 of/.test(await text(page.locator(".lesson"))));
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
