/**
 * What the report page does with a picked photo before it asks the API for an upload.
 *
 * The photos function decodes JPEG, PNG, WebP and HEIC (an iPhone's photos, decoded on the server in
 * a WebAssembly sandbox) from the file's own bytes, and refuses a file whose bytes are not the type
 * its upload announced (docs/decisions.md, "Report photos"). So the page announces the type the first
 * bytes say, never the one the browser gives: Windows and Android may give a HEIC no type, or a renamed
 * one the type of its new extension (image/jpeg). A file that is none of the four, or over 10 MB, is
 * refused here, rather than reserving a place for a photo that S3 or the processing would refuse.
 */

/**
 * The file input's accept. HEIC's types and extensions are listed so that Chromium's and Firefox's
 * pickers do not grey a .heic out; with image/heic listed, macOS Safari hands over the HEIC itself.
 */
export const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif';
/** The presigned POST's content-length-range (PhotoService.MAX_BYTES). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** How many first bytes are read: a signature, or a HEIF's ftyp box (the function reads its brands within 256). */
export const HEAD_BYTES = 256;

/** ftyp brands of HEVC-coded HEIF (ISO/IEC 23008-12, Annex B): what phones write. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);
/** Brands of any HEIF, whatever the codec; with an AV1 brand beside them the file is an AVIF instead. */
const HEIF_BRANDS = new Set(['mif1', 'msf1']);
const AV1_BRANDS = new Set(['avif', 'avis']);

export type RefusalReason = 'type' | 'size';

/** What to do with a picked file, from its size and first bytes. */
export type PhotoPlan = { kind: 'send'; type: string } | { kind: 'refuse'; reason: RefusalReason };

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

/**
 * Whether the bytes are an HEVC-coded HEIF (a HEIC), as the function tells one (HeifDecoder.isHeif):
 * an HEVC brand, or mif1/msf1 without an AV1 brand (an AVIF is not a HEIC).
 */
export function isHeifContent(head: Uint8Array): boolean {
  const brands = ftypBrands(head);
  if (brands.some((b) => HEVC_BRANDS.has(b))) return true;
  return brands.some((b) => HEIF_BRANDS.has(b)) && !brands.some((b) => AV1_BRANDS.has(b));
}

/** The type the bytes are, by their signature (the function's own test, ImageCleaner.sniff), or undefined. */
export function sniffType(head: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  const ascii = (at: number, s: string) => [...s].every((c, i) => head[at + i] === c.charCodeAt(0));
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (isHeifContent(head)) return 'image/heic';
  return undefined;
}

/** The type to announce, or why not to send: the bytes decide, whatever type or name the browser gave. */
export function planPhoto(file: { size: number }, head: Uint8Array): PhotoPlan {
  const type = sniffType(head);
  if (!type) return { kind: 'refuse', reason: 'type' };
  if (file.size > MAX_PHOTO_BYTES) return { kind: 'refuse', reason: 'size' };
  return { kind: 'send', type };
}

export type Prepared = { kind: 'ready'; file: Blob; type: string; name: string } | { kind: 'refused'; reason: RefusalReason };

/** The picked file as it will be sent (untouched, under the type its bytes say), or why it cannot be. */
export async function preparePhoto(file: File): Promise<Prepared> {
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const plan = planPhoto(file, head);
  if (plan.kind === 'refuse') return { kind: 'refused', reason: plan.reason };
  return { kind: 'ready', file, type: plan.type, name: file.name };
}
