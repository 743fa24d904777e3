// Page figures of the release build (dist/) in Debian's Chromium, driven by playwright-core:
// asset bytes after gzip and brotli, time to the first interactive render, a burst of 10,000
// writes until the last record is shown, frame times while records stream with many retained,
// while a loop of triggers runs, and while the clock plays over an aggregate of 100,000 groups.
// Prints figures; asserts nothing about time. Run by scripts/bench.sh, or by hand:
//   node scripts/page-bench.mjs [dist]
import { readdir, readFile } from "node:fs/promises";
import { join, extname } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../tests/e2e/server.mjs";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const DIST = process.argv[2] || ROOT + "dist";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];
const RETAIN = 100000;
const kb = (n) => (n / 1024).toFixed(1) + " KB";

// ---- asset sizes -------------------------------------------------------------------------
async function files(dir) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.name.startsWith(".")) continue; // trunk's .stage while a build runs
    if (e.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}
const totals = {};
for (const f of await files(DIST)) {
  const ext = extname(f);
  if (![".wasm", ".js", ".css"].includes(ext)) continue;
  const data = await readFile(f);
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const t = (totals[ext] ||= { raw: 0, gz: 0, br: 0, files: 0 });
  t.raw += data.length; t.gz += gz; t.br += br; t.files += 1;
}
let all = { raw: 0, gz: 0, br: 0 };
console.log("assets (dist/)        raw        gzip -9     brotli -q 11");
for (const [ext, t] of Object.entries(totals)) {
  console.log(`${(ext + " x" + t.files).padEnd(14)} ${kb(t.raw).padStart(12)} ${kb(t.gz).padStart(12)} ${kb(t.br).padStart(12)}`);
  all.raw += t.raw; all.gz += t.gz; all.br += t.br;
}
console.log(`${"total".padEnd(14)} ${kb(all.raw).padStart(12)} ${kb(all.gz).padStart(12)} ${kb(all.br).padStart(12)}`);

// p50/p95/max of a list of milliseconds.
function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const pct = (p) => s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? NaN; // nearest rank
  const r = { n: s.length, p50: pct(0.5), p95: pct(0.95), max: s[s.length - 1] ?? NaN };
  r.text = `${r.n} frames, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`;
  return r;
}

// From a Chromium trace: the renderer main thread's work for each frame (the time of its tasks
// that start between two consecutive BeginFrame events of the renderer: the slice of work,
// Yew's render, style, layout, paint), and Chrome's frame reporter's verdicts.
function frameWork(events) {
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const tasks = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.name === "RunTask" && e.ph === "X");
  const begins = events.filter((e) => e.name === "BeginFrame" && e.pid === main.pid).map((e) => e.ts).sort((a, b) => a - b);
  const busy = [];
  for (let i = 0; i + 1 < begins.length; i++) {
    let us = 0;
    for (const t of tasks) if (t.ts >= begins[i] && t.ts < begins[i + 1]) us += t.dur;
    if (us > 0) busy.push(us / 1000);
  }
  const states = {};
  for (const e of events) if (e.name === "PipelineReporter" && e.ph === "b" && e.pid === main.pid) {
    const s = e.args?.frame_reporter?.state; states[s] = (states[s] || 0) + 1;
  }
  if (process.env.FRAMES) console.log("  work per frame, in order:", busy.map((b) => b.toFixed(1)).join(" "));
  return { busy: stats(busy), presented: states.STATE_PRESENTED_ALL || 0, partial: states.STATE_PRESENTED_PARTIAL || 0, dropped: states.STATE_DROPPED || 0 };
}

// ---- in the browser ------------------------------------------------------------------------
const { server, url } = await serve(DIST);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  // Time to first interactive render: navigation start to the first enabled "Put item" button.
  await page.addInitScript(() => {
    const seen = () => [...document.querySelectorAll("button")].some((b) => b.textContent.trim() === "Put item" && !b.disabled);
    new MutationObserver((_, obs) => {
      if (!window.__interactive && seen()) { window.__interactive = performance.now(); obs.disconnect(); }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
  await page.goto(url);
  await page.getByRole("button", { name: "Put item" }).waitFor({ timeout: 30000 });
  const interactive = await page.evaluate(() => window.__interactive);
  console.log(`first interactive render: ${interactive.toFixed(0)} ms after navigation start`);

  // With the CPU slowed 4x (Chromium's throttling, as on a school Chromebook), in a context of
  // its own: a 10,000-write burst from an empty stream, with a key pressed into the Seconds
  // field every 50 ms meanwhile (input delay: from each key's event time to its handler), then
  // a 150 KB paste into the rule editor and five keys typed after it.
  {
    const slow = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await slow.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
    const sp = await slow.newPage();
    await sp.goto(url);
    await sp.getByRole("button", { name: "Put item" }).waitFor({ timeout: 30000 });
    const cdp = await slow.newCDPSession(sp);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await sp.evaluate(() => {
      window.__delays = []; window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: "longtask" });
      document.querySelector("input.seconds").addEventListener("keydown", (e) => window.__delays.push(performance.now() - e.timeStamp));
      window.__done = null;
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        const m = /([\d,]+) records?/.exec(document.querySelector(".records-block .count")?.textContent || "");
        if (m && Number(m[1].replace(/,/g, "")) >= 10000) { window.__done = performance.now() - t0; obs.disconnect(); }
      });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Write 10,000 votes").click();
    });
    await sp.locator("input.seconds").focus();
    const t0 = Date.now();
    while (!(await sp.evaluate(() => window.__done)) && Date.now() - t0 < 120000) {
      await sp.keyboard.press("1");
      await sp.waitForTimeout(50);
    }
    const done = await sp.evaluate(() => window.__done);
    const d = stats(await sp.evaluate(() => window.__delays));
    const lt = await sp.evaluate(() => window.__long);
    console.log(`CPU slowed 4x: burst of 10,000 writes ${done === null ? "not done after 120 s" : `${Math.round(done)} ms`} from the click until the count shows 10,000`);
    console.log(`  input delay of keys pressed meanwhile: ${d.n} keys, p50 ${d.p50.toFixed(1)} ms, p95 ${d.p95.toFixed(1)} ms, max ${d.max.toFixed(1)} ms; longest task ${Math.round(Math.max(0, ...lt))} ms`);
    const big = 'on INSERT when new.choice = "tea"\n  count votes by choice\n'.repeat(3000).slice(0, 150000);
    await sp.evaluate((big) => navigator.clipboard.writeText(big), big);
    const rules = sp.getByRole("textbox", { name: "Trigger rules" });
    await rules.focus();
    await sp.keyboard.press("Control+A");
    await sp.evaluate(() => { window.__long = []; });
    let t = Date.now();
    await sp.keyboard.press("Control+V");
    await sp.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const paste = Date.now() - t;
    await sp.waitForTimeout(1500);
    t = Date.now();
    for (let i = 0; i < 5; i++) await sp.keyboard.press("x");
    await sp.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const typed = Date.now() - t;
    await sp.waitForTimeout(1500);
    const plt = await sp.evaluate(() => window.__long);
    console.log(`  150 KB pasted into the rule editor: ${paste} ms to the next frame; 5 keys typed after it: ${typed} ms; longest task ${Math.round(Math.max(0, ...plt))} ms (the check runs once typing pauses)`);
    await slow.close();
  }

  const count = async (p = page) => {
    const t = await p.locator(".records-block .count").first().textContent().catch(() => "");
    const m = /([\d,]+) records?/.exec(t || "");
    return m ? Number(m[1].replace(/,/g, "")) : NaN;
  };
  // Bursts from the "Write 10,000 votes" button (new voters each time, 25 per BatchWriteItem,
  // one slice of work per animation frame). Measured: click to the count showing 10,000 more
  // records; requestAnimationFrame intervals meanwhile; and, from a Chromium trace of the
  // burst, the frame time: the renderer main thread's busy time (its tasks: the slice, Yew's
  // render, style, layout, paint) in each frame interval, with Chrome's own count of frames
  // presented and dropped. First from an empty stream, then with RETAIN records retained.
  const once = async () => {
    const start = await count();
    // Clicked and watched inside the page (a MutationObserver reading the count's text), so
    // the measurement adds no polling of its own to the frames it measures.
    const r = await page.evaluate(({ start, limit }) => new Promise((resolve) => {
      const frames = [];
      let last = performance.now(), stop = false;
      const tick = (t) => { frames.push(t - last); last = t; if (!stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const read = () => {
        const m = /([\d,]+) records?/.exec(document.querySelector(".records-block .count")?.textContent || "");
        return m ? Number(m[1].replace(/,/g, "")) : NaN;
      };
      const t0 = performance.now();
      const finish = () => { stop = true; obs.disconnect(); clearTimeout(timer); resolve({ n: read(), ms: performance.now() - t0, frames }); };
      const obs = new MutationObserver(() => { if (read() >= start + 10000) finish(); });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      const timer = setTimeout(finish, limit);
      [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Write 10,000 votes").click();
    }), { start, limit: 120000 });
    return { start, n: r.n, ms: Math.round(r.ms), done: r.n >= start + 10000, frames: r.frames };
  };
  // `times` bursts one after the other, traced: each burst's time, and the frames of them all.
  const bursts = async (times) => {
    await browser.startTracing(page, { categories: ["disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame", "cc", "benchmark"] });
    const runs = [];
    for (let i = 0; i < times; i++) runs.push(await once());
    const work = frameWork(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
    return { runs, raf: stats(runs.flatMap((r) => r.frames)), work };
  };
  const show = (b, what) => {
    console.log(`${what}: ` + b.runs.map((r) => r.done ? `${r.ms} ms` : `not done after 120 s (${r.n} shown)`).join(", ") +
      ` from the click until the count shows 10,000 more (${b.runs.at(-1).n} in all)`);
    console.log(`  requestAnimationFrame intervals: ${b.raf.text}`);
    console.log(`  main-thread work per frame: ${b.work.busy.text}; frames presented ${b.work.presented}, partially ${b.work.partial}, dropped ${b.work.dropped}`);
  };
  show(await bursts(1), "burst of 10,000 writes, 0 retained before");
  while ((await count()) < RETAIN) await once();
  const retained = await count();
  show(await bursts(3), `3 bursts of 10,000 writes from ${retained} retained (records streaming in)`);
  // The windowed list with everything retained: rows in the DOM at its end, then scrolled to
  // its top (two frames later).
  const list = page.getByRole("list", { name: "Stream records" });
  const rows = () => list.getByRole("listitem").count();
  const atEnd = await rows();
  await page.locator(".records-viewport").evaluate((v) => { v.scrollTop = 0; });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  console.log(`rows in the DOM with ${await count()} records retained: ${atEnd} at the end, ${await rows()} scrolled to the top`);

  // A loop of triggers running with everything retained: a rule that updates the item it was
  // invoked for, on one new item, the simulator's loop guard off, the clock playing at 10x for
  // 10 s (one invocation per 250 ms of simulated time: 40 a second). Frame work traced as above.
  await page.locator(".records-viewport").evaluate((v) => { v.scrollTop = v.scrollHeight; });
  await page.getByRole("textbox", { name: "Trigger rules" })
    .fill('on INSERT, MODIFY when keys.voter = "loop"\n  update Votes key { voter: keys.voter } add n 1');
  // From LATEST: the records retained are not read again.
  const settings = page.locator("details.mapping");
  if (!(await settings.evaluate((d) => d.open))) await settings.locator("summary").click();
  await page.getByLabel("StartingPosition").selectOption("LATEST");
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await page.getByRole("textbox", { name: "Item", exact: true }).fill('{"voter": {"S": "loop"}}');
  await page.getByRole("button", { name: "Put item", exact: true }).click();
  await page.getByRole("button", { name: "Advance clock", exact: true }).waitFor();
  await page.getByRole("spinbutton", { name: "Seconds" }).fill("2");
  await page.getByRole("button", { name: "Advance clock", exact: true }).click();
  await page.getByRole("button", { name: "Turn the guard off" }).click().catch(() => {});
  // A build from before the loop box (loops stopped after 16 invocations then) has no loop to time.
  if (!(await page.locator(".loop-alert").waitFor({ timeout: 30000 }).then(() => true, () => false))) {
    console.log("a loop running: no loop box in this build; skipped");
    await context.close();
    process.exit(0);
  }
  // The clock of `p` playing at 10x for 10 s, traced as the bursts are; paused after, then the
  // figures printed under the line `what()` gives.
  const play = async (p, what) => {
    await browser.startTracing(p, { categories: ["disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame", "cc", "benchmark"] });
    const frames = await p.evaluate(() => new Promise((resolve) => {
      const frames = [];
      let last = performance.now();
      const t0 = last;
      const tick = (t) => { frames.push(t - last); last = t; if (t - t0 < 10000) requestAnimationFrame(tick); else resolve(frames); };
      [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Play").click();
      requestAnimationFrame(tick);
    }));
    const work = frameWork(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
    await p.getByRole("button", { name: "Pause", exact: true }).click();
    console.log(await what());
    console.log(`  requestAnimationFrame intervals: ${stats(frames).text}`);
    console.log(`  main-thread work per frame: ${work.busy.text}; frames presented ${work.presented}, partially ${work.partial}, dropped ${work.dropped}`);
  };
  await play(page, async () => `a loop running, clock playing at 10x for 10 s, ${await count()} records retained: ${await page.locator(".loop-alert p").first().textContent()}`);
  await context.close();

  // An aggregate over a unique key, in a page of its own: 100,000 votes of new voters, a rule
  // counting them by voter (100,000 groups, of which the page shows the largest 100), then
  // the clock playing at 10x for 10 s with no writes: each tick renders the lab, and with it
  // the aggregate's table. Frame work traced as above.
  {
    const agg = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const ap = await agg.newPage();
    await ap.goto(url);
    await ap.getByRole("button", { name: "Put item" }).waitFor({ timeout: 30000 });
    for (let n = 10000; n <= 100000; n += 10000) {
      await ap.getByRole("button", { name: "Write 10,000 votes", exact: true }).click();
      await ap.waitForFunction((n) => new RegExp(`^${n.toLocaleString("en-US")} records$`).test(document.querySelector(".records-block .count")?.textContent || ""), n, { timeout: 120000 });
    }
    await ap.getByRole("textbox", { name: "Trigger rules" }).fill("on INSERT, MODIFY, REMOVE\n  count votes by voter");
    await ap.getByRole("button", { name: "Deploy", exact: true }).click();
    await ap.getByRole("spinbutton", { name: "Seconds" }).fill("3600");
    await ap.getByRole("button", { name: "Advance clock", exact: true }).click();
    await ap.waitForFunction(() => /and 99,?900 smaller groups/.test(document.body.textContent), null, { timeout: 300000 });
    await play(ap, async () => `an aggregate of 100,000 groups (count by a unique key), clock playing at 10x for 10 s, ${await count(ap)} records retained:`);
    await agg.close();
  }
} finally {
  await browser.close();
  server.close();
}
