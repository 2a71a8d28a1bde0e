/// <reference lib="webworker" />
/**
 * Territoire's service worker (registered by src/pwa.ts as /sw.js?api=<API URL>). It precaches the
 * built shell, answers navigations from the cache when offline, and answers the API's GETs
 * network first with the last answer as a fallback marked stale (policy.ts decides which
 * request gets what). Built by the `service-worker` plugin of vite.config.ts, which replaces
 * __PRECACHE__ and __VERSION__ with the build's file list and its hash.
 */
import { apiCacheName, cacheable, OUTBOX_SYNC_TAG, RUNTIME_CACHE, SHELL_CACHE_PREFIX, staleHeaders, strategyFor } from './policy';

declare const self: ServiceWorkerGlobalScope;
declare const __PRECACHE__: string[];
declare const __VERSION__: string;

const PRECACHE: string[] = __PRECACHE__;
const SHELL = SHELL_CACHE_PREFIX + __VERSION__;
const API_URL = new URL(self.location.href).searchParams.get('api') ?? undefined;

self.addEventListener('install', (event) => {
  // cache: 'reload' so that the HTTP cache cannot hand an older index.html to a new shell.
  // config.json too, in the runtime cache: the page that installs the worker read it before the worker was there,
  // and the client cannot start offline without it (it is refreshed at each online start, network first).
  event.waitUntil(
    Promise.all([
      caches.open(SHELL).then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })))),
      caches.open(RUNTIME_CACHE).then((cache) => cache.add(new Request('/config.json', { cache: 'no-store' }))),
    ]).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(SHELL_CACHE_PREFIX) && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const strategy = strategyFor(event.request, self.location.origin, API_URL, PRECACHE);
  switch (strategy.kind) {
    case 'shell':
      event.respondWith(networkFirst(event.request, SHELL, '/index.html'));
      break;
    case 'config':
      event.respondWith(networkFirst(event.request, RUNTIME_CACHE));
      break;
    case 'precached':
      event.respondWith(caches.match(event.request, { cacheName: SHELL }).then((hit) => hit ?? fetch(event.request)));
      break;
    case 'api':
      event.respondWith(api(event));
      break;
    default:
    // not answered here: the browser goes to the network as if there were no worker
  }
});

async function networkFirst(request: Request, cacheName: string, fallbackPath?: string): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const res = await fetch(request);
    if (res.ok && !fallbackPath) await cache.put(request, res.clone());
    return res;
  } catch (e) {
    const hit = await cache.match(fallbackPath ?? request, { ignoreSearch: !!fallbackPath });
    if (hit) return hit;
    throw e;
  }
}

/** Network first; an answer kept for offline carries the time it was stored, which the page shows ("hors ligne — données du …"). */
async function api(event: FetchEvent): Promise<Response> {
  const request = event.request;
  const cache = await caches.open(await apiCacheName(request.headers.get('authorization')));
  try {
    const res = await fetch(request);
    if (cacheable(res)) {
      // Stored after the page has its answer (waitUntil keeps the worker alive for it), so caching adds no latency.
      const copy = res.clone();
      const storedAt = new Date().toISOString();
      event.waitUntil(copy.arrayBuffer().then((body) => cache.put(request.url, new Response(body, { status: 200, headers: staleHeaders(copy.headers, storedAt) }))));
    }
    return res;
  } catch (e) {
    const hit = await cache.match(request.url, { ignoreVary: true });
    if (hit) return hit;
    throw e;
  }
}

// Background Sync: the token lives in the page's memory only (docs/decisions.md), so the worker cannot send the
// outbox itself; it asks the open pages to. With no page open the sync fails and the browser tries again later.
self.addEventListener('sync', (event: Event) => {
  const sync = event as Event & { tag: string; waitUntil(p: Promise<unknown>): void };
  if (sync.tag !== OUTBOX_SYNC_TAG) return;
  sync.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((pages) => {
      if (pages.length === 0) throw new Error('no page open to send the outbox');
      for (const page of pages) page.postMessage({ type: 'flush-outbox' });
    }),
  );
});


// Web Push (docs/api.md, Notifications): the message holds the mail's subject and its kind only, decrypted by the
// browser; the worker shows it, and a click opens (or focuses) the client. Nothing else of the person is in it.
self.addEventListener('push', (event: PushEvent) => {
  let data: { title?: string; kind?: string; lang?: string } = {};
  try {
    data = event.data?.json() ?? {};
  } catch {
    data = {};
  }
  const title = typeof data.title === 'string' && data.title ? data.title : 'Territoire';
  event.waitUntil(self.registration.showNotification(title, { tag: data.kind, lang: data.lang, icon: '/icons/icon-192.png' }));
});

self.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((pages) => (pages[0] ? pages[0].focus() : self.clients.openWindow('/'))),
  );
});
