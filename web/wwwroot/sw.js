// Service worker: keeps the report form and its assets available without a connection, so a
// melder in a dead spot can open /melden (also when already offline), write reports (kept in
// IndexedDB by the page) and have them sent once the connection is back: by Background Sync where
// the browser has it, even with the page closed, else by the page on its next visit (wachtrij.js is
// the one sender both use). Fetches are answered for GET only; POSTs pass through untouched.
importScripts('/js/wachtrij.js');

const CACHE = 'wijkmeldingen-v4';
const VOORAF = [
  '/melden',
  '/huisstijl.css',
  '/huisstijl/logo.svg',
  '/css/site.css',
  '/js/melden.js',
  '/js/huisstijl.js',
  '/js/concept.js',
  '/js/wachtrij.js',
  '/js/exif.js',
  '/lib/leaflet/leaflet.js',
  '/lib/leaflet/leaflet.css',
  '/lib/leaflet/images/marker-icon.png',
  '/lib/leaflet/images/marker-icon-2x.png',
  '/lib/leaflet/images/marker-shadow.png',
  '/kaart/grenzen.geojson?niveau=gemeente',
];

// The pages link their static files under fingerprinted names (/lib/leaflet/leaflet.<hash>.js, cached
// by the browser for a year); the names above are the plain ones (the modules import those). Keep the
// names the cached form links too, read from the form itself, so it opens offline as it was served.
async function vooraf(cache) {
  await cache.addAll(VOORAF);
  const html = await (await cache.match('/melden')).text();
  const gelinkt = [...html.matchAll(/(?:src|href)="(\/(?:lib|css|js)\/[^"?#]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(gelinkt)].filter((pad) => !VOORAF.includes(pad)));
}

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then(vooraf).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((namen) => Promise.all(namen.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const verzoek = event.request;
  const url = new URL(verzoek.url);
  if (verzoek.method !== 'GET' || url.origin !== self.location.origin) return;

  if (verzoek.mode === 'navigate') {
    // Pages: network first (fresh antiforgery token, fresh content); the cached form when offline.
    if (url.pathname !== '/melden') return;
    event.respondWith(fetch(verzoek).then((antwoord) => {
      if (antwoord.ok) caches.open(CACHE).then((cache) => cache.put('/melden', antwoord.clone()));
      return antwoord;
    }).catch(() => caches.match('/melden')));
    return;
  }

  if (url.pathname.startsWith('/lib/') || url.pathname.startsWith('/css/') || url.pathname.startsWith('/js/')
      || url.pathname === '/huisstijl.css' || url.pathname.startsWith('/huisstijl/')
      || url.pathname === '/kaart/grenzen.geojson') {
    // Assets: answer from the cache at once, refresh it in the background.
    event.respondWith(caches.match(verzoek, { ignoreSearch: !url.pathname.startsWith('/kaart/') }).then((bewaard) => {
      const vers = fetch(verzoek).then((antwoord) => {
        if (antwoord.ok) caches.open(CACHE).then((cache) => cache.put(verzoek, antwoord.clone()));
        return antwoord;
      }).catch(() => bewaard);
      return bewaard || vers;
    }));
  }
});

// Background Sync: the page registers this tag when it puts a report in the outbox. A rejection
// (still unreachable) makes the browser try again later.
self.addEventListener('sync', (event) => {
  if (event.tag === 'meldingen-versturen') event.waitUntil(self.WijkWachtrij.verstuurAlles());
});
