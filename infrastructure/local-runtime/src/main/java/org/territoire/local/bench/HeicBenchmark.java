package org.territoire.local.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.territoire.feedback.photo.ImageCleaner;

/**
 * What decoding a HEIC in the WebAssembly sandbox costs, against native libheif and against the
 * same photo as a JPEG, in one run. A photo-like image (gradients, edges, sensor-like noise) of
 * {@code megapixels} is encoded once by Debian's {@code heif-enc} (quality 50, about what phones
 * write) and by the JDK's JPEG writer (quality 0.9); then, over {@code runs} each: native
 * {@code heif-convert} to raw YUV (decoding only, a process each time); the sandbox's decoding
 * ({@code HeifDecoder.decode}, a new sandbox each time) in a new JVM with each JIT setting, C1 only
 * ({@code -XX:TieredStopAtLevel=1}, Lambda's default for Java 21) and C1 then C2 (level 4, which the
 * photos function sets), whose first decoding is what a function's first HEIC after a cold start
 * pays; and the photos function's whole cleaning ({@code ImageCleaner.clean}: decode, scale,
 * re-encode) of the HEIC and of the JPEG, in a new JVM at level 4.
 * {@code ./run-local.sh bench-heic [megapixels] [runs]}; needs {@code heif-enc} and
 * {@code heif-convert} (Debian: {@code apt-get install libheif-examples}).
 */
public final class HeicBenchmark {
    private HeicBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].startsWith("--child=")) {
            child(args[0].substring("--child=".length()), Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        double megapixels = args.length > 0 ? Double.parseDouble(args[0]) : 12;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (String tool : new String[] {"heif-enc", "heif-convert"}) {
            if (!onPath(tool)) {
                System.err.println(tool + " not found: apt-get install libheif-examples (Debian's libheif tools)");
                System.exit(2);
            }
        }
        int width = (int) Math.round(Math.sqrt(megapixels * 1e6 * 4 / 3));
        int height = width * 3 / 4;
        Path work = Files.createTempDirectory("territoire-heic-bench");
        BufferedImage photo = photoLike(width, height);
        Path png = work.resolve("photo.png");
        ImageIO.write(photo, "png", png.toFile());
        Path heic = work.resolve("photo.heic");
        run("heif-enc", "-q", "50", png.toString(), "-o", heic.toString());
        byte[] heicBytes = Files.readAllBytes(heic);
        byte[] jpegBytes = jpeg(photo);
        System.out.printf("photo: %d x %d (%.1f MP); HEIC %.2f MB (heif-enc -q 50), JPEG %.2f MB (quality 0.9)%n", width, height,
                width * (double) height / 1e6, heicBytes.length / 1e6, jpegBytes.length / 1e6);

        Path jpegFile = work.resolve("photo.jpg");
        Files.write(jpegFile, jpegBytes);
        long[] nativeDecode = new long[runs];
        Path yuv = work.resolve("out.y4m");
        for (int i = 0; i < runs; i++) {
            nativeDecode[i] = time(() -> run("heif-convert", heic.toString(), yuv.toString()));
        }
        double n = median(nativeDecode);
        System.out.printf("native heif-convert (decoding to YUV), median of %d: %.0f ms%n", runs, n);
        for (String[] jit : new String[][] {{"C1 only (Lambda's default)", "-XX:TieredStopAtLevel=1"}, {"C1 then C2 (level 4, the photos function's)", "-XX:TieredStopAtLevel=4"}}) {
            double[] t = child(jit[1], "decode", heic, runs);
            System.out.printf("sandbox, %s: first in a new JVM %.0f ms, then median of %d %.0f ms (%.2fx native; first %.2fx native)%n",
                    jit[0], t[0], runs, t[1], t[1] / n, t[0] / n);
        }
        double[] heicClean = child("-XX:TieredStopAtLevel=4", "clean-heic", heic, runs);
        double[] jpegClean = child("-XX:TieredStopAtLevel=4", "clean-jpeg", jpegFile, runs);
        System.out.printf("cleaning (decode, scale to 2048, JPEG) at level 4, median of %d after the first: HEIC %.0f ms, JPEG %.0f ms (HEIC %.2fx JPEG)%n",
                runs, heicClean[1], jpegClean[1], heicClean[1] / jpegClean[1]);
        try (var files = Files.list(work)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.delete(work);
    }

    /** Runs {@code what} in a new JVM with {@code jitFlag}: the first time and the median of the next {@code runs}, in ms. */
    private static double[] child(String jitFlag, String what, Path file, int runs) throws IOException, InterruptedException {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(launcher, jitFlag, "-Xmx1500m", "-cp", System.getProperty("java.class.path"), HeicBenchmark.class.getName(),
                "--child=" + what, file.toString(), Integer.toString(runs)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("the " + what + " child failed: " + out);
        }
        String[] parts = out.substring(out.lastIndexOf('\n') + 1).split(" ");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    /** The child's side: prints "first median" in ms. */
    private static void child(String what, Path file, int runs) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Step step = switch (what) {
            case "decode" -> () -> org.territoire.heif.HeifDecoder.decode(bytes, 50_000_000);
            case "clean-heic" -> () -> ImageCleaner.clean(bytes, "image/heic");
            case "clean-jpeg" -> () -> ImageCleaner.clean(bytes, "image/jpeg");
            default -> throw new IllegalArgumentException(what);
        };
        long first = time(step);
        long[] next = new long[runs];
        for (int i = 0; i < runs; i++) {
            next[i] = time(step);
        }
        System.out.println(first / 1e6 + " " + median(next));
    }

    /** Smooth gradients, hard edges and a little per-pixel noise, seeded: a camera photo's mix for a codec. */
    static BufferedImage photoLike(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random noise = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sky = (double) y / height;
                int r = (int) (90 + 120 * sky + 30 * Math.sin(x / 97.0));
                int g = (int) (140 + 60 * Math.cos((x + y) / 211.0));
                int b = (int) (200 - 120 * sky);
                if (((x / 256) + (y / 192)) % 5 == 0) {
                    r = 200;
                    g = 60;
                    b = 40; // a building's façade: hard edges every 256 pixels
                }
                int e = noise.nextInt(9) - 4;
                image.setRGB(x, y, (clamp(r + e) << 16) | (clamp(g + e) << 8) | clamp(b + e));
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        var writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            var param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private interface Step {
        void run() throws Exception;
    }

    private static long time(Step step) throws Exception {
        long t0 = System.nanoTime();
        step.run();
        return System.nanoTime() - t0;
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }
}
