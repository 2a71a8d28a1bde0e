package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Amazon SES on the local endpoint (moto's sesv2): the notifications' sender is made a verified
 * identity there, as an operator verifies it in SES (moto, like SES, refuses a mail from an
 * address it does not know: measured, "Did not have authority to send from email"); and the
 * mails SES accepted are read back from moto's SES backend (the local endpoint's
 * {@code /_territoire/ses/sent}: moto's own {@code /moto-api/data.json} lists no instances there,
 * infrastructure/local/moto_patches.py turns their tracking off), parsed as a mail client would.
 */
public final class LocalMail {
    public static final String SENDER = "notifications@territoire.example";

    /** One mail as sent: its envelope, headers (lower-case names) and decoded text body. */
    public record Mail(String id, List<String> to, Map<String, String> headers, String subject, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    public LocalMail(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Verifies the sender identity in the local SES (idempotent: an identity already there stays). */
    public void verifySender(String sender) {
        try (SesV2Client ses = Aws.configure(SesV2Client.builder(), "SESV2").httpClient(Aws.httpClient()).build()) {
            boolean known = ses.listEmailIdentities(r -> r.pageSize(1000)).emailIdentities().stream()
                    .anyMatch(i -> i.identityName().equalsIgnoreCase(sender));
            if (!known) {
                ses.createEmailIdentity(r -> r.emailIdentity(sender));
            }
        }
    }

    private JsonNode raw() throws IOException {
        try {
            var response = http.send(HttpRequest.newBuilder(endpoint.resolve("/_territoire/ses/sent")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the local endpoint answered " + response.statusCode() + " for its sent mails");
            }
            return Json.tree(response.body()).path("mails");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Every mail the local SES accepted so far, oldest first. */
    public List<Mail> sent() {
        JsonNode data;
        try {
            data = raw();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Mail> mails = new ArrayList<>();
        for (JsonNode m : data) {
            List<String> to = new ArrayList<>();
            m.path("destinations").forEach(d -> {
                if (!to.contains(d.asText())) {
                    to.add(d.asText());
                }
            });
            mails.add(parse(m.path("id").asText(), to, m.path("raw").asText()));
        }
        return mails;
    }

    public List<Mail> sentTo(String address) {
        return sent().stream().filter(m -> m.to().stream().anyMatch(t -> t.equalsIgnoreCase(address))).toList();
    }

    /** Writes each mail not yet written as {@code <dir>/<id>.eml}, for a person to open (the run command calls it). */
    public int mirror(Path dir) throws IOException {
        Files.createDirectories(dir);
        int written = 0;
        for (JsonNode m : raw()) {
            Path file = dir.resolve(m.path("id").asText().replaceAll("[^A-Za-z0-9-]", "_") + ".eml");
            if (!Files.exists(file)) {
                Files.writeString(file, m.path("raw").asText(), StandardCharsets.UTF_8);
                written++;
            }
        }
        return written;
    }

    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?=", Pattern.CASE_INSENSITIVE);

    static Mail parse(String id, List<String> to, String raw) {
        int split = raw.indexOf("\r\n\r\n");
        String head = split < 0 ? raw : raw.substring(0, split);
        String body = split < 0 ? "" : raw.substring(split + 4);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        if ("base64".equalsIgnoreCase(headers.get("content-transfer-encoding"))) {
            body = new String(Base64.getMimeDecoder().decode(body), StandardCharsets.UTF_8);
        }
        return new Mail(id, to, headers, decodeWords(headers.getOrDefault("subject", "")), body);
    }

    private static String decodeWords(String text) {
        Matcher m = ENCODED_WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
