package org.territoire.feedback.photo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns an uploaded file into a clean image, or refuses it. The format is read from the file's
 * own first bytes (never its name nor its declared type), decoded by that format's reader
 * with metadata ignored, drawn onto a new sRGB raster, and written as a new JPEG with no
 * metadata at all: no EXIF (GPS position, camera serial, time), no XMP, no IPTC, no ICC
 * profile (the pixels are taken as sRGB, the web's default; an embedded profile, such as an
 * iPhone's Display P3, is not applied: docs/decisions.md). Nothing of the uploaded
 * file but its pixels reaches the output, so there is no list of tags to strip and forget.
 * Readers: the JDK's for JPEG and PNG, TwelveMonkeys' for WebP (it registers through ImageIO's
 * service loader), and for HEIC libheif in a WebAssembly sandbox ({@link HeicReader}), which hands
 * over the primary image's pixels only.
 */
public final class ImageCleaner {
    /** The largest image decoded, in pixels (a decompression bomb is refused before it is decoded). */
    static final long MAX_PIXELS = 50_000_000L;
    /** The longest side of a published photo, and of its thumbnail. */
    static final int MAX_SIDE = 2048;
    static final int THUMBNAIL_SIDE = 320;
    private static final float QUALITY = 0.85f;

    static {
        // Lambda's file system is read-only outside /tmp; decode in memory (files are at most 10 MB).
        ImageIO.setUseCache(false);
    }

    /** A cleaned photo and its thumbnail, both JPEG. */
    public record Cleaned(byte[] photo, byte[] thumbnail, int width, int height) {
    }

    /** Why a file was refused, in words for its author. */
    public static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private ImageCleaner() {
    }

    /** The format the bytes are, by their signature: jpeg, png, webp or heic (an HEVC-coded HEIF). */
    static Optional<String> sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return Optional.of("jpeg");
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 0x0d && b[5] == 0x0a
                && b[6] == 0x1a && b[7] == 0x0a) {
            return Optional.of("png");
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return Optional.of("webp");
        }
        if (HeicReader.isHeic(b)) {
            return Optional.of("heic");
        }
        return Optional.empty();
    }

    /** Whether a sniffed format may be announced as this MIME type (a HEIC as image/heic or image/heif). */
    static boolean announcedAs(String format, String declaredType) {
        return format.equals("heic") ? declaredType.equals("image/heic") || declaredType.equals("image/heif")
                : declaredType.equals("image/" + format);
    }

    public static Cleaned clean(byte[] bytes, String declaredType) throws Refused {
        String format = sniff(bytes).orElseThrow(() -> new Refused("the file is not a JPEG, PNG, WebP or HEIC image"));
        if (!announcedAs(format, declaredType)) {
            throw new Refused("the file is a " + format.toUpperCase(java.util.Locale.ROOT) + " image, not the " + declaredType
                    + " announced");
        }
        BufferedImage decoded = decode(bytes, format);
        // Scaled first (4 megapixels at most to turn), then turned as the camera's EXIF says,
        // since the JPEG written has no metadata to say it (ExifOrientation). A HEIC's rotation is its
        // irot and imir properties, which the decoder applies (HEIF ignores EXIF's orientation).
        int orientation = format.equals("jpeg") ? ExifOrientation.of(bytes) : 1;
        BufferedImage photo = ExifOrientation.apply(onSrgb(decoded, MAX_SIDE), orientation);
        BufferedImage thumbnail = onSrgb(photo, THUMBNAIL_SIDE);
        return new Cleaned(jpeg(photo), jpeg(thumbnail), photo.getWidth(), photo.getHeight());
    }

    private static BufferedImage decode(byte[] bytes, String format) throws Refused {
        if (format.equals("heic")) {
            return HeicReader.decode(bytes, MAX_PIXELS);
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format + " on the class path");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            // ignoreMetadata: the reader does not even parse EXIF, XMP or ICC beyond what decoding needs.
            reader.setInput(in, true, true);
            long width = reader.getWidth(0);
            long height = reader.getHeight(0);
            if (width < 1 || height < 1 || width * height > MAX_PIXELS) {
                throw new Refused("the image is " + width + " by " + height + " pixels; at most " + MAX_PIXELS / 1_000_000
                        + " megapixels are accepted");
            }
            BufferedImage image = reader.read(0);
            if (image == null) {
                throw new Refused("the image could not be decoded");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            // A truncated, corrupt or unsupported file (CMYK JPEG, animated WebP...): refused, never published as is.
            throw new Refused("the image could not be decoded");
        } finally {
            reader.dispose();
        }
    }

    /** The image scaled to fit {@code side}, drawn on a new opaque sRGB raster (white under any transparency). */
    private static BufferedImage onSrgb(BufferedImage source, int side) {
        double scale = Math.min(1.0, (double) side / Math.max(source.getWidth(), source.getHeight()));
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.drawImage(source, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** A baseline JPEG with no metadata: the JDK writer then writes a bare JFIF header and the pixels. */
    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The published image with the rectangle filled black (a face, a number plate), re-encoded. */
    static Cleaned redact(byte[] publishedJpeg, int x, int y, int width, int height) throws Refused {
        BufferedImage image = onSrgb(decode(publishedJpeg, "jpeg"), MAX_SIDE);
        if ((long) x + width > image.getWidth() || (long) y + height > image.getHeight()) {
            throw new Refused("the rectangle must lie within the photo's " + image.getWidth() + " by " + image.getHeight() + " pixels");
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.BLACK);
            g.fillRect(x, y, width, height);
        } finally {
            g.dispose();
        }
        return new Cleaned(jpeg(image), jpeg(onSrgb(image, THUMBNAIL_SIDE)), image.getWidth(), image.getHeight());
    }
}
