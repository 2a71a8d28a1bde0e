/**
 * What the service worker does with each request, as pure functions so that vitest can hold them
 * (test/sw-policy.test.ts); sw.ts only wires them to the Cache API. docs/decisions.md
 * "An installable client that works offline" says why each rule is what it is.
 */

/** Cache names start with these; the page deletes every `API_CACHE_PREFIX` cache on sign-out. */
export const SHELL_CACHE_PREFIX = 'territoire-shell-';
export const RUNTIME_CACHE = 'territoire-runtime';
export const API_CACHE_PREFIX = 'territoire-api-';
/** The Background Sync tag of the outbox of writes made offline (src/outbox.ts). */
export const OUTBOX_SYNC_TAG = 'territoire-outbox';
/** The header a cached API answer carries when the network could not be reached: when it was stored (ISO 8601). */
export const STALE_HEADER = 'x-territoire-stale';

export type Strategy =
  | { kind: 'shell' } // a navigation to the app: network first, the cached index.html offline
  | { kind: 'precached' } // a file of the build (hashed asset, icon, manifest): from the cache
  | { kind: 'config' } // /config.json: network first, the last copy offline (the app cannot start without it)
  | { kind: 'api' } // a GET of the API: network first, the last answer offline, marked stale
  | { kind: 'network' }; // everything else, including sign-in and the token endpoint: not touched

/**
 * Decides how a request is answered. `origin` is the client's own, `apiUrl` the API's base URL
 * (read from the worker's registration URL), `precache` the build's file list (paths from '/').
 */
export function strategyFor(
  req: { method: string; url: string; mode?: string },
  origin: string,
  apiUrl: string | undefined,
  precache: readonly string[],
): Strategy {
  if (req.method !== 'GET') return { kind: 'network' };
  const url = new URL(req.url);
  if (url.origin === origin) {
    // The sign-in pages and the token endpoint (locally on this origin, Cognito's domain in AWS) are never cached:
    // a cached login page or token would outlive the session it belongs to, and a cached /logout would end none.
    if (url.pathname.startsWith('/oauth2/') || url.pathname === '/logout') return { kind: 'network' };
    if (req.mode === 'navigate') return url.pathname === '/' || url.pathname === '/index.html' ? { kind: 'shell' } : { kind: 'network' };
    if (url.pathname === '/config.json') return { kind: 'config' };
    if (precache.includes(url.pathname)) return { kind: 'precached' };
    return { kind: 'network' };
  }
  if (apiUrl && (req.url === apiUrl || req.url.startsWith(apiUrl.replace(/\/$/, '') + '/'))) return { kind: 'api' };
  return { kind: 'network' };
}

/**
 * The subject of a bearer token, read without verifying it: only to keep each person's cached answers in a cache of
 * their own, so that nobody sees another's answers offline even when a session ended without a sign-out.
 * The API verifies tokens; the worker never sends one anywhere.
 */
export function subjectOf(authorization: string | null): string | undefined {
  const m = /^Bearer ([^.]+)\.([^.]+)\./.exec(authorization ?? '');
  if (!m) return undefined;
  try {
    const json = atob(m[2].replace(/-/g, '+').replace(/_/g, '/'));
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' && sub ? sub : undefined;
  } catch {
    return undefined;
  }
}

/** The cache an API answer goes to: one for anonymous answers, one per signed-in subject (hashed, not in clear). */
export async function apiCacheName(authorization: string | null): Promise<string> {
  const sub = subjectOf(authorization);
  if (!sub) return `${API_CACHE_PREFIX}public`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(sub)));
  return API_CACHE_PREFIX + Array.from(digest.slice(0, 12), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Only successful JSON answers are kept: an error or a file download is not what a page shows offline. */
export function cacheable(res: { ok: boolean; status: number; headers: { get(name: string): string | null } }): boolean {
  return res.ok && res.status === 200 && (res.headers.get('content-type') ?? '').includes('json');
}

/**
 * The headers of a cached answer served offline: the stored ones, the time it was stored, and that header exposed to
 * the page (the API is another origin, and a page only reads the headers a CORS answer exposes).
 */
export function staleHeaders(stored: Iterable<[string, string]>, storedAt: string): [string, string][] {
  const out: [string, string][] = [];
  let exposed = '';
  for (const [k, v] of stored) {
    if (k.toLowerCase() === 'access-control-expose-headers') exposed = v;
    else if (k.toLowerCase() !== STALE_HEADER) out.push([k, v]);
  }
  out.push([STALE_HEADER, storedAt]);
  out.push(['access-control-expose-headers', exposed ? `${exposed}, ${STALE_HEADER}` : STALE_HEADER]);
  return out;
}
