package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.territoire.shared.json.Json;

/**
 * A push service for tests, playing both the push service and the browser: it accepts a
 * message only when the VAPID token (RFC 8292) verifies under the key in the header and its
 * claims are right (aud is this origin, exp at most 24 h ahead, sub a contact), then decrypts
 * it (RFC 8291, aes128gcm) with the subscription's private key, written here from the RFCs
 * and not from the sender's code: what it reads, a browser would read. A subscription can be
 * told to answer 410 (the browser withdrew it) or 429.
 */
final class LocalPushReceiver implements AutoCloseable {
    record Received(String subscription, String plaintext, String ttl, String urgency, JsonNode claims) {
    }

    /** A browser's subscription: its key pair and auth secret, made here. */
    final class Browser {
        final String id = UUID.randomUUID().toString();
        final KeyPair keys = newPair();
        final byte[] auth = new byte[16];
        volatile int answer = 201;

        Browser() {
            new java.security.SecureRandom().nextBytes(auth);
        }

        String endpoint() {
            return origin() + "/push/" + id;
        }

        String json() {
            return "{\"endpoint\":\"" + endpoint() + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\"" + b64(raw((ECPublicKey) keys.getPublic()))
                    + "\",\"auth\":\"" + b64(auth) + "\"}}";
        }

        List<Received> received() {
            return messages.stream().filter(m -> m.subscription().equals(id)).toList();
        }
    }

    private final HttpServer server;
    private final Map<String, Browser> browsers = new ConcurrentHashMap<>();
    private final List<Received> messages = new CopyOnWriteArrayList<>();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    volatile String vapidPublicKey;

    LocalPushReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/push/", this::handle);
        server.start();
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Browser browser() {
        Browser b = new Browser();
        browsers.put(b.id, b);
        return b;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Browser b = browsers.get(exchange.getRequestURI().getPath().substring("/push/".length()));
            if (b == null || !exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (b.answer != 201) {
                exchange.sendResponseHeaders(b.answer, -1);
                return;
            }
            try {
                JsonNode claims = verifyVapid(exchange.getRequestHeaders().getFirst("Authorization"));
                if (!"aes128gcm".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    throw new SecurityException("Content-Encoding is not aes128gcm");
                }
                String plaintext = new String(decrypt(b, body), StandardCharsets.UTF_8);
                messages.add(new Received(b.id, plaintext, exchange.getRequestHeaders().getFirst("TTL"),
                        exchange.getRequestHeaders().getFirst("Urgency"), claims));
                exchange.sendResponseHeaders(201, -1);
            } catch (GeneralSecurityException | RuntimeException e) {
                refusals.add(e.toString());
                exchange.sendResponseHeaders(400, -1);
            }
        }
    }

    /** RFC 8292 §3: {@code vapid t=<jwt>, k=<key>}; the JWT's ES256 signature (R || S) under k. */
    private JsonNode verifyVapid(String authorization) throws GeneralSecurityException {
        if (authorization == null || !authorization.startsWith("vapid ")) {
            throw new SecurityException("no vapid authorization");
        }
        String t = null, k = null;
        for (String part : authorization.substring(6).split(",")) {
            String p = part.trim();
            if (p.startsWith("t=")) {
                t = p.substring(2);
            } else if (p.startsWith("k=")) {
                k = p.substring(2);
            }
        }
        String[] jwt = t.split("\\.");
        JsonNode header = Json.tree(new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8));
        if (!header.path("alg").asText().equals("ES256")) {
            throw new SecurityException("alg is not ES256");
        }
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(publicKey(Base64.getUrlDecoder().decode(k)));
        es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        if (!es256.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
            throw new SecurityException("the VAPID signature does not verify");
        }
        JsonNode claims = Json.tree(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
        long now = Instant.now().getEpochSecond();
        if (!claims.path("aud").asText().equals(origin())) {
            throw new SecurityException("aud is not this push service's origin");
        }
        if (claims.path("exp").asLong() <= now || claims.path("exp").asLong() > now + 24 * 3600) {
            throw new SecurityException("exp is not within 24 hours");
        }
        String sub = claims.path("sub").asText();
        if (!sub.startsWith("mailto:") && !sub.startsWith("https://")) {
            throw new SecurityException("sub is not a contact");
        }
        vapidPublicKey = k;
        return claims;
    }

    /** The browser's side of RFC 8291 §3.4 / RFC 8188 §2. */
    private static byte[] decrypt(Browser b, byte[] body) throws GeneralSecurityException {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        in.get(salt);
        int rs = in.getInt();
        int idlen = in.get() & 0xff;
        byte[] asPublic = new byte[idlen];
        in.get(asPublic);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        if (idlen != 65 || sealed.length > rs) {
            throw new SecurityException("not one aes128gcm record keyed by a P-256 point");
        }
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(b.keys.getPrivate());
        ecdh.doPhase(publicKey(asPublic), true);
        byte[] secret = ecdh.generateSecret();
        byte[] uaPublic = raw((ECPublicKey) b.keys.getPublic());
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, asPublic);
        byte[] ikm = expand(hmac(b.auth, secret), keyInfo, 32);
        byte[] prk = hmac(salt, ikm);
        byte[] cek = expand(prk, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = expand(prk, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = gcm.doFinal(sealed);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 0x02) {
            throw new SecurityException("the last record has no 0x02 delimiter");
        }
        return Arrays.copyOf(padded, end);
    }

    private static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static KeyPair newPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECPublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)), new BigInteger(1, Arrays.copyOfRange(raw, 33, 65)));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, p.getParameterSpec(ECParameterSpec.class)));
    }

    static byte[] raw(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        put(key.getW().getAffineX(), out, 1);
        put(key.getW().getAffineY(), out, 33);
        return out;
    }

    private static void put(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int skip = b.length > 32 ? b.length - 32 : 0;
        System.arraycopy(b, skip, out, at + 32 - (b.length - skip), b.length - skip);
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
