package org.territoire.notifications.push;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web Push's cryptography with the JDK alone: the message encryption of RFC 8291 (the
 * {@code aes128gcm} content coding of RFC 8188, keyed by ECDH P-256 with a fresh key per message
 * and the subscription's auth secret) and the VAPID token of RFC 8292 (an ES256 JWT). No library:
 * the few steps are the RFC's, and a test decrypts what this makes as a browser would.
 */
public final class WebPushCrypto {
    /** One record holds the whole message (RFC 8291 §4: push services accept at least 4096 bytes). */
    static final int RECORD_SIZE = 4096;
    /** The most plaintext one record carries: the record less the tag (16) and the delimiter (1). */
    public static final int MAX_PLAINTEXT = RECORD_SIZE - 16 - 1 - 86;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ECParameterSpec P256 = p256();
    private static final BigInteger P = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
    private static final BigInteger B = new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

    private WebPushCrypto() {
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256", e);
        }
    }

    /** True when {@code raw} is a 65-byte uncompressed point (0x04 || X || Y) on P-256. */
    public static boolean isP256Point(byte[] raw) {
        if (raw == null || raw.length != 65 || raw[0] != 0x04) {
            return false;
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(raw, 1, 33));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(raw, 33, 65));
        if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return false;
        }
        // y² = x³ - 3x + b (mod p)
        BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
        return y.modPow(BigInteger.TWO, P).equals(right);
    }

    public static ECPublicKey publicKey(byte[] raw) {
        if (!isP256Point(raw)) {
            throw new IllegalArgumentException("not an uncompressed P-256 point");
        }
        try {
            ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)), new BigInteger(1, Arrays.copyOfRange(raw, 33, 65)));
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 public key", e);
        }
    }

    public static ECPrivateKey privateKey(byte[] d) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(new BigInteger(1, d), P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 private key", e);
        }
    }

    public static byte[] raw(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 0x04;
        fixed(key.getW().getAffineX(), out, 1);
        fixed(key.getW().getAffineY(), out, 33);
        return out;
    }

    public static byte[] raw(ECPrivateKey key) {
        byte[] out = new byte[32];
        fixed(key.getS(), out, 0);
        return out;
    }

    private static void fixed(BigInteger v, byte[] out, int at) {
        byte[] b = v.toByteArray();
        int skip = b.length > 32 ? b.length - 32 : 0;
        System.arraycopy(b, skip, out, at + 32 - (b.length - skip), b.length - skip);
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * RFC 8291 §3.4 and RFC 8188 §2: {@code salt(16) || rs(4) || idlen(1) || keyid(65, the
     * sender's ephemeral public key) || AES-128-GCM(plaintext || 0x02)}, one record.
     */
    public static byte[] encrypt(byte[] uaPublic, byte[] authSecret, byte[] plaintext) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("a push message holds at most " + MAX_PLAINTEXT + " bytes");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return encrypt(uaPublic, authSecret, plaintext, salt, newKeyPair());
    }

    static byte[] encrypt(byte[] uaPublic, byte[] authSecret, byte[] plaintext, byte[] salt, KeyPair ephemeral) {
        try {
            byte[] asPublic = raw((ECPublicKey) ephemeral.getPublic());
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(ephemeral.getPrivate());
            agreement.doPhase(publicKey(uaPublic), true);
            byte[] ecdh = agreement.generateSecret();
            byte[][] keys = contentKeys(ecdh, authSecret, uaPublic, asPublic, salt);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys[0], "AES"), new GCMParameterSpec(128, keys[1]));
            byte[] padded = Arrays.copyOf(plaintext, plaintext.length + 1);
            padded[plaintext.length] = 0x02; // the last (and only) record's delimiter, no padding
            byte[] sealed = gcm.doFinal(padded);
            return ByteBuffer.allocate(16 + 4 + 1 + 65 + sealed.length).put(salt).putInt(RECORD_SIZE).put((byte) 65).put(asPublic)
                    .put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the subscription's key cannot be used", e);
        }
    }

    /** {CEK, NONCE} of RFC 8291 §3.4 for both sides: the receiver calls it with the same inputs. */
    public static byte[][] contentKeys(byte[] ecdh, byte[] authSecret, byte[] uaPublic, byte[] asPublic, byte[] salt) {
        ByteArrayOutputStream keyInfo = new ByteArrayOutputStream();
        keyInfo.writeBytes("WebPush: info".getBytes(StandardCharsets.US_ASCII));
        keyInfo.write(0);
        keyInfo.writeBytes(uaPublic);
        keyInfo.writeBytes(asPublic);
        byte[] ikm = hkdf(authSecret, ecdh, keyInfo.toByteArray(), 32);
        byte[] cek = hkdf(salt, ikm, info("aes128gcm"), 16);
        byte[] nonce = hkdf(salt, ikm, info("nonce"), 12);
        return new byte[][] {cek, nonce};
    }

    private static byte[] info(String coding) {
        byte[] label = ("Content-Encoding: " + coding).getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(label, label.length + 1);
    }

    /** HKDF-SHA256 (RFC 5869) for an output of at most one hash: extract, then one expand block. */
    static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        byte[] prk = hmac(salt, ikm);
        byte[] block = Arrays.copyOf(info, info.length + 1);
        block[info.length] = 0x01;
        return Arrays.copyOf(hmac(prk, block), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * RFC 8292 §2: a JWT signed with ES256 (RFC 7515 §A.3: the signature is R || S, 32 bytes
     * each, not the DER sequence the JDK's {@code SHA256withECDSA} returns).
     */
    public static String vapidToken(ECPrivateKey key, String audience, long expiresAtEpochSecond, String subject) {
        String header = b64("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"aud\":\"" + json(audience) + "\",\"exp\":" + expiresAtEpochSecond + ",\"sub\":\"" + json(subject) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + claims;
        try {
            Signature ecdsa = Signature.getInstance("SHA256withECDSA");
            ecdsa.initSign(key);
            ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(derToRaw(ecdsa.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the VAPID key cannot sign", e);
        }
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** SEQUENCE { INTEGER r, INTEGER s } → r || s, each left-padded to 32 bytes. */
    static byte[] derToRaw(byte[] der) {
        int i = 0;
        if (der[i++] != 0x30) {
            throw new IllegalArgumentException("not a DER sequence");
        }
        int length = der[i++] & 0xff;
        if (length == 0x81) {
            i++; // a long-form length: 0x81 then one byte (at most 72 for P-256)
        }
        byte[] out = new byte[64];
        for (int part = 0; part < 2; part++) {
            if (der[i++] != 0x02) {
                throw new IllegalArgumentException("not a DER integer");
            }
            int n = der[i++];
            int start = i;
            int len = n;
            while (len > 32 && der[start] == 0) { // the sign byte DER adds before a high bit
                start++;
                len--;
            }
            if (len > 32) {
                throw new IllegalArgumentException("an integer longer than P-256's");
            }
            System.arraycopy(der, start, out, part * 32 + 32 - len, len);
            i += n;
        }
        return out;
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Base64url with or without padding (browsers' {@code toJSON()} leaves it out); null when malformed. */
    public static byte[] unb64(String text) {
        if (text == null || !text.matches("[A-Za-z0-9_-]+={0,2}")) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(text.replace("=", ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
