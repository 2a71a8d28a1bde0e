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
    void noKey_meansNoToken_andNoToken_meansFirstPage() {
        assertThat(tokens.encode("s", Map.of())).isNull();
        assertThat(tokens.decode("s", Optional.empty())).isEmpty();
    }

    @Test
    void tamperedToken_isRefused() {
        String token = tokens.encode("services?kind=", lastKey);
        String body = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                body.replace("SERVICE#1", "SERVICE#2").getBytes(StandardCharsets.UTF_8)) + "." + token.split("\\.")[1];

        assertRefused(() -> tokens.decode("services?kind=", Optional.of(forged)));
        assertRefused(() -> tokens.decode("services?kind=", Optional.of("garbage")));
        assertRefused(() -> tokens.decode("services?kind=", Optional.of("a.b.c")));
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
