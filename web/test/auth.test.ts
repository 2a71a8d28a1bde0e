import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { authorizeUrl, base64Url, beginSignIn, challengeOf, completeSignIn, hasRole, randomVerifier, sessionFrom } from '../src/auth';
import { parseConfig } from '../src/config';

const config = parseConfig({
  territory: { name: 'T', shortName: 'T', colours: { primary: '#000000', onPrimary: '#ffffff', accent: '#111111', background: '#ffffff', text: '#000000' } },
  mapBox: [0, 0, 1, 1],
  apiUrl: 'http://api.test/',
  auth: { authorizeUrl: 'http://login.test/oauth2/authorize', tokenUrl: 'http://login.test/oauth2/token', clientId: 'client', redirectUri: 'http://app.test/' },
});

function jwt(claims: object): string {
  const enc = (o: object) => base64Url(new TextEncoder().encode(JSON.stringify(o)));
  return `${enc({ alg: 'RS256' })}.${enc(claims)}.sig`;
}

class MemoryStorage {
  private m = new Map<string, string>();
  getItem(k: string) {
    return this.m.has(k) ? this.m.get(k)! : null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  get size() {
    return this.m.size;
  }
}

beforeEach(() => {
  (globalThis as { sessionStorage?: unknown }).sessionStorage = new MemoryStorage();
});

describe('PKCE', () => {
  it('derives the S256 challenge: base64url of the SHA-256 of the verifier, unpadded (RFC 7636 section 4.2)', async () => {
    const verifier = 'dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(await challengeOf(verifier)).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(await challengeOf(verifier)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  it('makes 43-character verifiers from 32 random bytes', () => {
    expect(randomVerifier()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomVerifier()).not.toBe(randomVerifier());
  });
  it('asks for a code with the S256 challenge, the client and its callback', () => {
    const url = new URL(authorizeUrl(config, 'st', 'ch'));
    expect(url.origin + url.pathname).toBe('http://login.test/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code', client_id: 'client', redirect_uri: 'http://app.test/', state: 'st', code_challenge: 'ch', code_challenge_method: 'S256',
    });
  });
});

describe('the code flow', () => {
  it('redeems the code with the verifier it made, and keeps the token out of storage', async () => {
    let left = '';
    await beginSignIn(config, '#/bookings', (u) => (left = u));
    const sent = new URL(left);
    const token = jwt({ sub: 'alice', 'cognito:groups': ['resident'], 'custom:district': 'centre', exp: 2_000_000_000 });
    let body: URLSearchParams | undefined;
    const fetcher = (async (_url: string, init: RequestInit) => {
      body = init.body as URLSearchParams;
      return new Response(JSON.stringify({ id_token: token }), { status: 200 });
    }) as unknown as typeof fetch;
    const done = await completeSignIn(config, new URL(`http://app.test/?code=abc&state=${sent.searchParams.get('state')}`), fetcher);
    expect(done?.returnTo).toBe('#/bookings');
    expect(done?.session).toMatchObject({ sub: 'alice', groups: ['resident'], district: 'centre', expiresAt: 2_000_000_000_000 });
    expect(body?.get('grant_type')).toBe('authorization_code');
    expect(await challengeOf(body!.get('code_verifier')!)).toBe(sent.searchParams.get('code_challenge'));
    expect((sessionStorage as unknown as MemoryStorage).size).toBe(0);
  });
  it('refuses a callback whose state is not the one it sent', async () => {
    await beginSignIn(config, '#/', () => {});
    const fetcher = (async () => new Response('{}')) as unknown as typeof fetch;
    await expect(completeSignIn(config, new URL('http://app.test/?code=abc&state=forged'), fetcher)).rejects.toThrow('state mismatch');
  });
  it('does nothing on a page that is not a callback', async () => {
    expect(await completeSignIn(config, new URL('http://app.test/#/services'))).toBeNull();
  });
});

describe('sessions', () => {
  it('reads roles from cognito:groups', () => {
    const s = sessionFrom(jwt({ sub: 'bob', 'cognito:groups': ['agent'], exp: 1 }));
    expect(hasRole(s, 'agent', 'admin')).toBe(true);
    expect(hasRole(s, 'resident')).toBe(false);
    expect(hasRole(null, 'resident')).toBe(false);
  });
});
