// End-to-end tests of the learner's journey (issue 21): each test pins a moment that lost a
// learner's work or misled them (release build in dist/, Debian's Chromium via playwright-core).
// Run by `make test`; by hand: `node --test --test-concurrency=1 tests/e2e/learner.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { ROOT, advance, button, deploy, openPage, put, records, start, stop, text, until } from "./harness.mjs";
import { serve } from "./server.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(DIST)));

after(() => stop({ server, browser }));

const openApp = (path = "", options = {}) => openPage(browser, url + path, options);

/** A scenario whose steps 2 and 4 fail (a missing key, a table that does not exist). */
const partlyFailing = JSON.stringify({ steps: [
  { CreateTable: { TableName: "Orders", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" } } },
  { PutItem: { TableName: "Orders", Item: { other: { S: "no key" } } } },
  { PutItem: { TableName: "Orders", Item: { id: { S: "o-1" } } } },
  { DeleteItem: { TableName: "Nope", Key: { id: { S: "o-1" } } } },
] });

describe("the learner's journey (release build)", () => {
  test("an import names each step that failed, with its error", async () => {
    const { context, page, problems } = await openApp();
    try {
      await page.getByLabel("Scenario JSON").fill(partlyFailing);
      await button(page, "Import pasted scenario").click();
      const files = page.locator("#files");
      await until("the import note", async () => /Imported/.test(await text(files)));
      const note = await text(files);
      assert.match(note, /2 steps replayed; 2 steps failed and changed nothing: step 2 \(PutItem\): ValidationException: [^;]*key[^;]*; step 4 \(DeleteItem\): ResourceNotFoundException/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a shared link says which of its steps failed", async () => {
    const { context, page, problems } = await openApp();
    try {
      const packed = deflateRawSync(Buffer.from(partlyFailing)).toString("base64url");
      await page.goto(`${url}#s=${packed}`);
      const note = page.locator(".teach-note");
      await until("the link's note", async () => /opened from a shared link/.test(await text(note)));
      assert.match(await text(note), /Not all of the link replayed: 2 steps failed and changed nothing: step 2 \(PutItem\): ValidationException/);
      assert.match(await text(page.locator("#table")), /o-1/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("the lab follows the lesson's table (release build)", () => {
  test("on a lesson's Orders table (key id) the item editor puts an Orders item, and the generator writes items", async () => {
    const { context, page, problems } = await openApp("#lesson=streams-basics");
    try {
      await until("the lesson's table", async () => /Orders/.test(await text(page.locator("#table"))), 15000);
      assert.match(await page.getByRole("textbox", { name: "Item" }).inputValue(), /"id"/);
      await button(page, "Put item").click();
      await until("the put", async () => /PutItem succeeded/.test(await text(page.locator("#item-status"))));
      assert.doesNotMatch(await text(page.locator("#table")), /Missing the key/);
      await button(page, "Update item").click();
      await until("the update", async () => /UpdateItem succeeded/.test(await text(page.locator("#item-status"))));
      assert.equal(await button(page, "Write 1,000 votes").count(), 0);
      await button(page, "Write 1,000 items").click();
      await until("the generated items", async () => /Wrote 1,000 generated items/.test(await text(page.locator("#item-status"))), 30000);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("long jobs on a slow device (release build, CPU slowed)", () => {
  test("a 150 KB paste into the rule editor goes where the selection was, and is checked once typing pauses", async () => {
    const { context, page, problems } = await openApp();
    try {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
      const rules = page.getByRole("textbox", { name: "Trigger rules" });
      await rules.fill("-- before\nXX\n-- after");
      // Select "XX" and paste over it.
      await rules.evaluate((t) => { const i = t.value.indexOf("XX"); t.setSelectionRange(i, i + 2); t.focus(); });
      const block = 'on INSERT when new.choice = "tea"\n  count votes by choice\n';
      const big = block.repeat(Math.ceil(150000 / block.length));
      await page.evaluate((big) => navigator.clipboard.writeText(big), big);
      await page.keyboard.press("Control+V");
      await until("the pasted text", async () => (await rules.inputValue()).length === big.length + "-- before\n\n-- after".length);
      assert.equal(await rules.inputValue(), `-- before\n${big}\n-- after`);
      // The caret is after the pasted text: typing goes there.
      await page.keyboard.type("-- typed");
      assert.ok((await rules.inputValue()).endsWith(`${block}-- typed\n-- after`));
      await until("the check", async () => /No problems/.test(await text(page.locator("#rules-check"))), 15000);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a 10,000-write burst shows its progress and can be cancelled; what it wrote stays", async () => {
    const { context, page, problems } = await openApp();
    try {
      const cdp = await context.newCDPSession(page);
      // Slower than a school Chromebook (4x), so that the burst is still running when Cancel
      // is pressed even on a busy machine; the 4x figures are the page benchmark's.
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 12 });
      await button(page, "Write 10,000 votes").click();
      const progress = page.locator(".timebar .progress-line");
      await until("the progress line", async () => /Writing votes: [\d,]+ of 10,000/.test(await text(progress)));
      await progress.getByRole("button", { name: "Cancel" }).click();
      const status = page.locator("#item-status");
      await until("the cancelled note", async () => /Cancelled: wrote [\d,]+ of 10,000 generated votes/.test(await text(status)));
      const wrote = Number(/wrote ([\d,]+) of/.exec(await text(status))[1].replace(/,/g, ""));
      assert.ok(wrote > 0 && wrote < 10000, `${wrote} written before the cancel`);
      assert.equal(await progress.count(), 0, "no progress line after the cancel");
      await until("the records of the writes done", async () => (await text(page.locator(".records-block .count"))) === `${wrote.toLocaleString("en-US")} records`);
      assert.equal(await button(page, "Write 10,000 votes").isEnabled(), true);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("layout: the lesson beside its panels, a play bar that stays on a phone (release build)", () => {
  test("1366x768: the lesson's step and the panel it points at are on the first screen together", async () => {
    const { context, page, problems } = await openApp("#lesson=view-types&step=2");
    try {
      await until("the lesson", async () => /Step 2 of/.test(await text(page.locator(".lesson"))));
      const box = async (sel) => page.locator(sel).first().boundingBox();
      const lesson = await box(".lesson .step-title");
      const stream = await box("#stream");
      const table = await box("#table");
      assert.ok(lesson.y + lesson.height < 768, "the step's title is on the first screen");
      assert.ok(stream.y < 768 * 0.6 && table.y < 768 * 0.6, `the panels start on the first screen (stream at ${stream.y}, table at ${table.y})`);
      assert.ok(lesson.x + lesson.width <= table.x, "the lesson stands beside the lab, not above it");
      // The lesson stays in view while the lab scrolls.
      await page.mouse.wheel(0, 1500);
      await page.waitForTimeout(200);
      const after = await box(".lesson .step-title");
      assert.ok(after.y >= 0 && after.y < 768, `the lesson's step stays in view (${after.y})`);
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `no sideways scroll (${sw} > ${cw})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("390x844: the play bar is compact, stays at the top while scrolling, and More shows the rest", async () => {
    const { context, page, problems } = await openApp("", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const bar = page.locator("section.timebar");
      const before = await bar.boundingBox();
      assert.ok(before.height <= 100, `the bar is ${before.height} px tall`);
      await page.evaluate(() => window.scrollTo(0, 1500));
      await page.waitForTimeout(200);
      const scrolled = await bar.boundingBox();
      assert.ok(Math.abs(scrolled.y) < 1, `the bar stays at the top (${scrolled.y})`);
      assert.ok(await button(page, "Step").isVisible());
      assert.equal(await button(page, "Advance clock").isVisible(), false);
      await button(page, "More").click();
      assert.ok(await button(page, "Advance clock").isVisible());
      await button(page, "+1 min").click();
      await until("the clock moved", async () => /00:01:00Z/.test(await text(page.locator(".clock-time"))));
      await button(page, "Less").click();
      assert.equal(await button(page, "Advance clock").isVisible(), false);
      // The form editor's Type select shows its value whole.
      await button(page, "Form").click();
      const select = page.locator(".attr-rows select").first();
      const [client, scroll] = await select.evaluate((s) => [s.clientWidth, s.scrollWidth]);
      assert.ok(client >= 70 && scroll <= client, `Type select ${client} px wide`);
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `no sideways scroll (${sw} > ${cw})`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("a first visit (release build)", () => {
  test("a first-time visitor sees Start here on the first screen; the menu shows level, duration and what was completed", async () => {
    const { context, page, problems } = await openApp();
    try {
      const start = page.getByRole("link", { name: /^Start here: / });
      await until("Start here", async () => (await start.count()) === 1);
      const box = await start.boundingBox();
      assert.ok(box.y + box.height < 768, "on the first screen");
      const index = JSON.parse(await (await fetch(`${url}lessons/index.json`)).text()).lessons;
      assert.equal(await start.textContent(), `Start here: ${index[0].title}`);
      await start.click();
      await until("the first lesson", async () => /Step 1 of/.test(await text(page.locator(".lesson"))));
      assert.match(page.url(), new RegExp(`#lesson=${index[0].id}&step=1$`));
      // Finish it (the playground), then the menu says so and Start here is gone.
      await page.goto(`${url}#lesson=${index[0].id}&step=99`);
      await page.reload();
      await until("the playground", async () => /Playground/.test(await text(page.locator(".lesson"))));
      await page.goto(`${url}#lessons`);
      const first = page.locator(".teach-menu li").first();
      await until("the menu", async () => /completed/.test(await text(first)));
      assert.match(await text(first), new RegExp(`${index[0].title} · ${index[0].level}, ${index[0].duration} min · ✓ completed`));
      assert.doesNotMatch(await text(page.locator(".teach-menu li").nth(1)), /completed/);
      await page.goto(url);
      await page.reload();
      await button(page, "Put item").waitFor();
      await page.waitForTimeout(500);
      assert.equal(await start.count(), 0, "Start here is not shown once a lesson was finished");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("cosmetics (release build)", () => {
  test("a record's dialog gives ApproximateCreationDateTime in one form, in its JSON and in every view type's card", async () => {
    const { context, page, problems } = await openApp();
    try {
      await put(page, '{"voter": {"S": "ana"}}');
      await until("one record", async () => (await records(page).count()) === 1);
      await records(page).first().getByRole("button").click();
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      const forms = (await text(dialog)).match(/"ApproximateCreationDateTime": [^,\n]+/g);
      assert.equal(forms.length, 5, "the record's JSON and the four cards");
      assert.deepEqual(new Set(forms), new Set(['"ApproximateCreationDateTime": 1767225600']), forms.join(" | "));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a rule's syntax error keeps its caret under the character, in the live check and in Deploy's error, even on a phone", async () => {
    const { context, page, problems } = await openApp("", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      // The error is at the end of a long line: wrapped, the caret would land elsewhere.
      const rules = 'on INSERT when new.choice = "a rather long value to push the error far to the right" and\n  count votes by choice';
      await page.getByRole("textbox", { name: "Trigger rules" }).fill(rules);
      await button(page, "Deploy").click();
      const sources = page.locator("#triggers .diagnostic-source");
      await until("the live check and the Deploy error", async () => (await sources.count()) === 2);
      for (let i = 0; i < 2; i++) {
        const at = await sources.nth(i).evaluate((pre) => {
          const [line, caret] = pre.textContent.split("\n");
          const col = caret.indexOf("^");
          const node = pre.firstChild;
          const box = (offset) => { const r = document.createRange(); r.setStart(node, offset); r.setEnd(node, offset + 1); return r.getBoundingClientRect(); };
          return { source: box(col), caret: box(line.length + 1 + col), nowrap: getComputedStyle(pre).whiteSpace };
        });
        assert.equal(at.nowrap, "pre");
        assert.ok(Math.abs(at.source.left - at.caret.left) < 1, `caret at ${at.caret.left}, character at ${at.source.left}`);
        assert.ok(at.caret.top > at.source.top, "the caret is on the line below");
      }
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `the page does not scroll sideways (${sw} > ${cw}); the quote scrolls inside itself`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("the invocation timeline and the notifications say the day, not only the time", async () => {
    const { context, page, problems } = await openApp();
    try {
      await deploy(page, 'on INSERT\n  notify "#votes" "{keys.voter} voted"');
      await advance(page, 90000);
      await until("a day later", async () => /2026-01-02T01:00:00Z/.test(await text(page.locator(".clock-time"))), 20000);
      await put(page, '{"voter": {"S": "late"}}');
      await advance(page, 60);
      await until("the notification", async () => /late voted/.test(await text(page.locator("#results"))));
      assert.match(await text(page.locator("#results")), /2026-01-02 01:00:\d\d\.\d{3}/);
      assert.match(await text(page.locator("#triggers")), /2026-01-02 01:00:\d\d\.\d{3}/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("empty states tell the truth (release build)", () => {
  test("after 24 hours the stream says its records were trimmed, not that none were written", async () => {
    const { context, page, problems } = await openApp();
    try {
      await put(page, '{"voter": {"S": "ana"}}');
      await until("one record", async () => (await records(page).count()) === 1);
      await button(page, "+25 h").click();
      const empty = page.locator("#stream .empty");
      await until("the empty list's note", async () => /trimmed/.test(await text(empty)), 20000);
      assert.match(await text(empty), /older than 24 hours/);
      assert.doesNotMatch(await text(empty), /No records yet/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("nothing a learner did is lost (release build)", () => {
  test("the learner's own lab survives two lessons and a reload, and comes back with Back to my lab", async () => {
    const { context, page, problems } = await openApp();
    try {
      await put(page, '{"voter": {"S": "my-own-vote"}}');
      await until("my record", async () => (await records(page).count()) === 1);
      await page.goto(`${url}#lesson=view-types`);
      await until("the lesson", async () => /Step 1 of/.test(await text(page.locator(".lesson"))));
      await button(page, "Next").click();
      await until("step 2", async () => /Step 2 of/.test(await text(page.locator(".lesson"))));
      await page.goto(`${url}#lesson=retries`);
      await until("the second lesson", async () => /Step 1 of/.test(await text(page.locator(".lesson"))));
      await page.reload();
      await until("the second lesson again", async () => /Step 1 of/.test(await text(page.locator(".lesson"))));
      await button(page, "Close lesson").click();
      await button(page, "Back to my lab").click();
      await until("my own lab", async () => /my-own-vote/.test(await text(page.locator("#table"))));
      assert.match(await text(page.locator("#files")), /Back to your own lab\./);
      assert.equal(await records(page).count(), 1);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("the lesson step is in the address bar and survives a reload", async () => {
    const { context, page, problems } = await openApp("#lesson=view-types");
    try {
      const lesson = page.locator(".lesson");
      await until("the lesson", async () => /Step 1 of/.test(await text(lesson)));
      await button(page, "Next").click();
      await until("step 2", async () => /Step 2 of/.test(await text(lesson)));
      assert.match(page.url(), /#lesson=view-types&step=2$/);
      await page.reload();
      await until("step 2 after the reload", async () => /Step 2 of/.test(await text(lesson)));
      // A link to a step opens it; past the last step, the playground.
      await page.goto(`${url}#lesson=view-types&step=99`);
      await page.reload();
      await until("the playground", async () => /Playground \(after step/.test(await text(lesson)));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("a failed start explains itself (release build)", () => {
  const help = (page) => page.locator("#boot .boot-help");

  test("opened from disk: the page says to serve it over HTTP", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(DIST + "/index.html").href);
      await until("the help", async () => help(page).isVisible(), 15000);
      assert.match(await text(help(page)), /StreamLab has not started/);
      assert.match(await text(help(page)), /serve the folder over HTTP/);
    } finally {
      await context.close();
    }
  });

  test("a root build served under a sub-path: the page says how to build for that path", async () => {
    // The repository served whole: dist/index.html is at /dist/, and asks for /boot.js.
    const { server, url: origin } = await serve(ROOT);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${origin}dist/index.html`);
      await until("the help", async () => help(page).isVisible(), 15000);
      assert.match(await text(help(page)), /--public-url/);
    } finally {
      await context.close();
      await new Promise((done) => server.close(done));
    }
  });

  test("a wasm that fails to load: the help shows at once, with the browser's reason", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.route(/\.wasm$/, (route) => route.fulfill({ status: 200, contentType: "application/wasm", body: "not wasm" }));
      const started = Date.now();
      await page.goto(url);
      await until("the help", async () => help(page).isVisible(), 5000);
      assert.ok(Date.now() - started < 5000, "shown at once, not after the 6 s wait");
      assert.match(await text(page.locator("#boot .boot-why")), /The browser said: .+/);
    } finally {
      await context.close();
    }
  });

  test("a good start leaves no start-up message", async () => {
    const { context, page, problems } = await openApp();
    try {
      assert.equal(await page.locator("#boot").count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
