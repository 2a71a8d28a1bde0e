package org.territoire.notifications.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WebPushCryptoTest {
    // RFC 8291 §5 and Appendix A, to the byte.
    static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
    static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
    static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
    static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
    static final String BODY = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

    @Test
    void encryptsTheRfc8291ExampleToTheByte() {
        KeyPair as = new KeyPair(WebPushCrypto.publicKey(WebPushCrypto.unb64(AS_PUBLIC)), WebPushCrypto.privateKey(WebPushCrypto.unb64(AS_PRIVATE)));
        byte[] body = WebPushCrypto.encrypt(WebPushCrypto.unb64(UA_PUBLIC), WebPushCrypto.unb64(AUTH),
                "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.UTF_8), WebPushCrypto.unb64(SALT), as);
        assertThat(WebPushCrypto.b64(body)).isEqualTo(BODY);
    }

    @Test
    void aVapidTokenIsAnEs256JwtTheJdkVerifiesInRawForm() throws Exception {
        KeyPair vapid = WebPushCrypto.newKeyPair();
        for (int i = 0; i < 50; i++) { // signatures whose R or S has a high bit or a leading zero byte included
            String jwt = WebPushCrypto.vapidToken((ECPrivateKey) vapid.getPrivate(), "https://push.example.org", 1_800_000_000L, "mailto:ops@example.org");
            String[] parts = jwt.split("\\.");
            assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"ES256\"}");
            assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                    .isEqualTo("{\"aud\":\"https://push.example.org\",\"exp\":1800000000,\"sub\":\"mailto:ops@example.org\"}");
            byte[] raw = Base64.getUrlDecoder().decode(parts[2]);
            assertThat(raw).hasSize(64);
            Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
            verify.initVerify((ECPublicKey) vapid.getPublic());
            verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(verify.verify(raw)).isTrue();
        }
    }

    @Test
    void onlyPointsOnTheCurveAreKeys() {
        byte[] point = WebPushCrypto.unb64(UA_PUBLIC);
        assertThat(WebPushCrypto.isP256Point(point)).isTrue();
        point[64] ^= 1;
        assertThat(WebPushCrypto.isP256Point(point)).isFalse();
        assertThat(WebPushCrypto.isP256Point(new byte[65])).isFalse();
        assertThat(WebPushCrypto.isP256Point(WebPushCrypto.unb64(AUTH))).isFalse();
    }

    @Test
    void endpointsArePublicHttpsOnlyAndLoopbackOnlyWhenTheLocalSettingSaysSo() {
        PushEndpoints aws = new PushEndpoints(false);
        assertThat(aws.refusal("https://8.8.8.8/push/abc")).isEmpty();
        assertThat(aws.refusal("http://8.8.8.8/push/abc")).isPresent();
        assertThat(aws.refusal("https://127.0.0.1:8443/push")).isPresent();
        assertThat(aws.refusal("https://169.254.169.254/latest/meta-data")).isPresent();
        assertThat(aws.refusal("https://10.0.0.1/x")).isPresent();
        assertThat(aws.refusal("https://192.168.1.1/x")).isPresent();
        assertThat(aws.refusal("https://[::1]/x")).isPresent();
        assertThat(aws.refusal("https://[fd00::1]/x")).isPresent();
        assertThat(aws.refusal("https://[::ffff:10.0.0.1]/x")).isPresent();
        assertThat(aws.refusal("https://user@8.8.8.8/x")).isPresent();
        assertThat(aws.refusal("http://127.0.0.1:9000/push")).isPresent();
        PushEndpoints local = new PushEndpoints(true);
        assertThat(local.refusal("http://127.0.0.1:9000/push")).isEmpty();
        assertThat(local.refusal("http://10.0.0.1/push")).isPresent();
        assertThat(local.refusal("https://169.254.169.254/x")).isPresent();
    }
}
