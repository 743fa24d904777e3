// StreamLab's service worker: after one visit, the app, its lessons and its quizzes work with
// the network off (README, "Offline classrooms"). Release builds only: scripts/offline.mjs
// (a Trunk.toml post_build hook) writes this file into dist/ with the list of the build's files
// and a version (a hash of them) in place of PRECACHE below, and boot.js registers it.
//
// - The build's files (the page, its hashed JavaScript, wasm and CSS, the lessons and quizzes)
//   are cached when this worker installs and served from the cache first.
// - lessons/index.json and quizzes/index.json are asked of the network first (an instructor may
//   add files to a published site), and of the cache when the network fails.
// - A new build is a new worker: it waits while a page uses this one, boot.js shows the
//   "new version" notice, and its Reload button sends "activate" (skipWaiting).
// Everything is relative to this file's folder, so the site works under any sub-path, and its
// caches are named after that folder so that two copies on one origin keep theirs.
const { version: VERSION, files: FILES } = PRECACHE;
const SCOPE = new URL("./", self.location).href;
const PREFIX = `streamlab ${SCOPE} `;
const CACHE = PREFIX + VERSION;
const INDEX = new URL("index.html", SCOPE).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((f) => new Request(new URL(f, SCOPE), { cache: "reload" })))),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)))),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "activate") self.skipWaiting();
});

/** The cached answer for `url`, or the network's. */
async function cacheFirst(request, url) {
  const cached = await caches.match(url, { cacheName: CACHE });
  return cached || fetch(request);
}

/** How long an index.json waits for the network before the cached copy is used (a flaky
 *  classroom network must not hang the lesson and quiz menus; the answer, when it comes, still
 *  updates the cache). */
const NETWORK_WAIT_MS = 3000;

/** The network's answer (kept for later), or the cached one when the network fails or is slower
 *  than NETWORK_WAIT_MS. */
async function networkFirst(request, url) {
  const network = fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url, copy)).catch(() => {});
    }
    return response;
  });
  network.catch(() => {});
  const cachedAfterWait = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS))
    .then(() => caches.match(url, { cacheName: CACHE }));
  try {
    // The network's answer, or after the wait the cached copy; with no copy, the network's.
    return (await Promise.race([network, cachedAfterWait])) || (await network);
  } catch (e) {
    const cached = await caches.match(url, { cacheName: CACHE });
    if (cached) return cached;
    throw e;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE)) return;
  const url = request.url.split(/[?#]/)[0];
  const path = url.slice(SCOPE.length);
  if (request.mode === "navigate") {
    // The page itself, whatever its query (?embed=1) or fragment.
    if (path === "" || path === "index.html") event.respondWith(cacheFirst(request, INDEX));
  } else if (path === "lessons/index.json" || path === "quizzes/index.json") {
    event.respondWith(networkFirst(request, url));
  } else if (FILES.includes(path)) {
    event.respondWith(cacheFirst(request, url));
  }
});
