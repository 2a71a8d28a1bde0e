package org.territoire.heif;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.WasmModule;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Decodes a HEIF file's primary image (an iPhone's HEIC photo) to pixels, and nothing else.
 *
 * <p>The decoder is libheif with libde265 (HEVC), C and C++, compiled to WebAssembly
 * ({@code native/build.sh}) and that to JVM bytecode at build time (Chicory). Each file is decoded in
 * a new instance of the module, with its own linear memory (at most 512 MiB) and no file system,
 * arguments, environment or network (WASI with nothing open; the module imports neither the clock nor
 * randomness, and both are fixed anyway): a bug in the decoder, which parses what strangers upload,
 * can at worst garble that one file's pixels, exhaust its memory or trap, which refuses it; it cannot
 * read or write the function's memory nor another upload's. What comes back (a size, an address) is
 * checked before it is used, and a decoding that runs past {@link #DEADLINE} is interrupted. The rotation and mirroring the file declares ({@code irot},
 * {@code imir}) are applied; EXIF, XMP, depth maps and thumbnails are never read out.
 */
public final class HeifDecoder {
    private static final WasmModule MODULE = TerritoireHeifModule.load();
    /** The longest a decoding may take: a 48-megapixel photo takes about 40 s as a new JVM's first. */
    static final java.time.Duration DEADLINE = java.time.Duration.ofSeconds(90);
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "heif-deadline");
                t.setDaemon(true);
                return t;
            });
    private static final int OK = 0;
    private static final int UNREADABLE = 1;
    private static final int TOO_LARGE = 2;
    private static final int NO_MEMORY = 4;
    /** ISO BMFF brands of an HEVC-coded HEIF (ISO/IEC 23008-12 Annex B): an AV1 one (AVIF) is not decoded here. */
    private static final Set<String> HEVC_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs");
    private static final Set<String> AV1_BRANDS = Set.of("avif", "avis");

    /** Why a file could not be decoded, in words for its author. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private HeifDecoder() {
    }

    /** The module did not start: a defect of the build, whatever the file. */
    static final class NotStarted extends IllegalStateException {
        NotStarted(RuntimeException cause) {
            super("the HEIC decoder module did not start", cause);
        }
    }

    /**
     * Whether the bytes start as an HEVC-coded HEIF: an ISO BMFF {@code ftyp} box whose major or a
     * compatible brand is an HEVC one, or the generic {@code mif1}/{@code msf1} with no AV1 brand.
     */
    public static boolean isHeif(byte[] b) {
        if (b.length < 16 || b[4] != 'f' || b[5] != 't' || b[6] != 'y' || b[7] != 'p') {
            return false;
        }
        long size = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (size < 16) {
            return false; // no room for a brand beside the major one: no ftyp a HEIF writer makes (web/src/photo.ts agrees)
        }
        int end = (int) Math.min(size, Math.min(b.length, 256));
        boolean hevc = false;
        boolean generic = false;
        boolean av1 = false;
        for (int at = 8; at + 4 <= end; at += 4) {
            if (at == 12) {
                continue; // the minor version, not a brand
            }
            String brand = new String(b, at, 4, StandardCharsets.ISO_8859_1);
            hevc |= HEVC_BRANDS.contains(brand);
            generic |= brand.equals("mif1") || brand.equals("msf1");
            av1 |= AV1_BRANDS.contains(brand);
        }
        return hevc || (generic && !av1);
    }

    /**
     * The primary image as an opaque RGB image, or a refusal: a file that is not a HEIF one libheif
     * can read, more than {@code maxPixels} pixels (checked on the declared size, before any
     * decoding), or a bitstream that does not decode.
     */
    public static BufferedImage decode(byte[] file, long maxPixels) throws Refused {
        return decode(file, maxPixels, DEADLINE);
    }

    static BufferedImage decode(byte[] file, long maxPixels, java.time.Duration deadline) throws Refused {
        Thread caller = Thread.currentThread();
        var interrupt = WATCHDOG.schedule(caller::interrupt, deadline.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        try {
            return sandboxed(file, maxPixels);
        } catch (com.dylibso.chicory.runtime.ChicoryInterruptedException e) {
            throw new Refused("the image took too long to decode");
        } catch (NotStarted e) {
            throw e; // the platform's fault, not the file's: the invocation fails and is retried
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A trap (an out-of-bounds access, a failed assertion), the module's exit, or the host's
            // memory exhausted by the sandbox's: the sandbox is dropped with the file, its memory with it.
            throw new Refused("the image could not be decoded");
        } finally {
            interrupt.cancel(false);
            // The watchdog may have fired just as the decoding ended: its interrupt is not the caller's.
            Thread.interrupted();
        }
    }

    private static BufferedImage sandboxed(byte[] file, long maxPixels) throws Refused {
        Instance instance;
        try {
            WasiOptions options = WasiOptions.builder()
                    .withClock(java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC))
                    .withRandom(new java.util.Random(0))
                    .build();
            WasiPreview1 wasi = WasiPreview1.builder().withOptions(options).build();
            instance = Instance.builder(MODULE)
                    .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
                    .withMachineFactory(TerritoireHeifModule::create)
                    .withStart(false)
                    .build();
            instance.export("_initialize").apply();
        } catch (com.dylibso.chicory.runtime.ChicoryInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NotStarted(e);
        }
        Memory memory = instance.memory();
        ExportFunction alloc = instance.export("th_alloc");
        int in = (int) alloc.apply(file.length)[0];
        int out = (int) alloc.apply(16)[0];
        if (in == 0 || out == 0) {
            throw new Refused("the image is too large to decode");
        }
        memory.write(in, file);
        int status = (int) instance.export("th_decode").apply(in, file.length, Math.min(maxPixels, Integer.MAX_VALUE), out)[0];
        int width = memory.readInt(out + 4);
        int height = memory.readInt(out + 8);
        switch (status) {
            case OK -> {
                // Trusted no more than the file: a decoder bug could have written anything there.
                long bytes = (long) width * height * 3;
                long address = Integer.toUnsignedLong(memory.readInt(out + 12));
                if (width < 1 || height < 1 || (long) width * height > maxPixels
                        || address + bytes > (long) memory.pages() * Memory.PAGE_SIZE) {
                    throw new Refused("the image could not be decoded");
                }
                return image(memory, (int) address, width, height);
            }
            case UNREADABLE -> throw new Refused("the file is not a HEIC image that can be read");
            case TOO_LARGE -> throw new Refused(width > 0 && height > 0 ? "the image is " + width + " by " + height
                    + " pixels; at most " + maxPixels / 1_000_000 + " megapixels are accepted" : "the image is too large");
            case NO_MEMORY -> throw new Refused("the image is too large to decode");
            default -> throw new Refused("the image could not be decoded");
        }
    }

    /**
     * SnapStart: decodes a 64 by 48 HEIC (the module's resource {@code priming.heic}, made by Debian's
     * heif-enc) so the snapshot holds the module's classes loaded and its code run once. No I/O.
     */
    public static BufferedImage prime() {
        try (java.io.InputStream in = HeifDecoder.class.getResourceAsStream("priming.heic")) {
            return decode(java.util.Objects.requireNonNull(in, "priming.heic").readAllBytes(), 64 * 48);
        } catch (java.io.IOException | Refused e) {
            throw new IllegalStateException("the HEIC decoder cannot decode its own priming image", e);
        }
    }

    /** Interleaved 8-bit RGB from the module's memory, as an opaque {@code TYPE_INT_RGB} image. */
    private static BufferedImage image(Memory memory, int address, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int row = width * 3;
        for (int y = 0; y < height; y++) {
            byte[] rgb = memory.readBytes(address + y * row, row);
            for (int x = 0, i = 0; x < width; x++, i += 3) {
                pixels[y * width + x] = ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
            }
        }
        return image;
    }
}
