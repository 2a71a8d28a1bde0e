package org.territoire.heif;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Makes the HEIC fixtures of {@link HeifDecoderTest} shaped like an iPhone's photos, from HEVC images
 * that Debian's {@code heif-enc} coded (it cannot write tile grids, rotations nor EXIF itself), and
 * reads HEIF files back for the tests. See {@code src/test/resources/README.md} for the commands.
 *
 * <p>Usage, from the module's folder after {@code mvn test-compile}:
 * <pre>
 * java -cp target/test-classes org.territoire.heif.HeifFixtures pngs DIR
 *     heif-enc's inputs: tile-1.png to tile-4.png, thumbnail.png
 * java -cp target/test-classes org.territoire.heif.HeifFixtures heics src/test/resources
 *     the fixtures, from heif-enc/tiles.heic, heif-enc/thumbnail.heic and gradient-64x48.heic there
 * </pre>
 *
 * <p>A small ISO BMFF (ISO/IEC 14496-12) reader and writer of the HEIF boxes (ISO/IEC 23008-12) these
 * files need: {@code ftyp}, {@code meta} with {@code hdlr}, {@code pitm}, {@code iloc} (version 1),
 * {@code iinf}/{@code infe} (version 2), {@code iref}, {@code iprp}/{@code ipco}/{@code ipma} and
 * {@code idat}, then one {@code mdat} after {@code meta}.
 */
public final class HeifFixtures {
    /** The grid's tiles, row by row: top left, top right, bottom left, bottom right (RGB). */
    static final int[] TILE_COLOURS = {0xDC2828, 0x28B43C, 0x283CC8, 0xE6C828};
    static final int TILE = 256;
    static final int GRID_WIDTH = 480;
    static final int GRID_HEIGHT = 360;
    static final int THUMB_WIDTH = 256;
    static final int THUMB_HEIGHT = 192;
    /** Where the grid photo claims it was taken (Paris, Hôtel de Ville), in degrees, minutes, seconds. */
    static final double LATITUDE = 48.8566;
    static final double LONGITUDE = 2.3522;
    static final String SERIAL = "F2LXK7Q9M4DP";

    private HeifFixtures() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: HeifFixtures pngs|heics DIR");
        }
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        switch (args[0]) {
            case "pngs" -> writePngs(dir);
            case "heics" -> writeHeics(dir);
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        }
    }

    /** The grid's four flat tiles, and its thumbnail: the cropped mosaic scaled to 256x192. */
    static void writePngs(Path dir) throws IOException {
        for (int i = 0; i < 4; i++) {
            BufferedImage tile = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < TILE; y++) {
                for (int x = 0; x < TILE; x++) {
                    tile.setRGB(x, y, TILE_COLOURS[i]);
                }
            }
            ImageIO.write(tile, "png", dir.resolve("tile-" + (i + 1) + ".png").toFile());
        }
        BufferedImage thumb = new BufferedImage(THUMB_WIDTH, THUMB_HEIGHT, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < THUMB_HEIGHT; y++) {
            for (int x = 0; x < THUMB_WIDTH; x++) {
                int gx = x * GRID_WIDTH / THUMB_WIDTH;
                int gy = y * GRID_HEIGHT / THUMB_HEIGHT;
                thumb.setRGB(x, y, TILE_COLOURS[(gy / TILE) * 2 + gx / TILE]);
            }
        }
        ImageIO.write(thumb, "png", dir.resolve("thumbnail.png").toFile());
    }

    static void writeHeics(Path dir) throws IOException {
        Heif tiles = Heif.read(Files.readAllBytes(dir.resolve("heif-enc/tiles.heic")));
        Heif thumbnail = Heif.read(Files.readAllBytes(dir.resolve("heif-enc/thumbnail.heic")));
        Files.write(dir.resolve("grid-2x2-exif-gps.heic"), grid(tiles, thumbnail).write());
        Heif gradient = Heif.read(Files.readAllBytes(dir.resolve("gradient-64x48.heic")));
        Files.write(dir.resolve("rotated-irot90.heic"), withTransform(gradient, box("irot", new byte[] {1})).write());
        // imir version 0: one byte, axis in its low bit; 0 = the top and bottom are exchanged.
        Files.write(dir.resolve("mirrored-imir0.heic"), withTransform(gradient, box("imir", new byte[] {0})).write());
    }

    /**
     * As an iPhone writes a photo: a primary {@code grid} item (its ImageGrid in {@code idat}) over
     * hidden {@code hvc1} tiles, cropped to less than the tiles' sum; a thumbnail; an {@code Exif} item.
     */
    static Heif grid(Heif tiles, Heif thumbnail) {
        List<Item> coded = tiles.items.stream().filter(i -> i.type.equals("hvc1")).toList();
        if (coded.size() != 4) {
            throw new IllegalStateException("tiles.heic has " + coded.size() + " hvc1 items, not 4");
        }
        Heif out = new Heif();
        out.brands = List.of("mif1", "MiHE", "miaf", "MiHB", "heic");
        Prop pixi = null;
        Prop colr = new Prop(nclx(), false);
        for (int i = 0; i < 4; i++) {
            Item source = coded.get(i);
            Item tile = new Item(i + 1, "hvc1", true, source.data, false);
            tile.props.addAll(source.props);
            tile.props.add(colr);
            out.items.add(tile);
            for (Prop p : source.props) {
                if (p.type().equals("pixi")) {
                    pixi = p;
                }
            }
        }
        Item grid = new Item(5, "grid", false, imageGrid(2, 2, GRID_WIDTH, GRID_HEIGHT), true);
        grid.props.add(new Prop(ispe(GRID_WIDTH, GRID_HEIGHT), false));
        grid.props.add(colr);
        if (pixi != null) {
            grid.props.add(pixi);
        }
        out.items.add(grid);
        out.primary = 5;
        out.refs.add(new Ref("dimg", 5, new int[] {1, 2, 3, 4}));

        Item thumb = thumbnail.items.stream().filter(i -> i.id == thumbnail.primary).findFirst().orElseThrow();
        if (!thumb.type.equals("hvc1")) {
            throw new IllegalStateException("thumbnail.heic's primary item is a " + thumb.type);
        }
        Item t = new Item(6, "hvc1", false, thumb.data, false);
        t.props.addAll(thumb.props);
        t.props.add(colr);
        out.items.add(t);
        out.refs.add(new Ref("thmb", 6, new int[] {5}));

        // Exif items start with the offset of the TIFF header after this field (ISO/IEC 23008-12 A.2.1).
        byte[] tiff = exif();
        ByteBuffer exif = ByteBuffer.allocate(4 + 6 + tiff.length);
        exif.putInt(6).put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)).put(tiff);
        out.items.add(new Item(7, "Exif", false, exif.array(), false));
        out.refs.add(new Ref("cdsc", 7, new int[] {5}));
        return out;
    }

    /** The file with one more transformative property, essential, on its primary item. */
    static Heif withTransform(Heif source, byte[] property) {
        Heif out = source.copy();
        out.items.stream().filter(i -> i.id == out.primary).findFirst().orElseThrow()
                .props.add(new Prop(property, true));
        return out;
    }

    static byte[] imageGrid(int rows, int columns, int width, int height) {
        // version 0, flags 0 (16-bit output sizes), rows - 1, columns - 1, output width, height.
        return ByteBuffer.allocate(8).put((byte) 0).put((byte) 0).put((byte) (rows - 1)).put((byte) (columns - 1))
                .putShort((short) width).putShort((short) height).array();
    }

    /**
     * What heif-enc 1.15 says it codes (its defaults: BT.709 primaries, sRGB transfer, BT.601 matrix,
     * full range) but does not write: later libheif versions and iPhones describe every image's colour.
     */
    static byte[] nclx() {
        return box("colr", "nclx".getBytes(StandardCharsets.ISO_8859_1), u16(1), u16(13), u16(6), new byte[] {(byte) 0x80});
    }

    static byte[] ispe(int width, int height) {
        return fullBox("ispe", 0, 0, ByteBuffer.allocate(8).putInt(width).putInt(height).array());
    }

    // --- EXIF: a big-endian TIFF block as an iPhone writes, with the metadata a published photo must not carry.

    /** IFD0 (camera, pointers), the Exif IFD (with BodySerialNumber, 0xA431) and the GPS IFD. */
    static byte[] exif() {
        List<Tag> exifIfd = List.of(
                ascii(0x9003, "2026:11:28 14:03:27"),
                new Tag(0xA002, 4, 1, u32(GRID_WIDTH)),
                new Tag(0xA003, 4, 1, u32(GRID_HEIGHT)),
                ascii(0xA431, SERIAL),
                ascii(0xA433, "Apple"));
        List<Tag> gps = List.of(
                new Tag(0x0000, 1, 4, new byte[] {2, 2, 0, 0}),
                ascii(0x0001, "N"),
                new Tag(0x0002, 5, 3, degreesMinutesSeconds(LATITUDE)),
                ascii(0x0003, "E"),
                new Tag(0x0004, 5, 3, degreesMinutesSeconds(LONGITUDE)),
                new Tag(0x0005, 1, 1, new byte[] {0}),
                new Tag(0x0006, 5, 1, rationals(35, 1)));
        int exifAt = 0;
        int gpsAt = 0;
        for (int pass = 0; pass < 2; pass++) {
            List<Tag> ifd0 = List.of(
                    ascii(0x010F, "Apple"),
                    ascii(0x0110, "iPhone 15 Pro"),
                    new Tag(0x0112, 3, 1, new byte[] {0, 1}),
                    ascii(0x0131, "18.1"),
                    ascii(0x0132, "2026:11:28 14:03:27"),
                    new Tag(0x8769, 4, 1, u32(exifAt)),
                    new Tag(0x8825, 4, 1, u32(gpsAt)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
            out.writeBytes(ifd(8, ifd0));
            exifAt = out.size();
            out.writeBytes(ifd(exifAt, exifIfd));
            gpsAt = out.size();
            out.writeBytes(ifd(gpsAt, gps));
            if (pass == 1) {
                return out.toByteArray();
            }
        }
        throw new AssertionError();
    }

    record Tag(int tag, int type, int count, byte[] value) {
    }

    static Tag ascii(int tag, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.US_ASCII);
        return new Tag(tag, 2, b.length, b);
    }

    /** One IFD at {@code at} in the TIFF block, its longer values right after it, no next IFD. */
    static byte[] ifd(int at, List<Tag> tags) {
        int valuesAt = at + 2 + 12 * tags.size() + 4;
        ByteArrayOutputStream values = new ByteArrayOutputStream();
        ByteBuffer entries = ByteBuffer.allocate(2 + 12 * tags.size() + 4);
        entries.putShort((short) tags.size());
        for (Tag t : tags) {
            entries.putShort((short) t.tag).putShort((short) t.type).putInt(t.count);
            if (t.value.length <= 4) {
                entries.put(Arrays.copyOf(t.value, 4));
            } else {
                entries.putInt(valuesAt + values.size());
                values.writeBytes(t.value);
                if (values.size() % 2 == 1) {
                    values.write(0);
                }
            }
        }
        entries.putInt(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(entries.array());
        out.writeBytes(values.toByteArray());
        return out.toByteArray();
    }

    static byte[] degreesMinutesSeconds(double degrees) {
        long hundredthsOfSecond = Math.round(degrees * 3600 * 100);
        return rationals(hundredthsOfSecond / 360000, 1, hundredthsOfSecond / 6000 % 60, 1, hundredthsOfSecond % 6000, 100);
    }

    static byte[] rationals(long... parts) {
        ByteBuffer b = ByteBuffer.allocate(4 * parts.length);
        for (long p : parts) {
            b.putInt((int) p);
        }
        return b.array();
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    // --- ISO BMFF boxes.

    static byte[] box(String type, byte[]... parts) {
        int size = 8;
        for (byte[] p : parts) {
            size += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(size).put(type.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] fullBox(String type, int version, int flags, byte[]... parts) {
        byte[][] all = new byte[parts.length + 1][];
        all[0] = u32(version << 24 | flags);
        System.arraycopy(parts, 0, all, 1, parts.length);
        return box(type, all);
    }

    /** A box in a file: its type and where its payload (after the size and type) lies. */
    record Box(String type, int start, int payload, int end) {
    }

    /** The boxes one after another in {@code b[from, to)}; refuses a size that leaves them. */
    static List<Box> boxes(byte[] b, int from, int to) {
        List<Box> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(b);
        int at = from;
        while (at + 8 <= to) {
            long size = in.getInt(at) & 0xffffffffL;
            String type = new String(b, at + 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = in.getLong(at + 8);
                header = 16;
            } else if (size == 0) {
                size = to - at;
            }
            if (size < header || at + size > to) {
                throw new IllegalArgumentException("box " + type + " at " + at + " has size " + size);
            }
            out.add(new Box(type, at, at + header, (int) (at + size)));
            at += (int) size;
        }
        return out;
    }

    static Box only(byte[] b, List<Box> boxes, String type) {
        List<Box> found = boxes.stream().filter(x -> x.type.equals(type)).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException(found.size() + " " + type + " boxes");
        }
        return found.get(0);
    }

    /** An item property, as its whole box, and whether the item's {@code ipma} marks it essential. */
    record Prop(byte[] box, boolean essential) {
        String type() {
            return new String(box, 4, 4, StandardCharsets.ISO_8859_1);
        }
    }

    record Ref(String type, int from, int[] to) {
    }

    static final class Item {
        final int id;
        final String type;
        final boolean hidden;
        final byte[] data;
        final boolean inIdat;
        final List<Prop> props = new ArrayList<>();

        Item(int id, String type, boolean hidden, byte[] data, boolean inIdat) {
            this.id = id;
            this.type = type;
            this.hidden = hidden;
            this.data = data;
            this.inIdat = inIdat;
        }
    }

    /** A HEIF file's items, as far as these fixtures need: read from bytes, written to bytes. */
    static final class Heif {
        String major = "heic";
        List<String> brands = List.of("mif1", "heic", "miaf");
        int primary;
        final List<Item> items = new ArrayList<>();
        final List<Ref> refs = new ArrayList<>();

        Heif copy() {
            Heif c = new Heif();
            c.major = major;
            c.brands = brands;
            c.primary = primary;
            for (Item i : items) {
                Item n = new Item(i.id, i.type, i.hidden, i.data, i.inIdat);
                n.props.addAll(i.props);
                c.items.add(n);
            }
            c.refs.addAll(refs);
            return c;
        }

        Item item(int id) {
            return items.stream().filter(i -> i.id == id).findFirst().orElseThrow();
        }

        List<Ref> refs(String type, int from) {
            return refs.stream().filter(r -> r.type.equals(type) && r.from == from).toList();
        }

        static Heif read(byte[] b) {
            ByteBuffer in = ByteBuffer.wrap(b);
            List<Box> top = boxes(b, 0, b.length);
            Heif h = new Heif();
            Box ftyp = only(b, top, "ftyp");
            h.major = new String(b, ftyp.payload, 4, StandardCharsets.ISO_8859_1);
            List<String> brands = new ArrayList<>();
            for (int at = ftyp.payload + 8; at + 4 <= ftyp.end; at += 4) {
                brands.add(new String(b, at, 4, StandardCharsets.ISO_8859_1));
            }
            h.brands = brands;
            Box meta = only(b, top, "meta");
            List<Box> inMeta = boxes(b, meta.payload + 4, meta.end);
            h.primary = in.getShort(only(b, inMeta, "pitm").payload + 4) & 0xffff;

            Box iinf = only(b, inMeta, "iinf");
            int countSize = b[iinf.payload] == 0 ? 2 : 4;
            Map<Integer, String> types = new LinkedHashMap<>();
            Map<Integer, Boolean> hidden = new LinkedHashMap<>();
            for (Box infe : boxes(b, iinf.payload + 4 + countSize, iinf.end)) {
                int version = b[infe.payload];
                if (version != 2) {
                    throw new IllegalArgumentException("infe version " + version);
                }
                int id = in.getShort(infe.payload + 4) & 0xffff;
                types.put(id, new String(b, infe.payload + 8, 4, StandardCharsets.ISO_8859_1));
                hidden.put(id, (b[infe.payload + 3] & 1) != 0);
            }

            List<Box> idats = inMeta.stream().filter(x -> x.type.equals("idat")).toList();
            Map<Integer, byte[]> data = new LinkedHashMap<>();
            Map<Integer, Boolean> inIdat = new LinkedHashMap<>();
            Box iloc = only(b, inMeta, "iloc");
            int version = b[iloc.payload];
            int at = iloc.payload + 4;
            int offsetSize = (b[at] & 0xff) >> 4;
            int lengthSize = b[at] & 0x0f;
            int baseSize = (b[at + 1] & 0xff) >> 4;
            int indexSize = version >= 1 ? b[at + 1] & 0x0f : 0;
            at += 2;
            long count = version < 2 ? in.getShort(at) & 0xffff : in.getInt(at) & 0xffffffffL;
            at += version < 2 ? 2 : 4;
            for (long n = 0; n < count; n++) {
                int id = (int) (version < 2 ? in.getShort(at) & 0xffff : in.getInt(at));
                at += version < 2 ? 2 : 4;
                int method = 0;
                if (version >= 1) {
                    method = in.getShort(at) & 0x0f;
                    at += 2;
                }
                at += 2; // data_reference_index: 0, this file
                long base = uint(b, at, baseSize);
                at += baseSize;
                int extents = in.getShort(at) & 0xffff;
                at += 2;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (int e = 0; e < extents; e++) {
                    at += indexSize;
                    long offset = base + uint(b, at, offsetSize);
                    at += offsetSize;
                    long length = uint(b, at, lengthSize);
                    at += lengthSize;
                    int from = method == 1 ? idats.get(0).payload + (int) offset : (int) offset;
                    if (method > 1 || from + length > b.length) {
                        throw new IllegalArgumentException("item " + id + "'s extent " + offset + "+" + length);
                    }
                    bytes.write(b, from, (int) length);
                }
                data.put(id, bytes.toByteArray());
                inIdat.put(id, method == 1);
            }
            for (Map.Entry<Integer, String> t : types.entrySet()) {
                int id = t.getKey();
                h.items.add(new Item(id, t.getValue(), hidden.get(id), data.getOrDefault(id, new byte[0]),
                        inIdat.getOrDefault(id, false)));
            }

            Box iprp = only(b, inMeta, "iprp");
            List<Box> inIprp = boxes(b, iprp.payload, iprp.end);
            List<byte[]> properties = new ArrayList<>();
            Box ipco = only(b, inIprp, "ipco");
            for (Box p : boxes(b, ipco.payload, ipco.end)) {
                properties.add(Arrays.copyOfRange(b, p.start, p.end));
            }
            Box ipma = only(b, inIprp, "ipma");
            int ipmaVersion = b[ipma.payload];
            boolean wide = (b[ipma.payload + 3] & 1) != 0;
            at = ipma.payload + 4;
            long entries = in.getInt(at) & 0xffffffffL;
            at += 4;
            for (long n = 0; n < entries; n++) {
                int id = ipmaVersion < 1 ? in.getShort(at) & 0xffff : in.getInt(at);
                at += ipmaVersion < 1 ? 2 : 4;
                int associations = b[at++] & 0xff;
                Item item = h.item(id);
                for (int a = 0; a < associations; a++) {
                    int value = wide ? in.getShort(at) & 0xffff : b[at] & 0xff;
                    at += wide ? 2 : 1;
                    boolean essential = (value & (wide ? 0x8000 : 0x80)) != 0;
                    int index = value & (wide ? 0x7fff : 0x7f);
                    if (index > 0) {
                        item.props.add(new Prop(properties.get(index - 1), essential));
                    }
                }
            }

            List<Box> irefs = inMeta.stream().filter(x -> x.type.equals("iref")).toList();
            for (Box iref : irefs) {
                boolean large = b[iref.payload] != 0;
                for (Box r : boxes(b, iref.payload + 4, iref.end)) {
                    int p = r.payload;
                    int from = large ? in.getInt(p) : in.getShort(p) & 0xffff;
                    p += large ? 4 : 2;
                    int[] to = new int[in.getShort(p) & 0xffff];
                    p += 2;
                    for (int i = 0; i < to.length; i++) {
                        to[i] = large ? in.getInt(p) : in.getShort(p) & 0xffff;
                        p += large ? 4 : 2;
                    }
                    h.refs.add(new Ref(r.type, from, to));
                }
            }
            return h;
        }

        /** ftyp, meta (hdlr, pitm, iloc, iinf, iref, iprp, idat), then mdat: the iloc offsets point into it. */
        byte[] write() {
            ByteArrayOutputStream brandBytes = new ByteArrayOutputStream();
            brandBytes.writeBytes(major.getBytes(StandardCharsets.ISO_8859_1));
            brandBytes.writeBytes(u32(0));
            for (String brand : brands) {
                brandBytes.writeBytes(brand.getBytes(StandardCharsets.ISO_8859_1));
            }
            byte[] ftyp = box("ftyp", brandBytes.toByteArray());

            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            ByteArrayOutputStream mdat = new ByteArrayOutputStream();
            Map<Integer, Integer> offsets = new LinkedHashMap<>();
            for (Item i : items) {
                ByteArrayOutputStream into = i.inIdat ? idat : mdat;
                offsets.put(i.id, into.size());
                into.writeBytes(i.data);
            }
            // The iloc's size does not depend on the offsets: lay meta out once, then with mdat's place.
            byte[] meta = meta(offsets, 0, idat.toByteArray());
            int mdatData = ftyp.length + meta.length + 8;
            meta = meta(offsets, mdatData, idat.toByteArray());
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.writeBytes(ftyp);
            file.writeBytes(meta);
            file.writeBytes(box("mdat", mdat.toByteArray()));
            return file.toByteArray();
        }

        private byte[] meta(Map<Integer, Integer> offsets, int mdatData, byte[] idat) {
            byte[] hdlr = fullBox("hdlr", 0, 0, u32(0), "pict".getBytes(StandardCharsets.ISO_8859_1), new byte[12], new byte[1]);
            byte[] pitm = fullBox("pitm", 0, 0, u16(primary));

            // version 1: offset_size 4, length_size 4, base_offset_size 0, index_size 0.
            ByteArrayOutputStream loc = new ByteArrayOutputStream();
            loc.writeBytes(new byte[] {0x44, 0x00});
            loc.writeBytes(u16(items.size()));
            for (Item i : items) {
                loc.writeBytes(u16(i.id));
                loc.writeBytes(u16(i.inIdat ? 1 : 0));
                loc.writeBytes(u16(0));
                loc.writeBytes(u16(1));
                loc.writeBytes(u32(offsets.get(i.id) + (i.inIdat ? 0 : mdatData)));
                loc.writeBytes(u32(i.data.length));
            }
            byte[] iloc = fullBox("iloc", 1, 0, loc.toByteArray());

            ByteArrayOutputStream infos = new ByteArrayOutputStream();
            infos.writeBytes(u16(items.size()));
            for (Item i : items) {
                infos.writeBytes(fullBox("infe", 2, i.hidden ? 1 : 0, u16(i.id), u16(0),
                        i.type.getBytes(StandardCharsets.ISO_8859_1), new byte[1]));
            }
            byte[] iinf = fullBox("iinf", 0, 0, infos.toByteArray());

            ByteArrayOutputStream references = new ByteArrayOutputStream();
            for (Ref r : refs) {
                ByteArrayOutputStream to = new ByteArrayOutputStream();
                to.writeBytes(u16(r.from));
                to.writeBytes(u16(r.to.length));
                for (int id : r.to) {
                    to.writeBytes(u16(id));
                }
                references.writeBytes(box(r.type, to.toByteArray()));
            }
            byte[] iref = fullBox("iref", 0, 0, references.toByteArray());

            // Equal properties are stored once and shared, as the tiles' hvcC and ispe.
            List<byte[]> properties = new ArrayList<>();
            ByteArrayOutputStream associations = new ByteArrayOutputStream();
            List<Item> sorted = items.stream().filter(i -> !i.props.isEmpty())
                    .sorted((a, c) -> Integer.compare(a.id, c.id)).toList();
            associations.writeBytes(u32(sorted.size()));
            for (Item i : sorted) {
                associations.writeBytes(u16(i.id));
                associations.write(i.props.size());
                for (Prop p : i.props) {
                    int index = -1;
                    for (int k = 0; k < properties.size(); k++) {
                        if (Arrays.equals(properties.get(k), p.box)) {
                            index = k;
                        }
                    }
                    if (index < 0) {
                        properties.add(p.box);
                        index = properties.size() - 1;
                    }
                    associations.write((p.essential ? 0x80 : 0) | (index + 1));
                }
            }
            byte[] ipco = box("ipco", properties.toArray(byte[][]::new));
            byte[] ipma = fullBox("ipma", 0, 0, associations.toByteArray());
            byte[] iprp = box("iprp", ipco, ipma);

            List<byte[]> parts = new ArrayList<>(List.of(hdlr, pitm, iloc, iinf));
            if (!refs.isEmpty()) {
                parts.add(iref);
            }
            parts.add(iprp);
            if (idat.length > 0) {
                parts.add(box("idat", idat));
            }
            return fullBox("meta", 0, 0, parts.toArray(byte[][]::new));
        }
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >> 8), (byte) v};
    }

    static long uint(byte[] b, int at, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
