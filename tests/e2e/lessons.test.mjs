// End-to-end walk through the lessons of issue 19 (idempotency, batching window, Kinesis or
// Streams, runaway loops, mapping health, execution role): every step renders, every
// predict-then-reveal question, answered as the lesson file says, is revealed as right with the
// engine's state, nothing is clipped sideways on a phone, and the playground opens. Release build
// in dist/, Debian's Chromium through playwright-core.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ARTIFACTS, ROOT, button, openPage, start, stop, text, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";
let server, url, browser;
before(async () => ({ server, url, browser } = await start(DIST)));
after(() => stop({ server, browser }));

const teach = (page) => page.locator("section.teach");
const NEW = ["idempotency", "batching-window", "kinesis-or-streams", "runaway-loops", "mapping-health", "execution-role"];

describe("issue 19's lessons (release build)", () => {
  for (const id of NEW) {
    test(`${id}: every step, every answer revealed right, the playground (390x844)`, async () => {
      const lesson = JSON.parse(readFileSync(`${ROOT}www/lessons/${id}.json`, "utf8"));
      const n = lesson.steps.length;
      const { context, page, problems } = await openPage(browser, `${url}#lesson=${id}`, { viewport: { width: 390, height: 844 } });
      try {
        for (let i = 0; i < n; i++) {
          await until(`step ${i + 1}`, async () => new RegExp(`Step ${i + 1} of ${n}(?!\\d)`).test(await text(teach(page))));
          const q = lesson.steps[i].question;
          if (q) {
            await teach(page).getByRole("radio", { name: q.options[q.answer], exact: true }).check();
            await button(page, "Reveal").click();
            await until(`step ${i + 1} revealed`, async () => /Right\.|Not quite\./.test(await text(teach(page))));
            assert.match(await text(teach(page)), /Right\./, `${id} step ${i + 1}: the file's answer is revealed as right`);
          }
          assert.match(await text(teach(page)), new RegExp(lesson.steps[i].title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
          const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          assert.ok(sw <= cw, `${id} step ${i + 1}: horizontal scroll (${sw} > ${cw})`);
          if (i === 2) await page.screenshot({ path: `${ARTIFACTS}lesson-${id}-390x844.png` });
          await button(page, i + 1 < n ? "Next" : "Next: playground").click();
        }
        await page.getByRole("heading", { name: "Playground", level: 3 }).waitFor();
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});
