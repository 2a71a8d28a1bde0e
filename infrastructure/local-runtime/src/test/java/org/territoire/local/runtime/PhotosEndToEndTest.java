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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.photo.FormUpload;
import org.territoire.feedback.photo.TestImages;
import org.territoire.shared.json.Json;

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
}
