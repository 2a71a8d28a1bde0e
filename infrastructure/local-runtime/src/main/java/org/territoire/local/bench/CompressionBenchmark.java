package org.territoire.local.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import org.territoire.shared.page.Page;
import org.territoire.telemetry.reading.Reading;

/**
 * What gzip costs and saves on the largest answer of the API, a page of 5,000 readings of an
 * electricity meter (a reading a minute, as the device simulator sends): the kernel's response
 * path ({@code ApiResponse.ok} then {@code toEvent}, what {@code ApiHandler} writes to Lambda),
 * with and without {@code Accept-Encoding: gzip}. Prints the bytes of each and the median time
 * of each over the runs, after a warm-up. {@code ./run-local.sh bench-compression [runs]}.
 */
public final class CompressionBenchmark {
    private CompressionBenchmark() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        Instant start = Instant.parse("2026-11-25T00:00:00Z");
        List<Reading> items = new ArrayList<>();
        double index = 1523.4;
        for (int i = 0; i < 5000; i++) {
            double kw = 0.2 + 0.6 * Math.abs(Math.sin(i / 90.0));
            index += kw / 60;
            items.add(new Reading("sim-meter-demo", start.plusSeconds(60L * i).plusMillis(i % 1000),
                    Map.of("energy_kwh", Math.round(index * 1000) / 1000.0, "power_w", (double) Math.round(kw * 1000))));
        }
        Page<Reading> page = new Page<>(items, "e1." + "A".repeat(140));
        ApiResponse response = ApiResponse.ok(page);
        int plainBytes = response.body().getBytes(StandardCharsets.UTF_8).length;
        byte[] gzipped = java.util.Base64.getDecoder().decode(response.toEvent("gzip").path("body").asText());
        for (int i = 0; i < Math.max(50, runs / 2); i++) {
            Json.write(response.toEvent(null));
            Json.write(response.toEvent("gzip"));
        }
        long[] plain = new long[runs];
        long[] zipped = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Json.write(response.toEvent(null));
            long t1 = System.nanoTime();
            Json.write(response.toEvent("gzip"));
            long t2 = System.nanoTime();
            plain[i] = t1 - t0;
            zipped[i] = t2 - t1;
        }
        java.util.Arrays.sort(plain);
        java.util.Arrays.sort(zipped);
        System.out.printf("readings page: 5000 items, %d bytes as JSON, %d bytes gzipped (%.1f %%), %d base64 in the Lambda answer%n",
                plainBytes, gzipped.length, 100.0 * gzipped.length / plainBytes, (gzipped.length + 2) / 3 * 4);
        System.out.printf("response path, median of %d: %.2f ms uncompressed, %.2f ms gzipped (+%.2f ms)%n", runs,
                plain[runs / 2] / 1e6, zipped[runs / 2] / 1e6, (zipped[runs / 2] - plain[runs / 2]) / 1e6);
    }
}
