package org.territoire.feedback.photo;

import java.awt.image.BufferedImage;

/**
 * The EXIF Orientation (tag 0x0112 in IFD0 of a JPEG's APP1 "Exif" segment) of an upload, and
 * its application to the pixels. The cleaned photo carries no metadata, so a phone photo taken
 * sideways would show sideways unless the rotation is done on the pixels before re-encoding.
 *
 * <p>Parsed by hand rather than with a library: only one tag of one IFD is needed, and every
 * offset is checked against the bytes, so a hostile file (truncated segment, offsets out of
 * range, a zero length) yields 1 (as is) and never an exception or a loop: each step advances
 * strictly, and no IFD chain or pointer is followed. Specification: CIPA DC-008 (Exif 2.32)
 * section 4.6.4, TIFF 6.0 section 2, and ITU T.81 annex B for the JPEG markers.
 */
final class ExifOrientation {
    private static final int MAX_SEGMENTS = 64;

    private ExifOrientation() {
    }

    /** The orientation 1 to 8 of a JPEG, 1 when it has none or when its EXIF cannot be trusted. */
    static int of(byte[] b) {
        try {
            return read(b);
        } catch (RuntimeException e) {
            return 1; // belt and braces: the bounds checks below should make this unreachable
        }
    }

    private static int read(byte[] b) {
        if (b.length < 4 || u8(b, 0) != 0xff || u8(b, 1) != 0xd8) {
            return 1;
        }
        int pos = 2;
        for (int segments = 0; segments < MAX_SEGMENTS && pos + 4 <= b.length; segments++) {
            if (u8(b, pos) != 0xff) {
                return 1;
            }
            int marker = u8(b, pos + 1);
            if (marker == 0xff) {
                pos++; // a fill byte (T.81 B.1.1.2)
                continue;
            }
            if (marker == 0xda || marker == 0xd9) {
                return 1; // start of scan or end of image: the metadata segments are all before
            }
            if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) {
                pos += 2; // standalone markers carry no length
                continue;
            }
            int length = u16(b, pos + 2, false);
            int end = pos + 2 + length;
            if (length < 2 || end > b.length) {
                return 1;
            }
            if (marker == 0xe1 && length >= 8 && b[pos + 4] == 'E' && b[pos + 5] == 'x' && b[pos + 6] == 'i' && b[pos + 7] == 'f'
                    && b[pos + 8] == 0 && b[pos + 9] == 0) {
                return tiff(b, pos + 10, end);
            }
            pos = end;
        }
        return 1;
    }

    /** The orientation in the TIFF block {@code [start, end)}, offsets relative to {@code start}. */
    private static int tiff(byte[] b, int start, int end) {
        int size = end - start;
        if (size < 8) {
            return 1;
        }
        boolean little;
        if (b[start] == 'I' && b[start + 1] == 'I') {
            little = true;
        } else if (b[start] == 'M' && b[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(b, start + 2, little) != 42) {
            return 1;
        }
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || ifd + 2 > size) {
            return 1;
        }
        int count = u16(b, start + (int) ifd, little);
        long entries = ifd + 2;
        if (entries + 12L * count > size) {
            return 1;
        }
        for (int i = 0; i < count; i++) {
            int entry = start + (int) (entries + 12L * i);
            if (u16(b, entry, little) == 0x0112) {
                // SHORT (type 3), count 1: the value sits in the first two bytes of the value field.
                if (u16(b, entry + 2, little) != 3 || u32(b, entry + 4, little) != 1) {
                    return 1;
                }
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /**
     * The image as it is meant to be seen. Orientation n says where the stored image's first row
     * and first column are to be shown (Exif 2.32 table of tag 0x0112): 2 mirrored, 3 upside down,
     * 4 flipped, 5 transposed, 6 to be turned 90 degrees clockwise, 7 transversed, 8 to be turned
     * 90 degrees counter-clockwise. Expects a TYPE_INT_RGB image; returns it as is for 1.
     */
    static BufferedImage apply(BufferedImage s, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return s;
        }
        int w = s.getWidth();
        int h = s.getHeight();
        boolean swap = orientation >= 5;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        int[] src = s.getRGB(0, 0, w, h, null, 0, w);
        int[] dst = new int[src.length];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                dst[y * dw + x] = src[sy * w + sx];
            }
        }
        BufferedImage d = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        d.setRGB(0, 0, dw, dh, dst, 0, dw);
        return d;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int u16(byte[] b, int i, boolean little) {
        if (i < 0 || i + 2 > b.length) {
            throw new IndexOutOfBoundsException(i);
        }
        return little ? u8(b, i) | u8(b, i + 1) << 8 : u8(b, i) << 8 | u8(b, i + 1);
    }

    private static long u32(byte[] b, int i, boolean little) {
        if (i < 0 || i + 4 > b.length) {
            throw new IndexOutOfBoundsException(i);
        }
        long v = little ? u8(b, i) | u8(b, i + 1) << 8 | u8(b, i + 2) << 16 | (long) u8(b, i + 3) << 24
                : (long) u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
        return v;
    }
}
