package org.territoire.shared.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
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
 * Opaque, tamper-proof pagination tokens. A token carries DynamoDB's LastEvaluatedKey,
 * encrypted and authenticated with AES-256-GCM under a key derived from the function's
 * pagination secret, with the scope of the query that produced it (for instance
 * {@code services?kind=PUBLIC}) as associated data. A client reads nothing of the table's key
 * layout from a token; one that was altered, forged, replayed on another query, or issued in
 * the earlier signed-but-readable form is refused with a 400, so a client can never steer a
 * query outside what it asked for.
 */
public final class PageTokens {
    public static final String FIELD = "nextToken";
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Marks the encrypted form, so a token of the earlier form is told apart and refused clearly. */
    private static final String VERSION = "e1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final SecretKeySpec key;
    private final SecretKeySpec encryption;

    public PageTokens(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("pagination key must have at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.encryption = new SecretKeySpec(derive("page-token-aes-gcm"), "AES");
    }

    public String encode(String scope, Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return null;
        }
        ObjectNode payload = Json.MAPPER.createObjectNode();
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
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        byte[] sealed;
        try {
            sealed = cipher(javax.crypto.Cipher.ENCRYPT_MODE, iv, scope).doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] token = new byte[IV_BYTES + sealed.length];
        System.arraycopy(iv, 0, token, 0, IV_BYTES);
        System.arraycopy(sealed, 0, token, IV_BYTES, sealed.length);
        return VERSION + ENCODER.encodeToString(token);
    }

    /** The start key for the query of this scope, or empty when there is no token. */
    public Optional<Map<String, AttributeValue>> decode(String scope, Optional<String> token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        if (!token.get().startsWith(VERSION)) {
            // The earlier form (base64 of the keys, a dot, their signature) is no longer read.
            throw token.get().indexOf('.') > 0 ? DomainError.invalid(FIELD,
                    "is a token of an earlier form, no longer accepted; ask for the first page again, without nextToken")
                    : invalid();
        }
        try {
            byte[] sealed = DECODER.decode(token.get().substring(VERSION.length()));
            if (sealed.length < IV_BYTES + TAG_BITS / 8) {
                throw invalid();
            }
            byte[] body;
            try {
                body = cipher(javax.crypto.Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(sealed, IV_BYTES), scope)
                        .doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
            } catch (GeneralSecurityException e) {
                // AEADBadTagException: altered, forged, under another key, or for another scope.
                throw invalid();
            }
            JsonNode payload = Json.tree(new String(body, StandardCharsets.UTF_8));
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

    /** AES-GCM with the query's scope as associated data: a token opens only for the query that issued it. */
    private javax.crypto.Cipher cipher(int mode, byte[] iv, String scope) {
        try {
            javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, encryption, new javax.crypto.spec.GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(scope.getBytes(StandardCharsets.UTF_8));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
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
