/*
 * The one entry point the photo-processing function calls: decode a HEIF file's primary image
 * to 8-bit interleaved RGB, with its rotation and mirroring (irot, imir) applied, and nothing
 * else (no EXIF, no XMP, no depth map, no thumbnail crosses). Built for wasm32-wasi and run in a
 * WebAssembly sandbox inside the JVM, so a decoder bug can corrupt only the sandbox's memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "libheif/heif.h"

enum {
  TH_OK = 0,
  TH_UNREADABLE = 1, /* not a HEIF file, or one libheif cannot parse */
  TH_TOO_LARGE = 2,  /* more pixels than the caller allows, or a side over the limit */
  TH_DECODE_FAILED = 3,
  TH_NO_MEMORY = 4
};

/* A side's limit for libheif's own checks; the caller's max_pixels bounds the area. */
#define TH_MAX_SIDE 65535

/* What a libheif error means for the caller: out of memory, over a size limit, or unreadable. */
static int32_t refusal(struct heif_error err) {
  if (err.code == heif_error_Memory_allocation_error) return TH_NO_MEMORY;
  if (err.subcode == heif_suberror_Security_limit_exceeded) return TH_TOO_LARGE;
  return TH_UNREADABLE;
}

__attribute__((export_name("th_alloc"))) void* th_alloc(uint32_t size) { return malloc(size); }

__attribute__((export_name("th_free"))) void th_free(void* p) { free(p); }

/* out[0] = status, out[1] = width, out[2] = height, out[3] = address of width*height*3 bytes,
 * which the caller frees with th_free. */
__attribute__((export_name("th_decode")))
int32_t th_decode(const uint8_t* data, uint32_t length, uint32_t max_pixels, int32_t* out) {
  memset(out, 0, 4 * sizeof(int32_t));
  struct heif_context* ctx = heif_context_alloc();
  if (ctx == NULL) return out[0] = TH_NO_MEMORY;
  heif_context_set_maximum_image_size_limit(ctx, TH_MAX_SIDE);
  struct heif_image_handle* handle = NULL;
  struct heif_image* image = NULL;
  int32_t status = TH_OK;

  struct heif_error err = heif_context_read_from_memory_without_copy(ctx, data, length, NULL);
  if (err.code != heif_error_Ok) { status = refusal(err); goto done; }
  err = heif_context_get_primary_image_handle(ctx, &handle);
  if (err.code != heif_error_Ok) { status = refusal(err); goto done; }

  int w = heif_image_handle_get_width(handle);
  int h = heif_image_handle_get_height(handle);
  if (w <= 0 || h <= 0) { status = TH_UNREADABLE; goto done; }
  if (w > TH_MAX_SIDE || h > TH_MAX_SIDE || (uint64_t) w * (uint64_t) h > max_pixels) {
    out[1] = w; out[2] = h; status = TH_TOO_LARGE; goto done;
  }

  struct heif_decoding_options* options = heif_decoding_options_alloc();
  if (options == NULL) { status = TH_NO_MEMORY; goto done; }
  options->ignore_transformations = 0;
  err = heif_decode_image(handle, &image, heif_colorspace_RGB, heif_chroma_interleaved_RGB, options);
  heif_decoding_options_free(options);
  if (err.code != heif_error_Ok) {
    status = refusal(err) == TH_UNREADABLE ? TH_DECODE_FAILED : refusal(err);
    goto done;
  }

  int iw = heif_image_get_width(image, heif_channel_interleaved);
  int ih = heif_image_get_height(image, heif_channel_interleaved);
  int stride = 0;
  const uint8_t* plane = heif_image_get_plane_readonly(image, heif_channel_interleaved, &stride);
  if (plane == NULL || iw <= 0 || ih <= 0 || (uint64_t) iw * (uint64_t) ih > max_pixels) {
    status = TH_DECODE_FAILED; goto done;
  }
  uint8_t* rgb = malloc((size_t) iw * (size_t) ih * 3);
  if (rgb == NULL) { status = TH_NO_MEMORY; goto done; }
  for (int y = 0; y < ih; y++) {
    memcpy(rgb + (size_t) y * iw * 3, plane + (size_t) y * stride, (size_t) iw * 3);
  }
  out[1] = iw; out[2] = ih; out[3] = (int32_t) (uintptr_t) rgb;

done:
  if (image != NULL) heif_image_release(image);
  if (handle != NULL) heif_image_handle_release(handle);
  heif_context_free(ctx);
  return out[0] = status;
}
