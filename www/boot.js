// Starts the wasm app. Trunk's default loader is an inline <script>, which a strict
// Content-Security-Policy (script-src 'self') blocks; Trunk.toml's pattern_script replaces it
// with <script type="module" src="boot.js" data-js=... data-wasm=...>, and this file does
// what the inline loader did.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(tag.dataset.js);
const wasm = await init({ module_or_path: tag.dataset.wasm });
dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
