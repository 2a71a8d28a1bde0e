package org.territoire.feedback.photo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real HEIC that reaches the processing anyway (a client that sent it under a JPEG type) is refused,
 * never published as uploaded: there is no decoder to clean it with (docs/decisions.md, "Report photos").
 */
@Tag("unit")
class HeicRefusalTest {
    private static byte[] heic() throws IOException {
        try (InputStream in = HeicRefusalTest.class.getResourceAsStream("/photos/gradient-64x48.heic")) {
            assertThat(in).as("test resource photos/gradient-64x48.heic").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void aRealHeic_underAnyAcceptedType_isRefused() throws IOException {
        byte[] bytes = heic();
        assertThat(new String(bytes, 4, 8, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftypheic");
        for (String type : PhotoService.TYPES) {
            assertThatThrownBy(() -> ImageCleaner.clean(bytes, type)).as(type)
                    .isInstanceOf(ImageCleaner.Refused.class)
                    .hasMessage("the file is not a JPEG, PNG or WebP image");
        }
    }
}
