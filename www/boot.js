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

// Offline use (README, "Offline classrooms"): release builds mark this <script> with data-sw,
// the service worker beside this file (scripts/offline.mjs writes it). Registered once the app
// runs, and silently not where the browser refuses it (cookies and site data blocked, an LMS
// frame that forbids it, some private windows): the page works as before, online. A new version installed while the page is open
// waits; the page is told (the "streamlab-update" event, and data-update="ready" on <html> for
// an app that starts listening later), and its "streamlab-reload" event activates the new
// version, then reloads (the lab is saved in localStorage after every change).
if (tag.dataset.sw) {
  try {
    const workers = navigator.serviceWorker;
    const ready = () => {
      document.documentElement.dataset.update = "ready";
      dispatchEvent(new Event("streamlab-update"));
    };
    workers.register(new URL(tag.dataset.sw, tag.src)).then((reg) => {
      const watch = (w) => w && w.addEventListener("statechange", () => {
        if (w.state === "installed" && workers.controller) ready();
      });
      if (reg.waiting && workers.controller) ready();
      watch(reg.installing);
      reg.addEventListener("updatefound", () => watch(reg.installing));
      // A page left open through a class still hears of a new build (the browser itself looks
      // when a page is opened).
      setInterval(() => reg.update().catch(() => {}), 60 * 60 * 1000);
      addEventListener("streamlab-reload", () => {
        if (!reg.waiting) return location.reload();
        workers.addEventListener("controllerchange", () => location.reload());
        reg.waiting.postMessage("activate");
      });
    }, () => {});
  } catch {
    // No service workers here (navigator.serviceWorker is missing or refused): online only.
  }
}
