package org.territoire.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.ProjectRoot;
import org.territoire.local.aws.SamTemplate;

/**
 * The deployment packages as sam build makes them (the Makefile's zip for each function of
 * template.yaml, built by the reactor before this module): each carries only the clients its
 * function uses, and still works alone, in a JVM whose classpath is that package and nothing
 * else. A jar dropped that a function needs fails here, not in AWS.
 */
class FunctionPackagesTest {
    /**
     * The packages with the EventBridge client: the functions that publish domain events, and those
     * sharing their module's one package (bookings and consultations make one zip for all their functions).
     */
    private static final java.util.Set<String> PUBLISHERS = java.util.Set.of("TelemetryIngestFunction", "TelemetrySweepFunction",
            "AccountsFunction", "AccountsSweepFunction", "FeedbackFunction", "FeedbackSweepFunction", "BookingsFunction", "BookingsEventsFunction", "BookingsSweepFunction",
            "BookingsAccountEventsFunction", "ConsultationsFunction", "ConsultationsAccountEventsFunction", "ConsultationsSweepFunction");
    private static Map<String, Path> zips;
    private static List<SamTemplate.Function> functions;

    @BeforeAll
    static void packages() throws IOException {
        Path root = ProjectRoot.find();
        zips = ColdStartBenchmark.zipsOf(root);
        functions = SamTemplate.load().functions();
    }

    @Test
    void everyFunctionHasAPackage_carryingOnlyTheClientsItUses() throws IOException {
        for (SamTemplate.Function f : functions) {
            Path zip = zips.get(f.logicalId());
            assertThat(zip).as("the Makefile's zip of " + f.logicalId()).isNotNull().exists();
            List<String> jars = jars(zip);
            assertThat(jars).as(f.logicalId()).anyMatch(j -> j.startsWith("territoire-shared-"));
            assertThat(jars.stream().anyMatch(j -> j.startsWith("iot-"))).as(f.logicalId() + " carries the IoT client")
                    .isEqualTo(f.logicalId().equals("TelemetryApiFunction") || f.logicalId().equals("TelemetryAccountEventsFunction"));
            assertThat(jars.stream().anyMatch(j -> j.startsWith("eventbridge-"))).as(f.logicalId() + " carries EventBridge")
                    .isEqualTo(PUBLISHERS.contains(f.logicalId()));
            assertThat(jars.stream().anyMatch(j -> j.startsWith("territoire-heif-"))).as(f.logicalId() + " carries the HEIC decoder")
                    .isEqualTo(f.logicalId().equals("FeedbackPhotosFunction"));
            assertThat(jars.stream().anyMatch(j -> j.startsWith("dynamodb-enhanced-"))).as(f.logicalId() + " carries the enhanced client")
                    .isEqualTo(f.logicalId().equals("FeedbackFunction") || f.logicalId().equals("FeedbackSweepFunction"));
            // The kernel writes its own JSON log lines and EMF (docs/decisions.md): none of what it replaced ships.
            assertThat(jars).as(f.logicalId() + " carries no Log4j, Powertools, EMF library or AspectJ")
                    .noneMatch(j -> j.startsWith("log4j-") || j.startsWith("powertools-") || j.startsWith("aws-embedded-metrics-")
                            || j.startsWith("aspectj") || j.startsWith("commons-lang3-"));
            assertThat(jars).as(f.logicalId() + " has the SLF4J API its logger binds").anyMatch(j -> j.startsWith("slf4j-api-"));
            try (ZipFile z = new ZipFile(zip.toFile())) {
                assertThat(z.getEntry(f.handlerClass().replace('.', '/') + ".class")).as(f.handlerClass() + " in " + zip).isNotNull();
            }
        }
    }

    @Test
    void everyPackage_servesARealFirstRequestAlone_andItsSnapStartHookRunsFromIt() throws Exception {
        LocalAws aws = LocalAws.shared();
        Path work = Files.createTempDirectory("territoire-packages");
        Path probe = ColdStartBenchmark.probeClasses(work.resolve("probe"));
        for (SamTemplate.Function f : functions) {
            var p = ColdStartBenchmark.pack(work, f.logicalId(), zips.get(f.logicalId()), f.handlerClass(),
                    ColdStartBenchmark.firstEvent(f), !f.routes().isEmpty());
            ColdStartBenchmark.Sample cold = ColdStartBenchmark.run(probe, p, aws.environment(), false).cold();
            // Lists answer 200; the others are answered (no statusCode), never thrown.
            assertThat(cold.status()).as(f.logicalId()).isIn("200", "ok");
            if (p.http()) {
                ColdStartBenchmark.Primed primed = ColdStartBenchmark.run(probe, p, aws.environment(), true).primed();
                assertThat(primed.status()).as(f.logicalId() + " after priming").isEqualTo("200");
            }
        }
    }

    /**
     * Clients that only some requests call are built on their first use (LazyClient, docs/decisions.md): a
     * cold start whose first request reads builds no EventBridge, S3, IoT, SES or (unless it asks the user pool)
     * Cognito client. Counted, not timed: the
     * classes its init and first request load (-Xlog:class+load), as the cold-start benchmark counts them.
     */
    @Test
    void aFirstRequestThatPublishesStoresAndMailsNothing_buildsNoClientForThat() throws Exception {
        LocalAws aws = LocalAws.shared();
        Path work = Files.createTempDirectory("territoire-lazy-clients");
        Path probe = ColdStartBenchmark.probeClasses(work.resolve("probe"));
        for (SamTemplate.Function f : functions) {
            if (f.logicalId().equals("FeedbackPhotosFunction")) {
                continue; // its first event is an upload: it reads and deletes in the bucket, as it should
            }
            var p = ColdStartBenchmark.pack(work, f.logicalId(), zips.get(f.logicalId()), f.handlerClass(),
                    ColdStartBenchmark.firstEvent(f), !f.routes().isEmpty());
            Path log = work.resolve(f.logicalId() + ".classes.log");
            ColdStartBenchmark.run(probe, p, aws.environment(), false, List.of("-Xlog:class+load=info:file=" + log + ":none"));
            List<String> loaded = Files.readAllLines(log).stream().map(l -> l.split(" ", 2)[0]).toList();
            // A sweep's first run publishes what is due in the tables it reads (openings, reminders, kept events): on this
            // shared endpoint, whatever other test classes left there, so whether it builds the bus client is the data's.
            List<String> lazy = f.logicalId().endsWith("SweepFunction")
                    ? LAZY_CLIENTS.stream().filter(c -> !c.contains(".eventbridge.")).toList() : LAZY_CLIENTS;
            assertThat(loaded).as(f.logicalId() + " built a client its first request does not call")
                    .doesNotContain(lazy.toArray(String[]::new));
            if (!USER_POOL_FIRST.contains(f.logicalId())) {
                assertThat(loaded).as(f.logicalId() + " built a user pool client its first request does not call")
                        .doesNotContain(COGNITO_CLIENT);
            }
        }
    }

    /** The classes that building each client loads (its generated default implementation). */
    private static final List<String> LAZY_CLIENTS = List.of(
            "software.amazon.awssdk.services.eventbridge.DefaultEventBridgeClient",
            "software.amazon.awssdk.services.s3.DefaultS3Client",
            "software.amazon.awssdk.services.s3.internal.signing.DefaultS3Presigner",
            "software.amazon.awssdk.services.iot.DefaultIotClient",
            "software.amazon.awssdk.services.sesv2.DefaultSesV2Client");
    private static final String COGNITO_CLIENT = "software.amazon.awssdk.services.cognitoidentityprovider.DefaultCognitoIdentityProviderClient";
    /**
     * Their first request may ask the user pool: the MFA guard's trigger, the accounts API's GET /me, and the
     * digest tick whenever digests are due (the shared local endpoint holds other tests' notifications).
     */
    private static final List<String> USER_POOL_FIRST = List.of("MfaGuardFunction", "AccountsFunction", "NotificationDigestFunction");

    /**
     * The API's package has no HEIC decoder, yet redacts photos with the photos' cleaner: loaded from
     * that package alone (no test class path behind it), the cleaner must neither need the decoder's
     * classes to load nor fail to redact a JPEG.
     */
    @Test
    void theApisPackage_redactsAPhoto_withoutTheHeicDecoder() throws Exception {
        Path dir = Files.createTempDirectory("territoire-feedback-api");
        List<java.net.URL> urls = new java.util.ArrayList<>();
        urls.add(dir.toUri().toURL());
        try (ZipFile z = new ZipFile(zips.get("FeedbackFunction").toFile())) {
            for (var entry : java.util.Collections.list(z.entries())) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir) || entry.isDirectory()) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (var in = z.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                if (entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar")) {
                    urls.add(target.toUri().toURL());
                }
            }
        }
        var image = new java.awt.image.BufferedImage(64, 48, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var jpeg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpeg", jpeg);
        try (var loader = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new), ClassLoader.getPlatformClassLoader())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> loader.loadClass("org.territoire.heif.HeifDecoder"))
                    .isInstanceOf(ClassNotFoundException.class);
            Class<?> cleaner = Class.forName("org.territoire.feedback.photo.ImageCleaner", true, loader);
            var redact = cleaner.getDeclaredMethod("redact", byte[].class, int.class, int.class, int.class, int.class);
            redact.setAccessible(true);
            Object cleaned = redact.invoke(null, jpeg.toByteArray(), 0, 0, 10, 10);
            assertThat(cleaned.getClass().getName()).isEqualTo("org.territoire.feedback.photo.ImageCleaner$Cleaned");
        }
    }

    private static List<String> jars(Path zip) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.stream().map(e -> e.getName()).filter(n -> n.startsWith("lib/") && n.endsWith(".jar"))
                    .map(n -> n.substring("lib/".length())).toList();
        }
    }
}
