// Handouts (issue 18): a lesson prints as a handout of every step, a quiz bank as a paper exam
// with its answer key on a page of its own, both without the lab around them. Chromium's print
// media is emulated (page.emulateMedia) and what shows is checked against the lesson and bank
// files; page.pdf counts the pages. Release build in dist/. By hand:
// `node --test --test-concurrency=1 tests/e2e/print.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ARTIFACTS, ROOT, button, openPage, start, stop, text, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";
let server, url, browser;
before(async () => ({ server, url, browser } = await start(DIST)));
after(() => stop({ server, browser }));

const open = (path = "", options = {}) => openPage(browser, url + path, options);
const file = (path) => JSON.parse(readFileSync(`${ROOT}www/${path}`, "utf8"));
/** Pages of a PDF made by Chromium (one "/Type /Page" object a page). */
const pages = (pdf) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
/** Counts window.print() calls instead of opening the dialog. */
const stubPrint = (page) => page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
/** What the lab around a handout shows: none of it may print. */
const CHROME = ["header.masthead", ".clock", ".lesson-bar", ".lesson-nav", ".print-offer", "#stream", "#flow", "#results", ".teach-head", ".paper-bar", ".quiz-start"];

async function hiddenInPrint(page) {
  let found = 0;
  for (const sel of CHROME) {
    const loc = page.locator(sel);
    found += await loc.count();
    for (let k = 0; k < (await loc.count()); k++) assert.equal(await loc.nth(k).isVisible(), false, `${sel} does not print`);
  }
  assert.ok(found >= 6, `the page has its header, clock bar and panels (${found} found)`);
}

describe("handouts (release build)", () => {
  test("a lesson prints every step, its questions without their answers, and the answers after a page break", async () => {
    const lesson = file("lessons/view-types.json");
    const { context, page, problems } = await open("#lesson=view-types&step=2");
    try {
      await until("step 2", async () => /Step 2 of/.test(await text(page.locator("section.teach"))));
      const handout = page.locator(".print-doc.handout");
      assert.equal(await handout.isVisible(), false, "on screen the handout is not shown");
      await stubPrint(page);
      await button(page, "Print handout").click();
      assert.equal(await page.evaluate(() => window.printed), 1, "Print handout opens the print dialog");

      await page.emulateMedia({ media: "print" });
      await until("the handout in print", () => handout.isVisible());
      await hiddenInPrint(page);
      // Not cut to the height of the lab's scrolling column: the page grows with the handout,
      // which has the page's width.
      const [bottom, docHeight, width] = await handout.evaluate((e) => [e.getBoundingClientRect().bottom, document.documentElement.scrollHeight, e.getBoundingClientRect().width]);
      assert.ok(bottom <= docHeight + 1 && docHeight > 1500, `the whole handout is on the page (${bottom} > ${docHeight})`);
      assert.ok(width > 1000, `the handout spans the page (${width}px)`);
      const body = await text(handout);
      lesson.steps.forEach((s, i) => {
        assert.ok(body.includes(`Step ${i + 1}: ${s.title}`), `step ${i + 1} is in the handout`);
        assert.ok(body.includes(s.text), `step ${i + 1}'s text`);
      });
      assert.ok(body.includes(lesson.playground.text), "the playground");
      // Each question's answer is in the answers, not beside the question.
      const asked = lesson.steps.map((s, i) => [s, i + 1]).filter(([s]) => s.question);
      assert.ok(asked.length > 0);
      const answers = handout.locator(".paper-key");
      assert.equal(await answers.isVisible(), true);
      assert.equal(await answers.evaluate((e) => getComputedStyle(e).breakBefore), "page");
      for (const [s, n] of asked) {
        const line = `Step ${n}: ${String.fromCharCode(65 + s.question.answer)} (${s.question.options[s.question.answer]})`;
        assert.ok((await text(answers)).includes(line), `${line} in the answers`);
        const step = handout.locator(".handout-step").nth(n - 1);
        assert.ok(!(await text(step)).includes(s.question.explanation), `step ${n} does not give its answer away`);
      }
      for (const src of lesson.sources || []) assert.ok(body.includes(src), `the source ${src} printed as text`);
      await page.screenshot({ path: `${ARTIFACTS}print-lesson-1366x768.png`, fullPage: true });
      const pdf = await page.pdf({ format: "A4" });
      assert.ok(pages(pdf) > 1, `the handout and its answers: ${pages(pdf)} pages`);
      // Back on screen, the lesson is as it was.
      await page.emulateMedia({ media: "screen" });
      assert.equal(await handout.isVisible(), false);
      assert.match(await text(page.locator(".lesson-bar")), /Step 2 of/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a quiz bank prints as the paper exam of a seed, in its own order (not the online exam's), with the key on its own page", async () => {
    const bank = file("quizzes/view-types.json");
    const n = bank.questions.length;
    // The exam a learner takes with seed 7: its prompts, in its order.
    const taken = [];
    {
      const { context, page } = await open("#quiz=view-types&seed=7");
      try {
        await button(page, "Start exam").click();
        for (let i = 1; i <= n; i++) {
          await until(`question ${i}`, async () => new RegExp(`Question ${i} of ${n}(?!\\d)`).test(await text(page.locator("section.teach"))));
          taken.push((await text(page.locator("fieldset.question legend.prompt"))).trim());
          if (i < n) await button(page, "Next question").click();
        }
      } finally {
        await context.close();
      }
    }
    assert.notDeepEqual(taken, bank.questions.map((q) => q.prompt), "the exam has its own order");

    const { context, page, problems } = await open("#quiz=view-types&seed=7");
    try {
      await button(page, "Print a paper exam").click();
      const paper = page.locator(".print-doc.paper");
      await paper.waitFor();
      await until("the focus on the preview's heading", async () => (await page.evaluate(() => document.activeElement?.textContent)) === "Paper exam, seed 7");
      const label = await text(paper.locator(".paper-sheet .paper-meta"));
      assert.match(label, /^Bank view-types · version [0-9a-f]{8} · seed 7$/);
      assert.equal(await text(paper.locator(".paper-key .paper-meta")), label, "the key names the same bank, version and seed");
      await page.screenshot({ path: `${ARTIFACTS}print-exam-preview-1366x768.png` });
      await stubPrint(page);
      await button(page, "Print").click();
      assert.equal(await page.evaluate(() => window.printed), 1);

      await page.emulateMedia({ media: "print" });
      await hiddenInPrint(page);
      assert.equal(await paper.isVisible(), true);
      assert.match(await text(paper.locator(".paper-name")), /^Name or ID:/);
      const prompts = paper.locator(".paper-q .paper-prompt");
      assert.equal(await prompts.count(), n);
      const key = paper.locator(".paper-key");
      assert.equal(await key.evaluate((e) => getComputedStyle(e).breakBefore), "page");
      const keyLines = key.locator(".paper-key-list > li");
      assert.equal(await keyLines.count(), n);
      const onPaper = [];
      for (let i = 0; i < n; i++) {
        const shown = (await text(prompts.nth(i))).trim();
        assert.equal(await prompts.nth(i).isVisible(), true);
        // Four boxes, one per view type; the key's answer is the bank's.
        assert.equal(await paper.locator(".paper-q").nth(i).locator(".paper-box").count(), 4);
        const q = bank.questions.find((x) => `${i + 1}. ${x.prompt}` === shown);
        assert.ok(q, `question ${i + 1} is one of the bank's: ${shown}`);
        onPaper.push(q.prompt);
        assert.match(await text(keyLines.nth(i)), new RegExp(`^${i + 1}\\. [A-D] \\(${q.answer}\\) \\(${q.id}\\) `));
      }
      // Every question once, and not in the order of the online exam of seed 7: the key, which
      // anyone can print, must not be that exam's.
      assert.deepEqual([...onPaper].sort(), bank.questions.map((q) => q.prompt).sort());
      assert.notDeepEqual(onPaper, taken, "the paper exam is not the online exam of its seed");
      await page.screenshot({ path: `${ARTIFACTS}print-exam-1366x768.png`, fullPage: true });
      const pdf = await page.pdf({ format: "A4" });
      assert.ok(pages(pdf) >= 2, `questions, then the key: ${pages(pdf)} pages`);
      await page.emulateMedia({ media: "screen" });
      await button(page, "Back to the quiz").click();
      await button(page, "Start exam").waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a paper exam of a bank with every kind: blanks for an order and for matches, boxes for choices, at 390x844 too", async () => {
    for (const [width, height] of [[1366, 768], [390, 844]]) {
      const { context, page, problems } = await open("#quiz=flow-in-practice&seed=3", { viewport: { width, height } });
      try {
        await button(page, "Print a paper exam").click();
        const paper = page.locator(".print-doc.paper");
        await paper.waitFor();
        await page.emulateMedia({ media: "print" });
        const bank = file("quizzes/flow-in-practice.json");
        assert.equal(await paper.locator(".paper-q").count(), bank.questions.length);
        const ordering = bank.questions.filter((q) => q.kind === "ordering");
        const matching = bank.questions.filter((q) => q.kind === "matching");
        assert.equal(await paper.locator(".paper-blanks").count(), ordering.length, "an Order: line per ordering question");
        assert.equal(
          await paper.locator(".paper-items > li").count(),
          matching.reduce((t, q) => t + q.pairs.length, 0),
          "a blank per item to match",
        );
        const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
        assert.ok(sw <= cw, `no sideways scroll (${sw} > ${cw})`);
        await page.screenshot({ path: `${ARTIFACTS}print-exam-kinds-${width}x${height}.png`, fullPage: true });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });
});
