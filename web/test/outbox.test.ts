import { beforeEach, describe, expect, it } from 'vitest';
import { Api } from '../src/api';
import { flush, retryLater, type OutboxStore, type PendingWrite } from '../src/outbox';
import { ApiError } from '../src/api';

/** The outbox's store in memory (the browser's is IndexedDB, exercised by the journeys). */
class MemoryStore implements OutboxStore {
  readonly map = new Map<string, PendingWrite>();
  async all() {
    return [...this.map.values()];
  }
  async put(w: PendingWrite) {
    this.map.set(w.key, w);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
}

/**
 * A server that honours Idempotency-Key as the API does (the first answer again for the same key), and can lose
 * the answer of a request it did carry out, or be unreachable.
 */
class Server {
  readonly created = new Map<string, { id: string; body: unknown }>();
  loseNextAnswer = false;
  down = false;
  status?: number;
  fetcher = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (this.down) throw new TypeError('Failed to fetch');
    if (this.status) return new Response(JSON.stringify({ status: this.status, detail: 'refused' }), { status: this.status });
    const key = new Headers(init?.headers).get('idempotency-key')!;
    const replayed = this.created.has(key);
    if (!replayed) this.created.set(key, { id: `r${this.created.size + 1}`, body: JSON.parse(String(init?.body)) });
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new TypeError('Failed to fetch');
    }
    return new Response(JSON.stringify({ id: this.created.get(key)!.id }), { status: 201, headers: { 'idempotency-replayed': String(replayed) } });
  };
}

const write = (key: string, sub = 'lea', createdAt = '2026-12-01T10:00:00.000Z'): PendingWrite => ({
  key, sub, kind: 'report', path: '/reports', body: { serviceId: 's', description: `report ${key}` }, label: key, createdAt,
});

describe('the outbox of writes made offline', () => {
  let store: MemoryStore;
  let server: Server;
  let api: Api;
  beforeEach(() => {
    store = new MemoryStore();
    server = new Server();
    api = new Api('http://api.test', () => 'token', server.fetcher);
  });

  it('keeps a write whose answer was lost, and its replay with the same key files it once', async () => {
    await store.put(write('k1'));
    server.loseNextAnswer = true;
    const first = await flush(store, api, 'lea');
    expect(first.sent).toEqual([]);
    expect(store.map.has('k1')).toBe(true);
    expect(server.created.size).toBe(1); // the server did file it
    const second = await flush(store, api, 'lea');
    expect(second.sent.map((w) => w.key)).toEqual(['k1']);
    expect(server.created.size).toBe(1);
    expect(store.map.size).toBe(0);
  });

  it('sends the oldest first and stops while the network is out, keeping the rest', async () => {
    await store.put(write('late', 'lea', '2026-12-01T11:00:00.000Z'));
    await store.put(write('early', 'lea', '2026-12-01T09:00:00.000Z'));
    server.down = true;
    expect((await flush(store, api, 'lea')).sent).toEqual([]);
    expect(store.map.size).toBe(2);
    server.down = false;
    expect((await flush(store, api, 'lea')).sent.map((w) => w.key)).toEqual(['early', 'late']);
  });

  it("sends only the signed-in person's writes, with their token", async () => {
    await store.put(write('mine', 'lea'));
    await store.put(write('theirs', 'alice'));
    expect((await flush(store, api, 'lea')).sent.map((w) => w.key)).toEqual(['mine']);
    expect(store.map.has('theirs')).toBe(true);
  });

  it('drops a write the API refuses for good and says why, but keeps one waiting for a token or a working API', async () => {
    await store.put(write('k'));
    server.status = 401;
    expect((await flush(store, api, 'lea')).refused).toEqual([]);
    expect(store.map.has('k')).toBe(true);
    server.status = 503;
    await flush(store, api, 'lea');
    expect(store.map.has('k')).toBe(true);
    server.status = 422;
    const r = await flush(store, api, 'lea');
    expect(r.refused.map((x) => x.error.status)).toEqual([422]);
    expect(store.map.size).toBe(0);
  });

  it('runs one flush at a time, so an online event and a sync message together send a write once', async () => {
    await store.put(write('k'));
    const [a, b] = await Promise.all([flush(store, api, 'lea'), flush(store, api, 'lea')]);
    expect(a.sent.length + b.sent.length).toBe(1);
    expect(server.created.size).toBe(1);
  });

  it('tells a lasting refusal from a passing one', () => {
    expect(retryLater(new ApiError({ status: 0 }))).toBe(true);
    expect(retryLater(new ApiError({ status: 429 }))).toBe(true);
    expect(retryLater(new ApiError({ status: 409 }))).toBe(false);
    expect(retryLater(new ApiError({ status: 409, detail: 'a request with this Idempotency-Key is still in progress; retry later' }))).toBe(true);
    expect(retryLater(new ApiError({ status: 400 }))).toBe(false);
  });
});
