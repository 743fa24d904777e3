// End-to-end tests of learner journeys (release build in dist/, Debian's Chromium through
// playwright-core): each test pins a defect found by walking the page as a learner would.
// Run by `make test`; by hand: `node --test --test-concurrency=1 tests/e2e/journeys.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ROOT, advance, button, deploy, item, openPage, put, records, region, shardHeavyScenario, start, stop, submitExam, text, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(DIST)));

after(() => stop({ server, browser }));

const openApp = (path = "", options = {}) => openPage(browser, url + path, options);
const clockNotes = (page) => page.locator(".clock-notes");

/** The elements matching `selector` whose single word is drawn on more than one line. */
const brokenWords = (page, selector) => page.evaluate((selector) => [...document.querySelectorAll(selector)]
  .filter((el) => !el.querySelector(".visually-hidden") && !/\s/.test(el.textContent.trim()) && el.textContent.trim().length > 1)
  .filter((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
  })
  .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim()}`), selector);

describe("learner journeys (release build)", () => {
  test("phone (390x844): column names, Edit buttons, change kinds and times are never split inside a word", async () => {
    const { context, page, problems } = await openApp("", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      await deploy(page, 'on INSERT\n  notify "#votes" "{keys.voter} voted"');
      await put(page, '{"voter": {"S": "a-rather-long-voter-name-to-wrap"}, "choice": {"S": "tea"}, "comment": {"S": "x"}, "a": {"N": "1"}, "b": {"N": "2"}}');
      await until("one record", async () => (await records(page).count()) === 1);
      await advance(page, 60);
      await until("the notification", async () => /voted/.test(await text(region(page, "Notifications"))));
      assert.deepEqual(await brokenWords(page, ".item-grid th, .item-grid button, .msg-time"), []);
      await records(page).first().getByRole("button").click();
      await page.getByRole("dialog").waitFor();
      assert.deepEqual(await brokenWords(page, ".diff thead th, .diff-kind"), []);
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `horizontal scroll (${sw} > ${cw})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("keyboard: arrow keys on the view type replace the stream once, on Enter or on leaving the field", async () => {
    const { context, page, problems } = await openApp();
    try {
      const select = page.getByLabel("Stream view type");
      const arn = async () => text(page.locator("#stream .arn code"));
      const first = await arn();
      await select.focus();
      // NEW_AND_OLD_IMAGES -> OLD_IMAGE -> NEW_IMAGE -> KEYS_ONLY: nothing is applied on the way.
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowUp");
      assert.equal(await select.inputValue(), "KEYS_ONLY");
      await page.waitForTimeout(200);
      assert.equal(await arn(), first, "an arrow key alone replaces no stream");
      assert.match(await text(page.locator(".steps")), /^1 step /);
      await page.keyboard.press("Enter");
      await until("the new stream", async () => /new KEYS_ONLY stream/.test(await text(page.locator("#stream"))));
      // One switch is two steps (UpdateTable: disable, then enable) and leaves one older stream.
      assert.match(await text(page.locator(".steps")), /^3 steps /);
      assert.match(await text(page.locator("#stream")), /1 older stream of this table is disabled/, "one stream replaced, not three");
      // Leaving the field applies the choice too.
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Tab");
      await until("NEW_IMAGE", async () => /new NEW_IMAGE stream/.test(await text(page.locator("#stream"))));
      assert.match(await text(page.locator(".steps")), /^5 steps /);
      // The mouse (a plain change) still applies at once.
      await select.selectOption("OLD_IMAGE");
      await until("OLD_IMAGE", async () => /new OLD_IMAGE stream/.test(await text(page.locator("#stream"))));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("clock: Play clears the note of an earlier advance; an advance that rounds to 0 ms is refused", async () => {
    const { context, page, problems } = await openApp();
    try {
      await button(page, "Step").click();
      await until("the step note", async () => /Advanced the clock by 1 s/.test(await text(clockNotes(page))));
      await button(page, "Play").click();
      await until("the note gone", async () => !/Advanced the clock/.test(await text(clockNotes(page))));
      await button(page, "Pause").click();
      const time = await text(page.locator(".clock-time"));
      await advance(page, "0.0001");
      await until("the error", async () => /ValidationException/.test(await text(clockNotes(page))));
      assert.match(await text(clockNotes(page)), /from 0\.001 to one year/);
      assert.equal(await text(page.locator(".clock-time")), time, "the clock did not move");
      await advance(page, "0.001");
      await until("advanced", async () => /Advanced the clock by 0\.001 s/.test(await text(clockNotes(page))));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a failing rule: the timeline, newest first, puts what a failed attempt caused above it", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, 'on INSERT\n  fail "no thanks"', {
        MaximumRetryAttempts: "1",
        OnFailure: "arn:aws:sqs:us-east-1:123456789012:dlq",
      });
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": "tea"}}');
      await advance(page, 60);
      await until("the on-failure record", async () => /On-failure queue \(1\)/.test(await text(page.locator("#triggers"))));
      const rows = (await page.locator("#triggers ol.timeline").first().locator("li").allTextContents())
        .map((t) => t.replace(/Open event$/, "").trim());
      assert.equal(rows.length, 4, rows.join("\n"));
      assert.match(rows[0], /Sent to on-failure/);
      assert.match(rows[1], /attempt 2: failed: no thanks/);
      assert.match(rows[2], /Retrying, shard blocked/);
      assert.match(rows[3], /attempt 1: failed: no thanks/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("an aggregate group that is the empty string is shown as \"\", not as a blank row", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, "on INSERT, MODIFY, REMOVE\n  count votes by choice");
      await put(page, '{"voter": {"S": "ana"}, "choice": {"S": ""}}');
      await put(page, '{"voter": {"S": "bo"}, "choice": {"S": "tea"}}');
      await advance(page, 60);
      await until("the aggregate", async () => /tea/.test(await text(region(page, "Aggregates"))));
      const groups = await region(page, "Aggregates").locator("tbody th").allTextContents();
      assert.deepEqual(groups.sort(), ['""', "tea"]);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("form mode: a BOOL that is not true or false is refused with a message, not written as false", async () => {
    const { context, page, problems } = await openApp();
    try {
      await button(page, "Form").click();
      await button(page, "Add attribute").click();
      await page.getByLabel("Attribute 3 type").selectOption("BOOL");
      await page.getByLabel("Attribute 3 value").fill("yes");
      await page.getByLabel("Attribute 3 value").press("Tab");
      await button(page, "Put item").click();
      await until("the error", async () => /Exception/.test(await text(page.getByRole("alert"))));
      assert.equal(await records(page).count(), 0);
      await page.getByLabel("Attribute 3 value").fill("true");
      await page.getByLabel("Attribute 3 value").press("Tab");
      await button(page, "Put item").click();
      await until("one record", async () => (await records(page).count()) === 1);
      await button(page, "DynamoDB JSON").click();
      assert.match(await item(page).inputValue(), /"BOOL": true/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a refused import says \"Nothing was changed.\" once", async () => {
    const { context, page, problems } = await openApp();
    try {
      await page.getByLabel("Scenario JSON").fill("{bad");
      await button(page, "Import pasted scenario").click();
      const files = page.locator("#files");
      await until("the import error", async () => /was not imported/.test(await text(files)));
      assert.equal((await text(files)).split("Nothing was changed.").length - 1, 1, await text(files));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("quiz results: the list of explained answers is spaced from the buttons above it", async () => {
    const { context, page, problems } = await openApp("#quiz=view-types&seed=3");
    try {
      await button(page, "Start exam").click();
      const teach = page.locator("section.teach");
      for (let i = 1; ; i++) {
        await until(`question ${i}`, async () => new RegExp(`Question ${i} of`).test(await text(teach)));
        await teach.getByRole("radio").first().check();
        await button(page, "Save answer").click();
        await until("saved", async () => /Answer saved/.test(await text(teach)));
        if (!(await button(page, "Next question").count())) break;
        await button(page, "Next question").click();
      }
      await submitExam(page);
      const gap = await page.evaluate(() => {
        const buttons = document.querySelector(".quiz-results .actions").getBoundingClientRect();
        const heading = document.querySelector(".quiz-results h4").getBoundingClientRect();
        return heading.top - buttons.bottom;
      });
      assert.ok(gap >= 12, `gap ${gap}px`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("polling versus streams: counts of one are singular (1 scan, 1 invocation, 1 change)", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, "on INSERT\n  count votes");
      await put(page, '{"voter": {"S": "ana"}}');
      await advance(page, 60);
      const costs = region(page, "Polling versus streams");
      await until("one invocation", async () => /1 invocation /.test(await text(costs)));
      const t = await text(costs);
      assert.match(t, /1 scan, 1 request/);
      assert.match(t, /1 invocation \(GetRecords is free\)/);
      assert.match(t, /1 change, 1 record delivered to the trigger/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("share link round trip: the opened lab is the learner's; a reload keeps their changes", async () => {
    const first = await openApp("", { permissions: ["clipboard-read", "clipboard-write"] });
    let link;
    try {
      await put(first.page, '{"voter": {"S": "shared"}, "choice": {"S": "tea"}}');
      await until("one record", async () => (await records(first.page).count()) === 1);
      await button(first.page, "Share link").click();
      await until("copied", async () => /copied|selected/.test(await text(first.page.locator(".share-note"))));
      link = await first.page.getByRole("textbox", { name: "Link to this lab" }).inputValue();
    } finally {
      await first.context.close();
    }
    const { context, page, problems } = await openApp(link.slice(url.length));
    try {
      await until("the shared lab", async () => (await records(page).count()) === 1);
      assert.match(await text(page.locator(".teach-note")), /opened from a shared link/);
      assert.doesNotMatch(page.url(), /#s=/, "the link is not opened again by a reload");
      await put(page, '{"voter": {"S": "mine"}, "choice": {"S": "coffee"}}');
      await until("two records", async () => (await records(page).count()) === 2);
      await page.reload();
      await button(page, "Put item").waitFor();
      await until("my lab after the reload", async () => (await records(page).count()) === 2);
      assert.match(await text(page.locator("#table")), /mine/);
      assert.equal(await page.locator(".teach-note").count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("after dismissing a bad link's message, Close lesson still closes the lesson", async () => {
    const { context, page, problems } = await openApp("#s=garbage");
    try {
      await until("the message", async () => /could not be opened/.test(await text(page.locator(".teach-bad"))));
      await button(page, "Dismiss").click();
      await page.getByRole("navigation").getByRole("link", { name: "Lessons" }).click();
      await page.locator("section.teach").getByRole("link", { name: "What a stream is" }).click();
      await until("step 1", async () => /Step 1 of/.test(await text(page.locator("section.teach"))));
      await button(page, "Close lesson").click();
      await until("closed", async () => (await page.locator("section.teach").count()) === 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  /** Opens the `#s=` link `packed` over a lab with one write of the learner's: the link is
   *  refused with a message matching every pattern of `says`, and the learner's lab is the one
   *  they had (nothing of the link's), and still works. */
  async function refusedLinkLeavesTheLab(packed, says) {
    const { context, page, problems } = await openApp();
    try {
      await put(page, '{"voter": {"S": "mine"}}');
      await until("my record", async () => (await records(page).count()) === 1);
      await page.goto(`${url}#s=${packed}`);
      await until("the message", async () => /could not be opened/.test(await text(page.locator(".teach-bad"))), 20000);
      const message = await text(page.locator(".teach-bad"));
      for (const pattern of says) assert.match(message, pattern);
      assert.match(await text(page.locator("#table")), /mine/);
      assert.doesNotMatch(await text(page.locator("#table")), /from-link|Big/);
      await put(page, '{"voter": {"S": "after"}}');
      await until("two records", async () => (await records(page).count()) === 2);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }

  test("a link that would write more data than the page can hold says so, names the memory budget, and leaves the lab", async () => {
    // A 320 KB item (a list doubled five times) updated 11,000 times: 3.6 GB of item data, more
    // than the page's WebAssembly memory (4 GB at most) can keep, from a link of a few KB.
    const update = { UpdateItem: { TableName: "Big", Key: { pk: { S: "a" } }, UpdateExpression: "SET n = n + :one",
      ExpressionAttributeValues: { ":one": { N: "1" } } } };
    const big = JSON.stringify({ steps: [
      { CreateTable: { TableName: "Big", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } } },
      { PutItem: { TableName: "Big", Item: { pk: { S: "a" }, n: { N: "0" }, l: { L: Array(100).fill({ S: "x".repeat(100) }) } } } },
      ...Array(5).fill({ UpdateItem: { TableName: "Big", Key: { pk: { S: "a" } }, UpdateExpression: "SET l = list_append(l, l)" } }),
      ...Array(11000).fill(update),
    ] });
    const packed = (await import("node:zlib")).deflateRawSync(Buffer.from(big)).toString("base64url");
    assert.ok(packed.length < 10000, `a short link: ${packed.length} characters`);
    await refusedLinkLeavesTheLab(packed, [
      /writes more item data than the page keeps \(32 MB of items/,
      /the simulator's limit, so that the tab never runs out of memory, not AWS's/,
      /stopped at step \d+ of 11007; nothing was changed/,
    ]);
  });

  test("a link that would take too much work says so, names the simulator's limit, and leaves the learner's lab", async () => {
    // 64 shards rolling over hourly for a year with a mapping: past the page's work budget.
    const heavy = JSON.stringify(shardHeavyScenario(366 * 86400, "from-link"));
    const packed = (await import("node:zlib")).deflateRawSync(Buffer.from(heavy)).toString("base64url");
    await refusedLinkLeavesTheLab(packed, [
      /more work than the page does at once/,
      /the simulator's limit/,
      /stopped at step 5 of 5; nothing was changed/,
    ]);
  });

  test("Step back clears the notes of the undone write, view type switch and deploy", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, "on INSERT\n  count votes");
      await put(page, '{"voter": {"S": "ana"}}');
      await until("the write note", async () => /PutItem succeeded/.test(await text(page.locator("#item-status"))));
      await button(page, "Step back").click();
      await until("the item gone", async () => (await records(page).count()) === 0);
      assert.equal(await text(page.locator("#item-status")), "", "no \"PutItem succeeded\" over an empty table");
      assert.doesNotMatch(await text(page.locator("#triggers")), /Deployed/);
      await page.getByLabel("Stream view type").selectOption("KEYS_ONLY");
      await until("the view note", async () => /new KEYS_ONLY stream/.test(await text(page.locator("#stream"))));
      const steps = await text(page.locator(".steps"));
      await button(page, "Step back").click();
      await until("undone", async () => (await text(page.locator(".steps"))) !== steps);
      assert.doesNotMatch(await text(page.locator("#stream")), /new KEYS_ONLY stream enabled/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("quiz: a question that quotes a rule shows it on its own lines, not run into the sentence after it", async () => {
    const { context, page, problems } = await openApp("#quiz=rules&seed=2");
    try {
      await button(page, "Start practice").click();
      const prompt = page.locator("section.teach legend.prompt").first();
      await until("question 1", async () => /Rule:/.test(await text(prompt)));
      const shown = await prompt.innerText();
      assert.match(shown, /Rule:\n\s*on INSERT, MODIFY, REMOVE\n\s*count votes by choice\n\w+ votes tea/, shown);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("record dialog: Copy says so in the dialog; without a Clipboard API (an http:// host) it says what to do, with no page error", async () => {
    for (const clipboard of [true, false]) {
      const { context, page, problems } = await openApp("", { permissions: ["clipboard-read", "clipboard-write"] });
      try {
        if (!clipboard) {
          // As on an insecure origin: navigator.clipboard is undefined.
          await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }));
          await page.reload();
          await button(page, "Put item").waitFor();
        }
        await put(page, '{"voter": {"S": "ana"}}');
        await until("one record", async () => (await records(page).count()) === 1);
        await records(page).first().getByRole("button").click();
        const dialog = page.getByRole("dialog");
        await dialog.waitFor();
        await button(page, "Copy record JSON").click();
        const expected = clipboard ? /Copied to the clipboard\./ : /did not let the page copy: select the JSON below/;
        await until("the note in the dialog", async () => expected.test(await text(dialog.getByRole("status"))));
        await button(page, "Close").click();
        await records(page).first().getByRole("button").click();
        await dialog.waitFor();
        assert.equal(await text(dialog.getByRole("status")), "", "a reopened dialog starts without the note");
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });
});
