import { describe, expect, it } from 'vitest';
import { API_CACHE_PREFIX, apiCacheName, cacheable, STALE_HEADER, staleHeaders, strategyFor, subjectOf } from '../sw/policy';
import { manifestOf, precacheOf } from '../scripts/pwa-plugin.mjs';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const origin = 'https://d1234.cloudfront.net';
const api = 'https://abc.execute-api.eu-west-3.amazonaws.com';
const precache = ['/index.html', '/assets/index-abc.js'];
const jwt = (claims: object) => `Bearer x.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.sig`;

describe('the service worker policy', () => {
  it('answers navigations to the app from the shell, and leaves the sign-in pages and the token endpoint alone', () => {
    expect(strategyFor({ method: 'GET', url: `${origin}/?code=x&state=y`, mode: 'navigate' }, origin, api, precache).kind).toBe('shell');
    expect(strategyFor({ method: 'GET', url: `${origin}/oauth2/authorize?client_id=c`, mode: 'navigate' }, origin, api, precache).kind).toBe('network');
    expect(strategyFor({ method: 'POST', url: `${origin}/oauth2/token` }, origin, api, precache).kind).toBe('network');
    expect(strategyFor({ method: 'GET', url: `${origin}/oauth2/token` }, origin, api, precache).kind).toBe('network');
    expect(strategyFor({ method: 'GET', url: `${origin}/logout?client_id=c&logout_uri=x`, mode: 'navigate' }, origin, api, precache).kind).toBe('network');
  });
  it('serves the build from the cache, the config network first, and nothing else of the origin', () => {
    expect(strategyFor({ method: 'GET', url: `${origin}/assets/index-abc.js` }, origin, api, precache).kind).toBe('precached');
    expect(strategyFor({ method: 'GET', url: `${origin}/config.json` }, origin, api, precache).kind).toBe('config');
    expect(strategyFor({ method: 'GET', url: `${origin}/assets/other.js` }, origin, api, precache).kind).toBe('network');
  });
  it('caches only GETs of the API, never its writes, nor another origin', () => {
    expect(strategyFor({ method: 'GET', url: `${api}/reports?bbox=1,2,3,4` }, origin, api, precache).kind).toBe('api');
    expect(strategyFor({ method: 'POST', url: `${api}/reports` }, origin, api, precache).kind).toBe('network');
    expect(strategyFor({ method: 'GET', url: `${api}.evil.example/reports` }, origin, api, precache).kind).toBe('network');
    expect(strategyFor({ method: 'GET', url: 'https://tile.openstreetmap.org/1/1/1.png' }, origin, api, precache).kind).toBe('network');
    expect(strategyFor({ method: 'GET', url: `${api}/reports` }, origin, undefined, precache).kind).toBe('network');
  });
  it('keeps each person\'s answers in a cache of their own, named by a hash, and anonymous ones apart', async () => {
    expect(subjectOf(jwt({ sub: 'resident-demo' }))).toBe('resident-demo');
    expect(subjectOf('Bearer not-a-jwt')).toBeUndefined();
    const a = await apiCacheName(jwt({ sub: 'resident-demo' }));
    const b = await apiCacheName(jwt({ sub: 'lea' }));
    expect(a).not.toBe(b);
    expect(a.startsWith(API_CACHE_PREFIX)).toBe(true);
    expect(a).not.toContain('resident-demo');
    expect(await apiCacheName(null)).toBe(`${API_CACHE_PREFIX}public`);
  });
  it('keeps only successful JSON answers', () => {
    const h = (type: string) => ({ get: (n: string) => (n === 'content-type' ? type : null) });
    expect(cacheable({ ok: true, status: 200, headers: h('application/json') })).toBe(true);
    expect(cacheable({ ok: false, status: 404, headers: h('application/problem+json') })).toBe(false);
    expect(cacheable({ ok: true, status: 200, headers: h('text/calendar') })).toBe(false);
  });
  it('marks a stored answer with its time and exposes that header to the page across origins', () => {
    const out = new Map(staleHeaders([['content-type', 'application/json'], ['access-control-expose-headers', 'location']], '2026-12-01T10:00:00.000Z'));
    expect(out.get(STALE_HEADER)).toBe('2026-12-01T10:00:00.000Z');
    expect(out.get('access-control-expose-headers')).toBe(`location, ${STALE_HEADER}`);
  });
});

describe('the build\'s PWA files', () => {
  it('makes an installable manifest from the territory\'s config', () => {
    const config = JSON.parse(readFileSync(new URL('../public/config.json', import.meta.url), 'utf8'));
    const m = manifestOf(config);
    expect(m).toMatchObject({ name: config.territory.name, start_url: '/', display: 'standalone', theme_color: config.territory.colours.primary });
    expect(m.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of m.icons) expect(() => readFileSync(new URL(`../public${icon.src}`, import.meta.url))).not.toThrow();
  });
  it('precaches every built file but config.json and the worker, with a version that follows their contents', () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<p>1</p>');
    writeFileSync(join(dist, 'assets', 'index-abc.js'), 'x');
    writeFileSync(join(dist, 'config.json'), '{}');
    writeFileSync(join(dist, 'sw.js'), '');
    const first = precacheOf(dist);
    expect(first.paths).toEqual(['/assets/index-abc.js', '/index.html']);
    writeFileSync(join(dist, 'index.html'), '<p>2</p>');
    expect(precacheOf(dist).version).not.toBe(first.version);
  });
});
