package org.territoire.bookings.calendar;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes an iCalendar (RFC 5545) document: CRLF line ends, TEXT values escaped (§3.3.11),
 * lines folded at 75 octets without splitting a UTF-8 character (§3.1), times in UTC.
 */
public final class ICalendar {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * One VEVENT. {@code status} is CONFIRMED, TENTATIVE or CANCELLED. {@code sequence} grows
     * and {@code lastModified} moves with every change of the booking, so that calendar apps
     * replace their copy (RFC 5545 §3.8.7.4, and RFC 5546 §2.1.4 for how a client compares two
     * versions of one UID); {@code latitude}/{@code longitude} give GEO when both are known;
     * {@code url} leads back to the booking.
     */
    public record Event(String uid, Instant start, Instant end, String summary, String location, Double latitude,
                        Double longitude, String description, String status, int sequence, Instant created,
                        Instant lastModified, String url) {
    }

    private ICalendar() {
    }

    /** The feed as it stands at {@code generatedAt}: with METHOD set, DTSTAMP is when this instance of the calendar was made (§3.8.7.2). */
    public static String render(String name, Instant generatedAt, List<Event> events) {
        StringBuilder out = new StringBuilder();
        line(out, "BEGIN:VCALENDAR");
        line(out, "VERSION:2.0");
        line(out, "PRODID:-//Territoire//Bookings//FR");
        line(out, "CALSCALE:GREGORIAN");
        line(out, "METHOD:PUBLISH");
        line(out, "X-WR-CALNAME:" + text(name));
        for (Event e : events) {
            line(out, "BEGIN:VEVENT");
            line(out, "UID:" + e.uid());
            line(out, "DTSTAMP:" + UTC.format(generatedAt));
            line(out, "DTSTART:" + UTC.format(e.start()));
            line(out, "DTEND:" + UTC.format(e.end()));
            line(out, "CREATED:" + UTC.format(e.created()));
            line(out, "LAST-MODIFIED:" + UTC.format(e.lastModified()));
            line(out, "SEQUENCE:" + e.sequence());
            line(out, "SUMMARY:" + text(e.summary()));
            if (e.location() != null) {
                line(out, "LOCATION:" + text(e.location()));
            }
            if (e.latitude() != null && e.longitude() != null) {
                // GEO is "latitude;longitude" as FLOATs (§3.8.1.6), never in exponent form.
                line(out, "GEO:" + geo(e.latitude()) + ";" + geo(e.longitude()));
            }
            if (e.url() != null) {
                line(out, "URL:" + e.url());
            }
            if (e.description() != null) {
                line(out, "DESCRIPTION:" + text(e.description()));
            }
            line(out, "STATUS:" + e.status());
            line(out, "END:VEVENT");
        }
        line(out, "END:VCALENDAR");
        return out.toString();
    }

    private static String geo(double degrees) {
        return java.math.BigDecimal.valueOf(degrees).setScale(6, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    static String text(String value) {
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
                .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
    }

    /** Appends a content line, folded so that no physical line exceeds 75 octets. */
    static void line(StringBuilder out, String content) {
        int octets = 0;
        int limit = 75;
        for (int i = 0; i < content.length(); ) {
            int cp = content.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > limit) {
                out.append("\r\n ");
                octets = 1;
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
