// Trunk post_build hook (Trunk.toml), release builds only, after scripts/minify.mjs: makes the
// built site work offline after one visit (README, "Offline classrooms").
// - Writes sw.js (from www/sw.js) into the staging directory with the list of files to keep
//   (every file of the build, and the lessons and quizzes of www/) and a version, a hash of
//   those files: a new build with any change is a new worker, which the page notices.
// - Marks the loader's <script> in index.html with data-sw, so that boot.js registers the
//   worker (debug builds, `trunk serve`, have none).
// The lessons and quizzes are read from www/, not the staging directory: the hook that copies
// them there runs at the same time as this one (trunk runs a stage's hooks together).
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { minify } from "terser";

if (process.env.TRUNK_PROFILE !== "release") process.exit(0);
const dir = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR;
if (!dir || !source) throw new Error("TRUNK_STAGING_DIR or TRUNK_SOURCE_DIR is not set: run this as a trunk hook");

/** Every file under `d`, as [path relative to `root` with "/", absolute path]. */
async function files(d, root) {
  const out = [];
  for (const e of await readdir(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...(await files(p, root)));
    else if (!e.name.startsWith(".")) out.push([relative(root, p).split(sep).join("/"), p]);
  }
  return out;
}

const htmlPath = join(dir, "index.html");
const html = await readFile(htmlPath, "utf8");
const marked = html.replace(/(<script type="module" src="[^"]*boot\.js")/, '$1 data-sw="sw.js"');
if (marked === html) throw new Error("offline.mjs: the boot.js <script> was not found in index.html");
await writeFile(htmlPath, marked);

const built = (await files(dir, dir)).filter(([name]) => !/^(lessons|quizzes)\//.test(name) && name !== "sw.js");
const taught = [];
for (const folder of ["lessons", "quizzes"]) {
  for (const [name, path] of await files(join(source, "www", folder), join(source, "www"))) {
    if (name.endsWith(".json")) taught.push([name, path]);
  }
}
const all = [...built, ...taught].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const hash = createHash("sha256");
for (const [name, path] of all) hash.update(name + "\0").update(await readFile(path)).update("\0");
const precache = { version: hash.digest("hex").slice(0, 16), files: all.map(([name]) => name) };

const worker = (await readFile(join(source, "www", "sw.js"), "utf8")).replace(
  "const { version: VERSION, files: FILES } = PRECACHE;",
  `const { version: VERSION, files: FILES } = ${JSON.stringify(precache)};`,
);
if (!worker.includes(precache.version)) throw new Error("offline.mjs: www/sw.js has no PRECACHE to fill in");
const { code } = await minify(worker, { compress: true, mangle: true });
await writeFile(join(dir, "sw.js"), code);
console.log(`offline.mjs: sw.js version ${precache.version}, ${precache.files.length} files`);
