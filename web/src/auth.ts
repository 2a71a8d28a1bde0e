/**
 * Sign-in with the OAuth 2.0 authorization-code flow and PKCE (RFC 7636), against Cognito's
 * managed login in AWS and its local stand-in. The ID token and the refresh token are kept in
 * memory only (never in localStorage or sessionStorage, docs/decisions.md): a reload signs in
 * again. Only the one-time PKCE verifier and state cross the redirect, in sessionStorage, and
 * are deleted when the code is redeemed. A {@link SessionKeeper} refreshes the ID token before
 * it expires and once on a 401, and revokes the refresh token at sign-out.
 */
import type { Config } from './config';

export interface Session {
  idToken: string;
  sub: string;
  groups: string[];
  district?: string;
  organisation?: string;
  expiresAt: number;
  /** When the token was issued (its iat), so that a refresh is timed on its lifetime. */
  issuedAt: number;
}

const PENDING = 'territoire.signin';

export function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function randomVerifier(random: (a: Uint8Array) => Uint8Array = (a) => crypto.getRandomValues(a)): string {
  return base64Url(random(new Uint8Array(32)));
}

export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** Reads the claims of an ID token for display; the API verifies its signature, the client does not need to. */
export function sessionFrom(idToken: string, now = Date.now()): Session {
  const part = idToken.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const json = new TextDecoder().decode(Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  const claims = JSON.parse(json) as Record<string, unknown>;
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : now;
  const iat = typeof claims.iat === 'number' ? claims.iat * 1000 : now;
  return {
    idToken,
    sub: String(claims.sub ?? ''),
    groups: Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [],
    district: typeof claims['custom:district'] === 'string' ? (claims['custom:district'] as string) : undefined,
    organisation: typeof claims['custom:organisation'] === 'string' ? (claims['custom:organisation'] as string) : undefined,
    expiresAt: exp,
    issuedAt: Math.min(iat, exp),
  };
}

export function authorizeUrl(config: Config, state: string, challenge: string): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config.auth.clientId,
    redirect_uri: config.auth.redirectUri,
    scope: 'openid',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return `${config.auth.authorizeUrl}?${q}`;
}

/** Starts a sign-in: remembers the verifier, the state and where to come back, then leaves for the login page. */
export async function beginSignIn(config: Config, returnTo: string, go: (url: string) => void = (u) => location.assign(u)): Promise<void> {
  const verifier = randomVerifier();
  const state = randomVerifier();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  go(authorizeUrl(config, state, await challengeOf(verifier)));
}

/** Completes a sign-in when the page was opened on the callback with ?code&state; null when it was not. */
export async function completeSignIn(
  config: Config,
  url: URL,
  fetcher: typeof fetch = fetch,
): Promise<{ session: Session; refreshToken?: string; returnTo: string } | null> {
  const code = url.searchParams.get('code');
  if (!code) return null;
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!pending) throw new Error('no sign-in pending');
  const { verifier, state, returnTo } = JSON.parse(pending) as { verifier: string; state: string; returnTo: string };
  if (url.searchParams.get('state') !== state) throw new Error('state mismatch');
  const res = await fetcher(config.auth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.auth.clientId,
      code,
      redirect_uri: config.auth.redirectUri,
      code_verifier: verifier,
    }),
  });
  if (!res.ok) throw new Error(`token endpoint: HTTP ${res.status}`);
  const body = (await res.json()) as { id_token?: string; refresh_token?: string };
  if (!body.id_token) throw new Error('token endpoint: no id_token');
  return { session: sessionFrom(body.id_token), refreshToken: body.refresh_token, returnTo: returnTo || '#/' };
}

/** Cognito's revocation endpoint is on the same domain as its token endpoint. */
export function revokeUrl(config: Config): string {
  return new URL('/oauth2/revoke', config.auth.tokenUrl).toString();
}

/**
 * Cognito's sign-out endpoint, on the same domain: `/logout?client_id=...&logout_uri=...`
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html). It ends managed login's own
 * session in the browser (without it, the next sign-in would get a code without asking) and comes back to
 * `logout_uri`, which must be one of the app client's sign-out URLs: the client's own URL (template.yaml
 * `LogoutURLs`, the same as its callback).
 */
export function logoutUrl(config: Config): string {
  const q = new URLSearchParams({ client_id: config.auth.clientId, logout_uri: config.auth.redirectUri });
  return `${new URL('/logout', config.auth.tokenUrl).toString()}?${q}`;
}

/**
 * Signing out, in this order: the refresh token revoked (waited for, as the page is about to be left), the API
 * answers kept for offline deleted, then the browser sent to the identity provider's /logout, which brings it back
 * to the client signed out. Offline, the identity provider cannot be reached: the session ends here only.
 */
export async function signOut(
  config: Config,
  keeper: { signOut(): Promise<void> },
  clearCaches: () => Promise<void>,
  go: (url: string) => void = (u) => location.assign(u),
  online: boolean = typeof navigator === 'undefined' || navigator.onLine,
): Promise<void> {
  await keeper.signOut();
  await clearCaches().catch((e: unknown) => console.error('caches', e));
  if (online) go(logoutUrl(config));
}

/**
 * How long before expiry a token is refreshed: a fifth of its lifetime, at least 5 s and at most 5 minutes (an hour's
 * token is refreshed at 55 minutes; a short test token still well before it ends).
 */
export function refreshMargin(session: Session): number {
  return Math.min(5 * 60_000, Math.max(5_000, (session.expiresAt - session.issuedAt) / 5));
}

/** Whether two sessions are the same person with the same roles and attributes (only the token differs). */
export function sameIdentity(a: Session | null, b: Session | null): boolean {
  if (!a || !b) return a === b;
  return a.sub === b.sub && a.district === b.district && a.organisation === b.organisation && a.groups.join() === b.groups.join();
}

/**
 * Keeps the session alive: the ID token is refreshed with the refresh token (grant_type=refresh_token) shortly before
 * it expires and when the API answers 401 (a computer that slept, a throttled background tab); concurrent callers
 * share one refresh. A refused refresh token (invalid_grant: revoked, expired) ends the session; a network failure
 * keeps it and tries again later. Signing out revokes the refresh token (Cognito's /oauth2/revoke).
 */
export class SessionKeeper {
  private session: Session | null = null;
  private refreshToken: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: Promise<boolean> | undefined;

  constructor(
    private readonly config: Config,
    private readonly onChange: (session: Session | null) => void,
    private readonly fetcher: typeof fetch = (...a) => fetch(...a),
    private readonly now: () => number = () => Date.now(),
  ) {}

  get current(): Session | null {
    return this.session;
  }

  token(): string | undefined {
    return this.session?.idToken;
  }

  start(session: Session, refreshToken: string | undefined): void {
    this.refreshToken = refreshToken;
    this.set(session);
  }

  private set(session: Session | null): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.session = session;
    if (session && this.refreshToken) this.schedule(session.expiresAt - refreshMargin(session) - this.now());
    this.onChange(session);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(0, delay));
  }

  /** Gets a new ID token; true when there is one. One refresh at a time, whoever asks. */
  refresh(): Promise<boolean> {
    if (!this.refreshToken || !this.session) return Promise.resolve(false);
    this.inflight ??= this.redeem(this.refreshToken).finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async redeem(refreshToken: string): Promise<boolean> {
    let res: Response;
    try {
      res = await this.fetcher(this.config.auth.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: this.config.auth.clientId, refresh_token: refreshToken }),
      });
    } catch {
      // Offline: keep the session (the service worker shows what was loaded) and try again in 30 s.
      if (this.session) this.schedule(30_000);
      return false;
    }
    if (this.refreshToken !== refreshToken) return false; // signed out meanwhile
    if (res.status === 400 || res.status === 401) {
      // invalid_grant: the refresh token was revoked or has expired; only a new sign-in helps.
      this.refreshToken = undefined;
      this.set(null);
      return false;
    }
    if (!res.ok) {
      if (this.session) this.schedule(30_000);
      return false;
    }
    const body = (await res.json()) as { id_token?: string; refresh_token?: string };
    if (!body.id_token) return false;
    // Rotation off (Cognito's default): no new refresh token; if one comes (rotation on), it replaces the old.
    if (body.refresh_token) this.refreshToken = body.refresh_token;
    this.set(sessionFrom(body.id_token, this.now()));
    return true;
  }

  /** Ends the session here and revokes its refresh token at the token issuer; the page does not wait for the answer. */
  signOut(): Promise<void> {
    const token = this.refreshToken;
    this.refreshToken = undefined;
    this.set(null);
    if (!token) return Promise.resolve();
    return this.fetcher(revokeUrl(this.config), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: this.config.auth.clientId }),
    }).then(
      () => undefined,
      () => undefined,
    );
  }
}

export function hasRole(session: Session | null, ...roles: string[]): boolean {
  return !!session && session.groups.some((g) => roles.includes(g));
}
