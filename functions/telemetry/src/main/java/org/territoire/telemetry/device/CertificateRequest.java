package org.territoire.telemetry.device;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A device's PKCS#10 certificate signing request (RFC 2986), in PEM, checked before it goes to
 * {@code CreateCertificateFromCsr}: it parses, it is signed by the key it carries (the device
 * holds that key), and the key is one AWS IoT accepts and we find strong enough: RSA of at
 * least 2048 bits, or EC on P-256 or P-384
 * (https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html).
 * Read with the JDK alone (a small DER reader): no cryptography library in the function.
 */
public final class CertificateRequest {
    /** A PEM request is about a kilobyte; 16 KB leaves room for a 4096-bit key and attributes. */
    static final int MAX_CHARS = 16 * 1024;

    private static final Map<String, String> SIGNATURES = Map.of(
            "1.2.840.113549.1.1.11", "SHA256withRSA", "1.2.840.113549.1.1.12", "SHA384withRSA",
            "1.2.840.113549.1.1.13", "SHA512withRSA", "1.2.840.10045.4.3.2", "SHA256withECDSA",
            "1.2.840.10045.4.3.3", "SHA384withECDSA", "1.2.840.10045.4.3.4", "SHA512withECDSA");
    private static final String RSA = "1.2.840.113549.1.1.1";
    private static final String EC = "1.2.840.10045.2.1";

    private final String pem;
    private final String keyType;

    private CertificateRequest(String pem, String keyType) {
        this.pem = pem;
        this.keyType = keyType;
    }

    /** Why a request is refused, without repeating what was sent. */
    public static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason);
        }
    }

    /** The request in the PEM form AWS IoT takes. */
    public String pem() {
        return pem;
    }

    /** {@code RSA-2048}, {@code EC-P-256}, ...: for logs and answers. */
    public String keyType() {
        return keyType;
    }

    public static CertificateRequest parse(String text) throws Invalid {
        if (text == null || text.length() > MAX_CHARS) {
            throw new Invalid("must be a PEM certificate request of at most " + MAX_CHARS + " characters");
        }
        String body = text.strip();
        String begin = body.startsWith("-----BEGIN NEW CERTIFICATE REQUEST-----") ? "-----BEGIN NEW CERTIFICATE REQUEST-----"
                : "-----BEGIN CERTIFICATE REQUEST-----";
        String end = begin.replace("BEGIN", "END");
        if (!body.startsWith(begin) || !body.endsWith(end)) {
            throw new Invalid("must be a PEM PKCS#10 certificate request (-----BEGIN CERTIFICATE REQUEST-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.substring(begin.length(), body.length() - end.length()).strip());
        } catch (IllegalArgumentException e) {
            throw new Invalid("is not valid base64 between its PEM lines");
        }
        try {
            return read(der);
        } catch (IndexOutOfBoundsException | GeneralSecurityException e) {
            throw new Invalid("is not a well-formed PKCS#10 certificate request");
        }
    }

    private static CertificateRequest read(byte[] der) throws Invalid, GeneralSecurityException {
        Der outer = Der.at(der, 0, 0x30);
        if (outer.end != der.length) {
            throw new Invalid("is not a well-formed PKCS#10 certificate request");
        }
        Der info = Der.at(der, outer.content, 0x30);
        Der algorithm = Der.at(der, info.end, 0x30);
        Der signature = Der.at(der, algorithm.end, 0x03);
        if (signature.end != outer.end) {
            throw new Invalid("is not a well-formed PKCS#10 certificate request");
        }
        Der version = Der.at(der, info.content, 0x02);
        if (version.end - version.content != 1 || der[version.content] != 0) {
            throw new Invalid("must be a version 1 PKCS#10 request");
        }
        Der subject = Der.at(der, version.end, 0x30);
        Der keyInfo = Der.at(der, subject.end, 0x30);
        String keyAlgorithm = oid(der, Der.at(der, Der.at(der, keyInfo.content, 0x30).content, 0x06));
        PublicKey key;
        String keyType;
        if (RSA.equals(keyAlgorithm)) {
            key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Arrays.copyOfRange(der, keyInfo.start, keyInfo.end)));
            int bits = ((RSAPublicKey) key).getModulus().bitLength();
            if (bits < 2048 || bits > 8192) {
                throw new Invalid("must carry an RSA key of 2048 bits or more, or an EC key on P-256 or P-384");
            }
            keyType = "RSA-" + bits;
        } else if (EC.equals(keyAlgorithm)) {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Arrays.copyOfRange(der, keyInfo.start, keyInfo.end)));
            keyType = curve(((ECPublicKey) key).getParams()).map(c -> "EC-" + c).orElseThrow(() ->
                    new Invalid("must carry an RSA key of 2048 bits or more, or an EC key on P-256 or P-384"));
        } else {
            throw new Invalid("must carry an RSA key of 2048 bits or more, or an EC key on P-256 or P-384");
        }
        String signatureAlgorithm = SIGNATURES.get(oid(der, Der.at(der, algorithm.content, 0x06)));
        if (signatureAlgorithm == null || !signatureAlgorithm.endsWith(key.getAlgorithm().equals("EC") ? "ECDSA" : "RSA")) {
            throw new Invalid("must be signed with SHA-256, SHA-384 or SHA-512 and its key's algorithm");
        }
        if (der[signature.content] != 0) {
            throw new Invalid("is not a well-formed PKCS#10 certificate request");
        }
        Signature verifier = Signature.getInstance(signatureAlgorithm);
        verifier.initVerify(key);
        verifier.update(der, info.start, info.end - info.start);
        if (!verifier.verify(Arrays.copyOfRange(der, signature.content + 1, signature.end))) {
            throw new Invalid("is not signed by the key it carries");
        }
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n";
        return new CertificateRequest(pem, keyType);
    }

    private static Optional<String> curve(ECParameterSpec params) throws GeneralSecurityException {
        for (String name : new String[] {"P-256", "P-384"}) {
            AlgorithmParameters known = AlgorithmParameters.getInstance("EC");
            known.init(new ECGenParameterSpec(name.equals("P-256") ? "secp256r1" : "secp384r1"));
            ECParameterSpec spec = known.getParameterSpec(ECParameterSpec.class);
            if (spec.getOrder().equals(params.getOrder()) && spec.getCurve().equals(params.getCurve())
                    && spec.getGenerator().equals(params.getGenerator())) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static String oid(byte[] der, Der oid) {
        StringBuilder text = new StringBuilder();
        BigInteger value = BigInteger.ZERO;
        boolean first = true;
        for (int i = oid.content; i < oid.end; i++) {
            value = value.shiftLeft(7).or(BigInteger.valueOf(der[i] & 0x7f));
            if ((der[i] & 0x80) == 0) {
                if (first) {
                    int head = value.min(BigInteger.valueOf(80)).intValue() / 40;
                    text.append(head).append('.').append(value.subtract(BigInteger.valueOf(head * 40L)));
                    first = false;
                } else {
                    text.append('.').append(value);
                }
                value = BigInteger.ZERO;
            }
        }
        return text.toString();
    }

    /** One DER element: where it starts, where its content starts, where it ends. */
    private record Der(int start, int content, int end) {
        static Der at(byte[] der, int offset, int expectedTag) throws Invalid {
            if (offset + 2 > der.length || (der[offset] & 0xff) != expectedTag) {
                throw new Invalid("is not a well-formed PKCS#10 certificate request");
            }
            int first = der[offset + 1] & 0xff;
            int length;
            int content;
            if (first < 0x80) {
                length = first;
                content = offset + 2;
            } else {
                int bytes = first & 0x7f;
                if (bytes == 0 || bytes > 3 || offset + 2 + bytes > der.length) {
                    throw new Invalid("is not a well-formed PKCS#10 certificate request");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[offset + 2 + i] & 0xff);
                }
                content = offset + 2 + bytes;
            }
            if (content + length > der.length || length < 0) {
                throw new Invalid("is not a well-formed PKCS#10 certificate request");
            }
            return new Der(offset, content, content + length);
        }
    }
}
