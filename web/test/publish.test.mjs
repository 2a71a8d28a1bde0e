import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cacheControl, contentType, DEFAULT_TILES, deployedConfig } from '../scripts/publish.mjs';
import { parseConfig } from '../src/config';

const outputs = {
  ApiUrl: 'https://abc123.execute-api.eu-west-3.amazonaws.com',
  UserPoolClientId: '4l1ent1d',
  CognitoDomainUrl: 'https://territoire-123456789012.auth.eu-west-3.amazoncognito.com',
  WebClientUrl: 'https://d1234.cloudfront.net/',
};
const base = JSON.parse(readFileSync(new URL('../public/config.json', import.meta.url), 'utf8'));

describe('the publish command', () => {
  it('writes a config.json the client accepts, pointing at the stack and not at the local stand-in', () => {
    const c = deployedConfig(base, outputs);
    expect(parseConfig(c).apiUrl).toBe(outputs.ApiUrl);
    expect(c.auth).toEqual({
      authorizeUrl: `${outputs.CognitoDomainUrl}/oauth2/authorize`,
      tokenUrl: `${outputs.CognitoDomainUrl}/oauth2/token`,
      clientId: outputs.UserPoolClientId,
      redirectUri: outputs.WebClientUrl,
    });
    expect(c.territory).toEqual(base.territory);
  });
  it("shows OpenStreetMap's tiles in AWS unless the territory names others or none", () => {
    expect(base.tiles).toBeUndefined(); // locally: nothing outside is reachable
    expect(parseConfig(deployedConfig(base, outputs)).tiles).toEqual(DEFAULT_TILES);
    const own = { url: 'https://tiles.example.org/{z}/{x}/{y}.png', attribution: '© Example' };
    expect(parseConfig(deployedConfig({ ...base, tiles: own }, outputs)).tiles).toMatchObject(own);
    expect(parseConfig(deployedConfig({ ...base, tiles: null }, outputs)).tiles).toBeUndefined();
    expect(() => parseConfig({ ...deployedConfig(base, outputs), tiles: { url: 'http://x/{z}/{x}/{y}.png', attribution: 'a' } })).toThrow(/tiles.url/);
  });
  it('prefers the API behind CloudFront when the stack has one', () => {
    expect(deployedConfig(base, { ...outputs, ApiDistributionUrl: 'https://d999.cloudfront.net' }).apiUrl).toBe('https://d999.cloudfront.net');
  });
  it('refuses a stack without the outputs it needs, naming the missing one', () => {
    expect(() => deployedConfig(base, { ...outputs, CognitoDomainUrl: undefined })).toThrow(/CognitoDomainUrl/);
  });
  it('keeps hashed assets a year and makes browsers revalidate the rest', () => {
    expect(cacheControl('assets/index-Dn83mFWE.js')).toContain('immutable');
    expect(cacheControl('index.html')).toBe('no-cache');
    expect(cacheControl('config.json')).toBe('no-cache');
    // The worker must be revalidated on each visit, or a fixed one would wait for its HTTP cache to expire.
    expect(cacheControl('sw.js')).toBe('no-cache');
    expect(cacheControl('manifest.webmanifest')).toBe('no-cache');
  });
  it('gives each file its content type', () => {
    expect(contentType('index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('assets/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('manifest.webmanifest')).toBe('application/manifest+json');
    expect(contentType('unknown.bin')).toBe('application/octet-stream');
  });
});
