package org.territoire.shared.page;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@Tag("unit")
class PageTokensTest {
    private final PageTokens tokens = new PageTokens("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private final Map<String, AttributeValue> lastKey = Map.of(
            "pk", AttributeValue.fromS("SERVICE#1"), "sk", AttributeValue.fromS("SERVICE"),
            "gsi1pk", AttributeValue.fromS("CATALOGUE"), "n", AttributeValue.fromN("42"));

    @Test
    void roundTrip_givesBackTheKey() {
        String token = tokens.encode("services?kind=", lastKey);

        assertThat(tokens.decode("services?kind=", Optional.of(token))).contains(lastKey);
        assertThat(token).doesNotContain("SERVICE#1");
    }

    @Test
    void aToken_revealsNothingOfTheKeyLayout_andDiffersEachTime() {
        String token = tokens.encode("services?kind=", lastKey);
        String decoded = new String(Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1)), StandardCharsets.ISO_8859_1);

        assertThat(decoded).doesNotContain("pk", "gsi1pk", "SERVICE", "CATALOGUE", "42");
        assertThat(tokens.encode("services?kind=", lastKey)).isNotEqualTo(token);
    }

    @Test
    void aTokenOfTheEarlierSignedForm_isRefused_sayingToStartAgain() {
        // What the earlier PageTokens issued: base64url(JSON of scope and keys) "." base64url(HMAC).
        String old = "eyJzIjoicyIsImsiOnsicGsiOnsiUyI6IlNFUlZJQ0UjMSJ9fX0.c2lnbmF0dXJlLW9mLTMyLWJ5dGVzLWZvci10ZXN0";

        assertThatThrownBy(() -> tokens.decode("s", Optional.of(old))).isInstanceOfSatisfying(DomainError.Invalid.class, e ->
                assertThat(e.errors()).singleElement().satisfies(f -> {
                    assertThat(f.field()).isEqualTo("nextToken");
                    assertThat(f.detail()).contains("earlier form").contains("without nextToken");
                }));
    }

    @Test
    void noKey_meansNoToken_andNoToken_meansFirstPage() {
        assertThat(tokens.encode("s", Map.of())).isNull();
        assertThat(tokens.decode("s", Optional.empty())).isEmpty();
    }

    @Test
    void tamperedToken_isRefused() {
        String token = tokens.encode("services?kind=", lastKey);
        byte[] sealed = Base64.getUrlDecoder().decode(token.substring(3));
        sealed[sealed.length / 2] ^= 1;
        String forged = "e1." + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);

        assertRefused(() -> tokens.decode("services?kind=", Optional.of(forged)));
        assertRefused(() -> tokens.decode("services?kind=", Optional.of("garbage")));
        assertRefused(() -> tokens.decode("services?kind=", Optional.of("a.b.c")));
        assertRefused(() -> tokens.decode("services?kind=", Optional.of("e1.")));
        assertRefused(() -> tokens.decode("services?kind=", Optional.of("e1.%%%")));
        assertRefused(() -> tokens.decode("services?kind=", Optional.of(token.substring(0, 20))));
    }

    @Test
    void tokenOfAnotherQuery_isRefused() {
        String token = tokens.encode("services?kind=", lastKey);

        assertRefused(() -> tokens.decode("services?kind=PUBLIC", Optional.of(token)));
    }

    @Test
    void tokenSignedWithAnotherKey_isRefused() {
        PageTokens other = new PageTokens("another-key-another-key-another-key".getBytes(StandardCharsets.UTF_8));

        assertRefused(() -> tokens.decode("s", Optional.of(other.encode("s", lastKey))));
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainError.Invalid.class, e -> {
            assertThat(e.errors()).extracting(f -> f.field()).containsExactly("nextToken");
        });
    }

    @Test
    void derivedKeys_areStable_perPurpose_andDifferFromEachOther() {
        PageTokens other = new PageTokens("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.derive("a")).hasSize(32).isEqualTo(tokens.derive("a"));
        assertThat(tokens.derive("a")).isNotEqualTo(tokens.derive("b")).isNotEqualTo(other.derive("a"));
    }
}
