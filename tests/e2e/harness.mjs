// What every end-to-end test file shares: where things are, how Chromium is launched (Debian's,
// never a downloaded one), and serving a built site. Not a test file itself.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./server.mjs";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

/** Serves `site` (a built dist/, or a folder holding one under a sub-path) on 127.0.0.1 and
 *  launches Chromium: `{ server, url, browser }`. `index` is the index.html that must exist. */
export async function start(site, index = site + "/index.html") {
  assert.ok(existsSync(index), `${index} is missing: run trunk build --release --offline`);
  await mkdir(ARTIFACTS, { recursive: true });
  const { server, url } = await serve(site);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  return { server, url, browser };
}

/** Closes what `start` opened. */
export async function stop({ server, browser } = {}) {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done()));
}
