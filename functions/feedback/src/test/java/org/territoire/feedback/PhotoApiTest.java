package org.territoire.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.territoire.local.aws.TestRequests.agent;
import static org.territoire.local.aws.TestRequests.provider;
import static org.territoire.local.aws.TestRequests.resident;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.photo.FormUpload;
import org.territoire.feedback.photo.PhotoService;
import org.territoire.feedback.photo.S3PhotoStorage;
import org.territoire.feedback.photo.TestImages;
import org.territoire.local.aws.Concurrently;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Photos of reports against the local endpoint: the grant, the upload over HTTP with the
 * presigned POST, the processing (called here with the key S3's event names; the local
 * runtime's S3 notifications are tested end to end in infrastructure/local-runtime).
 */
class PhotoApiTest {
    private static FeedbackFixture feedback;
    private static String service;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void start() {
        feedback = FeedbackFixture.start();
        service = feedback.service("voirie");
        bucket = Env.require(S3PhotoStorage.BUCKET_VARIABLE);
        s3 = Aws.configure(S3Client.builder(), "S3").httpClient(Aws.httpClient()).forcePathStyle(true).build();
    }

    private static String report(String author) {
        ApiResponse r = feedback.send("POST", "/reports", resident(author), "{\"serviceId\":\"" + service
                + "\",\"description\":\"Nid de poule devant l'école\",\"latitude\":48.11,\"longitude\":-1.68}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.tree(r.body()).path("id").asText();
    }

    private static JsonNode grant(String reportId, Map<String, String> who, String type) {
        ApiResponse r = feedback.send("POST", "/reports/" + reportId + "/photos", who, "{\"contentType\":\"" + type + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.tree(r.body());
    }

    private static String quarantineKey(JsonNode grant) {
        return grant.path("fields").path("key").asText();
    }

    private static JsonNode photos(String reportId, Map<String, String> who) {
        ApiResponse r = feedback.send("GET", "/reports/" + reportId + "/photos", who, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.tree(r.body()).path("items");
    }

    private static byte[] fetch(String url) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static List<Class<? extends Directory>> directories(byte[] image) throws Exception {
        Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(image));
        List<Class<? extends Directory>> kinds = new ArrayList<>();
        metadata.getDirectories().forEach(d -> kinds.add(d.getClass()));
        return kinds;
    }

    private static void assertGone(String key) {
        assertThatThrownBy(() -> s3.headObject(h -> h.bucket(bucket).key(key))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aJpegWithGpsExif_isPublishedWithoutAnyOfItsMetadata_andWithAThumbnail() throws Exception {
        String reportId = report("photo-author");
        JsonNode grant = grant(reportId, resident("photo-author"), "image/jpeg");
        assertThat(grant.path("maxBytes").asLong()).isEqualTo(PhotoService.MAX_BYTES);
        byte[] upload = TestImages.jpegWithGps(640, 480);
        // The file does carry what must go: a parser finds the position and the serial in it.
        Metadata before = ImageMetadataReader.readMetadata(new ByteArrayInputStream(upload));
        assertThat(before.getFirstDirectoryOfType(GpsDirectory.class).getGeoLocation().getLatitude()).isCloseTo(48.11, org.assertj.core.data.Offset.offset(0.01));
        assertThat(before.getFirstDirectoryOfType(ExifSubIFDDirectory.class).getString(ExifSubIFDDirectory.TAG_BODY_SERIAL_NUMBER))
                .isEqualTo(TestImages.SERIAL);

        HttpResponse<String> uploaded = FormUpload.post(grant, upload, "IMG_0001.jpg", Map.of());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(204);
        assertThat(photos(reportId, resident("someone-else"))).as("not published yet: not shown").isEmpty();
        assertThat(feedback.wiring.photos().process(quarantineKey(grant))).isEqualTo(PhotoService.Outcome.PUBLISHED);

        JsonNode items = photos(reportId, resident("someone-else"));
        assertThat(items).hasSize(1);
        JsonNode photo = items.get(0);
        assertThat(photo.path("status").asText()).isEqualTo("PUBLISHED");
        byte[] published = fetch(photo.path("url").asText());
        byte[] thumbnail = fetch(photo.path("thumbnailUrl").asText());
        assertThat(directories(published)).doesNotContain(GpsDirectory.class, ExifIFD0Directory.class, ExifSubIFDDirectory.class,
                com.drew.metadata.xmp.XmpDirectory.class, com.drew.metadata.icc.IccDirectory.class,
                com.drew.metadata.iptc.IptcDirectory.class);
        assertThat(new String(published, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(TestImages.SERIAL, TestImages.MAKE);
        assertThat(directories(thumbnail)).doesNotContain(GpsDirectory.class, ExifIFD0Directory.class);
        var image = ImageIO.read(new ByteArrayInputStream(published));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(ImageIO.read(new ByteArrayInputStream(thumbnail)).getWidth()).isEqualTo(320);
        assertGone(quarantineKey(grant));
        // The report shows it, and Open311's media_url (JSON and XML) points to it.
        JsonNode details = Json.tree(feedback.send("GET", "/reports/" + reportId, resident("someone-else"), null).body());
        assertThat(details.path("photos")).hasSize(1);
        assertThat(fetch(details.path("photos").get(0).path("url").asText())).isEqualTo(published);
        JsonNode geo = Json.tree(feedback.send("GET", "/open311/v2/requests/" + reportId + ".json", Map.of(), Map.of(), null).body()).get(0);
        assertThat(fetch(geo.path("media_url").asText())).isEqualTo(published);
        String xml = feedback.send("GET", "/open311/v2/requests/" + reportId + ".xml", Map.of(), Map.of(), null).body();
        // The same object; each answer signs its own link, so the signature's time may differ by a second.
        String object = geo.path("media_url").asText().replaceFirst("\\?.*", "");
        assertThat(xml).contains("<media_url>" + object + "?X-Amz-Algorithm=");
        // A second delivery of the same event publishes nothing again.
        assertThat(feedback.wiring.photos().process(quarantineKey(grant))).isEqualTo(PhotoService.Outcome.IGNORED);
    }

    @Test
    void aDotJpgThatIsNoImage_isRefusedWithAReasonForItsAuthor_andRemoved() throws Exception {
        String reportId = report("tricky-author");
        JsonNode grant = grant(reportId, resident("tricky-author"), "image/jpeg");
        byte[] script = "<script>alert(1)</script> not a photo at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(FormUpload.post(grant, script, "holiday.jpg", Map.of()).statusCode()).isEqualTo(204);
        assertThat(feedback.wiring.photos().process(quarantineKey(grant))).isEqualTo(PhotoService.Outcome.REFUSED);

        assertGone(quarantineKey(grant));
        assertThat(photos(reportId, resident("someone-else"))).isEmpty();
        JsonNode mine = photos(reportId, resident("tricky-author"));
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).path("status").asText()).isEqualTo("REFUSED");
        assertThat(mine.get(0).path("reason").asText()).contains("not a JPEG, PNG, WebP or HEIC image");
        assertThat(mine.get(0).has("url")).isFalse();
        String photoId = grant.path("photoId").asText();
        assertThat(Json.tree(feedback.send("GET", "/reports/" + reportId, resident("tricky-author"), null).body()).path("photos")).isEmpty();
        assertThat(s3.listObjectsV2(l -> l.bucket(bucket).prefix("published/" + reportId + "/" + photoId)).keyCount()).isZero();
    }

    @Test
    void aPngSentAsJpeg_orATruncatedJpeg_isRefused() throws Exception {
        String reportId = report("mixed-author");
        JsonNode png = grant(reportId, resident("mixed-author"), "image/jpeg");
        assertThat(FormUpload.post(png, TestImages.encode(TestImages.picture(40, 30), "png"), "a.jpg", Map.of()).statusCode()).isEqualTo(204);
        assertThat(feedback.wiring.photos().process(quarantineKey(png))).isEqualTo(PhotoService.Outcome.REFUSED);

        JsonNode truncated = grant(reportId, resident("mixed-author"), "image/jpeg");
        byte[] jpeg = TestImages.jpegWithGps(200, 200);
        assertThat(FormUpload.post(truncated, java.util.Arrays.copyOf(jpeg, 400), "b.jpg", Map.of()).statusCode()).isEqualTo(204);
        assertThat(feedback.wiring.photos().process(quarantineKey(truncated))).isEqualTo(PhotoService.Outcome.REFUSED);
        assertThat(photos(reportId, resident("mixed-author"))).extracting(p -> p.path("status").asText()).containsOnly("REFUSED");
    }

    @Test
    void aPngAndAWebp_arePublishedAsCleanJpegs() throws Exception {
        String reportId = report("png-author");
        JsonNode png = grant(reportId, resident("png-author"), "image/png");
        assertThat(FormUpload.post(png, TestImages.encode(TestImages.picture(300, 200), "png"), "a.png", Map.of()).statusCode()).isEqualTo(204);
        assertThat(feedback.wiring.photos().process(quarantineKey(png))).isEqualTo(PhotoService.Outcome.PUBLISHED);
        // A lossless WebP of 1 by 1 pixel (the one Modernizr detects WebP support with).
        byte[] webp = java.util.Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
        JsonNode w = grant(reportId, resident("png-author"), "image/webp");
        assertThat(FormUpload.post(w, webp, "a.webp", Map.of()).statusCode()).isEqualTo(204);
        assertThat(feedback.wiring.photos().process(quarantineKey(w))).isEqualTo(PhotoService.Outcome.PUBLISHED);
        assertThat(photos(reportId, resident("anyone"))).hasSize(2);
    }

    @Test
    void anOversizedUpload_isRefusedByThePolicy_andNothingIsStored() throws Exception {
        String reportId = report("big-author");
        JsonNode grant = grant(reportId, resident("big-author"), "image/jpeg");
        HttpResponse<String> answer = FormUpload.post(grant, new byte[(int) PhotoService.MAX_BYTES + 1], "big.jpg", Map.of());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("<Code>EntityTooLarge</Code>");
        assertGone(quarantineKey(grant));
        HttpResponse<String> html = FormUpload.post(grant, new byte[10], "a.jpg", Map.of("Content-Type", "text/html"));
        assertThat(html.statusCode()).isEqualTo(403);
        assertThat(html.body()).contains("<Code>AccessDenied</Code>");
    }

    @Test
    void heic_isAccepted_andOtherTypes_strangers_andMissingReports_areRefusedClearly() {
        String reportId = report("careful-author");
        ApiResponse heic = feedback.send("POST", "/reports/" + reportId + "/photos", resident("careful-author"), "{\"contentType\":\"image/heic\"}");
        assertThat(heic.statusCode()).as(heic.body()).isEqualTo(201);
        assertThat(Json.tree(heic.body()).path("fields").path("Content-Type").asText()).isEqualTo("image/heic");
        ApiResponse heif = feedback.send("POST", "/reports/" + reportId + "/photos", resident("careful-author"), "{\"contentType\":\" Image/HEIF \"}");
        assertThat(heif.statusCode()).as(heif.body()).isEqualTo(201);
        assertThat(Json.tree(heif.body()).path("fields").path("Content-Type").asText()).isEqualTo("image/heif");
        ApiResponse svg = feedback.send("POST", "/reports/" + reportId + "/photos", resident("careful-author"), "{\"contentType\":\"image/svg+xml\"}");
        assertThat(svg.statusCode()).isEqualTo(400);
        assertThat(svg.body()).contains("contentType").doesNotContain("svg");
        assertThat(feedback.send("POST", "/reports/" + reportId + "/photos", resident("stranger"), "{\"contentType\":\"image/jpeg\"}")
                .statusCode()).isEqualTo(403);
        assertThat(feedback.send("POST", "/reports/" + reportId + "/photos", provider("not-the-operator"), "{\"contentType\":\"image/jpeg\"}")
                .statusCode()).isEqualTo(403);
        assertThat(feedback.send("POST", "/reports/" + reportId + "/photos", provider("voirie"), "{\"contentType\":\"image/jpeg\"}")
                .statusCode()).as("the operator, for a status update").isEqualTo(201);
        assertThat(feedback.send("POST", "/reports/" + UUID.randomUUID() + "/photos", resident("careful-author"), "{\"contentType\":\"image/jpeg\"}")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void tenUploadsAskedAtOnce_leaveAtMostThreePhotos() {
        String reportId = report("eager-author");
        var outcomes = Concurrently.run(10, i -> () -> feedback.send("POST", "/reports/" + reportId + "/photos", resident("eager-author"),
                "{\"contentType\":\"image/jpeg\"}").statusCode());
        List<Integer> statuses = outcomes.stream().map(o -> o.value()).toList();
        assertThat(statuses).isSubsetOf(201, 422, 409);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isLessThanOrEqualTo(3);
        assertThat(photos(reportId, resident("eager-author"))).hasSizeLessThanOrEqualTo(3);
        ApiResponse fourth = feedback.send("POST", "/reports/" + reportId + "/photos", resident("eager-author"), "{\"contentType\":\"image/jpeg\"}");
        assertThat(fourth.statusCode()).isEqualTo(statuses.stream().filter(s -> s == 201).count() == 3 ? 422 : 201);
    }

    private static JsonNode publishedPhoto(String reportId, String author) throws Exception {
        JsonNode grant = grant(reportId, resident(author), "image/jpeg");
        assertThat(FormUpload.post(grant, TestImages.jpegWithGps(400, 300), "p.jpg", Map.of()).statusCode()).isEqualTo(204);
        assertThat(feedback.wiring.photos().process(quarantineKey(grant))).isEqualTo(PhotoService.Outcome.PUBLISHED);
        return grant;
    }

    @Test
    void anAgentHidesAPhoto_keptOutOfView_withAReasonItsAuthorSees() throws Exception {
        String reportId = report("hidden-author");
        String photoId = publishedPhoto(reportId, "hidden-author").path("photoId").asText();
        String path = "/reports/" + reportId + "/photos/" + photoId + "/hide";
        assertThat(feedback.send("POST", path, resident("hidden-author"), "{\"reason\":\"x\"}").statusCode()).isEqualTo(403);
        assertThat(feedback.send("POST", path, agent(), "{}").statusCode()).isEqualTo(400);
        ApiResponse hidden = feedback.send("POST", path, agent(), "{\"reason\":\"Un visage reconnaissable\"}");
        assertThat(hidden.statusCode()).as(hidden.body()).isEqualTo(200);
        assertThat(Json.tree(hidden.body()).path("status").asText()).isEqualTo("HIDDEN");

        assertThat(photos(reportId, resident("someone-else"))).isEmpty();
        assertThat(Json.tree(feedback.send("GET", "/reports/" + reportId, resident("someone-else"), null).body()).path("photos")).isEmpty();
        JsonNode geo = Json.tree(feedback.send("GET", "/open311/v2/requests/" + reportId + ".json", Map.of(), Map.of(), null).body()).get(0);
        assertThat(geo.path("media_url").isNull()).isTrue();
        JsonNode mine = photos(reportId, resident("hidden-author"));
        assertThat(mine.get(0).path("status").asText()).isEqualTo("HIDDEN");
        assertThat(mine.get(0).path("reason").asText()).isEqualTo("Un visage reconnaissable");
        assertThat(mine.get(0).has("url")).isFalse();
        // Kept: the published object is still there, for an appeal.
        s3.headObject(h -> h.bucket(bucket).key("published/" + reportId + "/" + photoId + "/1.jpg"));
        assertThat(feedback.send("POST", path, agent(), "{\"reason\":\"again\"}").statusCode()).isEqualTo(422);
    }

    @Test
    void anAgentRedactsARectangle_intoANewVersion_andTheOldOneIsNotServedAnyMore() throws Exception {
        String reportId = report("plate-author");
        String photoId = publishedPhoto(reportId, "plate-author").path("photoId").asText();
        String oldUrl = photos(reportId, resident("someone-else")).get(0).path("url").asText();
        String path = "/reports/" + reportId + "/photos/" + photoId + "/redact";
        ApiResponse outside = feedback.send("POST", path, agent(), "{\"x\":300,\"y\":0,\"width\":200,\"height\":10}");
        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(outside.body()).contains("400 by 300");
        assertThat(feedback.send("POST", path, provider("voirie"), "{\"x\":0,\"y\":0,\"width\":10,\"height\":10}").statusCode())
                .isEqualTo(403);

        ApiResponse redacted = feedback.send("POST", path, agent(), "{\"x\":150,\"y\":100,\"width\":100,\"height\":100}");
        assertThat(redacted.statusCode()).as(redacted.body()).isEqualTo(200);
        assertThat(Json.tree(redacted.body()).path("version").asInt()).isEqualTo(2);
        JsonNode now = photos(reportId, resident("someone-else")).get(0);
        assertThat(now.path("version").asInt()).isEqualTo(2);
        var image = ImageIO.read(new ByteArrayInputStream(fetch(now.path("url").asText())));
        int rgb = image.getRGB(200, 150);
        assertThat((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)).as("the rectangle is black").isLessThan(30);
        int outsideRgb = image.getRGB(10, 10);
        assertThat((outsideRgb >> 16 & 0xff) + (outsideRgb >> 8 & 0xff) + (outsideRgb & 0xff)).isGreaterThan(100);
        HttpResponse<byte[]> old = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(oldUrl)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(old.statusCode()).as("the old version's URL serves nothing").isEqualTo(404);
        assertGone("published/" + reportId + "/" + photoId + "/1.jpg");
        assertGone("published/" + reportId + "/" + photoId + "/1-thumbnail.jpg");
    }

    @Test
    void anOpen311Search_readsThePhotosOfItsReportsInOneBatchPer100_notOneReadEach() throws Exception {
        String withPhoto = report("batch-author");
        String photoId = publishedPhoto(withPhoto, "batch-author").path("photoId").asText();
        String without = report("batch-author-2");
        // Every call the repository makes, counted, on the real local endpoint.
        Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
        software.amazon.awssdk.services.dynamodb.DynamoDbClient real = feedback.dynamo();
        var counted = (software.amazon.awssdk.services.dynamodb.DynamoDbClient) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {software.amazon.awssdk.services.dynamodb.DynamoDbClient.class},
                (proxy, method, args) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        List<String> ids = new ArrayList<>(List.of(withPhoto, without));
        for (int i = 0; i < 148; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        var albums = new org.territoire.feedback.photo.DynamoPhotoRepository(counted, FeedbackFixture.TABLE).albums(ids);
        assertThat(albums.keySet()).containsExactlyInAnyOrder(withPhoto, without);
        assertThat(albums.get(withPhoto).photos()).extracting(p -> p.id()).containsExactly(photoId);
        assertThat(albums.get(without).photos()).isEmpty();
        assertThat(calls).isEqualTo(Map.of("batchGetItem", 2));

        // And the search shows it: media_url is the photo for one, the filed address (none) for the other.
        JsonNode found = Json.tree(feedback.send("GET", "/open311/v2/requests.json?service_request_id=" + withPhoto + "," + without,
                Map.of(), Map.of(), null).body());
        Map<String, String> media = new java.util.HashMap<>();
        found.forEach(r -> media.put(r.path("service_request_id").asText(), r.path("media_url").asText(null)));
        assertThat(media.get(withPhoto)).contains("/published/" + withPhoto + "/" + photoId + "/1.jpg");
        assertThat(media.get(without)).isNull();
    }
}
