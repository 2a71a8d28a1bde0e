package org.territoire.shared.observability;

/**
 * The few bits of JSON that log lines and EMF documents need, written by hand: the kernel's
 * Jackson mapper is not started for them (a log line at init or an EMF flush should not pay
 * for the request mapper, see docs/benchmarks.md), and neither needs more than strings,
 * numbers and booleans.
 */
final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {
    }

    /** {@code value} as a JSON string, quotes included (RFC 8259 section 7). */
    static StringBuilder string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Control characters, and the two line separators that some readers take for line ends.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        unicode(out, c);
                    } else if (Character.isSurrogate(c)) {
                        // Half of a pair alone is not UTF-8: escaped, so the line stays valid.
                        boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
                                && Character.isLowSurrogate(value.charAt(i + 1));
                        if (paired) {
                            out.append(c).append(value.charAt(++i));
                        } else {
                            unicode(out, c);
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
    }

    /** A finite number; whole values without a fraction. */
    static StringBuilder number(StringBuilder out, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON has no " + value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return out.append((long) value);
        }
        return out.append(value);
    }
}
