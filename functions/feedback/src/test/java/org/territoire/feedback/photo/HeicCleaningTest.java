package org.territoire.feedback.photo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.drew.imaging.ImageMetadataReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.error.DomainError;

/**
 * A real HEIC (made by Debian's heif-enc, photos/README.md) is cleaned like any photo: decoded in the
 * WebAssembly sandbox, drawn on a new raster, written as a JPEG that carries nothing of the file but
 * its pixels. Announced as another type it is refused, never published as uploaded; and a territory
 * that turned HEIC off refuses it at the upload's request.
 */
@Tag("unit")
class HeicCleaningTest {
    private static byte[] heic() throws IOException {
        try (InputStream in = HeicCleaningTest.class.getResourceAsStream("/photos/gradient-64x48.heic")) {
            assertThat(in).as("test resource photos/gradient-64x48.heic").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void aRealHeic_announcedAsHeic_isCleanedIntoAJpegOfItsPixels() throws Exception {
        byte[] bytes = heic();
        for (String type : new String[] {"image/heic", "image/heif"}) {
            ImageCleaner.Cleaned cleaned = ImageCleaner.clean(bytes, type);
            assertThat(cleaned.width()).isEqualTo(64);
            assertThat(cleaned.height()).isEqualTo(48);
            BufferedImage jpeg = ImageIO.read(new ByteArrayInputStream(cleaned.photo()));
            // The gradient heif-enc was given: red = 4x, green = 5y, blue = 128 (lossy twice: HEVC, then JPEG).
            int rgb = jpeg.getRGB(40, 30);
            assertThat((rgb >> 16) & 0xff).isCloseTo(160, org.assertj.core.data.Offset.offset(20));
            assertThat((rgb >> 8) & 0xff).isCloseTo(150, org.assertj.core.data.Offset.offset(20));
            assertThat(rgb & 0xff).isCloseTo(128, org.assertj.core.data.Offset.offset(20));
            assertThat(cleaned.photo()[0] & 0xff).isEqualTo(0xff);
            assertThat(cleaned.photo()[1] & 0xff).isEqualTo(0xd8);
            ImageMetadataReader.readMetadata(new ByteArrayInputStream(cleaned.photo())).getDirectories()
                    .forEach(d -> assertThat(d.getName()).as("a JPEG with no metadata").isIn("JPEG", "JFIF", "Huffman", "File Type"));
        }
    }

    @Test
    void aRealHeic_announcedAsAnotherType_isRefused() throws IOException {
        byte[] bytes = heic();
        for (String type : new String[] {"image/jpeg", "image/png", "image/webp"}) {
            assertThatThrownBy(() -> ImageCleaner.clean(bytes, type)).as(type)
                    .isInstanceOf(ImageCleaner.Refused.class)
                    .hasMessage("the file is a HEIC image, not the " + type + " announced");
        }
    }

    @Test
    void aFileWithAHeicHeaderButNoImage_isRefused() throws IOException {
        byte[] bytes = java.util.Arrays.copyOf(heic(), 200);
        assertThatThrownBy(() -> ImageCleaner.clean(bytes, "image/heic")).isInstanceOf(ImageCleaner.Refused.class)
                .hasMessage("the file is not a HEIC image that can be read");
    }

    @Test
    void aTerritoryThatRefusesHeic_refusesItAtTheRequest_namingTheField() {
        // Refused before the report is read: no repository nor storage is reached.
        PhotoService refusing = new PhotoService(null, null, Clock.systemUTC(), false);
        for (String type : new String[] {"image/heic", " Image/HEIF "}) {
            assertThatThrownBy(() -> refusing.requestUpload(null, "r-1", new PhotoService.NewPhoto(type))).as(type)
                    .isInstanceOfSatisfying(DomainError.Invalid.class, e -> {
                        assertThat(e.errors()).hasSize(1);
                        assertThat(e.errors().get(0).field()).isEqualTo("contentType");
                        assertThat(e.errors().get(0).detail()).contains("HEIC", "Most Compatible");
                    });
        }
    }
}
