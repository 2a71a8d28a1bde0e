import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError } from '../src/api';
import { base64Url, logoutUrl, refreshMargin, revokeUrl, sameIdentity, sessionFrom, SessionKeeper, signOut, type Session } from '../src/auth';
import { parseConfig } from '../src/config';

const config = parseConfig({
  territory: { name: 'T', shortName: 'T', colours: { primary: '#000000', onPrimary: '#ffffff', accent: '#111111', background: '#ffffff', text: '#000000' } },
  mapBox: [0, 0, 1, 1],
  apiUrl: 'http://api.test/',
  auth: { authorizeUrl: 'http://login.test/oauth2/authorize', tokenUrl: 'http://login.test/oauth2/token', clientId: 'client', redirectUri: 'http://app.test/' },
});

const T0 = Date.parse('2026-12-01T10:00:00Z');

function jwt(claims: object): string {
  const enc = (o: object) => base64Url(new TextEncoder().encode(JSON.stringify(o)));
  return `${enc({ alg: 'RS256' })}.${enc(claims)}.sig`;
}

/** An ID token issued now (fake time) for an hour, with a serial number to tell tokens apart. */
let serial = 0;
function idToken(groups: string[] = ['resident'], lifetime = 3600): string {
  const iat = Math.floor(Date.now() / 1000);
  return jwt({ sub: 'alice', 'cognito:groups': groups, iat, exp: iat + lifetime, n: ++serial });
}

/** The token endpoint as the local login page and Cognito answer it, recording what it was sent. */
class TokenEndpoint {
  calls: { url: string; form: Record<string, string> }[] = [];
  revoked = new Set<string>();
  groups = ['resident'];
  down = false;
  fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const form = Object.fromEntries(new URLSearchParams(String(init?.body)));
    this.calls.push({ url: String(url), form });
    if (this.down) throw new TypeError('Failed to fetch');
    if (String(url).endsWith('/oauth2/revoke')) {
      this.revoked.add(form.token);
      return new Response(null, { status: 200 });
    }
    if (form.grant_type !== 'refresh_token' || form.client_id !== 'client' || form.refresh_token !== 'rt-1' || this.revoked.has('rt-1')) {
      return new Response('{"error":"invalid_grant"}', { status: 400 });
    }
    return new Response(JSON.stringify({ id_token: idToken(this.groups), token_type: 'Bearer', expires_in: 3600 }), { status: 200 });
  });
  refreshes() {
    return this.calls.filter((c) => c.form.grant_type === 'refresh_token').length;
  }
}

let endpoint: TokenEndpoint;
let seen: (Session | null)[];
let keeper: SessionKeeper;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  endpoint = new TokenEndpoint();
  seen = [];
  keeper = new SessionKeeper(config, (s) => seen.push(s), endpoint.fetch as unknown as typeof fetch);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('refreshing the ID token', () => {
  it('refreshes silently five minutes before an hour-long token expires, with the same refresh token each time', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    const first = keeper.token();
    await vi.advanceTimersByTimeAsync(54 * 60_000);
    expect(endpoint.refreshes()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000 + 1);
    expect(endpoint.refreshes()).toBe(1);
    expect(endpoint.calls[0]).toEqual({ url: 'http://login.test/oauth2/token', form: { grant_type: 'refresh_token', client_id: 'client', refresh_token: 'rt-1' } });
    expect(keeper.token()).not.toBe(first);
    // The new token is refreshed in its turn, 55 minutes after it was issued.
    await vi.advanceTimersByTimeAsync(55 * 60_000 + 1);
    expect(endpoint.refreshes()).toBe(2);
    expect(endpoint.calls.every((c) => c.form.refresh_token === 'rt-1')).toBe(true);
  });

  it('times a short token on its own lifetime: a fifth of it before the end, never less than 5 s', () => {
    expect(refreshMargin(sessionFrom(idToken(['resident'], 3600)))).toBe(5 * 60_000);
    expect(refreshMargin(sessionFrom(idToken(['resident'], 60)))).toBe(12_000);
    expect(refreshMargin(sessionFrom(idToken(['resident'], 10)))).toBe(5_000);
  });

  it('shares one refresh between concurrent callers', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    const results = await Promise.all([keeper.refresh(), keeper.refresh(), keeper.refresh()]);
    expect(results).toEqual([true, true, true]);
    expect(endpoint.refreshes()).toBe(1);
  });

  it('ends the session when the refresh token is refused (invalid_grant), and asks no more', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    endpoint.revoked.add('rt-1');
    expect(await keeper.refresh()).toBe(false);
    expect(keeper.current).toBeNull();
    expect(seen.at(-1)).toBeNull();
    await vi.advanceTimersByTimeAsync(2 * 3600_000);
    expect(endpoint.refreshes()).toBe(1);
  });

  it('keeps the session when the network is down, and tries again 30 s later', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    const token = keeper.token();
    endpoint.down = true;
    expect(await keeper.refresh()).toBe(false);
    expect(keeper.token()).toBe(token);
    endpoint.down = false;
    await vi.advanceTimersByTimeAsync(30_000 + 1);
    expect(endpoint.refreshes()).toBe(2);
    expect(keeper.token()).not.toBe(token);
  });

  it('tells the page only when the person or their roles change, not at every new token', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    await keeper.refresh();
    expect(sameIdentity(seen[0], seen[1])).toBe(true);
    endpoint.groups = ['resident', 'provider'];
    await keeper.refresh();
    expect(sameIdentity(seen[1], seen[2])).toBe(false);
    expect(keeper.current?.groups).toEqual(['resident', 'provider']);
  });

  it('without a refresh token, never calls the token endpoint', async () => {
    keeper.start(sessionFrom(idToken()), undefined);
    expect(await keeper.refresh()).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * 3600_000);
    expect(endpoint.calls).toHaveLength(0);
  });
});

describe('signing out', () => {
  it('revokes the refresh token at /oauth2/revoke and forgets it', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    await keeper.signOut();
    expect(revokeUrl(config)).toBe('http://login.test/oauth2/revoke');
    expect(endpoint.calls).toEqual([{ url: 'http://login.test/oauth2/revoke', form: { token: 'rt-1', client_id: 'client' } }]);
    expect(keeper.current).toBeNull();
    expect(await keeper.refresh()).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * 3600_000);
    expect(endpoint.refreshes()).toBe(0);
  });
});

describe('signing out at the identity provider', () => {
  it('revokes the refresh token first, then deletes the API caches, then leaves for Cognito\'s /logout with a listed logout_uri', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    const steps: string[] = [];
    let release!: () => void;
    const revoked = new Promise<void>((r) => (release = r));
    const slowEndpoint = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      steps.push(`fetch ${String(url)}`);
      await revoked;
      return endpoint.fetch(url, init);
    });
    const k = new SessionKeeper(config, () => {}, slowEndpoint as unknown as typeof fetch);
    k.start(sessionFrom(idToken()), 'rt-1');
    const done = signOut(config, k, async () => void steps.push('caches'), (u) => steps.push(`go ${u}`), true);
    await vi.advanceTimersByTimeAsync(10);
    // Nothing else until the revocation has answered: leaving the page would cancel it.
    expect(steps).toEqual(['fetch http://login.test/oauth2/revoke']);
    release();
    await done;
    expect(steps).toEqual([
      'fetch http://login.test/oauth2/revoke',
      'caches',
      'go http://login.test/logout?client_id=client&logout_uri=http%3A%2F%2Fapp.test%2F',
    ]);
    expect(endpoint.revoked.has('rt-1')).toBe(true);
    expect(k.current).toBeNull();
    expect(logoutUrl(config)).toBe('http://login.test/logout?client_id=client&logout_uri=http%3A%2F%2Fapp.test%2F');
  });

  it('offline, ends the session here and deletes the caches without leaving for an unreachable /logout', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    endpoint.down = true;
    const steps: string[] = [];
    await signOut(config, keeper, async () => void steps.push('caches'), (u) => steps.push(`go ${u}`), false);
    expect(steps).toEqual(['caches']);
    expect(keeper.current).toBeNull();
  });
});

describe('the API client on a 401', () => {
  /** The API as API Gateway's JWT authorizer answers: 401 unless the bearer is the current token. */
  function apiAccepting(current: () => string | undefined) {
    const calls: string[] = [];
    const fetcher = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string>).authorization ?? '';
      calls.push(auth);
      return auth === `Bearer ${current()}`
        ? new Response('{"ok":true}', { status: 200 })
        : new Response('{"message":"Unauthorized"}', { status: 401 });
    });
    return { calls, fetcher: fetcher as unknown as typeof fetch };
  }

  it('refreshes once and sends the request again with the new token', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    const stale = keeper.token();
    let valid: string | undefined;
    const { calls, fetcher } = apiAccepting(() => valid);
    const api = new Api('http://api.test', () => keeper.token(), fetcher, undefined, async () => {
      const renewed = await keeper.refresh();
      valid = keeper.token();
      return renewed;
    });
    expect(await api.post('/things', { a: 1 }, 'key-1')).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(`Bearer ${stale}`);
    expect(calls[1]).toBe(`Bearer ${keeper.token()}`);
    expect(endpoint.refreshes()).toBe(1);
  });

  it('asks only once: a second 401 is the answer', async () => {
    keeper.start(sessionFrom(idToken()), 'rt-1');
    const { calls, fetcher } = apiAccepting(() => 'never');
    const api = new Api('http://api.test', () => keeper.token(), fetcher, undefined, () => keeper.refresh());
    await expect(api.get('/me')).rejects.toSatisfy((e) => e instanceof ApiError && e.status === 401);
    expect(calls).toHaveLength(2);
    expect(endpoint.refreshes()).toBe(1);
  });

  it('does not refresh for an anonymous request', async () => {
    const { calls, fetcher } = apiAccepting(() => 'never');
    const renew = vi.fn(async () => true);
    const api = new Api('http://api.test', () => undefined, fetcher, undefined, renew);
    await expect(api.get('/me')).rejects.toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(1);
    expect(renew).not.toHaveBeenCalled();
  });
});
