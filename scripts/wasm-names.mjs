// Shortens the names that join the wasm module to its wasm-bindgen glue, in both files at once
// (called by scripts/minify.mjs on release builds). wasm-bindgen names each import
// `__wbg_<method>_<16 hex digits>` and each closure adapter after its full Rust path; every
// such name is written twice, once in the wasm's import or export section and once in the
// glue, and the hex digits are random text that gzip cannot shrink (about 2.5 KB of the page
// after gzip, docs/benchmarks.md "Page"). Renaming is safe because the two files only meet
// through these names: the glue hands `{ [module]: { [name]: function } }` to
// `WebAssembly.instantiate` and reads exports as `wasm.<name>`.
//
// The rewrite refuses (throws) rather than guess: every import module and name it renames must
// occur in the glue exactly where expected, and an export is renamed only when every mention of
// it in the glue is a property read `.name`. Nothing else in the module changes.
//
// Kept because it is measured to matter (docs/benchmarks.md, "Page"): 2026-12-07, the
// release page built both ways from the same commit (efc9354), sizes by
// scripts/page-bench.mjs's method (Node's zlib, gzip level 9, brotli quality 11):
//
//   . scripts/env.sh
//   trunk build --release --offline --dist /tmp/names
//   STREAMLAB_WASM_NAMES=keep trunk build --release --offline --dist /tmp/keep
//
//   (KB of 1,024 bytes)  gzip -9                    brotli -q 11
//                      renamed  kept    saved     renamed  kept    saved
//   wasm               338.4    341.7   3.4 KB    277.3    278.8   1.6 KB
//   JS (3 files)         4.5      6.5   2.1 KB      4.0      5.7   1.7 KB
//   page (wasm+JS+CSS) 348.1    353.6   5.5 KB    285.9    289.3   3.3 KB
//
// (A pair of builds of slightly different code saved the same 5.5 KB gzip and 4.0 KB brotli:
// brotli's figure moves by a few tenths with the order wasm-opt gives the functions.)
// Against the page budget of 350 KB gzip, 5.5 KB is more than the margin the page has ever
// had (2.1 KB at the 347.9 KB measured on 2026-11-24).
// Cost: this script (223 lines without this note), its tests (tests/e2e/names.test.mjs, 105
// lines) and 10 lines in minify.mjs.

/** Reads an unsigned LEB128 at `pos`; returns [value, next position]. */
function leb(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (pos >= bytes.length) throw new Error("wasm: truncated LEB128");
    const byte = bytes[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7;
    if (shift > 63) throw new Error("wasm: LEB128 too long");
  }
}

function encodeLeb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function readName(bytes, pos) {
  const [len, start] = leb(bytes, pos);
  const end = start + len;
  if (end > bytes.length) throw new Error("wasm: truncated name");
  return [utf8.decode(bytes.subarray(start, end)), end];
}

function writeName(out, name) {
  const b = encoder.encode(name);
  out.push(...encodeLeb(b.length));
  for (const x of b) out.push(x);
}

/** Skips a `limits` (table and memory types: flags, min, max when flags & 1). */
function skipLimits(bytes, pos) {
  const flags = bytes[pos++];
  [, pos] = leb(bytes, pos);
  if (flags & 1) [, pos] = leb(bytes, pos);
  return pos;
}

/** The end of an import's description starting at `pos` (its kind byte). */
function skipImportDesc(bytes, pos) {
  const kind = bytes[pos++];
  switch (kind) {
    case 0: // function: type index
      return leb(bytes, pos)[1];
    case 1: // table: reference type, limits
      return skipLimits(bytes, pos + 1);
    case 2: // memory: limits
      return skipLimits(bytes, pos);
    case 3: // global: value type, mutability
      return pos + 2;
    case 4: // tag: attribute, type index
      return leb(bytes, pos + 1)[1];
    default:
      throw new Error(`wasm: unknown import kind ${kind}`);
  }
}

/** Short identifiers: a..z, A..Z, then two characters and more, skipping `taken`. */
function* shortNames(taken) {
  const first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const rest = first + "0123456789";
  for (let n = 0; ; n++) {
    let i = n;
    let name = first[i % first.length];
    i = Math.floor(i / first.length);
    while (i > 0) {
      i -= 1;
      name += rest[i % rest.length];
      i = Math.floor(i / rest.length);
    }
    if (!taken.has(name)) yield name;
  }
}

/**
 * The entries of the import (id 2) or export (id 7) section `[id, start, end]`: `{ module,
 * name, desc }` for imports, `{ name, desc }` for exports, `desc` the description's bytes.
 */
function readEntries(bytes, [id, start, end]) {
  let [n, pos] = leb(bytes, start);
  const entries = [];
  for (let i = 0; i < n; i++) {
    const e = {};
    if (id === 2) [e.module, pos] = readName(bytes, pos);
    [e.name, pos] = readName(bytes, pos);
    // An export's description: its kind, then an index.
    const descEnd = id === 2 ? skipImportDesc(bytes, pos) : leb(bytes, pos + 1)[1];
    e.desc = bytes.subarray(pos, descEnd);
    entries.push(e);
    pos = descEnd;
  }
  if (pos !== end) throw new Error(`wasm: section ${id} has trailing bytes`);
  return entries;
}

/** The contents of a section of `entries` (as `readEntries` gives them). */
function writeEntries(entries) {
  const out = [...encodeLeb(entries.length)];
  for (const e of entries) {
    if (e.module !== undefined) writeName(out, e.module);
    writeName(out, e.name);
    for (const x of e.desc) out.push(x);
  }
  return out;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const count = (text, re) => (text.match(re) || []).length;

/**
 * Returns `{ wasm, js, renamed }`: the module and glue with the imports' module and names and
 * the glue-only exports renamed, and how many names changed.
 */
export function shortenNames(wasmBytes, jsText) {
  const bytes = wasmBytes instanceof Uint8Array ? wasmBytes : new Uint8Array(wasmBytes);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error("wasm: not a WebAssembly module");
  }
  // Sections: [id, start of contents, end of contents].
  const sections = [];
  for (let pos = 8; pos < bytes.length; ) {
    const id = bytes[pos];
    const [size, start] = leb(bytes, pos + 1);
    if (start + size > bytes.length) throw new Error("wasm: truncated section");
    sections.push([id, start, start + size]);
    pos = start + size;
  }

  let js = jsText;
  let renamed = 0;
  const replaced = new Map(); // section id -> new contents

  const imports = sections.find((s) => s[0] === 2);
  if (imports) {
    const entries = readEntries(bytes, imports);
    const modules = new Map(); // module -> { short, names: Map(name -> short), ids }
    const moduleIds = shortNames(new Set());
    for (const e of entries) {
      if (!modules.has(e.module)) {
        // The glue's import object has the module as a quoted key: "./x_bg.js":t
        const quoted = new RegExp(`(["'])${escape(e.module)}\\1(?=\\s*:)`, "g");
        if (count(js, quoted) !== 1) throw new Error(`glue: import module ${e.module} is not one key`);
        const short = moduleIds.next().value;
        js = js.replace(quoted, `"${short}"`);
        modules.set(e.module, { short, names: new Map(), ids: shortNames(new Set()) });
        renamed++;
      }
      const m = modules.get(e.module);
      if (!m.names.has(e.name)) {
        // Each name is a key of the module's object, `name:` or `name(`, and occurs once.
        const word = new RegExp(`(?<![\\w$])${escape(e.name)}(?![\\w$])`, "g");
        if (count(js, word) !== 1) throw new Error(`glue: import ${e.name} does not occur exactly once`);
        const short = m.ids.next().value;
        js = js.replace(word, short);
        m.names.set(e.name, short);
        renamed++;
      }
    }
    for (const e of entries) {
      const m = modules.get(e.module);
      [e.module, e.name] = [m.short, m.names.get(e.name)];
    }
    replaced.set(2, writeEntries(entries));
  }

  const exports = sections.find((s) => s[0] === 7);
  if (exports) {
    const entries = readEntries(bytes, exports);
    const ids = shortNames(new Set(entries.map((e) => e.name)));
    for (const e of entries) {
      // Renamed only when long enough to matter and read by the glue only as `.name`.
      if (e.name.length < 8 || !/^[A-Za-z_$][\w$]*$/.test(e.name)) continue;
      const any = new RegExp(`(?<![\\w$])${escape(e.name)}(?![\\w$])`, "g");
      const reads = new RegExp(`(?<=[\\w$)\\]]\\s*\\.)${escape(e.name)}(?![\\w$])`, "g");
      const mentions = count(js, any);
      if (mentions === 0 || count(js, reads) !== mentions) continue;
      const short = ids.next().value;
      js = js.replace(reads, short);
      e.name = short;
      renamed++;
    }
    replaced.set(7, writeEntries(entries));
  }

  const parts = [bytes.subarray(0, 8)];
  for (const [id, start, end] of sections) {
    const contents = replaced.get(id) ?? bytes.subarray(start, end);
    parts.push(Uint8Array.of(id, ...encodeLeb(contents.length)));
    parts.push(contents instanceof Uint8Array ? contents : Uint8Array.from(contents));
  }
  const size = parts.reduce((a, p) => a + p.length, 0);
  const wasm = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    wasm.set(p, at);
    at += p.length;
  }
  return { wasm, js, renamed };
}
