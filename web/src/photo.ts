/**
 * What the report page does with a picked photo before it asks the API for an upload.
 *
 * The photos function decodes JPEG, PNG and WebP and refuses HEIC: no maintained open-source Java
 * decoder can clean it (docs/decisions.md, "Report photos"). A browser that can decode HEIC (Safari)
 * turns it into a JPEG here, from the decoded pixels; one that cannot (Chromium, Firefox) says so
 * and how to send a JPEG instead, rather than reserving a place for a photo the function would refuse.
 * The file's first bytes decide, not only its name or type: Windows and Android may give a HEIC
 * file no type, or a renamed one the type of its new extension.
 */

/** The types the API accepts, JPEG first: macOS Safari transcodes a HEIC to the first one it can write. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
/** The presigned POST's content-length-range (PhotoService.MAX_BYTES). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/**
 * The largest canvas drawn: iOS Safari refuses a canvas over 16,777,216 pixels (toBlob answers null),
 * so a 48-megapixel photo is drawn smaller rather than not at all.
 */
export const MAX_CANVAS_PIXELS = 4096 * 4096;
/** Tried in turn until the JPEG fits under MAX_PHOTO_BYTES. */
export const JPEG_QUALITIES = [0.9, 0.8, 0.7];
/** How many first bytes are read to recognise a HEIF file (its ftyp box and a few compatible brands). */
export const HEAD_BYTES = 64;

const HEIF_TYPES = new Set(['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence']);
/** ftyp brands of HEVC-coded HEIF (ISO/IEC 23008-12, Annex B): what phones write. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx']);
/** Brands of any HEIF, whatever the codec; with an AV1 brand beside them the file is an AVIF instead. */
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
const AV1_BRANDS = new Set(['avif', 'avis']);

export type RefusalReason = 'heic' | 'type' | 'size';

/** What to do with a picked file, from its declared type, name, size and first bytes. */
export type PhotoPlan = { kind: 'send'; type: string } | { kind: 'convert' } | { kind: 'refuse'; reason: RefusalReason };

/** The brands of an ISO BMFF file's leading ftyp box (major first), or none when it does not start with one. */
export function ftypBrands(head: Uint8Array): string[] {
  if (head.length < 16) return [];
  const text = (at: number) => String.fromCharCode(head[at], head[at + 1], head[at + 2], head[at + 3]);
  if (text(4) !== 'ftyp') return [];
  const size = ((head[0] << 24) >>> 0) + (head[1] << 16) + (head[2] << 8) + head[3];
  if (size < 16) return [];
  const end = Math.min(size, head.length);
  // Major brand at 8, minor version at 12, then compatible brands to the end of the box.
  const brands = [text(8)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(text(at));
  return brands;
}

/** Whether the bytes are a HEIF image (HEIC included), AVIF excepted. */
export function isHeifContent(head: Uint8Array): boolean {
  const brands = ftypBrands(head);
  if (brands.some((b) => HEVC_BRANDS.has(b))) return true;
  return HEIF_BRANDS.has(brands[0] ?? '') && !brands.some((b) => AV1_BRANDS.has(b));
}

export function planPhoto(file: { type: string; name: string; size: number }, head: Uint8Array): PhotoPlan {
  const type = file.type.trim().toLowerCase();
  const named = /\.(heic|heif)$/i.test(file.name);
  const sniffed = ftypBrands(head).length > 0;
  // The bytes win when they say HEIF; a declared HEIF type or name counts only when the bytes say nothing else.
  if (isHeifContent(head) || (!sniffed && (HEIF_TYPES.has(type) || (type === '' && named)))) return { kind: 'convert' };
  if (!PHOTO_TYPES.includes(type)) return { kind: 'refuse', reason: 'type' };
  if (file.size > MAX_PHOTO_BYTES) return { kind: 'refuse', reason: 'size' };
  return { kind: 'send', type };
}

/** The size to draw a width × height image at, no larger than maxPixels in area, its proportions kept. */
export function fitPixels(width: number, height: number, maxPixels = MAX_CANVAS_PIXELS): { width: number; height: number } {
  if (width * height <= maxPixels) return { width, height };
  const scale = Math.sqrt(maxPixels / (width * height));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

/** A decoded picture, as the browser gives it (an ImageBitmap or an <img>), with its displayed size. */
export interface Decoded {
  width: number;
  height: number;
  source: CanvasImageSource;
  close(): void;
}

/** How the browser decodes and re-encodes; replaced in unit tests. */
export interface PhotoCodec {
  /** undefined when this browser cannot decode the file. */
  decode(file: Blob): Promise<Decoded | undefined>;
  /** A JPEG of the picture drawn at that size, or undefined when the browser cannot make one. */
  encodeJpeg(picture: Decoded, size: { width: number; height: number }, quality: number): Promise<Blob | undefined>;
}

export type Prepared =
  | { kind: 'ready'; file: Blob; type: string; name: string; converted: boolean }
  | { kind: 'refused'; reason: RefusalReason };

/** The file to upload, converted to JPEG when it is a HEIF the browser can decode, or why it cannot be sent. */
export async function preparePhoto(file: File, codec: PhotoCodec): Promise<Prepared> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const plan = planPhoto(file, head);
  if (plan.kind === 'refuse') return { kind: 'refused', reason: plan.reason };
  if (plan.kind === 'send') return { kind: 'ready', file, type: plan.type, name: file.name, converted: false };
  const picture = await codec.decode(file).catch(() => undefined);
  if (!picture || picture.width < 1 || picture.height < 1) {
    picture?.close();
    return { kind: 'refused', reason: 'heic' };
  }
  try {
    const size = fitPixels(picture.width, picture.height);
    for (const quality of JPEG_QUALITIES) {
      const jpeg = await codec.encodeJpeg(picture, size, quality).catch(() => undefined);
      if (!jpeg) return { kind: 'refused', reason: 'heic' };
      if (jpeg.size <= MAX_PHOTO_BYTES) {
        return { kind: 'ready', file: jpeg, type: 'image/jpeg', name: jpegName(file.name), converted: true };
      }
    }
    return { kind: 'refused', reason: 'size' };
  } finally {
    picture.close();
  }
}

export function jpegName(name: string): string {
  const base = name.replace(/\.[^./\\]*$/, '');
  return `${base || 'photo'}.jpg`;
}

/**
 * The browser's own decoders: createImageBitmap first, an <img> where it is missing or refuses.
 * Orientation: a HEIF's rotation and mirroring (irot, imir) are part of the image, applied by the
 * decoder itself; an EXIF orientation is applied too (createImageBitmap's imageOrientation is
 * 'from-image' by default, and an <img> is drawn as shown, CSS image-orientation being from-image).
 * The <img> reads a data: URL, not a blob: one, which the Content-Security-Policy's img-src does not allow.
 */
export const browserCodec: PhotoCodec = {
  async decode(file) {
    if (typeof createImageBitmap === 'function') {
      try {
        const bitmap = await createImageBitmap(file);
        return { width: bitmap.width, height: bitmap.height, source: bitmap, close: () => bitmap.close() };
      } catch {
        // Chromium and Firefox reject a HEIC here; the <img> has the last word.
      }
    }
    const url = await new Promise<string | undefined>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : undefined);
      reader.onerror = () => resolve(undefined);
      reader.readAsDataURL(file);
    });
    if (!url) return undefined;
    const img = new Image();
    img.src = url;
    try {
      await img.decode();
    } catch {
      return undefined;
    }
    return { width: img.naturalWidth, height: img.naturalHeight, source: img, close: () => img.removeAttribute('src') };
  },
  encodeJpeg(picture, size, quality) {
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    if (!context) return Promise.resolve(undefined);
    // JPEG has no transparency: a transparent pixel would come out black.
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size.width, size.height);
    context.drawImage(picture.source, 0, 0, size.width, size.height);
    return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob ?? undefined), 'image/jpeg', quality));
  },
};
