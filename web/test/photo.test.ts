import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ftypBrands, HEAD_BYTES, isHeifContent, MAX_PHOTO_BYTES, PHOTO_ACCEPT, planPhoto, preparePhoto, sniffType } from '../src/photo';

/** An ISO BMFF ftyp box: size, 'ftyp', major brand, minor version 0, compatible brands. */
function ftyp(major: string, ...compatible: string[]): Uint8Array {
  const size = 16 + 4 * compatible.length;
  const bytes = new Uint8Array(size + 8);
  new DataView(bytes.buffer).setUint32(0, size);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  put(4, 'ftyp');
  put(8, major);
  compatible.forEach((b, i) => put(16 + 4 * i, b));
  // What follows the box (a meta box) is not read as brands.
  put(size + 4, 'meta');
  return bytes;
}

const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const WEBP_HEAD = new Uint8Array([...'RIFF'].map((c) => c.charCodeAt(0)).concat([0x24, 0, 0, 0], [...'WEBPVP8 '].map((c) => c.charCodeAt(0))));
const GIF_HEAD = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);
// A real HEIC (HEVC-coded, made by libheif's heif-enc: test/fixtures/README.md), and brands of the kind iPhones write.
const REAL_HEIC = new Uint8Array(readFileSync(new URL('./fixtures/gradient-64x48.heic', import.meta.url)));
const IPHONE_HEAD = ftyp('heic', 'mif1', 'MiHB', 'MiHE', 'miaf', 'heic');
const AVIF_HEAD = ftyp('avif', 'mif1', 'miaf', 'MA1B');

describe('recognising a HEIF file by its first bytes', () => {
  it('reads the major and compatible brands of the leading ftyp box, and nothing past it', () => {
    expect(ftypBrands(ftyp('heic', 'mif1', 'heic'))).toEqual(['heic', 'mif1', 'heic']);
    expect(ftypBrands(REAL_HEIC.slice(0, 64))).toEqual(['heic', 'mif1', 'heic', 'miaf']);
    expect(ftypBrands(JPEG_HEAD)).toEqual([]);
    expect(ftypBrands(new Uint8Array(8))).toEqual([]);
  });
  it('takes an iPhone HEIC, a mif1 HEIF and an HEVC compatible brand; not an AVIF, a JPEG or a truncated box', () => {
    expect(isHeifContent(REAL_HEIC.slice(0, 64))).toBe(true);
    expect(isHeifContent(IPHONE_HEAD)).toBe(true);
    expect(isHeifContent(ftyp('mif1', 'heic'))).toBe(true);
    expect(isHeifContent(ftyp('mif1'))).toBe(true);
    expect(isHeifContent(ftyp('msf1', 'hevc'))).toBe(true);
    // As the function reads it (HeifDecoder.isHeif): mif1 among the compatible brands is enough.
    expect(isHeifContent(ftyp('isom', 'mif1'))).toBe(true);
    expect(isHeifContent(AVIF_HEAD)).toBe(false);
    expect(isHeifContent(ftyp('mif1', 'avif'))).toBe(false);
    expect(isHeifContent(ftyp('isom', 'mp41'))).toBe(false);
    expect(isHeifContent(JPEG_HEAD)).toBe(false);
    const broken = IPHONE_HEAD.slice();
    new DataView(broken.buffer).setUint32(0, 8);
    expect(isHeifContent(broken)).toBe(false);
  });
});

describe('sniffType', () => {
  it('names JPEG, PNG and WebP by their signatures, and a HEIF as image/heic', () => {
    expect(sniffType(JPEG_HEAD)).toBe('image/jpeg');
    expect(sniffType(PNG_HEAD)).toBe('image/png');
    expect(sniffType(WEBP_HEAD)).toBe('image/webp');
    expect(sniffType(REAL_HEIC.slice(0, HEAD_BYTES))).toBe('image/heic');
    expect(sniffType(IPHONE_HEAD)).toBe('image/heic');
  });
  it('names nothing else: an AVIF, a GIF, a RIFF that is no WebP, a truncated signature, nothing', () => {
    expect(sniffType(AVIF_HEAD)).toBeUndefined();
    expect(sniffType(GIF_HEAD)).toBeUndefined();
    const wave = WEBP_HEAD.slice();
    wave.set([...'WAVE'].map((c) => c.charCodeAt(0)), 8);
    expect(sniffType(wave)).toBeUndefined();
    expect(sniffType(PNG_HEAD.slice(0, 4))).toBeUndefined();
    expect(sniffType(new Uint8Array(0))).toBeUndefined();
  });
});

describe('planPhoto', () => {
  it('sends JPEG, PNG and WebP under the type their bytes say, up to 10 MB', () => {
    expect(planPhoto({ size: 1000 }, JPEG_HEAD)).toEqual({ kind: 'send', type: 'image/jpeg' });
    expect(planPhoto({ size: 1000 }, PNG_HEAD)).toEqual({ kind: 'send', type: 'image/png' });
    expect(planPhoto({ size: 1000 }, WEBP_HEAD)).toEqual({ kind: 'send', type: 'image/webp' });
    expect(planPhoto({ size: MAX_PHOTO_BYTES }, JPEG_HEAD)).toEqual({ kind: 'send', type: 'image/jpeg' });
  });
  it('sends a HEIC as image/heic, untouched', () => {
    expect(planPhoto({ size: 1000 }, IPHONE_HEAD)).toEqual({ kind: 'send', type: 'image/heic' });
    expect(planPhoto({ size: REAL_HEIC.length }, REAL_HEIC)).toEqual({ kind: 'send', type: 'image/heic' });
  });
  it('refuses a file over 10 MB before any place is reserved, a HEIC too', () => {
    expect(planPhoto({ size: MAX_PHOTO_BYTES + 1 }, JPEG_HEAD)).toEqual({ kind: 'refuse', reason: 'size' });
    expect(planPhoto({ size: MAX_PHOTO_BYTES + 1 }, IPHONE_HEAD)).toEqual({ kind: 'refuse', reason: 'size' });
  });
  it('refuses what is none of the four, whatever its size', () => {
    expect(planPhoto({ size: 1000 }, AVIF_HEAD)).toEqual({ kind: 'refuse', reason: 'type' });
    expect(planPhoto({ size: 1000 }, GIF_HEAD)).toEqual({ kind: 'refuse', reason: 'type' });
    expect(planPhoto({ size: MAX_PHOTO_BYTES + 1 }, new TextEncoder().encode('%PDF-1.7'))).toEqual({ kind: 'refuse', reason: 'type' });
  });
});

describe('preparePhoto', () => {
  const heic = (type: string, name: string) => new File([REAL_HEIC], name, { type });
  it('sends the real HEIC as it is, announced as image/heic, whatever type or name the browser gave', async () => {
    for (const file of [
      heic('image/heic', 'IMG_0042.HEIC'),
      heic('image/heif', 'IMG_0042.heif'),
      // Windows and Android: no type, or the type of a new extension.
      heic('', 'IMG_0042.HEIC'),
      heic('', 'noname'),
      heic('image/jpeg', 'IMG_0042.jpg'),
      heic('application/octet-stream', 'IMG_0042'),
    ]) {
      expect(await preparePhoto(file), `${file.type} ${file.name}`).toEqual({ kind: 'ready', file, type: 'image/heic', name: file.name });
    }
  });
  it('announces what the bytes are, not what the browser says: a JPEG with no type, a PNG renamed .jpg', async () => {
    const jpeg = new File([JPEG_HEAD], 'banc.jpg', { type: 'image/jpeg' });
    expect(await preparePhoto(jpeg)).toEqual({ kind: 'ready', file: jpeg, type: 'image/jpeg', name: 'banc.jpg' });
    const untyped = new File([JPEG_HEAD], 'banc.jpg');
    expect(await preparePhoto(untyped)).toEqual({ kind: 'ready', file: untyped, type: 'image/jpeg', name: 'banc.jpg' });
    const png = new File([PNG_HEAD], 'banc.jpg', { type: 'image/jpeg' });
    expect(await preparePhoto(png)).toEqual({ kind: 'ready', file: png, type: 'image/png', name: 'banc.jpg' });
  });
  it('refuses an AVIF named .heic, a GIF and a JPEG named .heic that is not one', async () => {
    expect(await preparePhoto(new File([AVIF_HEAD], 'a.heic', { type: 'image/heic' }))).toEqual({ kind: 'refused', reason: 'type' });
    expect(await preparePhoto(new File([AVIF_HEAD], 'a.avif', { type: 'image/avif' }))).toEqual({ kind: 'refused', reason: 'type' });
    expect(await preparePhoto(new File([GIF_HEAD], 'a.gif', { type: 'image/gif' }))).toEqual({ kind: 'refused', reason: 'type' });
    expect(await preparePhoto(new File([new Uint8Array(0)], 'a.heic', { type: 'image/heic' }))).toEqual({ kind: 'refused', reason: 'type' });
  });
  it('refuses a HEIC over 10 MB: it is sent as it is, so it must fit', async () => {
    const big = new File([REAL_HEIC, new Uint8Array(MAX_PHOTO_BYTES)], 'IMG_0043.HEIC', { type: 'image/heic' });
    expect(await preparePhoto(big)).toEqual({ kind: 'refused', reason: 'size' });
  });
});

describe('PHOTO_ACCEPT', () => {
  it('lists the four formats and HEIC by its types and extensions, so that pickers offer a .heic', () => {
    expect(PHOTO_ACCEPT.split(',')).toEqual(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', '.heic', '.heif']);
  });
});
