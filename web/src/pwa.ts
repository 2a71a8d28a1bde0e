/**
 * The page's side of the service worker (sw/sw.ts): registering it with the API's URL, and
 * deleting the cached API answers on sign-out, so that nothing a person saw signed in stays on
 * the device after they leave (docs/decisions.md, "An installable client that works offline").
 */
import { API_CACHE_PREFIX } from '../sw/policy';

/** Registers /sw.js in a built client (not under `npm run dev`, whose modules are not the build's). */
export function registerWorker(apiUrl: string): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(`/sw.js?api=${encodeURIComponent(apiUrl)}`).catch((e: unknown) => console.error('service worker', e));
}

/** Deletes every cache of API answers (the anonymous one and each person's). */
export async function clearApiCaches(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(API_CACHE_PREFIX)).map((n) => caches.delete(n)));
}
