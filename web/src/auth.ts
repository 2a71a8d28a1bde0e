/**
 * Sign-in with the OAuth 2.0 authorization-code flow and PKCE (RFC 7636), against Cognito's
 * managed login in AWS and its local stand-in. The ID token is kept in memory only (never in
 * localStorage or sessionStorage): a reload signs in again. Only the one-time PKCE verifier
 * and state cross the redirect, in sessionStorage, and are deleted when the code is redeemed.
 */
import type { Config } from './config';

export interface Session {
  idToken: string;
  sub: string;
  groups: string[];
  district?: string;
  organisation?: string;
  expiresAt: number;
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
  return {
    idToken,
    sub: String(claims.sub ?? ''),
    groups: Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [],
    district: typeof claims['custom:district'] === 'string' ? (claims['custom:district'] as string) : undefined,
    organisation: typeof claims['custom:organisation'] === 'string' ? (claims['custom:organisation'] as string) : undefined,
    expiresAt: exp,
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
export async function completeSignIn(config: Config, url: URL, fetcher: typeof fetch = fetch): Promise<{ session: Session; returnTo: string } | null> {
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
  const body = (await res.json()) as { id_token?: string };
  if (!body.id_token) throw new Error('token endpoint: no id_token');
  return { session: sessionFrom(body.id_token), returnTo: returnTo || '#/' };
}

export function hasRole(session: Session | null, ...roles: string[]): boolean {
  return !!session && session.groups.some((g) => roles.includes(g));
}
