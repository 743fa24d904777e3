// End-to-end tests of the release build (dist/) in Debian's Chromium, driven by playwright-core.
// Run by `make test` after `trunk build --release --offline`; by hand: `node --test tests/e2e/`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { ARTIFACTS, ROOT, advance, button, deploy, item, openPage, put, records, region, start, stop, until } from "./harness.mjs";

const DIST = ROOT + "dist";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(DIST)));

after(() => stop({ server, browser }));

/** A page on the app with the wasm started; `problems` collects what must never happen. */
const openApp = (options = {}) => openPage(browser, url, options);

/** Press Tab until `test(document.activeElement)` holds (at most `max` times). */
async function tabTo(page, test, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(`(${test.toString()})(document.activeElement)`)) return;
  }
  assert.fail(`Tab never reached the element (${test})`);
}

describe("StreamLab app (release build)", () => {
  test("starts under the page's Content-Security-Policy with no console errors", async () => {
    const { context, page, problems } = await openApp();
    try {
      assert.equal(await page.title(), "StreamLab");
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "StreamLab");
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(await page.locator("script:not([src])").count(), 0, "no inline scripts");
      assert.equal(await records(page).count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("putting an item shows a stream record; deleting it shows REMOVE", async () => {
    const { context, page, problems } = await openApp();
    try {
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "streams"}}');
      await until("one record", async () => (await records(page).count()) === 1);
      const text = await records(page).first().textContent();
      assert.match(text, /INSERT/);
      assert.match(text, /"voter":\{"S":"ana"\}/);
      assert.match(text, /SequenceNumber/);
      assert.equal((await page.getByRole("alert").textContent()).trim(), "");

      await page.getByRole("button", { name: "Delete item" }).click();
      await until("two records", async () => (await records(page).count()) === 2);
      assert.match(await records(page).nth(1).textContent(), /REMOVE/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a bad item shows the error and adds no record", async () => {
    const { context, page } = await openApp();
    try {
      await put(page, '{"voter": {"S": "bo"}}');
      await until("one record", async () => (await records(page).count()) === 1);

      await put(page, '{"voter": {"S": ""}}');
      await until("an error", async () => /ValidationException/.test(await page.getByRole("alert").textContent()));
      assert.equal(await records(page).count(), 1);
      assert.equal(await item(page).getAttribute("aria-invalid"), "true");
      assert.equal(await item(page).inputValue(), '{"voter": {"S": ""}}', "the user's text stays");

      await put(page, "{ not json");
      await until("a JSON error", async () => /Not valid JSON/.test(await page.getByRole("alert").textContent()));
      assert.equal(await records(page).count(), 1);
    } finally {
      await context.close();
    }
  });

  test("keyboard: Ctrl+Enter in the item puts it", async () => {
    const { context, page } = await openApp();
    try {
      await item(page).focus();
      await page.keyboard.press("Control+Enter");
      await until("one record", async () => (await records(page).count()) === 1);
      await tabTo(page, (el) => el.textContent === "Put item");
    } finally {
      await context.close();
    }
  });

  test("each view type: the records show what the type carries (an INSERT under OLD_IMAGE has no image)", async () => {
    const { context, page, problems } = await openApp();
    try {
      const expected = {
        KEYS_ONLY: ["no new image", "no old image"],
        NEW_IMAGE: ["new image ✓", "no old image"],
        OLD_IMAGE: ["no new image", "no old image"],
        NEW_AND_OLD_IMAGES: ["new image ✓", "no old image"],
      };
      const select = page.getByLabel("Stream view type");
      assert.deepEqual(await select.locator("option").evaluateAll((os) => os.map((o) => o.value)),
        ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]);
      for (const [view, parts] of Object.entries(expected)) {
        if ((await select.inputValue()) !== view) {
          await select.selectOption(view);
          await until(`the ${view} note`, async () => /cannot be changed in place/.test(await page.locator("#stream").textContent()));
        }
        assert.match(await page.locator("#view-describe").textContent(), /\w/);
        await put(page, `{"voter": {"S": "v-${view}"}, "choice": {"S": "tea"}}`);
        await until(`a record under ${view}`, async () => (await records(page).count()) === 1);
        const text = await records(page).first().textContent();
        assert.match(text, /INSERT/);
        for (const p of parts) assert.ok(text.includes(p), `${view}: "${p}" in ${text}`);
        // MODIFY under this view type: old image only where the type carries it.
        await put(page, `{"voter": {"S": "v-${view}"}, "choice": {"S": "coffee"}}`);
        await until(`a MODIFY under ${view}`, async () => (await records(page).count()) === 2);
        const modify = await records(page).nth(1).textContent();
        assert.equal(modify.includes("old image ✓"), view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES", `${view}: ${modify}`);
        assert.equal(modify.includes("new image ✓"), view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES", `${view}: ${modify}`);
        // Start the next view type from a stream with no records.
        if (view !== "NEW_AND_OLD_IMAGES") {
          await select.selectOption(view === "KEYS_ONLY" ? "NEW_IMAGE" : view === "NEW_IMAGE" ? "OLD_IMAGE" : "NEW_AND_OLD_IMAGES");
          await until("the new stream", async () => (await records(page).count()) === 0);
        } else {
          await select.selectOption("KEYS_ONLY");
          await select.selectOption("NEW_AND_OLD_IMAGES");
          await until("a fresh stream", async () => (await records(page).count()) === 0);
        }
      }
      // Opening the INSERT shows its exact JSON and the old-to-new difference.
      await put(page, '{"voter": {"S": "zed"}, "choice": {"S": "tea"}}');
      await until("a record", async () => (await records(page).count()) === 1);
      await records(page).first().getByRole("button").click();
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      assert.match(await dialog.textContent(), /"eventName": "INSERT"/);
      assert.match(await dialog.textContent(), /No old image: there was no item before an INSERT/);
      assert.match(await dialog.locator("table.diff").textContent(), /choice\s*added/);
      await page.keyboard.press("Escape");
      await until("the dialog closed", async () => (await page.getByRole("dialog").count()) === 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a counting rule and a notification rule fill Aggregates and Notifications after the clock moves", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, 'on INSERT, MODIFY, REMOVE\n  count votes by choice\n\non MODIFY when changed(choice)\n  notify "#votes" "{keys.voter} moved to {new.choice}"');
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await put(page, '{"voter": {"S": "bo"}, "choice": {"S": "tea"}}');
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "coffee"}}');
      await until("three records", async () => (await records(page).count()) === 3);
      assert.match(await region(page, "Aggregates").textContent(), /None yet/, "nothing before the clock moves");
      await advance(page, 60);
      await until("aggregates", async () => /votes/.test(await region(page, "Aggregates").textContent()));
      const rows = await region(page, "Aggregates").locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.textContent));
      assert.deepEqual(rows.sort(), ["coffee1", "tea1"]);
      assert.match(await region(page, "Notifications").textContent(), /#votes.*ana moved to coffee/s);
      assert.match(await page.locator("#triggers").textContent(), /Invocation, batch of 3 records, attempt 1: succeeded/);
      // The invocation's Lambda event: its three records, in order, as AWS shapes them.
      await page.locator("#triggers").getByRole("button", { name: "Open event" }).first().click();
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      const event = JSON.parse(await dialog.locator("pre").first().textContent());
      assert.deepEqual(event.Records.map((r) => [r.eventName, r.dynamodb.Keys.voter.S]), [["INSERT", "ana"], ["INSERT", "bo"], ["MODIFY", "ana"]]);
      assert.ok(event.Records.every((r) => r.eventSource === "aws:dynamodb" && /:table\/Votes\/stream\//.test(r.eventSourceARN)));
      await button(page, "Close").click();
      // Deleting takes the vote back out.
      await item(page).fill('{"voter": {"S": "bo"}}');
      await button(page, "Delete item").click();
      await advance(page, 60);
      await until("tea gone", async () => !/tea/.test(await region(page, "Aggregates").textContent()));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a failing rule is retried and its batch lands in the on-failure queue", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, 'on INSERT\n  fail "no thanks"', {
        MaximumRetryAttempts: "1",
        OnFailure: "arn:aws:sqs:us-east-1:123456789012:dlq",
      });
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await advance(page, 60);
      const triggers = page.locator("#triggers");
      await until("the on-failure record", async () => /On-failure queue \(1\)/.test(await triggers.textContent()));
      const text = await triggers.textContent();
      assert.match(text, /attempt 1: failed: no thanks/);
      assert.match(text, /attempt 2: failed: no thanks/);
      assert.match(text, /Sent to on-failure/);
      // The flow shows the token in the on-failure box.
      assert.match(await page.getByRole("list", { name: "On-failure queue", exact: true }).textContent(), /INSERT\s*ana/);
      await triggers.getByRole("button", { name: "Open", exact: true }).click();
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      assert.match(await dialog.textContent(), /DDBStreamBatchInfo/);
      await button(page, "Close").click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("reload restores the session; unreadable saved data is set aside with a message", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, "on INSERT, MODIFY, REMOVE\n  count votes by choice");
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await advance(page, 5);
      await until("aggregates", async () => /tea/.test(await region(page, "Aggregates").textContent()));
      await page.reload();
      await button(page, "Put item").waitFor();
      await until("the restored record", async () => (await records(page).count()) === 1);
      assert.match(await region(page, "Aggregates").textContent(), /tea/);
      assert.match(await page.getByRole("textbox", { name: "Trigger rules" }).inputValue(), /count votes by choice/);

      await page.evaluate(() => localStorage.setItem("streamlab.session", "{broken"));
      await page.reload();
      await button(page, "Put item").waitFor();
      assert.match(await page.locator(".banner").textContent(), /could not be restored/);
      assert.equal(await page.evaluate(() => localStorage.getItem("streamlab.session.set-aside")), "{broken");
      assert.equal(await records(page).count(), 0);
      await put(page, '{"voter": {"S": "new"}}');
      await until("the page still works", async () => (await records(page).count()) === 1);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("update with expressions, and a failed condition changes nothing", async () => {
    const { context, page } = await openApp();
    try {
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await button(page, "Update item").click();
      await until("a MODIFY", async () => (await records(page).count()) === 2);
      assert.match(await records(page).nth(1).textContent(), /MODIFY/);
      await page.getByLabel("Condition expression").fill("attribute_not_exists(voter)");
      await button(page, "Update item").click();
      await until("the condition error", async () => /ConditionalCheckFailedException/.test(await page.getByRole("alert").textContent()));
      assert.equal(await records(page).count(), 2);
    } finally {
      await context.close();
    }
  });

  test("keyboard only: write, switch the view type, deploy, advance, open a record", async () => {
    const { context, page } = await openApp();
    try {
      await tabTo(page, (el) => el.id === "item");
      await page.keyboard.press("Control+A");
      await page.keyboard.type('{"voter": {"S": "kb"}, "choice": {"S": "tea"}}');
      await tabTo(page, (el) => el.textContent === "Put item");
      await page.keyboard.press("Enter");
      await until("one record", async () => (await records(page).count()) === 1);
      // Focus is visible.
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, "none");
      await tabTo(page, (el) => el.id === "rules");
      await tabTo(page, (el) => el.textContent === "Deploy");
      await page.keyboard.press("Enter");
      await until("deployed", async () => /Deployed/.test(await page.locator("#triggers").textContent()));
      await tabTo(page, (el) => el.textContent === "+1 min");
      await page.keyboard.press("Enter");
      await until("counted", async () => /tea/.test(await region(page, "Aggregates").textContent()));
      await tabTo(page, (el) => el.classList.contains("record-card"));
      await page.keyboard.press("Enter");
      await page.getByRole("dialog").waitFor();
      await page.keyboard.press("Escape");
      await until("closed", async () => (await page.getByRole("dialog").count()) === 0);
    } finally {
      await context.close();
    }
  });

  test("importing over the learner's own lab keeps it for Back to my lab; a changed import is kept for Restore previous lab", async () => {
    const { context, page, problems } = await openApp();
    try {
      await put(page, '{"voter": {"S": "kept-voter"}, "choice": {"S": "tea"}}');
      await until("the put", async () => (await records(page).count()) === 1);
      const other = (name) => JSON.stringify({ steps: [
        { CreateTable: { TableName: name, KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
          StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" } } },
      ] });
      await page.getByLabel("Scenario JSON").fill(other("Other"));
      await button(page, "Import pasted scenario").click();
      await until("the import note", async () => /own lab was kept/.test(await page.locator("#files").textContent()));
      assert.doesNotMatch(await page.locator("#table").textContent(), /kept-voter/);
      // The imported lab, changed, then replaced by a second import: kept as the previous lab.
      await put(page, '{"id": {"S": "changed-import"}}');
      await until("the import's record", async () => (await records(page).count()) === 1);
      await page.getByLabel("Scenario JSON").fill(other("Third"));
      await button(page, "Import pasted scenario").click();
      await until("the second import note", async () => /previous lab was kept.*own lab is still kept/.test(await page.locator("#files").textContent()));
      await button(page, "Restore previous lab").click();
      await until("the restored import", async () => /changed-import/.test(await page.locator("#table").textContent()));
      await button(page, "Back to my lab").click();
      await until("the own lab", async () => /kept-voter/.test(await page.locator("#table").textContent()));
      assert.equal(await records(page).count(), 1);
      // After a reload the own lab is still there (it was saved).
      await page.reload();
      await until("the reloaded lab", async () => /kept-voter/.test(await page.locator("#table").textContent()), 15000);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("bursts make new records each time, and an aggregate over a unique key shows only its largest groups", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, "on INSERT, MODIFY, REMOVE\n  count votes by voter");
      for (const n of [1000, 2000]) {
        await button(page, "Write 1,000 votes").click();
        await until(`${n} records`, async () => new RegExp(`^${n.toLocaleString("en-US")} records$`).test(await page.locator(".records-block .count").textContent()), 30000);
      }
      await advance(page, 60);
      const aggregates = region(page, "Aggregates");
      await until("the aggregate table", async () => (await aggregates.locator("tbody tr").count()) === 100, 15000);
      assert.match(await aggregates.locator("tfoot").innerText(), /and 1,900 smaller groups, not shown/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a lab over 2 MB is no longer saved in the browser, and the Files panel says so", async () => {
    const { context, page, problems } = await openApp();
    try {
      const files = page.locator("#files");
      assert.match(await files.textContent(), /saved in this browser after every change/);
      for (const n of [10000, 20000, 30000]) {
        await button(page, "Write 10,000 votes").click();
        await until(`${n} records`, async () => new RegExp(`^${n.toLocaleString("en-US")} records$`).test(await page.locator(".records-block .count").textContent()), 60000);
      }
      await until("the note", async () => /over 2 MB, more than this browser keeps: it is no longer saved here/.test(await files.textContent()));
      // A reload brings back the lab as it was last saved (under 2 MB), with no error.
      await page.reload();
      await until("the restored lab", async () => /^[\d,]+ records$/.test(await page.locator(".records-block .count").textContent()), 30000);
      const restored = Number((await page.locator(".records-block .count").textContent()).split(" ")[0].replace(/,/g, ""));
      assert.ok(restored >= 10000 && restored < 30000, `${restored} records after the reload`);
      assert.doesNotMatch(await page.locator("body").textContent(), /could not be restored/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a burst of 1,000 writes: the page stays usable and the record list stays windowed", async () => {
    const { context, page, problems } = await openApp();
    try {
      await button(page, "Write 1,000 votes").click();
      await until("1000 records", async () => /^1,000 records$/.test(await page.locator(".records-block .count").textContent()), 30000);
      const rendered = await records(page).count();
      assert.ok(rendered > 0 && rendered <= 20, `${rendered} rows in the DOM`);
      // Scroll to the top: the first records are drawn.
      await page.locator(".records-viewport").evaluate((v) => { v.scrollTop = 0; });
      await until("the first record", async () => /voter-00000/.test(await records(page).first().textContent()));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("the clock: play and pause move time; fast-forward shows TTL deletions, 24-hour trimming and shard roll-over", async () => {
    const { context, page, problems } = await openApp();
    try {
      const clock = page.locator(".clock-time");
      assert.equal(await clock.textContent(), "2026-01-01T00:00:00Z");
      await button(page, "Play").click();
      await until("the clock moves", async () => (await clock.textContent()) !== "2026-01-01T00:00:00Z");
      await button(page, "Pause").click();
      const paused = await clock.textContent();
      await page.waitForTimeout(300);
      assert.equal(await clock.textContent(), paused, "paused");

      await page.locator("details.ttl summary").click();
      await page.getByLabel("TTL attribute").fill("expires");
      await button(page, "Enable TTL").click();
      await until("TTL on", async () => /Time to live: on/.test(await page.locator("details.ttl summary").textContent()));
      const now = await page.evaluate(() => Math.floor(Date.parse(document.querySelector(".clock-time").textContent) / 1000));
      await put(page, `{"voter": {"S": "temp"}, "expires": {"N": "${now + 60}"}}`);
      await button(page, "+1 h").click();
      const notes = page.locator(".clock-notes");
      await until("the TTL deletion", async () => /TTL deleted 1 expired item/.test(await notes.textContent()));
      await until("two records", async () => (await records(page).count()) === 2);
      assert.match(await records(page).nth(1).textContent(), /REMOVE.*TTL/s);

      await button(page, "+25 h").click();
      await until("trimming and roll-over", async () => {
        const t = await notes.textContent();
        return /trimmed from the stream/.test(t) && /new shards? opened/.test(t);
      }, 20000);
      assert.equal(await records(page).count(), 0, "every record is older than 24 hours");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("files: export downloads a scenario that imports back (file and paste); copy puts a record's JSON on the clipboard", async () => {
    const { context, page, problems } = await openApp({ acceptDownloads: true, permissions: ["clipboard-read", "clipboard-write"] });
    try {
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await put(page, '{"voter": {"S": "bo"}, "choice": {"S": "coffee"}}');
      await until("two records", async () => (await records(page).count()) === 2);
      const [download] = await Promise.all([page.waitForEvent("download"), button(page, "Export scenario").click()]);
      assert.equal(download.suggestedFilename(), "streamlab-scenario.json");
      const text = await readFile(await download.path(), "utf8");
      const scenario = JSON.parse(text);
      assert.equal(scenario.steps.length, 3, "CreateTable and two PutItem steps");

      await button(page, "Start over").click();
      await until("a new lab", async () => (await records(page).count()) === 0);
      await page.getByLabel("Import scenario file").setInputFiles({ name: "mine.json", mimeType: "application/json", buffer: Buffer.from(text) });
      await until("the imported records", async () => (await records(page).count()) === 2);
      assert.match(await page.locator("#files").textContent(), /Imported mine\.json: 3 steps replayed/);

      await button(page, "Start over").click();
      await page.getByLabel("Scenario JSON").fill("{ not a scenario");
      await button(page, "Import pasted scenario").click();
      await until("the import error", async () => /was not imported/.test(await page.locator("#files").textContent()));
      await page.getByLabel("Scenario JSON").fill(text);
      await button(page, "Import pasted scenario").click();
      await until("the pasted records", async () => (await records(page).count()) === 2);

      await records(page).first().getByRole("button").click();
      await button(page, "Copy record JSON").click();
      await until("the clipboard", async () => /"eventName": "INSERT"/.test(await page.evaluate(() => navigator.clipboard.readText())));
      await button(page, "Close").click();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  for (const [name, width, height] of [["desktop", 1366, 768], ["phone", 390, 844]]) {
    test(`screenshot at ${width}x${height}, no horizontal scroll`, async () => {
      const { context, page } = await openApp({ viewport: { width, height } });
      try {
        await deploy(page, "on INSERT, MODIFY, REMOVE\n  count votes by choice");
        await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "streams"}}');
        await put(page, '{"voter": {"S": "bo"}, "choice": {"S": "lambda"}}');
        await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "lambda"}}');
        await put(page, '{"voter": {"S": ""}}');
        await until("three records and an error", async () =>
          (await records(page).count()) === 3 && /ValidationException/.test(await page.getByRole("alert").textContent()));
        await advance(page, 60);
        await until("aggregates", async () => /lambda/.test(await region(page, "Aggregates").textContent()));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page is ${overflow}px wider than the ${width}px viewport`);
        // What the learner sees first, then the whole page (the sticky clock bar made static, or
        // Chromium paints it mid-page in a full-page capture).
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${ARTIFACTS}${name}-${width}x${height}.png` });
        await page.locator(".timebar").evaluate((el) => el.style.setProperty("position", "static"));
        await page.screenshot({ path: `${ARTIFACTS}${name}-${width}x${height}-full.png`, fullPage: true });
      } finally {
        await context.close();
      }
    });
  }

  test("axe-core finds no serious or critical accessibility violations", async () => {
    // addScriptTag injects an inline script, which the page's CSP rightly forbids: bypass it here.
    const { context, page } = await openApp({ bypassCSP: true });
    try {
      const require = createRequire(import.meta.url);
      const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
      const check = async (state) => {
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
        const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        assert.deepEqual(
          bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
          [], `axe violations ${state}`);
      };
      await check("on start");
      await put(page, '{"voter": {"S": "ana"}}');
      await put(page, '{"voter": {"S": ""}}');
      await until("a record and an error", async () =>
        (await records(page).count()) === 1 && /ValidationException/.test(await page.getByRole("alert").textContent()));
      await check("with a record and an error");
      await records(page).first().getByRole("button").click();
      await page.getByRole("dialog").waitFor();
      await check("with the record dialog open");
    } finally {
      await context.close();
    }
  });
});
