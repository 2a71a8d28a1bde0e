package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.photo.FormUpload;
import org.territoire.feedback.photo.TestImages;
import org.territoire.local.aws.LocalAws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A photo's whole path on the local platform, as in AWS: the API grants a presigned POST, the
 * browser uploads to the local S3, which checks the policy and hands the ObjectCreated event to
 * the processing function (FeedbackPhotosFunction, from template.yaml), which publishes a clean
 * copy the API then shows. No call to the processing here: only the upload triggers it.
 */
class PhotosEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPlatform platform;
    private static String agent;
    private static String author;
    private static String neighbour;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        agent = platform.issuer().mint(LocalIssuer.User.of("agent-photos", "agent").ofOrganisation("mairie"));
        author = platform.issuer().mint(LocalIssuer.User.of("resident-photos", "resident").inDistrict("centre"));
        neighbour = platform.issuer().mint(LocalIssuer.User.of("resident-neighbour", "resident").inDistrict("centre"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(platform.apiUrl().resolve(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.tree(response.body());
    }

    @Test
    void anUploadedPhotoWithGps_isProcessedOnUpload_andShownWithoutItsMetadata() throws Exception {
        String service = ok(call("POST", "/services", agent, "{\"name\":\"Voirie photos\",\"kind\":\"TERRITORIAL\","
                + "\"category\":\"waste-management\",\"organisationId\":\"mairie\",\"districts\":[\"centre\"]}"), 201).path("id").asText();
        String report = ok(call("POST", "/reports", author, "{\"serviceId\":\"" + service
                + "\",\"description\":\"Panneau arraché au carrefour\",\"latitude\":48.11,\"longitude\":-1.68}"), 201).path("id").asText();

        JsonNode grant = ok(call("POST", "/reports/" + report + "/photos", author, "{\"contentType\":\"image/jpeg\"}"), 201);
        JsonNode notAnImage = ok(call("POST", "/reports/" + report + "/photos", author, "{\"contentType\":\"image/jpeg\"}"), 201);
        assertThat(FormUpload.post(grant, TestImages.jpegWithGps(800, 600), "IMG_0042.jpg", Map.of()).statusCode()).isEqualTo(204);
        assertThat(FormUpload.post(notAnImage, "%PDF-1.7 not a photo".getBytes(), "scan.jpg", Map.of()).statusCode()).isEqualTo(204);
        // The endpoint handed the events over before answering the uploads: waiting for them is exact.
        assertThat(platform.s3Events().awaitDeliveries(Duration.ofSeconds(60))).isTrue();
        assertThat(platform.s3Events().deadLetters()).isEmpty();

        JsonNode seen = ok(call("GET", "/reports/" + report + "/photos", neighbour, null), 200).path("items");
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).path("id").asText()).isEqualTo(grant.path("photoId").asText());
        HttpResponse<byte[]> photo = HTTP.send(HttpRequest.newBuilder(URI.create(seen.get(0).path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(photo.statusCode()).isEqualTo(200);
        List<Class<?>> kinds = new ArrayList<>();
        ImageMetadataReader.readMetadata(new ByteArrayInputStream(photo.body())).getDirectories().forEach(d -> kinds.add(d.getClass()));
        assertThat(kinds).doesNotContain(GpsDirectory.class, ExifIFD0Directory.class);

        JsonNode mine = ok(call("GET", "/reports/" + report + "/photos", author, null), 200).path("items");
        assertThat(mine).extracting(p -> p.path("status").asText()).containsExactlyInAnyOrder("PUBLISHED", "REFUSED");
    }

    /**
     * An iPhone's format: {@code docs/samples/photo-with-gps.heic} (the README's sample, made by heif-enc from the
     * JPEG sample, whose EXIF it carries: the GPS position and the camera serial) is decoded in the sandbox and shown
     * as a JPEG carrying none of it.
     */
    @Test
    void anUploadedHeicWithGps_isDecodedOnUpload_andShownAsAJpegWithoutItsMetadata() throws Exception {
        byte[] heic = java.nio.file.Files.readAllBytes(org.territoire.local.aws.ProjectRoot.find().resolve("docs/samples/photo-with-gps.heic"));
        assertThat(new String(heic, java.nio.charset.StandardCharsets.ISO_8859_1)).as("the sample carries what must go")
                .contains("Exif", "SN-40213377");
        String service = ok(call("POST", "/services", agent, "{\"name\":\"Voirie HEIC\",\"kind\":\"TERRITORIAL\","
                + "\"category\":\"waste-management\",\"organisationId\":\"mairie\",\"districts\":[\"centre\"]}"), 201).path("id").asText();
        String report = ok(call("POST", "/reports", author, "{\"serviceId\":\"" + service
                + "\",\"description\":\"Lampadaire penché\",\"latitude\":48.11,\"longitude\":-1.68}"), 201).path("id").asText();
        JsonNode grant = ok(call("POST", "/reports/" + report + "/photos", author, "{\"contentType\":\"image/heic\"}"), 201);
        assertThat(FormUpload.post(grant, heic, "IMG_0043.HEIC", Map.of()).statusCode()).isEqualTo(204);
        assertThat(platform.s3Events().awaitDeliveries(Duration.ofSeconds(120))).isTrue();
        assertThat(platform.s3Events().deadLetters()).isEmpty();

        JsonNode seen = ok(call("GET", "/reports/" + report + "/photos", neighbour, null), 200).path("items");
        assertThat(seen).hasSize(1);
        HttpResponse<byte[]> photo = HTTP.send(HttpRequest.newBuilder(URI.create(seen.get(0).path("url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(photo.statusCode()).isEqualTo(200);
        assertThat(photo.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        java.awt.image.BufferedImage shown = javax.imageio.ImageIO.read(new ByteArrayInputStream(photo.body()));
        assertThat(shown.getWidth()).isEqualTo(640);
        assertThat(shown.getHeight()).isEqualTo(480);
        assertThat(new String(photo.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Exif", "SN-40213377");
        List<Class<?>> kinds = new ArrayList<>();
        ImageMetadataReader.readMetadata(new ByteArrayInputStream(photo.body())).getDirectories().forEach(d -> kinds.add(d.getClass()));
        assertThat(kinds).doesNotContain(GpsDirectory.class, ExifIFD0Directory.class);
    }

    /**
     * An erased resident's photos (issue 18): one published then redacted (two versions, the
     * first behind a delete marker in the versioned bucket) and one still awaited; the agent's
     * own photo of the same report stays. The export lists the resident's photos first.
     */
    @Test
    void anErasedResidentsPhotos_leaveNothingInTheBucketNorTheTable_andARedeliveryChangesNothing() throws Exception {
        String sub = "resident-erased-" + UUID.randomUUID();
        String resident = platform.issuer().mint(LocalIssuer.User.of(sub, "resident").inDistrict("centre"));
        String operatorSub = "agent-erased-" + UUID.randomUUID();
        String operator = platform.issuer().mint(LocalIssuer.User.of(operatorSub, "agent").ofOrganisation("mairie"));
        String service = ok(call("POST", "/services", agent, "{\"name\":\"Voirie " + UUID.randomUUID() + "\",\"kind\":\"TERRITORIAL\","
                + "\"category\":\"waste-management\",\"organisationId\":\"mairie\",\"districts\":[\"centre\"]}"), 201).path("id").asText();
        String report = ok(call("POST", "/reports", resident, "{\"serviceId\":\"" + service
                + "\",\"description\":\"Nid-de-poule devant chez moi\",\"latitude\":48.11,\"longitude\":-1.68}"), 201).path("id").asText();
        JsonNode published = ok(call("POST", "/reports/" + report + "/photos", resident, "{\"contentType\":\"image/jpeg\"}"), 201);
        JsonNode awaited = ok(call("POST", "/reports/" + report + "/photos", resident, "{\"contentType\":\"image/jpeg\"}"), 201);
        JsonNode agents = ok(call("POST", "/reports/" + report + "/photos", operator, "{\"contentType\":\"image/jpeg\"}"), 201);
        assertThat(FormUpload.post(published, TestImages.jpegWithGps(400, 300), "IMG_1.jpg", Map.of()).statusCode()).isEqualTo(204);
        assertThat(FormUpload.post(agents, TestImages.jpegWithGps(400, 300), "chantier.jpg", Map.of()).statusCode()).isEqualTo(204);
        assertThat(platform.s3Events().awaitDeliveries(Duration.ofSeconds(60))).isTrue();
        String photoId = published.path("photoId").asText();
        ok(call("POST", "/reports/" + report + "/photos/" + photoId + "/redact", agent, "{\"x\":0,\"y\":0,\"width\":50,\"height\":50}"), 200);
        String bucket = platform.aws().environment().get("PHOTOS_BUCKET");
        String mine = "published/" + report + "/" + photoId + "/";
        String theAgents = "published/" + report + "/" + agents.path("photoId").asText() + "/";
        try (S3Client s3 = org.territoire.shared.ddb.Aws.configure(S3Client.builder(), "S3")
                .httpClient(org.territoire.shared.ddb.Aws.httpClient()).forcePathStyle(true).build();
             EventBridgeClient bus = EventBridgeClient.builder().endpointOverride(platform.events().url()).region(Region.of(LocalAws.REGION))
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            assertThat(versions(s3, bucket, mine)).as("two versions and the first one's delete markers").hasSize(6);
            assertThat(versions(s3, bucket, theAgents)).hasSize(2);

            String exportId = UUID.randomUUID().toString();
            publish(bus, "Account Export Requested", Map.of("accountId", sub, "exportId", exportId, "requestedAt", Instant.now().toString()));
            JsonNode export = Json.tree(s3.getObjectAsBytes(g -> g.bucket(platform.aws().environment().get("EXPORT_BUCKET"))
                    .key("exports/" + exportId + "/feedback.json")).asUtf8String());
            Map<String, String> statuses = new TreeMap<>();
            export.path("photos").forEach(p -> statuses.put(p.path("id").asText(), p.path("status").asText()));
            assertThat(statuses).isEqualTo(new TreeMap<>(Map.of(photoId, "PUBLISHED", awaited.path("photoId").asText(), "PENDING")));
            assertThat(export.path("photos").findValuesAsText("key")).containsExactly(mine + "2.jpg");

            publish(bus, "Account Deleted", Map.of("accountId", sub, "deletedAt", Instant.now().toString()));
            assertThat(platform.events().deadLetters()).isEmpty();
            assertThat(versions(s3, bucket, mine)).as("every version and marker of the resident's photo").isEmpty();
            assertThat(versions(s3, bucket, theAgents)).as("the agent's photo stays").hasSize(2);
            Map<String, AttributeValue> item = reportItem(report);
            assertThat(item.get("photos").m().keySet()).containsExactly(agents.path("photoId").asText());
            assertThat(item.toString()).doesNotContain(sub);
            JsonNode seen = ok(call("GET", "/reports/" + report + "/photos", neighbour, null), 200).path("items");
            assertThat(seen.findValuesAsText("id")).containsExactly(agents.path("photoId").asText());

            // A redelivery finds nothing of theirs and changes nothing.
            publish(bus, "Account Deleted", Map.of("accountId", sub, "deletedAt", Instant.now().toString()));
            assertThat(platform.events().deadLetters()).isEmpty();
            assertThat(reportItem(report)).isEqualTo(item);
            assertThat(versions(s3, bucket, mine)).isEmpty();
            assertThat(versions(s3, bucket, theAgents)).hasSize(2);

            // The operator's own erasure keeps the photo they took for the organisation, credited to no one.
            publish(bus, "Account Deleted", Map.of("accountId", operatorSub, "deletedAt", Instant.now().toString()));
            assertThat(platform.events().deadLetters()).isEmpty();
            assertThat(versions(s3, bucket, theAgents)).hasSize(2);
            Map<String, AttributeValue> after = reportItem(report);
            assertThat(after.get("photos").m().get(agents.path("photoId").asText()).m().get("authorId").s()).isEqualTo("former resident");
            assertThat(after.toString()).doesNotContain(operatorSub);
            assertThat(ok(call("GET", "/reports/" + report + "/photos", neighbour, null), 200).path("items").findValuesAsText("id"))
                    .containsExactly(agents.path("photoId").asText());
        }
    }

    private static void publish(EventBridgeClient bus, String type, Map<String, String> detail) throws InterruptedException {
        assertThat(bus.putEvents(r -> r.entries(e -> e.eventBusName("TerritoireEventBus").source("territoire.accounts")
                .detailType(type).detail(Json.write(detail)))).failedEntryCount()).isZero();
        assertThat(platform.events().awaitDeliveries(Duration.ofSeconds(120))).isTrue();
    }

    /** Every version and delete marker under the prefix. */
    private static List<String> versions(S3Client s3, String bucket, String prefix) {
        List<String> all = new ArrayList<>();
        var page = s3.listObjectVersions(l -> l.bucket(bucket).prefix(prefix));
        page.versions().forEach(v -> all.add(v.key() + "@" + v.versionId()));
        page.deleteMarkers().forEach(m -> all.add(m.key() + "@" + m.versionId() + " (marker)"));
        return all;
    }

    private static Map<String, AttributeValue> reportItem(String report) {
        return platform.aws().dynamoDb().getItem(g -> g.tableName("FeedbackTable").consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("REPORT#" + report), "sk", AttributeValue.fromS("REPORT")))).item();
    }
}
