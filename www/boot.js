// Starts the wasm app. Trunk's default loader is an inline <script>, which a strict
// Content-Security-Policy (script-src 'self') blocks; Trunk.toml's pattern_script replaces it
// with <script type="module" src="boot.js" data-js=... data-wasm=...>, and this file does
// what the inline loader did.
// When it fails, the help in index.html's #boot shows at once, with the browser's reason.
const tag = document.querySelector("script[data-js][data-wasm]");
try {
  const { default: init } = await import(tag.dataset.js);
  const wasm = await init({ module_or_path: tag.dataset.wasm });
  dispatchEvent(new CustomEvent("TrunkApplicationStarted", { detail: { wasm } }));
} catch (e) {
  const boot = document.getElementById("boot");
  if (boot) {
    boot.classList.add("boot-failed");
    boot.querySelector(".boot-why").textContent = `The browser said: ${e && e.message ? e.message : e}`;
  }
  throw e;
}
