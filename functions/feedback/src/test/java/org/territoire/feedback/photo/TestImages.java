package org.territoire.feedback.photo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** Images made in the tests: a phone's JPEG with its GPS position and camera serial in EXIF. */
public final class TestImages {
    public static final String SERIAL = "SN-40213377";
    public static final String MAKE = "TerritoireCam";

    private TestImages() {
    }

    public static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG whose EXIF (APP1) carries a camera make, a body serial number and a GPS position (Rennes). */
    public static byte[] jpegWithGps(int width, int height) {
        byte[] jpeg = encode(picture(width, height), "jpeg");
        byte[] tiff = tiff();
        byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + exifHeader.length + tiff.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2); // SOI
        out.put((byte) 0xff).put((byte) 0xe1).putShort((short) length).put(exifHeader).put(tiff);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** A big-endian TIFF block: IFD0 (Make, Exif pointer, GPS pointer), the Exif IFD (serial), the GPS IFD. */
    private static byte[] tiff() {
        ByteBuffer b = ByteBuffer.allocate(196);
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        // IFD0 at 8 (3 entries, to 50), then the make at 50 (14 bytes).
        b.putShort((short) 3);
        entry(b, 0x010F, 2, MAKE.length() + 1, 50);
        entry(b, 0x8769, 4, 1, 64);
        entry(b, 0x8825, 4, 1, 94);
        b.putInt(0);
        b.put((MAKE + "\0").getBytes(StandardCharsets.ISO_8859_1));
        // The Exif IFD at 64 (1 entry, to 82): BodySerialNumber, its text at 82 (12 bytes).
        b.position(64);
        b.putShort((short) 1);
        entry(b, 0xA431, 2, SERIAL.length() + 1, 82);
        b.putInt(0);
        b.put((SERIAL + "\0").getBytes(StandardCharsets.ISO_8859_1));
        // The GPS IFD at 94 (4 entries, to 148): 48 deg 6' 36" N, 1 deg 40' 48" W; the rationals at 148 and 172.
        b.position(94);
        b.putShort((short) 4);
        b.putShort((short) 0x0001).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        entry(b, 0x0002, 5, 3, 148);
        b.putShort((short) 0x0003).putShort((short) 2).putInt(2).put((byte) 'W').put((byte) 0).putShort((short) 0);
        entry(b, 0x0004, 5, 3, 172);
        b.putInt(0);
        b.putInt(48).putInt(1).putInt(6).putInt(1).putInt(36).putInt(1);
        b.putInt(1).putInt(1).putInt(40).putInt(1).putInt(48).putInt(1);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int offset) {
        b.putShort((short) tag).putShort((short) type).putInt(count).putInt(offset);
    }
}
