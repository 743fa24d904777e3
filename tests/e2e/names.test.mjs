// The release build's renaming of the names that join the wasm to its glue
// (scripts/wasm-names.mjs, run by scripts/minify.mjs): on a small module built here byte by
// byte, and on the built dist/ (whose pages every other e2e test then drives).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { shortenNames } from "../../scripts/wasm-names.mjs";
import { ROOT } from "./harness.mjs";

const name = (s) => [s.length, ...Buffer.from(s)];
const leb = (n) => (n < 128 ? [n] : [(n % 128) | 128, ...leb(Math.floor(n / 128))]);
const section = (id, bytes) => [id, ...leb(bytes.length), ...bytes];

/** A module importing a function, a memory, a table and a global from `./m_bg.js`, exporting
 *  `run(x) = double(x) + seven` under two names. */
function module() {
  const m = "./m_bg.js";
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]), // type 0: (i32) -> i32
    ...section(2, [4,
      ...name(m), ...name("__wbg_double_0123456789abcdef"), 0, 0,
      ...name(m), ...name("__wbg_memory_fedcba9876543210"), 2, 0, 1,
      ...name(m), ...name("__wbg_table_00112233aabbccdd"), 1, 0x70, 1, 1, 2,
      ...name(m), ...name("__wbg_seven_ffeeddccbbaa9988"), 3, 0x7f, 0,
    ]),
    ...section(3, [1, 0]), // one function, type 0
    ...section(7, [2,
      ...name("run_adapter_with_a_long_name"), 0, 1,
      ...name("also_named_in_a_string"), 0, 1,
    ]),
    ...section(10, [1, 9, 0, 0x20, 0, 0x10, 0, 0x23, 0, 0x6a, 0x0b]), // x -> double(x) + seven
  ]);
}

const GLUE = `
function imports() {
  const t = { __proto__: null,
    __wbg_double_0123456789abcdef: function (x) { return 2 * x; },
    __wbg_memory_fedcba9876543210: new WebAssembly.Memory({ initial: 1 }),
    __wbg_table_00112233aabbccdd: new WebAssembly.Table({ initial: 1, maximum: 2, element: "anyfunc" }),
    __wbg_seven_ffeeddccbbaa9988: new WebAssembly.Global({ value: "i32", mutable: false }, 7),
  };
  return { __proto__: null, "./m_bg.js": t };
}
function run(wasm, x) { return wasm.run_adapter_with_a_long_name(x); }
function named(wasm) { return wasm["also_named_in_a_string"]; }
`;

const load = (js) => new Function(`${js}; return { imports, run, named };`)();

describe("shortening the wasm's import and export names (release builds)", () => {
  test("the renamed module and glue still work together, and the long names are gone", () => {
    const { wasm, js, renamed } = shortenNames(module(), GLUE);
    const glue = load(js);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), glue.imports());
    assert.equal(glue.run(instance.exports, 5), 17);
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
    assert.deepEqual(imports.map((i) => i.kind), ["function", "memory", "table", "global"]);
    for (const i of imports) {
      assert.ok(i.module.length === 1 && i.name.length <= 2, `${i.module} ${i.name} is short`);
    }
    assert.doesNotMatch(js, /__wbg_|m_bg\.js|run_adapter_with_a_long_name/);
    // The module name plus four imports plus one export.
    assert.equal(renamed, 6);
  });

  test("an export the glue names in a string is left as it is", () => {
    const { wasm, js } = shortenNames(module(), GLUE);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);
    assert.ok(exports.includes("also_named_in_a_string"));
    assert.ok(!exports.includes("run_adapter_with_a_long_name"));
    const glue = load(js);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), glue.imports());
    assert.equal(glue.named(instance.exports)(1), 9);
  });

  test("it refuses a glue that names an import twice or not at all, rather than guess", () => {
    const twice = GLUE + "\nconst again = '__wbg_double_0123456789abcdef';";
    assert.throws(() => shortenNames(module(), twice), /__wbg_double_0123456789abcdef does not occur exactly once/);
    const missing = GLUE.replace("__wbg_seven_ffeeddccbbaa9988", "__wbg_seven_other");
    assert.throws(() => shortenNames(module(), missing), /__wbg_seven_ffeeddccbbaa9988/);
    assert.throws(() => shortenNames(Uint8Array.of(1, 2, 3), GLUE), /not a WebAssembly module/);
    const truncated = module().subarray(0, 40);
    assert.throws(() => shortenNames(truncated, GLUE), /truncated/);
  });

  test("the built dist/: short import names, and every integrity hash matches its file", () => {
    const dist = join(ROOT, "dist");
    const wasmFile = readdirSync(dist).find((f) => f.endsWith("_bg.wasm"));
    assert.ok(wasmFile, "dist/ has the wasm: run trunk build --release --offline");
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(join(dist, wasmFile))));
    assert.ok(imports.length > 100, `${imports.length} imports`);
    for (const i of imports) assert.ok(i.name.length <= 3 && i.module.length <= 2, `import ${i.module} ${i.name}`);
    const html = readFileSync(join(dist, "index.html"), "utf8");
    const links = [...html.matchAll(/href="\/?([^"]+)"[^>]*integrity="(sha384-[^"]+)"/g)];
    assert.ok(links.some(([, f]) => f.endsWith(".wasm")) && links.some(([, f]) => f.endsWith(".js")));
    for (const [, file, integrity] of links) {
      const digest = "sha384-" + createHash("sha384").update(readFileSync(join(dist, file))).digest("base64");
      assert.equal(digest, integrity, `integrity of ${file}`);
    }
  });
});
