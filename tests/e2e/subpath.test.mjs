// The site under a sub-path, as a course would host it: builds dist/ with
// `trunk build --release --offline --public-url /course/streamlab/` into
// target/subpath-site/course/streamlab/, serves target/subpath-site/ with the plain static
// server (no server logic, nothing served at /), and checks the lab, a lesson and a quiz end
// to end. The build reuses the release wasm `make test` has just compiled (only wasm-bindgen
// and wasm-opt run again); set SUBPATH_SKIP_BUILD=1 to reuse an existing sub-path build.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ROOT, button, openPage, records, start, stop, text, until } from "./harness.mjs";

const BASE = "/course/streamlab/";
const SITE = ROOT + "target/subpath-site";
const DIST = SITE + BASE.replace(/\/$/, "");

let server, origin, browser;

function build() {
  return new Promise((ok, fail) => {
    const cmd = `. scripts/env.sh && trunk build --release --offline --public-url ${BASE} --dist target/subpath-site${BASE}`;
    const child = spawn("bash", ["-c", cmd], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", fail);
    child.on("close", (code) => (code === 0 ? ok() : fail(new Error(`sub-path build failed (${code}):\n${log.slice(-4000)}`))));
  });
}

before(async () => {
  if (!(process.env.SUBPATH_SKIP_BUILD && existsSync(DIST + "/index.html"))) {
    await rm(SITE, { recursive: true, force: true });
    await build();
  }
  ({ server, url: origin, browser } = await start(SITE, DIST + "/index.html"));
}, { timeout: 20 * 60 * 1000 });

after(() => stop({ server, browser }));

/** A fresh context on the site under BASE; every request must stay under BASE. */
const open = (hash = "") => openPage(browser, new URL(BASE, origin).href + hash);


const teach = (page) => page.locator("section.teach");

function underBase(requests) {
  const outside = requests.filter((u) => u.startsWith(origin) && !new URL(u).pathname.startsWith(BASE));
  assert.deepEqual(outside, [], "every request stays under the sub-path");
}

describe(`the site under ${BASE} (static server, no server logic)`, () => {
  test("nothing is served at the site root; index.html points at the sub-path", async () => {
    const root = await fetch(origin);
    assert.equal(root.status, 404);
    const html = await (await fetch(new URL(BASE, origin))).text();
    assert.match(html, /src="\/course\/streamlab\/boot\.js"/);
    assert.match(html, /href="\/course\/streamlab\/teach-[0-9a-f]+\.css"/);
  });

  test("the lab works", async () => {
    const { context, page, problems, requests } = await open();
    try {
      await page.getByRole("textbox", { name: "Item" }).fill('{"voter": {"S": "ana"}}');
      await button(page, "Put item").click();
      await until("one record", async () => (await records(page).count()) === 1);
      underBase(requests);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a lesson works: the menu, its steps and the lab state", async () => {
    const { context, page, problems, requests } = await open();
    try {
      await page.getByRole("navigation").getByRole("link", { name: "Lessons" }).click();
      await teach(page).getByRole("link", { name: "What a stream is" }).click();
      await until("step 1", async () => /Step 1 of 5/.test(await teach(page).textContent()));
      await button(page, "Next").click();
      await page.getByRole("radio").first().check();
      await button(page, "Reveal").click();
      await button(page, "Next").click();
      await until("step 3 and its record", async () =>
        /Step 3 of 5/.test(await teach(page).textContent()) && (await records(page).count()) === 1);
      assert.ok(requests.some((u) => u.endsWith(`${BASE}lessons/streams-basics.json`)), "the lesson came from the sub-path");
      underBase(requests);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("an embedded lesson at index.html?embed=1#lesson=... (no header, no horizontal scroll at 390 px)", async () => {
    const { context, page, problems, requests } = await open("index.html?embed=1#lesson=triggers");
    try {
      await page.setViewportSize({ width: 390, height: 800 });
      await until("step 1", async () => /Step 1 of/.test(await teach(page).textContent()));
      assert.ok(!(await page.locator(".masthead").isVisible()), "the header is hidden");
      const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      assert.ok(sw <= cw, `no horizontal scroll (${sw} > ${cw})`);
      assert.ok(requests.some((u) => u.endsWith(`${BASE}lessons/triggers.json`)));
      underBase(requests);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("the instructor's pages: the catalogue's links, the Author view against this site's index, a paper exam", async () => {
    const { context, page, problems, requests } = await open("#catalogue");
    try {
      // The catalogue reads both indexes under the sub-path, and its links carry it.
      const entry = page.getByRole("listitem", { name: "The four view types" });
      await until("the catalogue", async () => (await entry.count()) === 1, 15000);
      const t = await text(entry);
      assert.ok(t.includes(`Link: ${new URL(BASE, origin).href}#lesson=view-types`), t);
      assert.ok((await entry.getByLabel("Iframe snippet").inputValue()).startsWith(`<iframe src="${new URL(BASE, origin).href}?embed=1#lesson=view-types"`));
      // The Author view compares a new lesson with this site's own lessons/index.json.
      await page.goto(new URL(BASE, origin).href + "#author");
      const lesson = await readFile(ROOT + "www/lessons/view-types.json", "utf8");
      await page.getByLabel("Or paste a file's text").fill(lesson.replace('"id": "view-types"', '"id": "mine"'));
      await button(page, "Check pasted text").click();
      await until("the verdict", async () => /not listed in this site's lessons\/index\.json/.test(await text(page.locator(".author-files"))));
      // A paper exam of a seed.
      await page.goto(new URL(BASE, origin).href + "#quiz=view-types&seed=7");
      await button(page, "Print a paper exam").click();
      await page.locator(".print-doc.paper").waitFor();
      assert.match(await text(page.locator(".paper-sheet .paper-meta")), /^Bank view-types · version [0-9a-f]{8} · seed 7$/);
      underBase(requests);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a quiz works: practice feedback, then the score", async () => {
    const { context, page, problems, requests } = await open("#quiz=basics&seed=9");
    try {
      await button(page, "Start practice").click();
      for (let i = 1; i <= 8; i++) {
        await until(`question ${i}`, async () => new RegExp(`Question ${i} of 8`).test(await teach(page).textContent()));
        await teach(page).getByRole("radio").first().check();
        await button(page, "Check answer").click();
        await until("feedback", async () => /Right\.|Not quite\./.test(await teach(page).textContent()));
        await button(page, i < 8 ? "Next question" : "See my score").click();
      }
      await page.getByRole("heading", { name: "Your results" }).waitFor();
      assert.match(await page.locator(".score").textContent(), /^Score: \d of 8 .* practice mode · seed 9$/);
      underBase(requests);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
  test("offline after one visit: the worker's scope is the sub-path, and the page and a lesson open with the browser offline", async () => {
    const { context, page, problems, requests } = await open();
    try {
      const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
      assert.equal(scope, new URL(BASE, origin).href);
      await page.reload();
      await until("the worker controls the page", () => page.evaluate(() => !!navigator.serviceWorker.controller));
      await context.setOffline(true);
      await page.goto(new URL(BASE, origin).href + "index.html?embed=1#lesson=triggers");
      await until("step 1, offline", async () => /Step 1 of/.test(await teach(page).textContent()), 15000);
      underBase(requests);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
