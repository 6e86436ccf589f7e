/**
 * Service worker core shared by the vaccinator and verifier apps: the app shell is cached at
 * install and served network-first (a new build wins when online, the cached copy when not);
 * listed API GETs are cached the same way. A new build id (scripts/build-web.ts) replaces the cache.
 */
declare const self: any;
declare const BUILD_ID: string;

export function installServiceWorker(opts: { name: string; shell: string[]; cacheApi: (url: URL) => boolean }): void {
  const cacheName = `${opts.name}-${BUILD_ID}`;
  self.addEventListener('install', (event: any) => {
    event.waitUntil(
      caches
        .open(cacheName)
        .then((c) => c.addAll(opts.shell))
        .then(() => self.skipWaiting()),
    );
  });
  self.addEventListener('activate', (event: any) => {
    event.waitUntil(
      caches
        .keys()
        .then((keys) => Promise.all(keys.filter((k) => k.startsWith(`${opts.name}-`) && k !== cacheName).map((k) => caches.delete(k))))
        .then(() => self.clients.claim()),
    );
  });
  self.addEventListener('fetch', (event: any) => {
    const req: Request = event.request;
    if (req.method !== 'GET') return;
    const url = new URL(req.url);
    if (url.origin !== self.location.origin) return;
    const shell = opts.shell.includes(url.pathname) || req.mode === 'navigate';
    // Authorised API reads are cached per URL only for this app's own lists (never PII from other apps).
    if (!shell && !opts.cacheApi(url)) return;
    event.respondWith(
      fetch(req)
        .then(async (res) => {
          if (res.ok) {
            const copy = res.clone();
            await caches.open(cacheName).then((c) => c.put(shell ? url.pathname : req, copy));
          }
          return res;
        })
        .catch(async () => (await caches.match(shell ? url.pathname : req, { ignoreVary: true })) ?? (await caches.match(opts.shell[0]!)) ?? Response.error()),
    );
  });
}
