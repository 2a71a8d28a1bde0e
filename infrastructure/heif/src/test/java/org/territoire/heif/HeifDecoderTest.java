package org.territoire.heif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.heif.HeifFixtures.Box;
import org.territoire.heif.HeifFixtures.Heif;
import org.territoire.heif.HeifFixtures.Item;

/**
 * The HEIC decoder on real files (src/test/resources/README.md): a heif-enc gradient, an iPhone-like
 * cropped tile grid with thumbnail and EXIF, the gradient rotated and mirrored; then hostile ones.
 */
@Tag("unit")
class HeifDecoderTest {
    /** The photo-processing function's limit. */
    private static final long MAX_PIXELS = 50_000_000;
    /**
     * Lossy HEVC (quality 80, 4:2:0) and a YCbCr round trip: the gradient decodes within 6 of
     * (4x, 5y, 128), the flat tiles within 1 (the very pixels native libheif 1.15.1 gives).
     */
    private static final int TOLERANCE = 12;
    /** 50 ms to 250 ms each, as loaded as the 2 cores are: see the resources README. */
    private static final int MUTANTS = 100;

    private static final byte[] GRADIENT = resource("gradient-64x48.heic");
    private static final byte[] GRID = resource("grid-2x2-exif-gps.heic");
    private static final byte[] ROTATED = resource("rotated-irot90.heic");
    private static final byte[] MIRRORED = resource("mirrored-imir0.heic");

    @Test
    void gradient_decodesTo64x48_withRedAlongXAndGreenAlongY() throws Exception {
        BufferedImage image = HeifDecoder.decode(GRADIENT, MAX_PIXELS);

        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(48);
        assertEveryPixel(image, (x, y) -> rgb(4 * x, 5 * y, 128));
    }

    @Test
    void grid_decodesToItsCroppedOutputSize_withEachTileInItsQuadrant() throws Exception {
        BufferedImage image = HeifDecoder.decode(GRID, MAX_PIXELS);

        // Not the 512x512 of the tiles, nor the 256x192 thumbnail: the grid's output size.
        assertThat(image.getWidth()).isEqualTo(480);
        assertThat(image.getHeight()).isEqualTo(360);
        assertEveryPixel(image, (x, y) -> HeifFixtures.TILE_COLOURS[(y / 256) * 2 + x / 256]);
        assertClose(image, 255, 255, HeifFixtures.TILE_COLOURS[0]);
        assertClose(image, 256, 0, HeifFixtures.TILE_COLOURS[1]);
        assertClose(image, 0, 256, HeifFixtures.TILE_COLOURS[2]);
        assertClose(image, 479, 359, HeifFixtures.TILE_COLOURS[3]);
    }

    @Test
    void irot90_swapsTheSides_andTurnsThePatternAntiClockwise() throws Exception {
        BufferedImage image = HeifDecoder.decode(ROTATED, MAX_PIXELS);

        assertThat(image.getWidth()).isEqualTo(48);
        assertThat(image.getHeight()).isEqualTo(64);
        // Turned a quarter anti-clockwise: the source's top right corner (252, 0, 128) is now the top left,
        // its top left (0, 0, 128) the bottom left; output (u, v) is source (63 - v, u).
        assertClose(image, 0, 0, rgb(252, 0, 128));
        assertClose(image, 0, 63, rgb(0, 0, 128));
        assertClose(image, 47, 63, rgb(0, 235, 128));
        assertEveryPixel(image, (u, v) -> rgb(4 * (63 - v), 5 * u, 128));
    }

    @Test
    void imir0_exchangesTopAndBottom() throws Exception {
        BufferedImage image = HeifDecoder.decode(MIRRORED, MAX_PIXELS);

        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(48);
        assertClose(image, 0, 0, rgb(0, 235, 128));
        assertEveryPixel(image, (x, y) -> rgb(4 * x, 5 * (47 - y), 128));
    }

    @Test
    void decode_isDeterministic_eachFileInAFreshSandbox() throws Exception {
        BufferedImage first = HeifDecoder.decode(GRID, MAX_PIXELS);
        HeifDecoder.decode(GRADIENT, MAX_PIXELS);
        BufferedImage second = HeifDecoder.decode(GRID, MAX_PIXELS);

        assertThat(pixels(second)).isEqualTo(pixels(first));
    }

    @Test
    void isHeif_recognisesTheFixtures() {
        for (byte[] file : List.of(GRADIENT, GRID, ROTATED, MIRRORED, resource("heif-enc/tiles.heic"))) {
            assertThat(HeifDecoder.isHeif(file)).isTrue();
        }
    }

    @Test
    void isHeif_refusesJpegPngAndAvif() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 0x18, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42};
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

        assertThat(HeifDecoder.isHeif(jpeg)).isFalse();
        assertThat(HeifDecoder.isHeif(png)).isFalse();
        assertThat(HeifDecoder.isHeif(ftyp("avif", "mif1", "miaf", "MA1B"))).isFalse();
        assertThat(HeifDecoder.isHeif(ftyp("avif", "avif", "mif1", "miaf"))).isFalse();
        assertThat(HeifDecoder.isHeif(ftyp("mif1", "mif1", "avif"))).isFalse();
        assertThat(HeifDecoder.isHeif(ftyp("avis", "avis", "msf1"))).isFalse();
        assertThat(HeifDecoder.isHeif(ftyp("isom", "isom", "mp42"))).isFalse();
        assertThat(HeifDecoder.isHeif(Arrays.copyOf(GRID, 12))).isFalse();
        assertThat(HeifDecoder.isHeif(new byte[0])).isFalse();
    }

    @Test
    void isHeif_acceptsHevcBrandsAndTheGenericOneWithoutAv1() {
        assertThat(HeifDecoder.isHeif(ftyp("heix", "mif1", "heix"))).isTrue();
        assertThat(HeifDecoder.isHeif(ftyp("mif1", "mif1", "heic"))).isTrue();
        assertThat(HeifDecoder.isHeif(ftyp("mif1", "mif1", "miaf"))).isTrue();
    }

    @Test
    void maxPixels_refusesALargerImage_namingItsSize() {
        assertThatThrownBy(() -> HeifDecoder.decode(GRID, 480 * 360 - 1))
                .isInstanceOf(HeifDecoder.Refused.class)
                .hasMessageContaining("480 by 360 pixels");
        assertThatThrownBy(() -> HeifDecoder.decode(ROTATED, 3000))
                .isInstanceOf(HeifDecoder.Refused.class)
                .hasMessageContaining("48 by 64 pixels");
    }

    @Test
    void maxPixels_acceptsAnImageOfExactlyThatSize() throws Exception {
        assertThat(HeifDecoder.decode(GRID, 480 * 360).getWidth()).isEqualTo(480);
    }

    @Test
    void maxPixels_refusesBeforeDecoding_fromTheDeclaredSize() throws Exception {
        // Every coded byte overwritten: that file does not decode, yet is refused for its size alone.
        byte[] noPictures = GRID.clone();
        Box mdat = HeifFixtures.boxes(noPictures, 0, noPictures.length).getLast();
        assertThat(mdat.type()).isEqualTo("mdat");
        Arrays.fill(noPictures, mdat.payload(), mdat.end(), (byte) 0xA5);

        assertThatThrownBy(() -> HeifDecoder.decode(noPictures, MAX_PIXELS))
                .isInstanceOf(HeifDecoder.Refused.class)
                .hasMessage("the image could not be decoded");
        assertThatThrownBy(() -> HeifDecoder.decode(noPictures, 100_000))
                .isInstanceOf(HeifDecoder.Refused.class)
                .hasMessageContaining("480 by 360 pixels");
    }

    @Test
    void truncatedFiles_areRefused() {
        Box meta = HeifFixtures.boxes(GRID, 0, GRID.length).get(1);
        int[] lengths = {0, 7, 16, 35, 36, 100, meta.end() / 2, meta.end() - 1, meta.end(), meta.end() + 8,
            meta.end() + 200, GRID.length - 500, GRID.length - 1};
        for (int length : lengths) {
            byte[] cut = Arrays.copyOf(GRID, length);
            assertThatThrownBy(() -> HeifDecoder.decode(cut, MAX_PIXELS))
                    .as("the grid cut to %d of its %d bytes", length, GRID.length)
                    .isInstanceOf(HeifDecoder.Refused.class);
        }
    }

    @Test
    void garbageAfterAValidFtyp_isRefused() {
        Box ftyp = HeifFixtures.boxes(GRID, 0, GRID.length).getFirst();
        Random random = new Random(7);
        for (int size : new int[] {8, 64, 4096, 100_000}) {
            byte[] garbage = new byte[size];
            random.nextBytes(garbage);
            byte[] file = new byte[ftyp.end() + size];
            System.arraycopy(GRID, 0, file, 0, ftyp.end());
            System.arraycopy(garbage, 0, file, ftyp.end(), size);

            assertThat(HeifDecoder.isHeif(file)).isTrue();
            assertThatThrownBy(() -> HeifDecoder.decode(file, MAX_PIXELS))
                    .as("ftyp then %d random bytes", size)
                    .isInstanceOf(HeifDecoder.Refused.class);
        }
    }

    /**
     * Deterministic mutants of the grid (fixed seed): one to four bytes changed, every other mutant
     * in ftyp and meta (the box parser's input), the others anywhere (mostly the HEVC bitstreams).
     * Each decodes or is refused, never another exception.
     */
    @Test
    void mutatedGrids_decodeOrAreRefused_neverAnotherException() {
        int metaEnd = HeifFixtures.boxes(GRID, 0, GRID.length).get(1).end();
        Random random = new Random(20261202);
        int decoded = 0;
        List<String> refusals = new ArrayList<>();
        for (int n = 0; n < MUTANTS; n++) {
            byte[] mutant = GRID.clone();
            int changes = 1 + random.nextInt(4);
            StringBuilder what = new StringBuilder();
            for (int c = 0; c < changes; c++) {
                int at = random.nextInt(n % 2 == 0 ? metaEnd : mutant.length);
                mutant[at] = switch (random.nextInt(4)) {
                    case 0 -> (byte) (mutant[at] ^ (1 << random.nextInt(8)));
                    case 1 -> 0;
                    case 2 -> (byte) 0xFF;
                    default -> (byte) random.nextInt(256);
                };
                what.append(' ').append(at).append('=').append(mutant[at] & 0xff);
            }
            try {
                BufferedImage image = HeifDecoder.decode(mutant, MAX_PIXELS);
                assertThat((long) image.getWidth() * image.getHeight()).isPositive().isLessThanOrEqualTo(MAX_PIXELS);
                decoded++;
            } catch (HeifDecoder.Refused e) {
                refusals.add(e.getMessage());
            } catch (Throwable e) {
                fail("mutant " + n + " (" + what.toString().trim() + ") threw " + e, e);
            }
        }
        System.out.printf("%d mutants of the grid: %d decoded, %d refused%n", MUTANTS, decoded, refusals.size());
        assertThat(decoded + refusals.size()).isEqualTo(MUTANTS);
        assertThat(decoded).as("mutants decoded").isPositive();
        assertThat(refusals).as("mutants refused").isNotEmpty();
    }

    /** Well-formed boxes saying hostile things about the grid: each refused. */
    @Test
    void hostileGrids_areRefused() {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("output 65535x65535", withData(5, HeifFixtures.imageGrid(2, 2, 65535, 65535)));
        cases.put("output 0x0", withData(5, HeifFixtures.imageGrid(2, 2, 0, 0)));
        cases.put("3x3 grid of 4 tiles", withData(5, HeifFixtures.imageGrid(3, 3, 480, 360)));
        cases.put("1x1 grid of 4 tiles", withData(5, HeifFixtures.imageGrid(1, 1, 256, 256)));
        cases.put("256x256 grid of 4 tiles", withData(5, HeifFixtures.imageGrid(256, 256, 480, 360)));
        cases.put("ImageGrid of 2 bytes", withData(5, new byte[] {0, 0}));
        cases.put("a tile that is no item", withTiles(1, 2, 3, 9));
        cases.put("a tile that is the Exif", withTiles(1, 2, 3, 7));
        cases.put("no tiles", withTiles());
        // A grid that names itself as a tile: refused before any decoding (native/libheif-wasi.patch
        // checks every tile is a coded image), not decoded again and again until the stack is exhausted.
        cases.put("the grid as its own first tile", withTiles(5, 1, 2, 3));
        cases.put("the grid as its own last tile", withTiles(1, 2, 3, 5));
        cases.put("a tile with no data", withData(2, new byte[0]));
        cases.put("a tile of garbage", withData(2, new byte[] {0, 0, 0, 5, 1, 2, 3, 4, 5}));
        cases.put("a NAL unit longer than the file", withData(2, new byte[] {0x7f, -1, -1, -1, 1, 2, 3, 4, 5}));
        cases.put("a tile's length 2^32 - 1", patched((b, entry) -> b.putInt(entry + 12, -1)));
        cases.put("a tile's offset past the end", patched((b, entry) -> b.putInt(entry + 8, 0x7fffff00)));
        cases.put("65535 extents declared", patched((b, entry) -> b.putShort(entry + 6, (short) 65535)));
        cases.put("ImageGrid past idat's end", patched((b, entry) -> b.putInt(entry + 4 * 16 + 12, 100_000)));
        Box meta = HeifFixtures.boxes(GRID, 0, GRID.length).get(1);
        cases.put("meta larger than the file", patched((b, entry) -> b.putInt(meta.start(), 0x7fffffff)));
        cases.put("meta of 9 bytes", patched((b, entry) -> b.putInt(meta.start(), 9)));

        cases.forEach((name, file) -> assertThatThrownBy(() -> HeifDecoder.decode(file, MAX_PIXELS))
                .as(name)
                .isInstanceOf(HeifDecoder.Refused.class));
    }

    /**
     * A grid larger than its tiles (not allowed, but libheif decodes it): the uncovered pixels are
     * whatever the sandbox's fresh memory held, so they are the same each time, whatever was decoded before.
     */
    @Test
    void gridLargerThanItsTiles_decodesTheSameEachTime_nothingLeftFromAnotherFile() throws Exception {
        byte[] larger = withData(5, HeifFixtures.imageGrid(2, 2, 576, 576));

        BufferedImage first = HeifDecoder.decode(larger, MAX_PIXELS);
        HeifDecoder.decode(GRADIENT, MAX_PIXELS);
        BufferedImage second = HeifDecoder.decode(larger, MAX_PIXELS);

        assertThat(first.getWidth()).isEqualTo(576);
        assertThat(pixels(second)).isEqualTo(pixels(first));
        assertClose(first, 10, 10, HeifFixtures.TILE_COLOURS[0]);
    }

    /** The grid fixture with one item's data replaced (its iloc and boxes rewritten to match). */
    private static byte[] withData(int id, byte[] data) {
        Heif heif = Heif.read(GRID);
        Item old = heif.item(id);
        Item replaced = new Item(id, old.type, old.hidden, data, old.inIdat);
        replaced.props.addAll(old.props);
        heif.items.set(heif.items.indexOf(old), replaced);
        return heif.write();
    }

    /** The grid fixture with its dimg reference to these items. */
    private static byte[] withTiles(int... tiles) {
        Heif heif = Heif.read(GRID);
        heif.refs.replaceAll(r -> r.type().equals("dimg") ? new HeifFixtures.Ref("dimg", r.from(), tiles) : r);
        return heif.write();
    }

    interface Patch {
        void apply(ByteBuffer file, int firstIlocEntry);
    }

    /**
     * The grid fixture with bytes overwritten; {@code firstIlocEntry} is where its iloc's first item
     * starts (HeifFixtures writes 16 bytes an item: id, method, reference, extent count, offset, length).
     */
    private static byte[] patched(Patch patch) {
        byte[] file = GRID.clone();
        Box meta = HeifFixtures.boxes(file, 0, file.length).get(1);
        Box iloc = HeifFixtures.only(file, HeifFixtures.boxes(file, meta.payload() + 4, meta.end()), "iloc");
        patch.apply(ByteBuffer.wrap(file), iloc.payload() + 4 + 2 + 2);
        return file;
    }

    @Test
    void gridFixture_isShapedLikeAnIphonePhoto() {
        Heif heif = Heif.read(GRID);

        Item grid = heif.item(heif.primary);
        assertThat(grid.type).isEqualTo("grid");
        assertThat(grid.inIdat).isTrue();
        assertThat(grid.data).containsExactly(HeifFixtures.imageGrid(2, 2, 480, 360));
        int[] tiles = heif.refs("dimg", grid.id).getFirst().to();
        assertThat(tiles).hasSize(4);
        byte[] hvcC = property(heif.item(tiles[0]), "hvcC");
        for (int id : tiles) {
            Item tile = heif.item(id);
            assertThat(tile.type).isEqualTo("hvc1");
            assertThat(tile.hidden).isTrue();
            assertThat(property(tile, "hvcC")).isEqualTo(hvcC);
            assertThat(property(tile, "ispe")).isEqualTo(HeifFixtures.ispe(256, 256));
        }
        // One hvcC in ipco for the four tiles, one for the thumbnail.
        assertThat(occurrences(GRID, "hvcC")).isEqualTo(2);
        int thumbnail = heif.refs.stream().filter(r -> r.type().equals("thmb")).findFirst().orElseThrow().from();
        assertThat(property(heif.item(thumbnail), "ispe")).isEqualTo(HeifFixtures.ispe(256, 192));
    }

    /** The fixture does carry what a published photo must not: without it, a test of stripping proves nothing. */
    @Test
    void gridFixture_carriesGpsAndACameraSerialInItsExif() {
        Heif heif = Heif.read(GRID);
        var cdsc = heif.refs.stream().filter(r -> r.type().equals("cdsc")).findFirst().orElseThrow();
        assertThat(cdsc.to()).containsExactly(heif.primary);
        Item exif = heif.item(cdsc.from());
        assertThat(exif.type).isEqualTo("Exif");
        ByteBuffer tiff = ByteBuffer.wrap(exif.data, 4 + ByteBuffer.wrap(exif.data).getInt(), exif.data.length - 10).slice();
        assertThat(tiff.getInt(0)).isEqualTo(0x4D4D002A); // "MM", 42: big-endian TIFF

        int ifd0 = tiff.getInt(4);
        int gps = (int) value(tiff, ifd0, 0x8825)[0];
        int exifIfd = (int) value(tiff, ifd0, 0x8769)[0];
        assertThat(ascii(tiff, gps, 0x0001)).isEqualTo("N");
        assertThat(value(tiff, gps, 0x0002)).containsExactly(48, 1, 51, 1, 2376, 100);
        assertThat(ascii(tiff, gps, 0x0003)).isEqualTo("E");
        assertThat(value(tiff, gps, 0x0004)).containsExactly(2, 1, 21, 1, 792, 100);
        assertThat(ascii(tiff, exifIfd, 0xA431)).isEqualTo(HeifFixtures.SERIAL);
        assertThat(ascii(tiff, ifd0, 0x0110)).isEqualTo("iPhone 15 Pro");
    }

    // --- helpers

    interface Expected {
        int rgb(int x, int y);
    }

    private static void assertEveryPixel(BufferedImage image, Expected expected) {
        int worst = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int d = distance(image.getRGB(x, y), expected.rgb(x, y));
                if (d > TOLERANCE) {
                    fail("pixel (%d, %d) is %06x, expected about %06x", x, y, image.getRGB(x, y) & 0xffffff, expected.rgb(x, y));
                }
                worst = Math.max(worst, d);
            }
        }
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    private static void assertClose(BufferedImage image, int x, int y, int expected) {
        assertThat(distance(image.getRGB(x, y), expected))
                .as("pixel (%d, %d) is %06x, expected about %06x", x, y, image.getRGB(x, y) & 0xffffff, expected)
                .isLessThanOrEqualTo(TOLERANCE);
    }

    /** The largest difference of the three channels. */
    private static int distance(int a, int b) {
        int d = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            d = Math.max(d, Math.abs((a >> shift & 0xff) - (b >> shift & 0xff)));
        }
        return d;
    }

    private static int rgb(int r, int g, int b) {
        return r << 16 | g << 8 | b;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static byte[] ftyp(String major, String... compatible) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * compatible.length);
        b.putInt(b.capacity()).put("ftyp".getBytes(StandardCharsets.ISO_8859_1))
                .put(major.getBytes(StandardCharsets.ISO_8859_1)).putInt(0);
        for (String brand : compatible) {
            b.put(brand.getBytes(StandardCharsets.ISO_8859_1));
        }
        return b.array();
    }

    private static byte[] property(Item item, String type) {
        return item.props.stream().filter(p -> p.type().equals(type)).findFirst().orElseThrow().box();
    }

    private static int occurrences(byte[] file, String type) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int i = 0; i + t.length <= file.length; i++) {
            if (Arrays.equals(file, i, i + t.length, t, 0, t.length)) {
                count++;
            }
        }
        return count;
    }

    /** A TIFF entry's values (BYTE, SHORT, LONG, or RATIONAL as numerator, denominator pairs). */
    private static long[] value(ByteBuffer tiff, int ifd, int tag) {
        int at = entry(tiff, ifd, tag);
        int type = tiff.getShort(at + 2);
        int count = tiff.getInt(at + 4);
        int size = switch (type) {
            case 1, 2 -> 1;
            case 3 -> 2;
            case 4 -> 4;
            case 5 -> 8;
            default -> throw new AssertionError("type " + type);
        };
        int data = size * count <= 4 ? at + 8 : tiff.getInt(at + 8);
        long[] out = new long[type == 5 ? 2 * count : count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (type) {
                case 1, 2 -> tiff.get(data + i) & 0xff;
                case 3 -> tiff.getShort(data + 2 * i) & 0xffff;
                default -> tiff.getInt(data + 4 * i) & 0xffffffffL;
            };
        }
        return out;
    }

    private static String ascii(ByteBuffer tiff, int ifd, int tag) {
        long[] chars = value(tiff, ifd, tag);
        StringBuilder s = new StringBuilder();
        for (long c : chars) {
            if (c != 0) {
                s.append((char) c);
            }
        }
        return s.toString();
    }

    private static int entry(ByteBuffer tiff, int ifd, int tag) {
        int count = tiff.getShort(ifd) & 0xffff;
        for (int i = 0; i < count; i++) {
            int at = ifd + 2 + 12 * i;
            if ((tiff.getShort(at) & 0xffff) == tag) {
                return at;
            }
        }
        throw new AssertionError("no tag " + Integer.toHexString(tag) + " in the IFD at " + ifd);
    }

    /**
     * 22 KB that declare 48 megapixels of 10-bit 4:4:4 with alpha (made by the review with
     * {@code heif-enc -b 10 -p chroma=444} from a flat 16-bit PNG with alpha): within the pixel limit,
     * but decoding it needs some 700 MiB of the sandbox's memory. The sandbox stops at 512 MiB, so it
     * is refused, and the host's heap is never exhausted by it (the JVM's OutOfMemoryError it once
     * caused, a retry then a dead letter).
     */
    @Test
    void aFileNeedingMoreThanTheSandboxsMemory_isRefused() {
        byte[] bomb = resource("bomb-48mp-10bit-444-alpha.heic");
        assertThatThrownBy(() -> HeifDecoder.decode(bomb, MAX_PIXELS))
                .isInstanceOf(HeifDecoder.Refused.class)
                .hasMessageContaining("decode");
    }

    /** A decoding past its deadline is interrupted (Chicory's compiled code checks the thread's interrupt) and refused. */
    @Test
    void aDecodingPastItsDeadline_isRefused_andLeavesTheCallerUninterrupted() throws Exception {
        assertThatThrownBy(() -> HeifDecoder.decode(GRID, MAX_PIXELS, java.time.Duration.ofNanos(1)))
                .isInstanceOf(HeifDecoder.Refused.class)
                .hasMessage("the image took too long to decode");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(HeifDecoder.decode(GRID, MAX_PIXELS).getWidth()).as("the next decoding is not interrupted").isEqualTo(480);
    }

    private static byte[] resource(String name) {
        try (InputStream in = HeifDecoderTest.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
