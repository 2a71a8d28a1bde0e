#!/usr/bin/env bash
# Builds the HEIC decoder the photo-processing function runs in a WebAssembly sandbox:
# libheif 1.15.1 and libde265 1.0.11 as Debian 12 ships them (upstream sources with Debian's
# security patches), compiled by clang for wasm32-wasi with territoire_heif.c as their only entry
# point. Output: $OUT (default .cache/heif/territoire-heif.wasm), which this Maven module (infrastructure/heif) compiles to
# Java bytecode at build time (Chicory). docs/decisions.md says why; docs/operations.md how to
# move to newer sources.
#   infrastructure/heif/native/build.sh [--if-stale] [OUT]
# Needs clang-19, lld-19, libc++-19-dev-wasm32, libc++abi-19-dev-wasm32, libclang-rt-19-dev-wasm32,
# wasi-libc and dpkg-dev (infrastructure/setup.sh installs them on Debian).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IF_STALE=false
if [ "${1:-}" = --if-stale ]; then IF_STALE=true; shift; fi
OUT="${1:-$HERE/../../../.cache/heif/territoire-heif.wasm}"
# The build's inputs (this folder), recorded beside the output: --if-stale builds only when they changed.
STAMP="$(dirname "$OUT")/inputs.sha256"
INPUTS="$(cat "$HERE"/* | sha256sum | cut -d' ' -f1)"
if $IF_STALE && [ -f "$OUT" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$INPUTS" ]; then
  exit 0
fi
POOL=http://deb.debian.org/debian/pool/main
# file, its folder in the pool, SHA-256: the Debian source packages, pinned by their .dsc's own checksum
# (dpkg-source then checks every tarball against the .dsc).
SOURCES=(
  "libde265_1.0.11-1+deb12u2.dsc libd/libde265 3f42b562a89db54867cbc7f101b73fc581ac9a0b397637c61d9f41e8bbf13332"
  "libde265_1.0.11.orig.tar.gz libd/libde265 2f8f12cabbdb15e53532b7c1eb964d4e15d444db1be802505e6ac97a25035bab"
  "libde265_1.0.11-1+deb12u2.debian.tar.xz libd/libde265 81de2919da09690f2fb80383fcc68cda397bfed878a010061627f7794e278f4b"
  "libheif_1.15.1-1+deb12u1.dsc libh/libheif e89ce8b9cefe4a72050d2076e0d63206eab20d7b2b8bb699ae576e89073143f3"
  "libheif_1.15.1.orig.tar.gz libh/libheif 28d5a376fe7954d2d03453f983aaa0b7486f475c27c7806bda31df9102325556"
  "libheif_1.15.1-1+deb12u1.debian.tar.xz libh/libheif f3a042fce4231e8feddd032bf93b808a6db96614c20888b78d1042a15e378817"
)
CC=clang-19
CXX=clang++-19
for tool in "$CC" "$CXX" wasm-ld-19 dpkg-source curl; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found (infrastructure/setup.sh installs the toolchain)" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
for entry in "${SOURCES[@]}"; do
  read -r name dir sum <<<"$entry"
  # The main pool drops a version when a point release supersedes it: then the security pool, then
  # Debian's snapshot archive (which keeps every version) are tried; the SHA-256 decides in any case.
  fetched=false
  for base in "$POOL" http://deb.debian.org/debian-security/pool/updates/main \
      https://snapshot.debian.org/archive/debian/20250520T000000Z/pool/main; do
    if curl -fsS --retry 2 --max-time 120 -o "$name" "$base/$dir/${name//+/%2b}" 2>/dev/null; then fetched=true; break; fi
  done
  $fetched || { echo "build.sh: $name is in none of Debian's pools any more (see docs/operations.md)" >&2; exit 1; }
  echo "$sum  $name" | sha256sum -c --quiet - || { echo "build.sh: $name does not have its pinned SHA-256" >&2; exit 1; }
done
dpkg-source --require-strong-checksums -x libde265_1.0.11-1+deb12u2.dsc de265 >/dev/null 2> >(grep -v -E "gpgv|cannot verify inline signature" >&2)
dpkg-source --require-strong-checksums -x libheif_1.15.1-1+deb12u1.dsc heif >/dev/null 2> >(grep -v -E "gpgv|cannot verify inline signature" >&2)
(cd heif && patch -s -p1 < "$HERE/libheif-wasi.patch")

# Deterministic objects: source paths mapped away (assert messages), one job order.
FLAGS=(--target=wasm32-wasi -O2 -fno-exceptions -ffile-prefix-map="$WORK"=. -I"$HERE" -D_WASI_EMULATED_SIGNAL -Wno-tautological-constant-out-of-range-compare)
CXXFLAGS=("${FLAGS[@]}" -std=c++11 -include "$HERE/single_thread.h")
DE265=(alloc_pool bitstream cabac configparam contextmodel de265 deblock decctx dpb fallback-dct fallback-motion
  fallback image-io image intrapred md5 motion nal-parser nal pps quality refpic sao scan sei slice sps threads
  transform util visualize vps vui)
HEIF=(bitstream box common_utils error exif heif heif_avif heif_colorconversion heif_context heif_file heif_hevc
  heif_image heif_init heif_plugin heif_plugin_registry metadata_compression nclx plugins/heif_decoder_libde265)
mkdir -p obj/de265 obj/heif
compile() { # compile SRC OBJ ARGS...
  local src="$1" obj="$2"; shift 2
  "$CXX" "${CXXFLAGS[@]}" "$@" -c "$src" -o "$obj"
}
pids=()
for f in "${DE265[@]}"; do
  compile "de265/libde265/$f.cc" "obj/de265/$f.o" -Ide265 -Ide265/libde265 -DHAVE_STDINT_H -DHAVE_STDBOOL_H \
    -DHAVE_POSIX_MEMALIGN &
  pids+=($!)
  if [ "${#pids[@]}" -ge "${JOBS:-2}" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for f in "${HEIF[@]}"; do
  compile "heif/libheif/$f.cc" "obj/heif/${f//\//_}.o" -Iheif -Iheif/libheif -Ide265 -DHAVE_LIBDE265=1 \
    -DENABLE_PLUGIN_LOADING=0 -DENABLE_MULTITHREADING_SUPPORT=0 -DENABLE_PARALLEL_TILE_DECODING=0 &
  pids+=($!)
  if [ "${#pids[@]}" -ge "${JOBS:-2}" ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid"; done
"$CC" "${FLAGS[@]}" -Iheif -c "$HERE/territoire_heif.c" -o obj/territoire_heif.o
# A reactor (no main): the host calls _initialize, then the exports. 1 MiB of stack; memory may grow
# to 512 MiB (a 48-megapixel 8-bit photo needs 380), beyond which an allocation fails and the photo
# is refused: the host grows it by copying, so 512 MiB costs the function's heap 768 MiB at most.
mkdir -p "$(dirname "$OUT")"
"$CXX" "${FLAGS[@]}" -mexec-model=reactor obj/territoire_heif.o obj/heif/*.o obj/de265/*.o \
  -Wl,-z,stack-size=1048576 -Wl,--max-memory=536870912 -Wl,--strip-all -o "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "$INPUTS" > "$STAMP"
echo "built $OUT ($(stat -c %s "$OUT") bytes, sha256 $(sha256sum "$OUT" | cut -d' ' -f1))" >&2
