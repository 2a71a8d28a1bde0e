package org.territoire.shared.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque, tamper-proof pagination tokens. A token carries DynamoDB's LastEvaluatedKey and
 * the scope of the query that produced it (for instance {@code services?kind=PUBLIC}),
 * signed with HMAC-SHA256. A token that was altered, forged, or replayed on another query
 * is refused with a 400, so a client can never steer a query outside what it asked for.
 */
public final class PageTokens {
    public static final String FIELD = "nextToken";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;

    public PageTokens(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("pagination key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    public String encode(String scope, Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return null;
        }
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("s", scope);
        ObjectNode k = payload.putObject("k");
        lastEvaluatedKey.forEach((name, value) -> {
            if (value.s() != null) {
                k.putObject(name).put("S", value.s());
            } else if (value.n() != null) {
                k.putObject(name).put("N", value.n());
            } else {
                throw new IllegalArgumentException("key attribute " + name + " is neither S nor N");
            }
        });
        byte[] body = Json.write(payload).getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(body));
    }

    /** The start key for the query of this scope, or empty when there is no token. */
    public Optional<Map<String, AttributeValue>> decode(String scope, Optional<String> token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            String[] parts = token.get().split("\\.");
            if (parts.length != 2) {
                throw invalid();
            }
            byte[] body = DECODER.decode(parts[0]);
            if (!MessageDigest.isEqual(mac(body), DECODER.decode(parts[1]))) {
                throw invalid();
            }
            JsonNode payload = Json.tree(new String(body, StandardCharsets.UTF_8));
            if (!scope.equals(payload.path("s").asText())) {
                throw invalid();
            }
            Map<String, AttributeValue> start = new LinkedHashMap<>();
            payload.path("k").properties().forEach(e -> {
                JsonNode v = e.getValue();
                start.put(e.getKey(), v.has("S") ? AttributeValue.fromS(v.get("S").asText())
                        : AttributeValue.fromN(v.get("N").asText()));
            });
            return Optional.of(start);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /**
     * A key for another purpose, derived from this one (HMAC-SHA256 of the purpose under it),
     * so that a function holding one secret gets independent keys: knowing a derived key tells
     * nothing of the signing key, nor of a key derived for another purpose.
     */
    public byte[] derive(String purpose) {
        return mac(("territoire-derived-key:" + purpose).getBytes(StandardCharsets.UTF_8));
    }

    private static DomainError invalid() {
        return DomainError.invalid(FIELD, "is not a token this list issued");
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
