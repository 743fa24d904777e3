// End-to-end tests of the quiz view's fixes (issue 21's quiz items) and its question kinds:
// nothing a learner chose in an exam is lost, saved answers show whichever way a question is
// reached, a bank's parameters reach its labels, records in options are readable. Release build
// in dist/, Debian's Chromium through playwright-core. By hand:
// `node --test --test-concurrency=1 tests/e2e/quiz.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { ARTIFACTS, ROOT, button, openPage, records, start, stop, submitExam, text, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";
let server, url, browser;
before(async () => ({ server, url, browser } = await start(DIST)));
after(() => stop({ server, browser }));

const open = (path = "", options = {}) => openPage(browser, url + path, options);
const teach = (page) => page.locator("section.teach");
const at = (page, i, n) => until(`question ${i} of ${n}`, async () => new RegExp(`Question ${i} of ${n}(?!\\d)`).test(await text(teach(page))));
/** Which radio buttons of the question shown are checked, by index. */
const checked = async (page) => {
  const radios = teach(page).locator("fieldset.question").getByRole("radio");
  const out = [];
  for (let k = 0; k < (await radios.count()); k++) if (await radios.nth(k).isChecked()) out.push(k);
  return out;
};

describe("quiz view (release build)", () => {
  test("a link's time limit: the exam shows the time left, keeps it across a reload, and is submitted when it is up", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    try {
      const page = await context.newPage();
      await page.clock.install();
      await page.goto(`${url}#quiz=basics&seed=5&minutes=2`);
      await button(page, "Start exam").waitFor();
      assert.match(await text(teach(page)), /time limit of 2 minutes/);
      await button(page, "Start exam").click();
      await at(page, 1, 8);
      assert.match(await text(page.locator(".time-left")), /^Time left: 2:00$/);
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Next question").click();
      await page.clock.fastForward(50_000);
      await until("the clock", async () => /^Time left: 1:[01]\d$/.test(await text(page.locator(".time-left"))));
      // A reload does not give the time again.
      await page.reload();
      await until("the clock after the reload", async () => /^Time left: [01]:\d\d$/.test(await text(page.locator(".time-left"))));
      assert.doesNotMatch(await text(page.locator(".time-left")), /2:00|1:[2-5]\d/, "not the whole time again");
      // The clock runs on in the submit step, and still submits when it is up.
      await page.getByRole("button", { name: /^Finish exam/ }).click();
      await page.getByRole("heading", { name: "Submit your exam" }).waitFor();
      assert.match(await text(page.locator(".time-left")), /^Time left: [01]:\d\d$/);
      await page.clock.fastForward(75_000);
      await until("submitted", async () => /Time was up: the exam was submitted/.test(await text(teach(page))));
      assert.match(await text(page.locator(".score")), /1 answered/);
      assert.equal(await page.locator(".time-left").count(), 0);
    } finally {
      await context.close();
    }
  });

  test("exam: Finish exam leads to a submit step that lists the unanswered questions, each a way back to it", async () => {
    const { context, page, problems } = await open("#quiz=basics&seed=5");
    try {
      await button(page, "Start exam").click();
      await at(page, 1, 8);
      // Questions 1 and 3 answered.
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Next question").click();
      await at(page, 2, 8);
      await button(page, "Next question").click();
      await at(page, 3, 8);
      await teach(page).getByRole("radio").nth(1).check();
      await page.getByRole("button", { name: "Finish exam (1 of 8 answered)" }).click();
      await page.getByRole("heading", { name: "Submit your exam" }).waitFor();
      // The choice made on the way out counts; nothing is submitted yet.
      assert.match(await text(teach(page)), /2 of 8 questions answered\. These 6 are not answered yet/);
      const list = teach(page).getByRole("list", { name: "Questions not answered" });
      const listed = async () => (await list.getByRole("button").allTextContents()).map((t) => t.trim());
      assert.deepEqual(await listed(), ["Question 2", "Question 4", "Question 5", "Question 6", "Question 7", "Question 8"]);
      assert.equal(await teach(page).getByRole("heading", { name: "Your results" }).count(), 0);
      await page.screenshot({ path: `${ARTIFACTS}quiz-submit-step-1366x768.png` });
      // A listed question opens at once; answered, it leaves the list.
      await list.getByRole("button", { name: "Question 5" }).click();
      await at(page, 5, 8);
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Question 5 of 8", "the focus is on the question");
      await teach(page).getByRole("radio").nth(0).check();
      await page.getByRole("button", { name: /^Finish exam/ }).click();
      await page.getByRole("heading", { name: "Submit your exam" }).waitFor();
      assert.deepEqual(await listed(), ["Question 2", "Question 4", "Question 6", "Question 7", "Question 8"]);
      // Back to the questions: the exam goes on where it was.
      await button(page, "Back to the questions").click();
      await at(page, 5, 8);
      await page.getByRole("button", { name: /^Finish exam/ }).click();
      await button(page, "Submit with 5 unanswered").click();
      await page.getByRole("heading", { name: "Your results" }).waitFor();
      assert.match(await text(page.locator(".score")), /, 3 answered · exam mode · seed 5$/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("an exam ends with a result code that streamlab grade grades again, with the learner's name", async () => {
    const { context, page, problems } = await open("#quiz=basics&seed=5");
    try {
      await page.getByLabel("Your name or ID (for the exam's result code)").fill("Ana Díaz, 2B");
      await button(page, "Start exam").click();
      await at(page, 1, 8);
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Next question").click();
      await at(page, 2, 8);
      await submitExam(page);
      const code = await page.getByLabel("Your result code").inputValue();
      assert.match(code, /^SL2\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
      const score = /Score: (\d+) of 8/.exec(await text(page.locator(".score")))[1];
      // The instructor's side: the real binary grades the code again.
      const bin = ROOT + "target/debug/streamlab";
      assert.ok(existsSync(bin), `${bin} is missing: run cargo build (make test builds it before the browser tests)`);
      const file = mkdtempSync(tmpdir() + "/codes-") + "/codes.txt";
      // A mistyped copy: the checksum's last digit changed.
      const mistyped = code.slice(0, -1) + (code.at(-1) === "0" ? "1" : "0");
      writeFileSync(file, `${code}\n${mistyped}\n`);
      const r = spawnSync(bin, ["grade", file, "--banks", ROOT + "www/quizzes"], { encoding: "utf8" });
      assert.equal(r.status, 1, "the second (mistyped) code makes the exit status 1");
      const rows = r.stdout.trim().split("\n");
      assert.match(rows[1], new RegExp(`^1,"Ana Díaz, 2B",basics,5,graded,${score},8,`));
      assert.match(rows[2], /^2,,,,"invalid: /);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a reload resumes a quiz in progress: the same question, the answers kept", async () => {
    const { context, page, problems } = await open("#quiz=basics&seed=5");
    try {
      await button(page, "Start exam").click();
      await at(page, 1, 8);
      await teach(page).getByRole("radio").nth(1).check();
      await button(page, "Next question").click();
      await at(page, 2, 8);
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Save answer").click();
      await button(page, "Next question").click();
      await at(page, 3, 8);
      await page.reload();
      await at(page, 3, 8);
      assert.match(await text(teach(page)), /Exam mode · question 3 of 8 · 2 answered · seed 5/);
      await button(page, "Previous").click();
      await at(page, 2, 8);
      assert.deepEqual(await checked(page), [0]);
      await button(page, "Previous").click();
      await at(page, 1, 8);
      assert.deepEqual(await checked(page), [1]);
      // Finished, then reloaded: the results stay; "Take it again" starts afresh.
      await submitExam(page);
      await page.reload();
      await until("the results after the reload", async () => /Your results/.test(await text(teach(page))));
      await button(page, "Take it again").click();
      await page.reload();
      await until("the start page", async () => (await button(page, "Start exam").count()) === 1);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("practice: Show me in the lab opens the lesson at the step that shows the answer; Back returns to the quiz as it was", async () => {
    const { context, page, problems } = await open("#quiz=basics&seed=5");
    try {
      await button(page, "Start practice").click();
      await at(page, 1, 8);
      assert.equal(await teach(page).getByRole("link", { name: /^Show me in the lab/ }).count(), 0, "no link before the answer");
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Check answer").click();
      await button(page, "Next question").click();
      await at(page, 2, 8);
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Check answer").click();
      await button(page, "Previous").click();
      await at(page, 1, 8);
      // Question 1 asks how long a stream keeps a record: the retention lesson once e-1 is 24 hours old.
      const verdict = await text(teach(page).locator(".verdict"));
      const link = teach(page).getByRole("link", { name: /^Show me in the lab: / });
      assert.equal(await link.count(), 1, `one Show me link after the verdict: ${verdict}`);
      assert.equal(await link.getAttribute("href"), "#lesson=retention&step=5");
      assert.match(await text(link), /e-1, written more than 24 hours ago, has been trimmed/);
      await link.click();
      await until("the lesson at step 5", async () => /Step 5 of 6/.test(await text(teach(page))));
      assert.match(await text(teach(page)), /The consumer comes back/, "the step's title");
      // The lab is in that step's state: e-1 has left the stream, e-2 is still there.
      await until("one stream record", async () => (await records(page).count()) === 1);
      assert.match(await text(records(page).first()), /e-2/);
      await page.goBack();
      await at(page, 1, 8);
      assert.match(await text(teach(page)), /Practice mode · question 1 of 8 · 2 answered · seed 5/);
      assert.equal(await text(teach(page).locator(".verdict")), verdict, "the feedback is shown again");
      await button(page, "Next question").click();
      await at(page, 2, 8);
      assert.equal(await teach(page).getByRole("link", { name: /^Show me in the lab/ }).getAttribute("href"), "#lesson=streams-basics&step=3");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("exam: a choice made without Save answer is kept when moving on with Next question", async () => {
    const { context, page, problems } = await open("#quiz=basics&seed=5");
    try {
      await button(page, "Start exam").click();
      await at(page, 1, 8);
      await teach(page).getByRole("radio").nth(1).check();
      await button(page, "Next question").click();
      await at(page, 2, 8);
      assert.match(await text(teach(page)), /1 answered/, "the choice of question 1 counts as answered");
      await button(page, "Previous").click();
      await at(page, 1, 8);
      assert.deepEqual(await checked(page), [1], "question 1 still shows the choice");
      // Finishing straight after a choice keeps it too.
      await button(page, "Next question").click();
      await at(page, 2, 8);
      await teach(page).getByRole("radio").nth(0).check();
      await submitExam(page);
      assert.match(await text(page.locator(".score")), /, 2 answered · exam mode · seed 5$/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("exam: a saved answer shows as selected when its question is reached with Next question", async () => {
    const { context, page, problems } = await open("#quiz=basics&seed=5");
    try {
      await button(page, "Start exam").click();
      await at(page, 1, 8);
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Save answer").click();
      await button(page, "Next question").click();
      await at(page, 2, 8);
      await teach(page).getByRole("radio").nth(2).check();
      await button(page, "Save answer").click();
      await until("saved", async () => /Answer saved/.test(await text(teach(page))));
      await button(page, "Previous").click();
      await at(page, 1, 8);
      assert.deepEqual(await checked(page), [0], "reached with Previous");
      await button(page, "Next question").click();
      await at(page, 2, 8);
      assert.deepEqual(await checked(page), [2], "reached with Next question");
      assert.equal(await button(page, "Save new answer").count(), 1, "the button says an answer is saved");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("the Batches quiz shows each order's drawn quantity, the one its record holds", async () => {
    for (const seed of [1, 2, 3]) {
      const { context, page, problems } = await open(`#quiz=batches&seed=${seed}`);
      try {
        await button(page, "Start practice").click();
        for (let i = 1; i <= 6; i++) {
          await at(page, i, 6);
          const options = teach(page).locator("fieldset.question .options > li");
          const n = await options.count();
          assert.ok(n >= 4);
          for (let k = 0; k < n; k++) {
            const label = await text(options.nth(k).locator("label"));
            const m = /^(o-\d) \(qty (-?\d+)\)/.exec(label.trim());
            assert.ok(m, `seed ${seed}, question ${i}, option ${k + 1}: "${label}" names an order and its quantity`);
            const record = JSON.parse(await text(options.nth(k).locator("pre.json")));
            assert.equal(record.dynamodb.Keys.id.S, m[1]);
            assert.equal(record.dynamodb.NewImage.qty.N, m[2], `seed ${seed}, question ${i}: the label's quantity is the record's`);
          }
          if (i < 6) await button(page, "Next question").click();
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    }
  });

  test("records in options are readable: indented, one member a line, no sideways scrolling (390x844)", async () => {
    const { context, page, problems } = await open("#quiz=records&seed=3", { viewport: { width: 390, height: 844 } });
    try {
      await button(page, "Start practice").click();
      await at(page, 1, 9);
      const pres = teach(page).locator("fieldset.question .options pre.json");
      assert.ok((await pres.count()) >= 2);
      for (let k = 0; k < (await pres.count()); k++) {
        const pre = pres.nth(k);
        const body = await text(pre);
        if (body === "null") continue;
        const lines = body.split("\n");
        assert.ok(lines.length >= 4, `option record ${k + 1} is laid out over lines: ${body}`);
        assert.ok(lines.some((l) => /^ {2,}"/.test(l)), `option record ${k + 1} is indented: ${body}`);
        const [sw, cw] = await pre.evaluate((e) => [e.scrollWidth, e.clientWidth]);
        assert.ok(sw <= cw + 1, `option record ${k + 1}: no sideways scrolling (${sw} > ${cw})`);
      }
      await page.screenshot({ path: `${ARTIFACTS}quiz-record-options-390x844.png`, fullPage: false });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  // The new kinds, on the shipped banks (the bank files say what is right).
  const bankFile = (id) => JSON.parse(readFileSync(`${ROOT}www/quizzes/${id}.json`, "utf8"));
  const position = (bank, id) => bankFile(bank).questions.findIndex((q) => q.id === id) + 1;

  async function goTo(page, bank, id) {
    const total = bankFile(bank).questions.length;
    const n = position(bank, id);
    await at(page, 1, total);
    for (let i = 1; i < n; i++) {
      await button(page, "Next question").click();
      await at(page, i + 1, total);
    }
    return total;
  }

  async function noSidewaysScroll(page, what) {
    const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(sw <= cw, `${what}: horizontal scroll (${sw} > ${cw})`);
  }

  for (const [width, height] of [[1366, 768], [390, 844]]) {
    test(`multiple response at ${width}x${height}: "Choose two." takes exactly two, graded as a set`, async () => {
      const { context, page, problems } = await open("#quiz=kinesis-vs-streams&seed=4", { viewport: { width, height } });
      try {
        await button(page, "Start practice").click();
        await goTo(page, "kinesis-vs-streams", "streams-guarantees");
        const q = bankFile("kinesis-vs-streams").questions.find((x) => x.id === "streams-guarantees");
        assert.match(await text(teach(page)), /Choose two\./);
        const right = q.answer.map((k) => q.options[k].text);
        await teach(page).getByRole("checkbox", { name: right[0] }).check();
        assert.ok(await button(page, "Check answer").isDisabled(), "one of two is not an answer yet");
        await teach(page).getByRole("checkbox", { name: right[1] }).check();
        await page.screenshot({ path: `${ARTIFACTS}quiz-multiple-response-${width}x${height}.png` });
        await noSidewaysScroll(page, "multiple response");
        await button(page, "Check answer").click();
        await until("feedback", async () => /Right\./.test(await text(teach(page))));
        // A wrong option's explanation is shown.
        assert.match(await text(teach(page)), /365 days/);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    test(`ordering at ${width}x${height}: items moved with their buttons into the right order`, async () => {
      const { context, page, problems } = await open("#quiz=batching&seed=2", { viewport: { width, height } });
      try {
        await button(page, "Start practice").click();
        await goTo(page, "batching", "retries-used-up");
        const target = bankFile("batching").questions.find((x) => x.id === "retries-used-up").items.map((i) => i.text);
        const rows = teach(page).locator("ol.order > li .order-text");
        const shown = async () => (await rows.allTextContents()).map((t) => t.trim());
        assert.notDeepEqual(await shown(), target, "the items are not shown in the right order");
        assert.deepEqual([...(await shown())].sort(), [...target].sort());
        await page.screenshot({ path: `${ARTIFACTS}quiz-ordering-${width}x${height}.png` });
        await noSidewaysScroll(page, "ordering");
        // Move each item up to its place, with the buttons a keyboard user would press.
        for (let p = 0; p < target.length; p++) {
          let at = (await shown()).indexOf(target[p]);
          while (at > p) {
            await teach(page).getByRole("button", { name: `Move up: ${target[p]}` }).click();
            await until("moved", async () => (await shown()).indexOf(target[p]) === at - 1);
            at -= 1;
          }
        }
        assert.deepEqual(await shown(), target);
        await button(page, "Check answer").click();
        await until("feedback", async () => /Right\./.test(await text(teach(page))));
        assert.equal(await teach(page).getByText("✓ in its place").count(), target.length);
        await page.screenshot({ path: `${ARTIFACTS}quiz-ordering-feedback-${width}x${height}.png` });
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });

    test(`matching at ${width}x${height}: one list per item; a wrong match shows the right one`, async () => {
      const { context, page, problems } = await open("#quiz=kinesis-vs-streams&seed=6", { viewport: { width, height } });
      try {
        await button(page, "Start practice").click();
        await goTo(page, "kinesis-vs-streams", "retention-settings");
        const q = bankFile("kinesis-vs-streams").questions.find((x) => x.id === "retention-settings");
        assert.ok(await button(page, "Check answer").isDisabled(), "every item needs a match");
        // The first two right, the third given the distractor.
        for (const pair of q.pairs.slice(0, 2)) {
          await teach(page).getByRole("combobox", { name: pair.item }).selectOption({ label: pair.match });
        }
        await teach(page).getByRole("combobox", { name: q.pairs[2].item }).selectOption({ label: q.extra[0].text });
        await page.screenshot({ path: `${ARTIFACTS}quiz-matching-${width}x${height}.png` });
        await noSidewaysScroll(page, "matching");
        await button(page, "Check answer").click();
        await until("feedback", async () => /Not quite\./.test(await text(teach(page))));
        const body = await text(teach(page));
        assert.equal((body.match(/✓ right/g) || []).length, 2);
        assert.ok(body.includes(`✗ the match is: ${q.pairs[2].match}`), body);
        assert.ok(body.includes(q.extra[0].explanation), "the distractor's explanation");
        await page.screenshot({ path: `${ARTIFACTS}quiz-matching-feedback-${width}x${height}.png` });
        await noSidewaysScroll(page, "matching feedback");
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test("exam: no Show me link before the results; the results give each question's, in order", async () => {
    const bank = bankFile("execution-role");
    const { context, page, problems } = await open("#quiz=execution-role&seed=2");
    try {
      await button(page, "Start exam").click();
      await at(page, 1, bank.questions.length);
      // Question 2 is single choice: an answer saved in an exam is not graded yet, so no link.
      await button(page, "Next question").click();
      await at(page, 2, bank.questions.length);
      await teach(page).getByRole("radio").nth(0).check();
      await button(page, "Save answer").click();
      await until("the answer saved", async () => /1 answered/.test(await text(teach(page))));
      assert.equal(await teach(page).getByRole("link", { name: /^Show me in the lab/ }).count(), 0, "an exam shows no answer before the end");
      await submitExam(page);
      // Each result (in the exam's order) has its own question's link.
      const items = teach(page).locator(".results-list > li");
      assert.equal(await items.count(), bank.questions.length);
      for (let k = 0; k < bank.questions.length; k++) {
        const prompt = await text(items.nth(k).locator("legend.prompt"));
        const q = bank.questions.find((x) => x.prompt === prompt);
        assert.ok(q, `result ${k + 1} is a question of the bank: ${prompt}`);
        const link = items.nth(k).getByRole("link", { name: /^Show me in the lab: / });
        assert.equal(await link.getAttribute("href"), `#lesson=${q.show.lesson}&step=${q.show.step}`);
        assert.match(await text(link), /IAM is not simulated/, "the link says the lab checks no permissions");
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("results say which goals to revisit", async () => {
    const { context, page, problems } = await open("#quiz=kinesis-vs-streams&seed=5");
    try {
      await button(page, "Start exam").click();
      await at(page, 1, bankFile("kinesis-vs-streams").questions.length);
      await submitExam(page);
      const goals = page.getByRole("heading", { name: "Goals to revisit" });
      await goals.waitFor();
      for (const g of bankFile("kinesis-vs-streams").goals) {
        assert.match(await text(page.locator(".goals")), new RegExp(g.text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      }
      assert.match(await page.getByRole("textbox", { name: "Summary for your instructor" }).inputValue(), /Goals to revisit:/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
