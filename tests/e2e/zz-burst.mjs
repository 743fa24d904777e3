import { chromium } from "playwright-core";
import { serve } from "./server.mjs";
const { server, url } = await serve(process.argv[2] || "/work/main/dist");
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
for (const rate of [1, 4]) {
const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
const page = await context.newPage();
await page.goto(url);
await page.getByRole("button", { name: "Put item" }).waitFor();
const cdp = await context.newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate });
await page.evaluate(() => { window.__d = []; window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: "longtask" }); document.querySelector("input.seconds").addEventListener("keydown", (e) => window.__d.push(performance.now() - e.timeStamp)); });
const t0 = Date.now();
await page.getByRole("button", { name: "Write 10,000 votes" }).click();
await page.locator("input.seconds").focus();
let done = 0;
while (!done) { await page.keyboard.press("1"); await page.waitForTimeout(30); if (/10,000 records/.test(await page.locator(".records-block .count").textContent())) done = Date.now() - t0; if (Date.now() - t0 > 60000) break; }
const d = (await page.evaluate(() => window.__d)).sort((a, b) => a - b);
const lt = (await page.evaluate(() => window.__long)).sort((a, b) => a - b);
console.log(`rate ${rate}: burst ${done} ms (polled); keydown delay n ${d.length} p50 ${d[d.length >> 1]?.toFixed(1)} p95 ${d[Math.floor(d.length * 0.95)]?.toFixed(1)} max ${d.at(-1)?.toFixed(1)}; long tasks n ${lt.length} max ${lt.at(-1)?.toFixed(0)}`);
await context.close();
}
await browser.close(); server.close();
