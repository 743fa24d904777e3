// The SCORM 1.2 package (issue 18) in a real SCORM 1.2 runtime: scorm-again's Scorm12API plays
// the LMS. The package is made as `make scorm` makes it: a release build with a relative base
// (`trunk build --release --offline --public-url ./` into target/scorm-site), packaged by
// `streamlab scorm`, then unzipped by Python's zipfile (an independent reader) into a nested
// folder of the served site, target/scorm-e2e/course/pkg/. A host page (target/scorm-e2e/lms/)
// creates `window.API` and loads a SCO in an iframe, as an LMS's player does; the values the
// LMS received are asserted against the SCORM 1.2 RTE's formats and the bank and lesson files.
// Set SCORM_SKIP_BUILD=1 to reuse an existing target/scorm-site.
// By hand: `node --test tests/e2e/scorm.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { execFileSync, spawn } from "node:child_process";
import { ARTIFACTS, ROOT, button, openPage, start, stop, text, until } from "./harness.mjs";

const SITE = ROOT + "target/scorm-site";
const WORK = ROOT + "target/scorm-e2e";
const ZIP = WORK + "/streamlab-scorm12.zip";
const PKG = WORK + "/course/pkg";
const read = (p) => JSON.parse(readFileSync(ROOT + "www/" + p, "utf8"));

let server, url, browser;

function run(cmd) {
  return new Promise((ok, fail) => {
    const child = spawn("bash", ["-c", cmd], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? ok(log) : fail(new Error(`${cmd} failed (${code}):\n${log.slice(-4000)}`))));
  });
}

// The LMS's player: scorm-again's SCORM 1.2 API as window.API, every call to it recorded, and
// the SCO in an iframe. `launch(href, init)` loads the CMI data an LMS would have kept first.
const PLAYER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LMS player</title><link rel="icon" href="data:,">
<script src="scorm12.js"></script><script src="player.js"></script></head>
<body><iframe id="sco" title="SCO" width="1300" height="900"></iframe></body></html>
`;
const PLAYER_JS = `window.API = new Scorm12API({ logLevel: 4 });
window.calls = [];
for (const m of ["LMSInitialize", "LMSCommit", "LMSFinish"]) API.on(m, () => calls.push([m]));
API.on("LMSSetValue.cmi.*", (key, value) => calls.push(["set", key, value]));
window.LMS = window.API;
// typed: an LMS whose API answers true/false and numbers where SCORM 1.2 says strings, as some do.
window.launch = (href, init, typed) => {
  if (init) LMS.loadFromJSON(init);
  if (typed) {
    const typedValue = (v) => (v === "true" ? true : v === "false" ? false : /^[0-9]+$/.test(v) ? Number(v) : v);
    window.API = {};
    for (const m of ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit", "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]) {
      window.API[m] = (...args) => typedValue(LMS[m](...args));
    }
  }
  document.getElementById("sco").src = href;
};
`;

before(async () => {
  if (!(process.env.SCORM_SKIP_BUILD && existsSync(SITE + "/index.html"))) {
    await run(". scripts/env.sh && trunk build --release --offline --public-url ./ --dist target/scorm-site");
  }
  await rm(WORK, { recursive: true, force: true });
  await run(`cargo run --quiet -- scorm target/scorm-site --out ${ZIP}`);
  execFileSync("python3", ["-m", "zipfile", "-e", ZIP, PKG]);
  mkdirSync(WORK + "/lms", { recursive: true });
  copyFileSync(ROOT + "node_modules/scorm-again/dist/scorm12.js", WORK + "/lms/scorm12.js");
  writeFileSync(WORK + "/lms/player.html", PLAYER_HTML);
  writeFileSync(WORK + "/lms/player.js", PLAYER_JS);
  ({ server, url, browser } = await start(WORK, PKG + "/index.html"));
}, { timeout: 20 * 60 * 1000 });

after(() => stop({ server, browser }));

/** A fresh browser context on the LMS player with the SCO `launch` (the manifest's href)
 *  loaded in its iframe; `init`: CMI data the LMS kept from an earlier session. */
async function player(launch, init, typed = false) {
  const { context, page, problems } = await openPlayer();
  await page.evaluate(([href, init, typed]) => window.launch(href, init, typed), [`../course/pkg/${launch}`, init ?? null, typed]);
  const sco = page.frameLocator("#sco");
  await sco.getByRole("button", { name: "Put item", exact: true }).waitFor({ timeout: 15000 });
  return { context, page, problems, sco };
}

async function openPlayer() {
  return openPlayerIn(await browser.newContext({ viewport: { width: 1366, height: 1000 } }));
}

/** The LMS player in a new page of `context` (a browser that has been here before). */
async function openPlayerIn(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() !== "error" && m.type() !== "warning") return;
    if (/integrity. attribute is currently ignored for preload/.test(m.text())) return;
    problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(new URL("lms/player.html", url).href);
  return { context, page, problems };
}

const calls = (page) => page.evaluate(() => window.calls);
/** The last value the SCO set for `key`. */
const last = (cs, key) => cs.filter((c) => c[0] === "set" && c[1] === key).map((c) => c[2]).at(-1);
/** Unloads the SCO, as an LMS does when the learner leaves it (the page's pagehide). */
async function leave(page) {
  await page.evaluate(() => { document.getElementById("sco").src = "about:blank"; });
  await until("LMSFinish", async () => (await calls(page)).some((c) => c[0] === "LMSFinish"));
}
// RTE 1.2 CMITimespan: HHHH:MM:SS.SS (hours 2 to 4 digits, 1 or 2 decimals of a second).
const TIMESPAN = /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/;

/** Takes the exam of `bank` (single-choice questions, as basics has) in the SCO to the end,
 *  answering the last `wrong` questions wrong and the others right, by the option texts of
 *  the bank file; returns what each interaction must say: the question's id, the response
 *  (the letter of the option chosen, in the order shown) and the result. */
async function takeExam(sco, bank, wrong) {
  await button(sco, "Start exam").click();
  const n = bank.questions.length;
  const expected = [];
  for (let i = 0; i < n; i++) {
    await until(`question ${i + 1}`, async () => new RegExp(`Question ${i + 1} of ${n}`).test(await text(sco.locator(".quiz"))));
    const prompt = await text(sco.locator(".quiz legend.prompt"));
    const q = bank.questions.find((q) => q.prompt === prompt);
    assert.ok(q, `question "${prompt}" is in the bank`);
    const labels = await sco.locator(".quiz label.option").allTextContents();
    const right = labels.indexOf(q.options[q.answer].text);
    assert.ok(right >= 0);
    const pick = i < n - wrong ? right : (right + 1) % labels.length;
    await sco.locator(".quiz label.option").nth(pick).locator("input").check();
    await button(sco, "Save answer").click();
    expected.push({ id: q.id, response: "abcdefgh"[pick], result: pick === right ? "correct" : "wrong", goal: q.goal });
    if (i < n - 1) await button(sco, "Next question").click();
  }
  await sco.getByRole("button", { name: /^Finish exam/ }).click();
  await button(sco, "Submit exam").click();
  await sco.getByRole("heading", { name: "Your results" }).waitFor();
  return expected;
}

describe("the SCORM 1.2 package in scorm-again's SCORM 1.2 runtime", () => {
  test("the zip has imsmanifest.xml at its root, one SCO per lesson and quiz bank, and every file it lists", async () => {
    const names = execFileSync("python3", ["-c",
      "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print('\\n'.join(z.namelist()))", ZIP],
    { encoding: "utf8" }).trim().split("\n");
    assert.equal(names[0], "imsmanifest.xml");
    assert.ok(names.includes("index.html") && names.includes("lessons/index.json") && names.includes("quizzes/basics.json"));
    // Parsed by Python's XML parser: well-formed, and what it says.
    const m = JSON.parse(execFileSync("python3", ["-c", `
import json, sys, xml.etree.ElementTree as ET
cp = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
adl = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
root = ET.parse(sys.argv[1]).getroot()
res = {r.get("identifier"): r for r in root.iter(cp + "resource")}
items = []
for it in root.iter(cp + "item"):
    r = res[it.get("identifierref")]
    ms = it.find(adl + "masteryscore")
    items.append({"title": it.find(cp + "title").text, "type": r.get(adl + "scormtype"), "href": r.get("href"),
                  "mastery": None if ms is None else ms.text})
files = [f.get("href") for f in res["res-site"].iter(cp + "file")]
print(json.dumps({"version": root.find(cp + "metadata").find(cp + "schemaversion").text, "items": items, "files": files}))
`, PKG + "/imsmanifest.xml"], { encoding: "utf8" }));
    assert.equal(m.version, "1.2");
    const lessons = read("lessons/index.json").lessons;
    const banks = read("quizzes/index.json").banks;
    assert.equal(m.items.length, lessons.length + banks.length);
    for (const l of lessons) {
      const it = m.items.find((i) => i.href === `index.html?embed=1&lesson=${l.id}`);
      assert.ok(it, `a SCO for lesson ${l.id}`);
      assert.equal(it.type, "sco");
      assert.equal(it.title, `Lesson: ${read(`lessons/${l.id}.json`).title}`);
    }
    for (const b of banks) {
      const it = m.items.find((i) => i.href === `index.html?embed=1&quiz=${b.id}`);
      const bank = read(`quizzes/${b.id}.json`);
      assert.ok(it, `a SCO for quiz ${b.id}`);
      assert.equal(it.title, `Quiz: ${bank.title}`);
      assert.equal(it.mastery, bank.mastery === undefined ? null : String(bank.mastery));
    }
    assert.deepEqual([...m.files].sort(), names.filter((n) => n !== "imsmanifest.xml").sort(), "the asset lists every file");
  });

  test("outside an LMS nothing changes: the SCO's launch path opens its quiz from a nested folder, with no error", async () => {
    const { context, page, problems, requests } = await openPage(browser, new URL("course/pkg/index.html?quiz=basics", url).href);
    try {
      await button(page, "Start exam").waitFor();
      assert.match(page.url(), /index\.html\?quiz=basics#quiz=basics$/);
      const outside = requests.filter((u) => u.startsWith(url) && !new URL(u).pathname.startsWith("/course/pkg/"));
      assert.deepEqual(outside, [], "every file from the package's folder (a relative base)");
      await button(page, "Start exam").click();
      await until("question 1", async () => /Question 1 of 8/.test(await text(page.locator("section.teach"))));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("an exam to the end: lesson_status against the mastery, the score, one interaction per question, session time", async () => {
    const bank = read("quizzes/basics.json");
    const { context, page, problems, sco } = await player("index.html?embed=1&quiz=basics");
    try {
      // Every question right but the last: 7 of 8, 87.5%, passes the bank's 80.
      const expected = await takeExam(sco, bank, 1);
      const n = bank.questions.length;
      let cs = await calls(page);
      writeFileSync(ARTIFACTS + "scorm-exam-calls.json", JSON.stringify(cs, null, 1));
      assert.equal(cs[0][0], "LMSInitialize");
      assert.equal(bank.mastery, 80);
      assert.equal(last(cs, "cmi.core.lesson_status"), "passed");
      assert.deepEqual(
        ["raw", "min", "max"].map((k) => last(cs, `cmi.core.score.${k}`)), ["87.5", "0", "100"]);
      // The interactions, in SCORM 1.2's vocabulary: written when the exam ended.
      const got = [];
      for (let k = 0; k < n; k++) {
        got.push({
          id: last(cs, `cmi.interactions.${k}.id`), type: last(cs, `cmi.interactions.${k}.type`),
          response: last(cs, `cmi.interactions.${k}.student_response`), result: last(cs, `cmi.interactions.${k}.result`),
        });
      }
      assert.deepEqual(got, expected.map((e) => ({ id: e.id, type: "choice", response: e.response, result: e.result })));
      assert.equal(last(cs, `cmi.interactions.${n}.id`), undefined, "one per question");
      assert.ok(cs.some((c) => c[0] === "LMSCommit"));
      // The LMS has kept them (scorm-again's CMI).
      const kept = await page.evaluate(() => [API.cmi.core.lesson_status, API.cmi.core.score.raw, API.cmi.interactions.childArray.length]);
      assert.deepEqual(kept, ["passed", "87.5", n]);
      // Each interaction's objective is its question's goal, as the LMS kept it.
      // (write-only to the SCO; the LMS's own JSON of its data has them).
      assert.deepEqual(expected.map((_, k) => last(cs, `cmi.interactions.${k}.objectives.0.id`)), expected.map((e) => e.goal));
      const goals = await page.evaluate(() =>
        Object.values(JSON.parse(JSON.stringify(API.cmi)).interactions).map((i) => Object.values(i.objectives).map((o) => o.id)));
      assert.deepEqual(goals, expected.map((e) => [e.goal]));
      await leave(page);
      cs = await calls(page);
      assert.match(last(cs, "cmi.core.session_time"), TIMESPAN);
      assert.equal(last(cs, "cmi.core.exit"), "", "finished: a normal exit, not suspend");
      // RTE 1.2: everything set is committed before LMSFinish, and nothing comes after it.
      const finish = cs.findIndex((c) => c[0] === "LMSFinish");
      assert.equal(finish, cs.length - 1, "LMSFinish is the last call");
      const lastSet = cs.findLastIndex((c) => c[0] === "set");
      assert.ok(cs.slice(lastSet + 1, finish).some((c) => c[0] === "LMSCommit"), "a commit after the last value set");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  // "A SCORM package works offline as the LMS allows": the LMS's own page and its API are the
  // LMS's (here loaded while online, and scorm-again keeps the values in memory); the SCO's
  // files are the package's, kept by its service worker after one launch. The network then
  // goes off and the SCO is launched again: it opens from the cache and reports to the LMS.
  test("offline in an LMS: after one launch the SCO opens again with the network off and its exam reaches the LMS", async () => {
    const bank = read("quizzes/basics.json");
    const first = await player("index.html?embed=1&quiz=basics");
    let second;
    try {
      const frame = first.page.frames().find((f) => f.url().includes("/course/pkg/"));
      // The package's worker, registered from the LMS's frame, has kept every file.
      const scope = await frame.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
      assert.equal(scope, new URL("course/pkg/", url).href);
      await leave(first.page);
      // A later session: the LMS's page is open, then the network goes off.
      second = await openPlayerIn(first.context);
      await first.context.setOffline(true);
      const offline = await second.page.evaluate(() => fetch("player.js?offline").then(() => "online", () => "offline"));
      assert.equal(offline, "offline", "the network is off for the page");
      // That probe's own console line, and nothing else.
      await until("the probe's error", async () => second.problems.length === 1);
      assert.match(second.problems.splice(0)[0], /ERR_INTERNET_DISCONNECTED/);
      await second.page.evaluate((href) => window.launch(href), "../course/pkg/index.html?embed=1&quiz=basics");
      const sco = second.page.frameLocator("#sco");
      await button(sco, "Start exam").waitFor({ timeout: 15000 });
      await takeExam(sco, bank, 1);
      const cs = await calls(second.page);
      assert.equal(cs[0][0], "LMSInitialize");
      assert.equal(last(cs, "cmi.core.lesson_status"), "passed");
      assert.equal(last(cs, "cmi.core.score.raw"), "87.5");
      // No "new version" notice in an LMS, and nothing went wrong.
      assert.equal(await sco.getByText("A new version of StreamLab is ready").count(), 0);
      assert.deepEqual(first.problems, []);
      assert.deepEqual(second.problems, []);
    } finally {
      await first.context.close();
    }
  });

  test("the LMS's mastery score wins over the bank's: 87.5% fails a mastery of 90", async () => {
    const bank = read("quizzes/basics.json");
    const { context, page, problems, sco } = await player("index.html?embed=1&quiz=basics", { student_data: { mastery_score: "90" } });
    try {
      await takeExam(sco, bank, 1);
      const cs = await calls(page);
      assert.equal(last(cs, "cmi.core.score.raw"), "87.5");
      assert.equal(last(cs, "cmi.core.lesson_status"), "failed");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a quiz SCO opened and left on its start page stays incomplete, with an LMS API that answers true and numbers", async () => {
    // SCORM 1.2 lets an LMS record "completed" at LMSFinish for a SCO that never set a status:
    // the page sets "incomplete" as it starts. The API here answers true/false and numbers, not
    // the strings SCORM 1.2 says, as some LMSs do: the page must still report.
    const { context, page, problems, sco } = await player("index.html?embed=1&quiz=basics", null, true);
    try {
      await button(sco, "Start exam").waitFor();
      await until("incomplete", async () => last(await calls(page), "cmi.core.lesson_status") === "incomplete");
      await leave(page);
      const kept = await page.evaluate(() => LMS.cmi.core.lesson_status);
      assert.equal(kept, "incomplete");
      assert.match(last(await calls(page), "cmi.core.session_time"), TIMESPAN);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("practice: each answer is an interaction once checked, no score, incomplete until finished", async () => {
    const bank = read("quizzes/basics.json");
    const { context, page, problems, sco } = await player("index.html?embed=1&quiz=basics");
    try {
      await button(sco, "Start practice").click();
      await until("question 1", async () => /Question 1 of/.test(await text(sco.locator(".quiz"))));
      const prompt = await text(sco.locator(".quiz legend.prompt"));
      const asked = bank.questions.find((q) => q.prompt === prompt);
      const labels = await sco.locator(".quiz label.option").allTextContents();
      const right = labels.indexOf(asked.options[asked.answer].text);
      await sco.locator(".quiz label.option").nth(right).locator("input").check();
      await button(sco, "Check answer").click();
      await until("the interaction", async () => last(await calls(page), "cmi.interactions.0.result") === "correct");
      const cs = await calls(page);
      assert.equal(last(cs, "cmi.interactions.0.id"), asked.id);
      assert.equal(last(cs, "cmi.interactions.0.student_response"), "abcdefgh"[right]);
      assert.equal(last(cs, "cmi.interactions.1.id"), undefined, "only the answered question");
      assert.equal(last(cs, "cmi.core.lesson_status"), "incomplete");
      assert.equal(last(cs, "cmi.core.score.raw"), undefined, "practice reports no score");
      await leave(page);
      assert.equal(last(await calls(page), "cmi.core.exit"), "suspend");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("an exam left half-way resumes from suspend_data in a new browser", async () => {
    const { context, page, problems, sco } = await player("index.html?embed=1&quiz=basics");
    let data;
    try {
      await button(sco, "Start exam").click();
      await until("question 1", async () => /Question 1 of/.test(await text(sco.locator(".quiz"))));
      for (let i = 0; i < 2; i++) {
        await sco.locator(".quiz label.option").first().locator("input").check();
        await button(sco, "Save answer").click();
        await button(sco, "Next question").click();
      }
      await until("question 3", async () => /Question 3 of/.test(await text(sco.locator(".quiz"))));
      await leave(page);
      const cs = await calls(page);
      data = last(cs, "cmi.suspend_data");
      assert.ok(data && data.length <= 4096, `suspend_data of ${data?.length} characters`);
      assert.equal(last(cs, "cmi.core.exit"), "suspend");
      assert.equal(last(cs, "cmi.core.lesson_status"), "incomplete");
      assert.match(last(cs, "cmi.core.session_time"), TIMESPAN);
      assert.equal(last(cs, "cmi.interactions.0.id"), undefined, "no exam answer is final yet");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    // A new context: nothing in the browser's storage, only what the LMS kept.
    const again = await player("index.html?embed=1&quiz=basics", { core: { entry: "resume" }, suspend_data: data });
    try {
      await until("question 3 again", async () => /Question 3 of/.test(await text(again.sco.locator(".quiz"))));
      await button(again.sco, "Previous").click();
      await until("question 2", async () => /Question 2 of/.test(await text(again.sco.locator(".quiz"))));
      assert.equal(await button(again.sco, "Save new answer").count(), 1, "its answer was kept");
      assert.deepEqual(again.problems, []);
    } finally {
      await again.context.close();
    }
  });

  test("an LMS that opens the SCO in a new window: the API is found through window.opener", async () => {
    const { context, page, problems } = await openPlayer();
    try {
      const [popup] = await Promise.all([
        context.waitForEvent("page"),
        page.evaluate(() => { window.open("../course/pkg/index.html?lesson=triggers", "sco"); }),
      ]);
      await until("step 1", async () => /Step 1 of/.test(await text(popup.locator("section.teach"))), 15000);
      await until("reported", async () => last(await calls(page), "cmi.core.lesson_status") === "incomplete");
      assert.equal((await calls(page))[0][0], "LMSInitialize");
      const data = last(await calls(page), "cmi.suspend_data");
      assert.ok(data && data.length <= 4096, "where the learner is, kept by the LMS");
      await popup.close({ runBeforeUnload: true });
      await until("LMSFinish", async () => (await calls(page)).some((c) => c[0] === "LMSFinish"));
      assert.equal(last(await calls(page), "cmi.core.exit"), "suspend");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a lesson: incomplete, then completed at its last step; left at a step, it resumes there", async () => {
    const lesson = read("lessons/streams-basics.json");
    const n = lesson.steps.length;
    const { context, page, problems, sco } = await player("index.html?embed=1&lesson=streams-basics");
    const teach = sco.locator("section.teach");
    let data;
    try {
      await until("step 1", async () => new RegExp(`Step 1 of ${n}`).test(await text(teach)));
      await until("reported", async () => last(await calls(page), "cmi.core.lesson_status") === "incomplete");
      for (let s = 2; s <= 3; s++) {
        if (await button(sco, "Reveal").count()) {
          await teach.getByRole("radio").first().check();
          await button(sco, "Reveal").click();
        }
        await button(sco, "Next").click();
        await until(`step ${s}`, async () => new RegExp(`Step ${s} of ${n}`).test(await text(teach)));
      }
      await leave(page);
      const cs = await calls(page);
      data = last(cs, "cmi.suspend_data");
      assert.equal(last(cs, "cmi.core.lesson_status"), "incomplete");
      assert.equal(last(cs, "cmi.core.exit"), "suspend");
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
    const again = await player("index.html?embed=1&lesson=streams-basics", { core: { entry: "resume" }, suspend_data: data });
    try {
      const teach = again.sco.locator("section.teach");
      await until("step 3 again", async () => new RegExp(`Step 3 of ${n}`).test(await text(teach)));
      for (let s = 4; s <= n; s++) {
        if (await button(again.sco, "Reveal").count()) {
          await teach.getByRole("radio").first().check();
          await button(again.sco, "Reveal").click();
        }
        await button(again.sco, "Next").click();
        await until(`step ${s}`, async () => new RegExp(`Step ${s} of ${n}`).test(await text(teach)));
      }
      await until("completed", async () => last(await calls(again.page), "cmi.core.lesson_status") === "completed");
      await leave(again.page);
      const cs = await calls(again.page);
      assert.equal(last(cs, "cmi.core.exit"), "", "completed: a normal exit");
      assert.match(last(cs, "cmi.core.session_time"), TIMESPAN);
      assert.deepEqual(again.problems, []);
    } finally {
      await again.context.close();
    }
  });
});
