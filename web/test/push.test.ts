import { describe, expect, it } from 'vitest';
import { base64UrlBytes } from '../src/pages/account';

describe('the VAPID key for pushManager.subscribe', () => {
  it('decodes the API’s unpadded base64url into the 65 bytes of an uncompressed P-256 point', () => {
    const key = base64UrlBytes('BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8');
    expect(key.length).toBe(65);
    expect(key[0]).toBe(4);
    expect(key[1]).toBe(0xfe);
    expect(key[64]).toBe(0x0f);
  });
});
