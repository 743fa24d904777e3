// Page figures of the release build (dist/) in Debian's Chromium, driven by playwright-core:
// asset bytes after gzip and brotli, time to the first interactive render, a burst of 10,000
// writes until the last record is shown, and frame times while records stream with many
// retained. Prints figures; asserts nothing about time. Run by scripts/bench.sh, or by hand:
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

  const count = async () => {
    const t = await page.locator(".records-block .count").first().textContent().catch(() => "");
    const m = /([\d,]+) records?/.exec(t || "");
    return m ? Number(m[1].replace(/,/g, "")) : NaN;
  };
  // Bursts from the "Write 10,000 votes" button (new voters each time, 25 per BatchWriteItem,
  // in slices between frames). Measured: click to the count showing 10,000 more records, and
  // requestAnimationFrame intervals meanwhile; first from an empty stream, then while records
  // stream in with RETAIN records already retained.
  const burst = async () => {
    const start = await count();
    await page.evaluate(() => {
      window.__frames = [];
      window.__stop = false;
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    const t0 = Date.now();
    await page.getByRole("button", { name: "Write 10,000 votes", exact: true }).click();
    let n = await count();
    while (!(n >= start + 10000) && Date.now() - t0 < 120000) { await page.waitForTimeout(5); n = await count(); }
    const ms = Date.now() - t0;
    const frames = await page.evaluate(() => { window.__stop = true; return window.__frames; });
    frames.sort((a, b) => a - b);
    const pct = (p) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))] || NaN;
    return { start, n, ms, done: n >= start + 10000, frames: frames.length, p50: pct(0.5), p95: pct(0.95), max: frames[frames.length - 1] };
  };
  const show = (b, what) => console.log(`${what}: ${b.done ? b.ms + " ms from the click until the count shows " + b.n : "not done after 120 s (" + b.n + " shown)"}; ` +
    `frames: ${b.frames}, p50 ${b.p50.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms, max ${b.max?.toFixed(1)} ms`);
  show(await burst(), "burst of 10,000 writes, 0 retained before");
  while ((await count()) < RETAIN) await burst();
  show(await burst(), `burst of 10,000 more writes with ${await count() - 10000} retained (records streaming in)`);
  // Scrolling the windowed list to its end and back with everything retained.
  const list = page.getByRole("list", { name: "Stream records" });
  const scroller = list.locator("xpath=ancestor-or-self::*[contains(@class,'scroll') or contains(@class,'window')][1]");
  console.log(`rows in the DOM with ${await count()} records retained: ${await list.getByRole("listitem").count()}` + (await scroller.count() ? "" : " (no scroll container found)"));
  await context.close();
} finally {
  await browser.close();
  server.close();
}
