package org.territoire.feedback.photo;

import java.awt.image.BufferedImage;
import org.territoire.heif.HeifDecoder;

/**
 * The one class of the photos' code that names the HEIC decoder. The API's package (redaction
 * re-decodes a published JPEG with {@link ImageCleaner}) does not carry the decoder, so nothing
 * {@code ImageCleaner} loads by itself may refer to it: the JVM resolves a class named in a
 * method's exception handlers when it verifies that method, and this one is loaded only when a HEIC
 * is read (FunctionPackagesTest redacts from the API's package alone).
 */
final class HeicReader {
    private HeicReader() {
    }

    static boolean isHeic(byte[] bytes) {
        return HeifDecoder.isHeif(bytes);
    }

    static BufferedImage decode(byte[] bytes, long maxPixels) throws ImageCleaner.Refused {
        try {
            return HeifDecoder.decode(bytes, maxPixels);
        } catch (HeifDecoder.Refused e) {
            throw new ImageCleaner.Refused(e.getMessage());
        }
    }
}
