// End-to-end tests of the teaching views (src/web/teach/): guided lessons, quizzes, share
// links, crafted links, embed mode, axe-core and screenshots. Release build in dist/, Debian's
// Chromium through playwright-core. Run by `make test`; by hand: `node --test tests/e2e/`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { ARTIFACTS, ROOT, button, openPage, records, start, stop, submitExam, text, until } from "./harness.mjs";

// E2E_DIST: test another build than dist/ (by hand, e.g. while `trunk serve` rewrites dist/).
const DIST = process.env.E2E_DIST || ROOT + "dist";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(DIST)));

after(() => stop({ server, browser }));

/** A fresh browser context on `path` (relative to the site) with the wasm started. */
const open = (path = "", options = {}) => openPage(browser, url + path, options);


const teach = (page) => page.locator("section.teach");

async function put(page, item) {
  await page.getByRole("textbox", { name: "Item" }).fill(item);
  await button(page, "Put item").click();
}

/** axe-core on the teaching views (the header links, the teaching panel, link messages); the
 *  lab panels below have their own axe test in app.test.mjs. */
async function axe(page, state) {
  const require = createRequire(import.meta.url);
  const source = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: source });
  const result = await page.evaluate(() => window.axe.run(
    { include: [".teach-nav", "section.teach", ".teach-note"].filter((s) => document.querySelector(s)) },
    { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [], `axe violations ${state}`);
}

async function noHorizontalScroll(page, what) {
  const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(sw <= cw, `${what}: horizontal scroll (${sw} > ${cw})`);
}

describe("teaching views (release build)", () => {
  test("lessons: the header menu, Step N of M, Back and Next, predict then reveal, the playground", async () => {
    const { context, page, problems } = await open();
    try {
      await page.getByRole("navigation").getByRole("link", { name: "Lessons" }).click();
      await page.getByRole("heading", { name: "Lessons", level: 2 }).waitFor();
      const links = teach(page).getByRole("link");
      const listed = JSON.parse(await readFile(ROOT + "www/lessons/index.json", "utf8")).lessons.length;
      assert.ok(listed >= 12);
      await until(`${listed} lessons listed`, async () => (await links.count()) === listed);
      await teach(page).getByRole("link", { name: "What a stream is" }).click();
      assert.match(page.url(), /#lesson=streams-basics(&step=1)?$/);
      await page.getByRole("heading", { name: "What a stream is", level: 2 }).waitFor();
      await until("step 1", async () => /Step 1 of 5/.test(await text(teach(page))));
      assert.equal(await button(page, "Back").count(), 0);
      assert.match(await text(teach(page)), /Watch for/);

      // Step 2 asks a question with the state before it; Next waits for the reveal.
      await button(page, "Next").click();
      await until("step 2", async () => /Step 2 of 5/.test(await text(teach(page))));
      assert.equal(await page.evaluate(() => document.activeElement.textContent), "Turn the stream on", "focus on the step title");
      assert.ok(await button(page, "Next").isDisabled(), "Next waits for the answer");
      assert.ok(await button(page, "Reveal").isDisabled(), "Reveal waits for a choice");
      await page.getByRole("radio", { name: "Yes, as an INSERT" }).check();
      await button(page, "Reveal").click();
      await until("the verdict", async () => /Not quite\./.test(await text(teach(page))));
      assert.match(await text(teach(page)), /✓ the answer/);
      assert.match(await text(teach(page)), /✗ your choice/);
      assert.match(await text(teach(page)), /earlier writes are not replayed/);
      assert.ok(await button(page, "Next").isEnabled());

      // Step 3: one INSERT record in the lab's stream panel.
      await button(page, "Next").click();
      await until("step 3 and its INSERT", async () =>
        /Step 3 of 5/.test(await text(teach(page))) && (await records(page).count()) === 1);
      assert.match(await text(records(page).first()), /INSERT/);

      // Back to step 2: its question is asked again, the lab shows the state before it.
      await button(page, "Back").click();
      await until("back at step 2", async () => /Step 2 of 5/.test(await text(teach(page))) && (await records(page).count()) === 0);
      await page.getByRole("radio", { name: /No: a stream only records/ }).check();
      await button(page, "Reveal").click();
      await until("right", async () => /Right\./.test(await text(teach(page))));
      await button(page, "Next").click();
      await until("step 3 again", async () => /Step 3 of 5/.test(await text(teach(page))));
      await button(page, "Next").click();
      await until("step 4", async () => /Step 4 of 5/.test(await text(teach(page))));
      await page.getByRole("radio", { name: "3", exact: true }).check();
      await button(page, "Reveal").click();
      await until("three records", async () => (await records(page).count()) === 3);
      await button(page, "Next").click();
      await page.getByRole("radio", { name: "Nothing" }).check();
      await button(page, "Reveal").click();
      await button(page, "Next: playground").click();
      await page.getByRole("heading", { name: "Playground", level: 3 }).waitFor();
      assert.match(await text(teach(page)), /Ideas to try/);
      // The playground holds the lesson's whole scenario, and the lab is the learner's.
      await until("three records in the playground", async () => (await records(page).count()) === 3);
      await put(page, '{"id": {"S": "order-9"}}');
      await until("a fourth record", async () => (await records(page).count()) === 4);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("lessons are operable by keyboard", async () => {
    const { context, page } = await open("#lesson=triggers");
    // Where Tab went, for the failure message: the key presses must lead to step 3 by themselves.
    const path = [];
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return { kind: e.type || e.tagName, label: e.textContent.trim().slice(0, 30), enabled: !e.disabled };
    });
    try {
      await until("step 1", async () => /Step 1 of/.test(await text(teach(page))));
      await button(page, "Next").focus();
      await page.keyboard.press("Enter");
      await until("step 2", async () => /Step 2 of/.test(await text(teach(page))));
      await until("focus on the step title", async () => (await focused()).kind === "H3");
      // Focus went to the step title; Tab reaches the question's radios, Reveal, then Next. Each
      // key's effect is waited for before the next key (a busy machine may draw late).
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press("Tab");
        const now = await focused();
        path.push(`${now.kind}:${now.label}`);
        if (now.kind === "radio") {
          await page.keyboard.press("Space");
          await until(`Reveal enabled after Space (${path.join(" | ")})`, async () => button(page, "Reveal").isEnabled());
        } else if (now.label === "Reveal") {
          await page.keyboard.press("Enter");
          await until(`the verdict after Reveal (${path.join(" | ")})`, async () => /Right\.|Not quite\./.test(await text(teach(page))));
        } else if (now.label === "Next") {
          await page.keyboard.press("Enter");
          break;
        }
      }
      await until(`step 3 (Tab went: ${path.join(" | ")})`, async () => /Step 3 of/.test(await text(teach(page))));
    } finally {
      await context.close();
    }
  });

  test("quiz, practice: feedback after each answer; the seed stays after a reload", async () => {
    const { context, page, problems } = await open();
    try {
      await page.getByRole("navigation").getByRole("link", { name: "Quizzes" }).click();
      await teach(page).getByRole("link", { name: "Streams and triggers: the basics" }).click();
      await button(page, "Start practice").waitFor();
      const seed = await text(page.locator(".seed-value"));
      assert.match(seed, /^\d+$/);
      await page.reload();
      await button(page, "Start practice").waitFor();
      assert.equal(await text(page.locator(".seed-value")), seed, "a reload keeps the learner's seed");

      await button(page, "Start practice").click();
      await until("question 1", async () => /Question 1 of 8/.test(await text(teach(page))));
      assert.ok(await button(page, "Check answer").isDisabled());
      await teach(page).getByRole("radio").first().check();
      await button(page, "Check answer").click();
      await until("feedback", async () => /Right\.|Not quite\./.test(await text(teach(page))));
      assert.match(await text(teach(page)), /✓/, "the right option is marked");
      assert.equal(await button(page, "Check answer").count(), 0, "a practice answer is final");
      await button(page, "Next question").click();
      await until("question 2", async () => /Question 2 of 8/.test(await text(teach(page))));
      assert.doesNotMatch(await text(teach(page)), /Right\.|Not quite\./);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("quiz, exam: answer all, see the score, copy the summary (seed from the link)", async () => {
    const { context, page, problems } = await open("#quiz=basics&seed=5");
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
    try {
      await button(page, "Start exam").click();
      assert.match(await text(teach(page)), /seed 5/);
      for (let i = 1; i <= 8; i++) {
        await until(`question ${i}`, async () => new RegExp(`Question ${i} of 8`).test(await text(teach(page))));
        assert.doesNotMatch(await text(teach(page)), /Right\.|Not quite\./, "no feedback during an exam");
        await teach(page).getByRole("radio").first().check();
        await button(page, "Save answer").click();
        await until("saved", async () => /Answer saved/.test(await text(teach(page))));
        if (i < 8) await button(page, "Next question").click();
      }
      await button(page, "Finish exam (8 of 8 answered)").click();
      // Every question answered: the submit step says so and submits in one click.
      await page.getByRole("heading", { name: "Submit your exam" }).waitFor();
      assert.match(await text(teach(page)), /All 8 questions are answered\./);
      assert.equal(await teach(page).getByRole("list", { name: "Questions not answered" }).count(), 0);
      await button(page, "Submit exam").click();
      await page.getByRole("heading", { name: "Your results" }).waitFor();
      const score = await text(page.locator(".score"));
      assert.match(score, /^Score: \d of 8 \(\d+%\), 8 answered · exam mode · seed 5$/);
      await button(page, "Copy summary").click();
      await until("copied", async () => /copied|selected/.test(await text(teach(page))));
      const summary = await page.getByRole("textbox", { name: "Summary for your instructor" }).inputValue();
      assert.match(summary, /StreamLab quiz "Streams and triggers: the basics" \(bank basics\), exam mode, seed 5/);
      if (/copied/.test(await text(teach(page)))) {
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), summary);
      }
      // Every question is explained at the end.
      assert.equal(await page.locator(".results-list > li").count(), 8);
      assert.ok((await page.locator(".results-list .verdict").count()) === 8);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a shared link restores the lab in a fresh browser context", async () => {
    const first = await open();
    let link;
    try {
      await first.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
      await put(first.page, '{"voter": {"S": "ana"}, "choice": {"S": "shared-tea"}}');
      await put(first.page, '{"voter": {"S": "ben"}, "choice": {"S": "shared-coffee"}}');
      await until("two records", async () => (await records(first.page).count()) === 2);
      await button(first.page, "Share link").click();
      await until("copied", async () => /copied|selected/.test(await text(first.page.locator(".share-note"))));
      link = first.page.url();
      assert.match(link, /#s=[A-Za-z0-9_-]+$/);
      assert.equal(await first.page.getByRole("textbox", { name: "Link to this lab" }).inputValue(), link);
      assert.equal(await records(first.page).count(), 2, "sharing changes nothing");
      // The browser packed it (CompressionStream): plain raw DEFLATE, which another
      // implementation (Node's zlib) unpacks to the lab's scenario.
      const data = Buffer.from(link.split("#s=")[1].replace(/-/g, "+").replace(/_/g, "/"), "base64");
      const scenario = JSON.parse(inflateRawSync(data).toString("utf8"));
      assert.equal(scenario.steps.filter((s) => "PutItem" in s).length, 2, JSON.stringify(scenario));
    } finally {
      await first.context.close();
    }
    const second = await open(link.slice(url.length));
    try {
      await until("the shared records", async () => (await records(second.page).count()) === 2);
      assert.match(await text(records(second.page).nth(0)), /INSERT\{"voter":\{"S":"ana"\}\}/);
      assert.match(await text(records(second.page).nth(1)), /INSERT\{"voter":\{"S":"ben"\}\}/);
      // The item's other attributes came through too (the record dialog shows the new image).
      await records(second.page).nth(1).getByRole("button").first().click();
      await until("the record dialog", async () => /shared-coffee/.test(await text(second.page.getByRole("dialog"))));
      await second.page.keyboard.press("Escape");
      assert.match(await text(second.page.getByRole("status").filter({ hasText: "shared link" }).first()), /shared link/);
      await put(second.page, '{"voter": {"S": "cy"}}');
      await until("the lab works on", async () => (await records(second.page).count()) === 3);
      assert.deepEqual(second.problems, []);
    } finally {
      await second.context.close();
    }
  });

  test("a browser without raw DEFLATE streams says it cannot open or make a lab link; the lab works", async () => {
    const link = (await readFile(fileURLToPath(new URL("../fixtures/lifecycle.link", import.meta.url)), "utf8")).trim();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    try {
      await context.addInitScript(() => { delete window.CompressionStream; delete window.DecompressionStream; });
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${url}#${link}`);
      const alert = page.locator(".teach-bad");
      await alert.waitFor();
      assert.match(await text(alert), /This link could not be opened: this browser cannot unpack or pack lab links/);
      await put(page, '{"voter": {"S": "ana"}}');
      await until("the lab works", async () => (await records(page).count()) === 1);
      await button(page, "Share link").click();
      await until("the share note", async () => /cannot unpack or pack/.test(await text(page.locator(".share-note"))));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test("crafted links show a message as text, run no script, and leave the lab working", async () => {
    const crafted = [
      ["#lesson=<img src=x onerror=alert(1)>", /a lesson name in a link must be/],
      ["#quiz=../../secret", /a quiz name in a link must be/],
      ["#s=<script>alert(1)</script>", /damaged/],
      ["#s=AAAAjunk", /damaged/],
      ["#quiz=basics&seed=<b>1</b>", /seed/],
      ["#javascript:alert(1)", /not one of/],
    ];
    for (const [hash, message] of crafted) {
      const { context, page, problems } = await open(hash);
      try {
        const alert = page.locator(".teach-bad");
        await alert.waitFor();
        const shown = await text(alert);
        assert.match(shown, /This link could not be opened/);
        assert.match(shown, message, hash);
        assert.equal(await page.locator("img[src=x], main script, .teach-bad *:not(p):not(strong):not(button)").count(), 0, `${hash}: markup stays text`);
        await put(page, '{"voter": {"S": "ana"}}');
        await until(`${hash}: the lab works`, async () => (await records(page).count()) === 1);
        await button(page, "Dismiss").click();
        assert.equal(await page.locator(".teach-bad").count(), 0);
        assert.deepEqual(problems, [], hash);
      } finally {
        await context.close();
      }
    }
    // A well-formed name of a lesson that does not exist.
    const { context, page } = await open("#lesson=no-such-lesson");
    try {
      await until("the message", async () => /does not exist/.test(await text(teach(page))));
      await put(page, '{"voter": {"S": "ana"}}');
      await until("the lab works", async () => (await records(page).count()) === 1);
    } finally {
      await context.close();
    }
  });

  test("in-page anchors (the clock bar's section links) are not taken for links", async () => {
    const { context, page, problems } = await open("#lesson=triggers");
    try {
      await until("step 1", async () => /Step 1 of/.test(await text(teach(page))));
      await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Stream" }).click();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await page.locator(".teach-bad").count(), 0);
      assert.match(await text(teach(page)), /Step 1 of/, "the lesson stays open");
      const fresh = await context.newPage();
      await fresh.goto(url + "#table");
      await fresh.getByRole("button", { name: "Put item" }).waitFor();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(await fresh.locator(".teach-bad").count(), 0, "a page opened at #table shows no link error");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("embed mode: no header, no horizontal scroll from 390 to 800 px", async () => {
    for (const width of [390, 600, 800]) {
      for (const path of ["?embed=1#lesson=view-types", "#quiz=records&embed=1"]) {
        const { context, page, problems } = await open(path, { viewport: { width, height: 800 } });
        try {
          await until("the teaching view", async () => (await teach(page).count()) === 1);
          await until("loaded", async () => !/Loading/.test(await text(teach(page))));
          if (path.includes("quiz")) {
            await button(page, "Start practice").click();
            await teach(page).getByRole("radio").first().check();
            await button(page, "Check answer").click();
          }
          assert.ok(!(await page.locator(".masthead").isVisible()), "the header is hidden");
          await noHorizontalScroll(page, `${path} at ${width}px`);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      }
    }
  });

  test("axe-core: no serious or critical violations in the lesson and quiz views", async () => {
    const { context, page } = await open("#lessons", { bypassCSP: true, reducedMotion: "reduce" });
    try {
      await until("the lesson list", async () => (await teach(page).getByRole("link").count()) > 0);
      await axe(page, "lesson list");
      await page.goto(url + "#lesson=view-types");
      await until("step 1", async () => /Step 1 of/.test(await text(teach(page))));
      await axe(page, "lesson step");
      for (let i = 0; i < 8 && (await teach(page).locator("fieldset.predict").count()) === 0; i++) {
        await button(page, "Next").click();
      }
      await axe(page, "lesson question open");
      await teach(page).getByRole("radio").first().check();
      await button(page, "Reveal").click();
      await axe(page, "lesson question revealed");
      await page.goto(url + "#quiz=filters&seed=3");
      await button(page, "Start practice").click();
      await axe(page, "quiz question (checkboxes)");
      await button(page, "Check answer").click();
      await axe(page, "quiz feedback");
      await button(page, "See my score").or(button(page, "Next question")).first().waitFor();
      await page.goto(url + "#quiz=records&seed=3");
      await button(page, "Start exam").click();
      await button(page, /^Finish exam/).click();
      await page.getByRole("heading", { name: "Submit your exam" }).waitFor();
      await axe(page, "exam submit step");
      await button(page, /^Submit with \d+ unanswered$/).click();
      await page.getByRole("heading", { name: "Your results" }).waitFor();
      await axe(page, "exam results");
      await page.goto(url + "#quiz=flow-in-practice&seed=3");
      await button(page, "Print a paper exam").click();
      await page.locator(".print-doc.paper").waitFor();
      await axe(page, "paper exam");
    } finally {
      await context.close();
    }
  });

  for (const [width, height] of [[1366, 768], [390, 844]]) {
    test(`screenshots of the lesson and quiz views at ${width}x${height}`, async () => {
      const { context, page } = await open("#lesson=vote-counts", { viewport: { width, height } });
      try {
        await until("step 1", async () => /Step 1 of/.test(await text(teach(page))));
        await button(page, "Next").click();
        await until("step 2", async () => /Step 2 of/.test(await text(teach(page))));
        const radios = teach(page).getByRole("radio");
        if (await radios.count()) { await radios.first().check(); await button(page, "Reveal").click(); }
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${ARTIFACTS}lesson-${width}x${height}.png` });
        await noHorizontalScroll(page, `lesson at ${width}`);

        await page.goto(url + "#quiz=records&seed=11");
        await button(page, "Start practice").click();
        await teach(page).getByRole("radio").first().check();
        await button(page, "Check answer").click();
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${ARTIFACTS}quiz-${width}x${height}.png` });
        await noHorizontalScroll(page, `quiz at ${width}`);

        await page.goto(url + "#quiz=basics&seed=11");
        await button(page, "Start exam").click();
        await submitExam(page);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: `${ARTIFACTS}quiz-results-${width}x${height}.png` });
        await noHorizontalScroll(page, `quiz results at ${width}`);
      } finally {
        await context.close();
      }
    });
  }
});
