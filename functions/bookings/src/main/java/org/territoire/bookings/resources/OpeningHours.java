package org.territoire.bookings.resources;

import java.time.DayOfWeek;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Weekly opening hours in the territory's local time: for each day, periods such as
 * {@code 08:00-12:00}. A period may end at {@code 24:00}; a booking runs through midnight
 * only if one day's period ends at 24:00 and the next day's starts at 00:00.
 */
public record OpeningHours(Map<DayOfWeek, List<Period>> days) {
    public static final int DAY = 24 * 60;

    /** Minutes after local midnight, {@code [from, to)}; {@code to} may be 1440 (24:00). */
    public record Period(int from, int to) {
        public Period {
            if (from < 0 || to > DAY || from >= to) {
                throw new IllegalArgumentException("a period runs from 00:00 to 24:00, and ends after it starts");
            }
        }

        /** Parses {@code "08:00-12:30"}. */
        public static Period parse(String text) {
            String[] parts = text.strip().split("-");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a period is written HH:MM-HH:MM");
            }
            return new Period(minutes(parts[0]), minutes(parts[1]));
        }

        private static int minutes(String hhmm) {
            String[] p = hhmm.strip().split(":");
            if (p.length != 2 || !p[0].matches("\\d{2}") || !p[1].matches("\\d{2}")) {
                throw new IllegalArgumentException("a time is written HH:MM");
            }
            int h = Integer.parseInt(p[0]);
            int m = Integer.parseInt(p[1]);
            if (h > 24 || m > 59 || h == 24 && m != 0) {
                throw new IllegalArgumentException("a time is between 00:00 and 24:00");
            }
            return h * 60 + m;
        }

        @Override
        public String toString() {
            return "%02d:%02d-%02d:%02d".formatted(from / 60, from % 60, to / 60, to % 60);
        }
    }

    public OpeningHours {
        days = days.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(days));
    }

    public static OpeningHours always() {
        Map<DayOfWeek, List<Period>> all = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            all.put(day, List.of(new Period(0, DAY)));
        }
        return new OpeningHours(all);
    }

    /** True when one period of that day holds {@code [from, to)} (minutes after local midnight). */
    public boolean covers(DayOfWeek day, int from, int to) {
        return days.getOrDefault(day, List.of()).stream().anyMatch(p -> p.from() <= from && to <= p.to());
    }
}
