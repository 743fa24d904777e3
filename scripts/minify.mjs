// Trunk post_build hook (Trunk.toml), release builds only, in the staging directory:
// - shortens the names that join each wasm module to its wasm-bindgen glue, in both files
//   (scripts/wasm-names.mjs; 5.6 KB less after gzip, 3.4-4.1 KB after brotli, measured 2026-12-07);
// - minifies the page's JavaScript (the glue, its snippets, the loader) with terser and its CSS
//   with lightningcss (about 3.4 KB less after gzip);
// - updates the Subresource Integrity hashes trunk wrote into index.html for those files.
// Sizes: docs/benchmarks.md, "Page". Trunk's own minifier cannot parse the glue (it warns and
// copies it as it is), so it stays off.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { transform } from "lightningcss";
import { minify } from "terser";
import { shortenNames } from "./wasm-names.mjs";

if (process.env.TRUNK_PROFILE !== "release") process.exit(0);
const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error("TRUNK_STAGING_DIR is not set: run this as a trunk hook");

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");

/** The files under `d` whose names end with one of `endings`. */
async function assets(d, endings) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...(await assets(p, endings)));
    else if (endings.some((end) => e.name.endsWith(end))) out.push(p);
  }
  return out;
}

async function minified(file, text) {
  if (file.endsWith(".css")) return transform({ filename: file, code: Buffer.from(text), minify: true }).code.toString("utf8");
  return (await minify(text, { module: true, compress: true, mangle: true })).code;
}

const htmlPath = join(dir, "index.html");
let html = await readFile(htmlPath, "utf8");
// The integrity hashes in index.html are those of the files as trunk wrote them.
const original = new Map();
const read = async (file) => {
  const bytes = await readFile(file);
  if (!original.has(file)) original.set(file, bytes);
  return bytes;
};

// STREAMLAB_WASM_NAMES=keep leaves wasm-bindgen's names as they are (to measure what the renaming saves).
const rename = process.env.STREAMLAB_WASM_NAMES !== "keep";
for (const wasmFile of rename ? await assets(dir, ["_bg.wasm"]) : []) {
  const glue = wasmFile.slice(0, -"_bg.wasm".length) + ".js";
  const { wasm, js } = shortenNames(await read(wasmFile), (await read(glue)).toString("utf8"));
  await writeFile(wasmFile, wasm);
  await writeFile(glue, js);
  html = html.replaceAll(sri(original.get(wasmFile)), sri(wasm));
}

for (const file of await assets(dir, [".js", ".css"])) {
  const text = (await read(file)).toString("utf8");
  const code = await minified(file, text);
  if (typeof code !== "string" || code.length === 0) throw new Error(`the minifier gave nothing for ${file}`);
  await writeFile(file, code);
  html = html.replaceAll(sri(original.get(file)), sri(Buffer.from(code)));
}
await writeFile(htmlPath, html);
