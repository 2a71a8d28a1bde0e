import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fitPixels, ftypBrands, isHeifContent, jpegName, MAX_CANVAS_PIXELS, MAX_PHOTO_BYTES, planPhoto, preparePhoto,
  type Decoded, type PhotoCodec,
} from '../src/photo';

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
    expect(isHeifContent(AVIF_HEAD)).toBe(false);
    expect(isHeifContent(ftyp('mif1', 'avif'))).toBe(false);
    expect(isHeifContent(ftyp('isom', 'mp41'))).toBe(false);
    expect(isHeifContent(JPEG_HEAD)).toBe(false);
    const broken = IPHONE_HEAD.slice();
    new DataView(broken.buffer).setUint32(0, 8);
    expect(isHeifContent(broken)).toBe(false);
  });
});

describe('planPhoto', () => {
  const file = (type: string, name: string, size = 1000) => ({ type, name, size });
  it('sends JPEG, PNG and WebP as they are, under 10 MB', () => {
    expect(planPhoto(file('image/jpeg', 'a.jpg'), JPEG_HEAD)).toEqual({ kind: 'send', type: 'image/jpeg' });
    expect(planPhoto(file('image/png', 'a.png'), new Uint8Array([0x89, 0x50]))).toEqual({ kind: 'send', type: 'image/png' });
    expect(planPhoto(file('IMAGE/WEBP', 'a.webp'), new Uint8Array(4))).toEqual({ kind: 'send', type: 'image/webp' });
    expect(planPhoto(file('image/jpeg', 'a.jpg', MAX_PHOTO_BYTES), JPEG_HEAD)).toEqual({ kind: 'send', type: 'image/jpeg' });
  });
  it('refuses a file over 10 MB before any place is reserved', () => {
    expect(planPhoto(file('image/jpeg', 'a.jpg', MAX_PHOTO_BYTES + 1), JPEG_HEAD)).toEqual({ kind: 'refuse', reason: 'size' });
  });
  it('converts a HEIC, however it is declared: its type, no type with its name, or renamed to .jpg', () => {
    expect(planPhoto(file('image/heic', 'IMG_0001.HEIC'), IPHONE_HEAD)).toEqual({ kind: 'convert' });
    expect(planPhoto(file('', 'IMG_0001.HEIC'), IPHONE_HEAD)).toEqual({ kind: 'convert' });
    expect(planPhoto(file('image/jpeg', 'IMG_0001.jpg'), IPHONE_HEAD)).toEqual({ kind: 'convert' });
    expect(planPhoto(file('', 'noname'), IPHONE_HEAD)).toEqual({ kind: 'convert' });
    // A HEIC over 10 MB may still make a JPEG under it: the size is checked after the conversion.
    expect(planPhoto(file('image/heic', 'big.heic', 3 * MAX_PHOTO_BYTES), IPHONE_HEAD)).toEqual({ kind: 'convert' });
    // A declared HEIC whose bytes the head cannot tell (too short to read here): the browser's decoder decides.
    expect(planPhoto(file('image/heif', 'a.heif'), new Uint8Array(0))).toEqual({ kind: 'convert' });
  });
  it('refuses what is neither: an AVIF named .heic, a GIF, a PDF, a file with no type', () => {
    expect(planPhoto(file('image/heic', 'a.heic'), AVIF_HEAD)).toEqual({ kind: 'refuse', reason: 'type' });
    expect(planPhoto(file('image/avif', 'a.avif'), AVIF_HEAD)).toEqual({ kind: 'refuse', reason: 'type' });
    expect(planPhoto(file('image/gif', 'a.gif'), new Uint8Array([0x47, 0x49, 0x46]))).toEqual({ kind: 'refuse', reason: 'type' });
    expect(planPhoto(file('application/pdf', 'a.pdf'), new Uint8Array(4))).toEqual({ kind: 'refuse', reason: 'type' });
    expect(planPhoto(file('', 'a.jpg'), JPEG_HEAD)).toEqual({ kind: 'refuse', reason: 'type' });
  });
});

describe('fitPixels', () => {
  it('keeps a 12-megapixel photo as it is', () => {
    expect(fitPixels(4032, 3024)).toEqual({ width: 4032, height: 3024 });
  });
  it('draws a 48-megapixel photo within iOS Safari’s canvas limit, its proportions kept', () => {
    const { width, height } = fitPixels(8064, 6048);
    expect(width * height).toBeLessThanOrEqual(MAX_CANVAS_PIXELS);
    expect(width * height).toBeGreaterThan(MAX_CANVAS_PIXELS * 0.99);
    expect(width / height).toBeCloseTo(8064 / 6048, 3);
  });
});

describe('jpegName', () => {
  it('gives the converted file a .jpg name', () => {
    expect(jpegName('IMG_0001.HEIC')).toBe('IMG_0001.jpg');
    expect(jpegName('photo.de.rue.heif')).toBe('photo.de.rue.jpg');
    expect(jpegName('noext')).toBe('noext.jpg');
    expect(jpegName('.heic')).toBe('photo.jpg');
  });
});

/** A browser in a test: decodes what `decodes` says, makes JPEGs of the sizes given per quality, records what it did. */
function fakeCodec(decodes: boolean, jpegBytes: (quality: number) => number | undefined, picture = { width: 4032, height: 3024 }) {
  const calls: string[] = [];
  let closed = 0;
  const codec: PhotoCodec = {
    async decode() {
      calls.push('decode');
      if (!decodes) return undefined;
      return { ...picture, source: {} as CanvasImageSource, close: () => void closed++ } satisfies Decoded;
    },
    async encodeJpeg(_p, size, quality) {
      calls.push(`jpeg ${size.width}x${size.height} q${quality}`);
      const n = jpegBytes(quality);
      return n === undefined ? undefined : new Blob([new Uint8Array(n)], { type: 'image/jpeg' });
    },
  };
  return { codec, calls, closed: () => closed };
}

const heicFile = () => new File([REAL_HEIC], 'IMG_0042.HEIC', { type: 'image/heic' });

describe('preparePhoto', () => {
  it('sends a JPEG untouched, without decoding it', async () => {
    const jpeg = new File([JPEG_HEAD], 'banc.jpg', { type: 'image/jpeg' });
    const fake = fakeCodec(true, () => 10);
    const prepared = await preparePhoto(jpeg, fake.codec);
    expect(prepared).toEqual({ kind: 'ready', file: jpeg, type: 'image/jpeg', name: 'banc.jpg', converted: false });
    expect(fake.calls).toEqual([]);
  });
  it('turns a HEIC the browser decodes into a JPEG at quality 0.9, and lets the picture go', async () => {
    const fake = fakeCodec(true, () => 3_000_000);
    const prepared = await preparePhoto(heicFile(), fake.codec);
    expect(prepared.kind).toBe('ready');
    if (prepared.kind !== 'ready') return;
    expect(prepared).toMatchObject({ type: 'image/jpeg', name: 'IMG_0042.jpg', converted: true });
    expect(prepared.file.size).toBe(3_000_000);
    expect(fake.calls).toEqual(['decode', 'jpeg 4032x3024 q0.9']);
    expect(fake.closed()).toBe(1);
  });
  it('says the browser cannot read HEIC when it cannot decode it (Chromium, Firefox), and reserves nothing', async () => {
    const fake = fakeCodec(false, () => 10);
    expect(await preparePhoto(heicFile(), fake.codec)).toEqual({ kind: 'refused', reason: 'heic' });
    expect(fake.calls).toEqual(['decode']);
  });
  it('says so too when the browser decodes it but cannot write a JPEG of it', async () => {
    const fake = fakeCodec(true, () => undefined);
    expect(await preparePhoto(heicFile(), fake.codec)).toEqual({ kind: 'refused', reason: 'heic' });
    expect(fake.closed()).toBe(1);
  });
  it('lowers the quality until the JPEG fits under 10 MB, and refuses it when even 0.7 does not', async () => {
    const fits = fakeCodec(true, (q) => (q > 0.75 ? MAX_PHOTO_BYTES + 1 : MAX_PHOTO_BYTES));
    const ready = await preparePhoto(heicFile(), fits.codec);
    expect(ready.kind).toBe('ready');
    expect(fits.calls).toEqual(['decode', 'jpeg 4032x3024 q0.9', 'jpeg 4032x3024 q0.8', 'jpeg 4032x3024 q0.7']);
    const never = fakeCodec(true, () => MAX_PHOTO_BYTES + 1);
    expect(await preparePhoto(heicFile(), never.codec)).toEqual({ kind: 'refused', reason: 'size' });
    expect(never.closed()).toBe(1);
  });
  it('draws a 48-megapixel HEIC smaller, within the canvas limit', async () => {
    const fake = fakeCodec(true, () => 5_000_000, { width: 8064, height: 6048 });
    await preparePhoto(heicFile(), fake.codec);
    const { width, height } = fitPixels(8064, 6048);
    expect(fake.calls[1]).toBe(`jpeg ${width}x${height} q0.9`);
  });
  it('refuses a GIF without decoding it', async () => {
    const fake = fakeCodec(true, () => 10);
    const gif = new File([new Uint8Array([0x47, 0x49, 0x46, 0x38])], 'a.gif', { type: 'image/gif' });
    expect(await preparePhoto(gif, fake.codec)).toEqual({ kind: 'refused', reason: 'type' });
    expect(fake.calls).toEqual([]);
  });
});
