package org.territoire.telemetry;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 requests as a device makes them (Bouncy Castle), for tests. */
final class Csrs {
    private Csrs() {
    }

    /** {@code RSA-2048}, {@code RSA-1024}, {@code EC-P-256}, {@code EC-P-521}. */
    static KeyPair keyPair(String type) throws Exception {
        if (type.startsWith("RSA-")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(Integer.parseInt(type.substring(4)));
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(switch (type) {
            case "EC-P-256" -> "secp256r1";
            case "EC-P-521" -> "secp521r1";
            default -> throw new IllegalArgumentException(type);
        }));
        return g.generateKeyPair();
    }

    static String pem(String commonName, KeyPair keys) throws Exception {
        return pemSignedBy(commonName, keys.getPublic(), keys.getPrivate());
    }

    static String pemSignedBy(String commonName, PublicKey key, PrivateKey signer) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), key)
                .build(new JcaContentSignerBuilder(signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(signer));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(request);
        }
        return out.toString();
    }
}
