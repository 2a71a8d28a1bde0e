package org.territoire.feedback.photo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A browser's upload of a file with a presigned POST: a multipart form, the file last, over HTTP. */
public final class FormUpload {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FormUpload() {
    }

    /** POSTs the grant's fields (with {@code replaced} ones changed) and the file to the grant's URL. */
    public static HttpResponse<String> post(JsonNode grant, byte[] file, String filename, Map<String, String> replaced)
            throws IOException, InterruptedException {
        Map<String, String> fields = new LinkedHashMap<>();
        grant.path("fields").properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
        fields.putAll(replaced);
        return post(URI.create(grant.path("url").asText()), fields, file, filename);
    }

    public static HttpResponse<String> post(URI url, Map<String, String> fields, byte[] file, String filename)
            throws IOException, InterruptedException {
        String boundary = "----territoire" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (var field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(url).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
