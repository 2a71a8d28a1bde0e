/**
 * Writes made offline, kept on the device until the connection returns: a new report and a
 * service evaluation (issue 16). Each keeps the Idempotency-Key made when it was written, so a
 * replay after a lost answer (the API did file it, the answer never came back) gets the first
 * answer again instead of a second report (docs/api.md, "Idempotency-Key").
 *
 * The token lives in the page's memory only (docs/decisions.md), so a write is sent by an open
 * page of the person who wrote it: when it is queued and the network is back, on the `online`
 * event, when they sign in again, and when the service worker's Background Sync asks.
 */
import { ApiError, type Api } from './api';
import { OUTBOX_SYNC_TAG } from '../sw/policy';

export interface PendingWrite {
  /** The Idempotency-Key, made when the person wrote it; also the entry's key in the store. */
  key: string;
  /** Whose write it is: it is sent only with their token, and shown only to them. */
  sub: string;
  kind: 'report' | 'evaluation';
  path: string;
  body: unknown;
  /** What the person wrote, to show them what is waiting. */
  label: string;
  createdAt: string;
}

/** Where pending writes are kept: IndexedDB in the browser, a map in the unit tests. */
export interface OutboxStore {
  all(): Promise<PendingWrite[]>;
  put(write: PendingWrite): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface FlushResult {
  sent: PendingWrite[];
  /** Writes the API refused for good (invalid, conflict...): dropped, and shown with the API's reason. */
  refused: { write: PendingWrite; error: ApiError }[];
}

/** A failure after which the write is kept for later: no network, no valid token yet, or the API momentarily unable. */
export function retryLater(e: unknown): boolean {
  if (!(e instanceof ApiError)) return true;
  // 409 for the same key still running elsewhere (another tab, a request whose answer was lost): its replay comes later.
  if (e.status === 409 && /idempotency-key/i.test(e.problem.detail ?? '')) return true;
  return e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;
}

/** Whether a failed write should be queued instead of shown as an error: only when the network could not be reached. */
export function offlineFailure(e: unknown): boolean {
  return e instanceof ApiError && e.status === 0;
}

let running: Promise<FlushResult> | undefined;

/**
 * Sends the person's pending writes, oldest first, each with its own key. It stops at the first one that must wait
 * (the others would fail the same way). One flush at a time per page: the `online` event and a Background Sync
 * message may come together, and the key makes even a concurrent double send harmless.
 */
export function flush(store: OutboxStore, api: Api, sub: string): Promise<FlushResult> {
  const next = (running ?? Promise.resolve()).catch(() => undefined).then(() => flushOnce(store, api, sub));
  running = next;
  return next;
}

async function flushOnce(store: OutboxStore, api: Api, sub: string): Promise<FlushResult> {
  const result: FlushResult = { sent: [], refused: [] };
  const mine = (await store.all()).filter((w) => w.sub === sub).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const write of mine) {
    try {
      await api.post(write.path, write.body, write.key);
      await store.delete(write.key);
      result.sent.push(write);
    } catch (e) {
      if (retryLater(e)) break;
      await store.delete(write.key);
      result.refused.push({ write, error: e as ApiError });
    }
  }
  return result;
}

/** Asks the service worker to wake the page when the connection returns, where the browser has Background Sync. */
export async function requestSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    const reg = (await navigator.serviceWorker.getRegistration()) as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined;
    await reg?.sync?.register(OUTBOX_SYNC_TAG);
  } catch {
    // No Background Sync (Firefox, Safari) or not allowed: the `online` event and the next start send the outbox.
  }
}

const DB = 'territoire';
const STORE = 'outbox';

/** The browser's store: one IndexedDB object store keyed by the Idempotency-Key. */
export class IdbOutboxStore implements OutboxStore {
  private db?: Promise<IDBDatabase>;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  private async run<V>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<V>): Promise<V> {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = op(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  all(): Promise<PendingWrite[]> {
    return this.run('readonly', (s) => s.getAll() as IDBRequest<PendingWrite[]>);
  }
  async put(write: PendingWrite): Promise<void> {
    await this.run('readwrite', (s) => s.put(write));
  }
  async delete(key: string): Promise<void> {
    await this.run('readwrite', (s) => s.delete(key));
  }
}
