package org.territoire.feedback.photo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A phone's sideways photo is published upright, and a hostile EXIF is ignored, never a crash. */
@Tag("unit")
class ExifOrientationTest {
    private static final Color TOP_LEFT = Color.RED;
    private static final Color TOP_RIGHT = Color.GREEN;
    private static final Color BOTTOM_LEFT = Color.BLUE;
    private static final Color BOTTOM_RIGHT = Color.YELLOW;

    /** As stored by the camera: 64 by 32, four quadrants of four colours (every turn and flip tells apart). */
    private static BufferedImage stored() {
        BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(TOP_LEFT);
        g.fillRect(0, 0, 32, 16);
        g.setColor(TOP_RIGHT);
        g.fillRect(32, 0, 32, 16);
        g.setColor(BOTTOM_LEFT);
        g.fillRect(0, 16, 32, 16);
        g.setColor(BOTTOM_RIGHT);
        g.fillRect(32, 16, 32, 16);
        g.dispose();
        return image;
    }

    /**
     * Where the stored image's first pixel (top left, red) and the end of its first row (top right,
     * green) are shown, from Exif 2.32's table for tag 0x0112 ("the 0th row is the visual right,
     * the 0th column the visual top" for 6, and so on): TL, TR, BR, BL name the displayed corners.
     */
    @ParameterizedTest
    @CsvSource({"1,TL,TR", "2,TR,TL", "3,BR,BL", "4,BL,BR", "5,TL,BL", "6,TR,BR", "7,BR,TR", "8,BL,TL"})
    void theEightOrientations(int orientation, String firstPixel, String endOfFirstRow) throws Exception {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            byte[] upload = withApp1(TestImages.encode(stored(), "jpeg"), exif(order, orientation));
            assertEquals(orientation, ExifOrientation.of(upload));

            BufferedImage published = decode(ImageCleaner.clean(upload, "image/jpeg").photo());
            boolean turned = orientation >= 5;
            assertEquals(turned ? 32 : 64, published.getWidth(), "width for " + orientation);
            assertEquals(turned ? 64 : 32, published.getHeight(), "height for " + orientation);
            assertColour(TOP_LEFT, corner(published, firstPixel), orientation + " " + firstPixel);
            assertColour(TOP_RIGHT, corner(published, endOfFirstRow), orientation + " " + endOfFirstRow);
        }
    }

    @Test
    void theThumbnailIsTurnedToo() throws Exception {
        byte[] upload = withApp1(TestImages.encode(stored(), "jpeg"), exif(ByteOrder.BIG_ENDIAN, 6));
        BufferedImage thumbnail = decode(ImageCleaner.clean(upload, "image/jpeg").thumbnail());
        assertEquals(32, thumbnail.getWidth());
        assertEquals(64, thumbnail.getHeight());
        assertColour(TOP_LEFT, corner(thumbnail, "TR"), "thumbnail");
    }

    @Test
    void hostileExifIsIgnoredAndThePhotoPublishedAsIs() {
        byte[] jpeg = TestImages.encode(stored(), "jpeg");
        byte[] good = exif(ByteOrder.BIG_ENDIAN, 6);
        byte[][] hostile = {
            // IFD0 offset far past the block
            patchInt(good, 4, 0x7fff_fff0),
            // IFD0 offset pointing into the header (and at itself)
            patchInt(good, 4, 0),
            // an entry count that runs past the block
            patchShort(good, 8, 0xffff),
            // the orientation as a LONG, or with a count of 3: not the SHORT the standard says
            patchShort(good, 12, 4),
            patchInt(good, 14, 3),
            // out-of-range values
            patchShort(good, 18, 0),
            patchShort(good, 18, 9),
            patchShort(good, 18, 0xffff),
            // a bad byte order and a bad magic number
            patchShort(good, 0, 0x4d49),
            patchShort(good, 2, 43),
            // the block cut short
            Arrays.copyOf(good, 6),
            new byte[0],
        };
        for (byte[] tiff : hostile) {
            byte[] upload = withApp1(jpeg, tiff);
            assertPublishedUnturned(upload);
        }
        // An APP1 whose length runs past the file (cut right after its header).
        byte[] upload = withApp1(jpeg, good);
        assertEquals(1, ExifOrientation.of(Arrays.copyOf(upload, 2 + 4 + 6 + 10)));
        // A segment length of 0 or 1 (would never advance), and a file of fill bytes.
        byte[] zero = upload.clone();
        zero[4] = 0;
        zero[5] = 0;
        assertEquals(1, ExifOrientation.of(zero));
        zero[5] = 1;
        assertEquals(1, ExifOrientation.of(zero));
        byte[] fill = new byte[1 << 20];
        Arrays.fill(fill, (byte) 0xff);
        fill[1] = (byte) 0xd8;
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertEquals(1, ExifOrientation.of(fill)));
        // Many empty segments before the Exif one: not searched past a bound, so not turned.
        ByteBuffer many = ByteBuffer.allocate(upload.length + 4 * 100);
        many.put(upload, 0, 2);
        for (int i = 0; i < 100; i++) {
            many.put((byte) 0xff).put((byte) 0xe2).putShort((short) 2);
        }
        many.put(upload, 2, upload.length - 2);
        assertEquals(1, ExifOrientation.of(many.array()));
        assertEquals(6, ExifOrientation.of(upload), "the same segment is read when it comes early");
    }

    private static void assertPublishedUnturned(byte[] upload) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(1, ExifOrientation.of(upload));
            BufferedImage published = decode(ImageCleaner.clean(upload, "image/jpeg").photo());
            assertEquals(64, published.getWidth());
            assertColour(TOP_LEFT, corner(published, "TL"), "unturned");
        });
    }

    /** A TIFF block with IFD0 holding only the Orientation, as a SHORT (type 3), count 1. */
    static byte[] exif(ByteOrder order, int orientation) {
        ByteBuffer b = ByteBuffer.allocate(26).order(order);
        b.put(order == ByteOrder.BIG_ENDIAN ? "MM".getBytes(StandardCharsets.ISO_8859_1) : "II".getBytes(StandardCharsets.ISO_8859_1));
        b.putShort((short) 42).putInt(8);
        b.putShort((short) 1);
        b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(8); // the next IFD is IFD0 itself: a loop for a reader that follows the chain
        return b.array();
    }

    /** The JPEG with an APP1 "Exif" segment holding {@code tiff} right after its SOI. */
    static byte[] withApp1(byte[] jpeg, byte[] tiff) {
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiff.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xff).put((byte) 0xe1).putShort((short) length).put(header).put(tiff);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    private static byte[] patchShort(byte[] tiff, int at, int value) {
        byte[] copy = tiff.clone();
        ByteBuffer.wrap(copy).putShort(at, (short) value);
        return copy;
    }

    private static byte[] patchInt(byte[] tiff, int at, int value) {
        byte[] copy = tiff.clone();
        ByteBuffer.wrap(copy).putInt(at, value);
        return copy;
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    /** The colour a few pixels inside the named corner (away from the JPEG's blurred edges). */
    private static Color corner(BufferedImage image, String name) {
        int x = name.endsWith("L") ? 3 : image.getWidth() - 4;
        int y = name.startsWith("T") ? 3 : image.getHeight() - 4;
        return new Color(image.getRGB(x, y));
    }

    private static void assertColour(Color expected, Color actual, String what) {
        int distance = Math.abs(expected.getRed() - actual.getRed()) + Math.abs(expected.getGreen() - actual.getGreen())
                + Math.abs(expected.getBlue() - actual.getBlue());
        assertTrue(distance < 90, what + ": expected " + expected + " but was " + actual);
    }
}
