package org.territoire.bookings.memory;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingRepository;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.booking.Release;
import org.territoire.bookings.booking.Reservation;
import org.territoire.bookings.booking.ReservationRefused;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.shared.page.Page;

/**
 * Bookings and their counters in memory, each change all or nothing under one lock, with the
 * adapter's conditions: a slot never passes its capacity, a token held by a live booking is
 * not taken, a week never passes its limit, a settlement happens once; a recomputed release
 * gives back only what the counters hold.
 */
public final class MemoryBookings implements BookingRepository {
    public record Token(String bookingId, Instant endsAt) {
    }

    public final Map<String, Booking> stored = new LinkedHashMap<>();
    public final Map<String, Integer> slots = new HashMap<>();
    public final Map<String, Token> tokens = new HashMap<>();
    public final Map<String, Integer> weeks = new HashMap<>();

    public synchronized int booked(String resourceId, Instant slot) {
        return slots.getOrDefault(resourceId + "#" + slot, 0);
    }

    public synchronized int weekMinutes(String userId, ResourceKind kind, LocalDate monday) {
        return weeks.getOrDefault(userId + "#" + kind + "#" + monday, 0);
    }

    /** Puts a booking as it would be read back, with no counter (a booking the test sets up directly). */
    public synchronized void put(Booking b) {
        stored.put(b.id(), b);
    }

    @Override
    public synchronized void reserve(Reservation r) {
        Booking b = r.booking();
        for (Instant slot : r.slots()) {
            if (booked(b.resourceId(), slot) + b.units() > r.capacity()) {
                throw new ReservationRefused(ReservationRefused.Reason.CAPACITY);
            }
        }
        if (stored.containsKey(b.id())) {
            throw new ReservationRefused(ReservationRefused.Reason.ID_TAKEN);
        }
        String token = r.quotaToken() == null ? null : tokenKey(b.userId(), b.kind(), r.quotaToken().toString());
        if (token != null && tokens.containsKey(token) && tokens.get(token).endsAt().isAfter(r.now())) {
            throw new ReservationRefused(ReservationRefused.Reason.QUOTA_TOKEN_TAKEN);
        }
        r.weekMinutes().forEach((monday, minutes) -> {
            if (weekMinutes(b.userId(), b.kind(), monday) + minutes > r.maxWeekMinutes()) {
                throw new ReservationRefused(ReservationRefused.Reason.WEEKLY_QUOTA);
            }
        });
        r.slots().forEach(slot -> slots.merge(b.resourceId() + "#" + slot, b.units(), Integer::sum));
        stored.put(b.id(), b);
        if (token != null) {
            tokens.put(token, new Token(b.id(), b.end()));
        }
        r.weekMinutes().forEach((monday, minutes) -> weeks.merge(b.userId() + "#" + b.kind() + "#" + monday, minutes, Integer::sum));
    }

    @Override
    public synchronized boolean cancel(Booking b, Release release, String by, String reason, Instant at) {
        Booking current = stored.get(b.id());
        if (current == null || !current.status().cancellable()) {
            return false;
        }
        give(b, release);
        stored.put(b.id(), current.cancelled(by, reason == null ? null : reason.strip()));
        return true;
    }

    @Override
    public synchronized boolean markNoShow(Booking b, Release release, Instant at) {
        Booking current = stored.get(b.id());
        if (current == null || current.status() != BookingStatus.CONFIRMED) {
            return false;
        }
        give(b, release);
        stored.put(b.id(), current.withStatus(BookingStatus.NO_SHOW));
        return true;
    }

    private void give(Booking b, Release release) {
        Map<String, Integer> slotsAfter = new HashMap<>(slots);
        for (Instant slot : release.slots()) {
            String key = b.resourceId() + "#" + slot;
            int left = slotsAfter.getOrDefault(key, 0) - b.units();
            if (left < 0 && !release.recomputed()) {
                throw new IllegalStateException("counters out of step with booking " + b.id());
            }
            if (left >= 0) {
                slotsAfter.put(key, left);
            }
        }
        Map<String, Integer> weeksAfter = new HashMap<>(weeks);
        release.weekMinutes().forEach((monday, minutes) -> {
            String key = b.userId() + "#" + b.kind() + "#" + monday;
            int left = weeksAfter.getOrDefault(key, 0) - minutes;
            if (left < 0 && !release.recomputed()) {
                throw new IllegalStateException("week minutes out of step with booking " + b.id());
            }
            if (left >= 0) {
                weeksAfter.put(key, left);
            }
        });
        slots.clear();
        slots.putAll(slotsAfter);
        weeks.clear();
        weeks.putAll(weeksAfter);
        if (b.quotaToken() != null) {
            // Only if it is still ours: a token whose booking ended may have been taken over.
            String key = tokenKey(b.userId(), b.kind(), b.quotaToken());
            Token t = tokens.get(key);
            if (t != null && t.bookingId().equals(b.id())) {
                tokens.remove(key);
            }
        }
    }

    @Override
    public synchronized boolean transition(Booking b, BookingStatus from, BookingStatus to, Instant at) {
        Booking current = stored.get(b.id());
        if (current == null || current.status() != from) {
            return false;
        }
        stored.put(b.id(), current.withStatus(to));
        return true;
    }

    @Override
    public synchronized List<Booking> due(Instant now) {
        return stored.values().stream().filter(b -> b.sweepAt().map(at -> !at.isAfter(now)).orElse(false)).toList();
    }

    @Override
    public synchronized Optional<Booking> findBooking(String id) {
        return Optional.ofNullable(stored.get(id));
    }

    @Override
    public synchronized Page<Booking> ofUser(String userId, int limit, Optional<String> pageToken) {
        return new Page<>(newestFirst().stream().filter(b -> b.userId().equals(userId)).limit(limit).toList(), null);
    }

    @Override
    public synchronized Page<Booking> ofResource(String resourceId, int limit, Optional<String> pageToken) {
        return new Page<>(newestFirst().stream().filter(b -> b.resourceId().equals(resourceId)).limit(limit).toList(), null);
    }

    @Override
    public synchronized List<Booking> ofResourceStartingBetween(String resourceId, Instant from, Instant to) {
        return newestFirst().stream().filter(b -> b.resourceId().equals(resourceId) && !b.start().isBefore(from)
                && !b.start().isAfter(to)).toList();
    }

    private List<Booking> newestFirst() {
        List<Booking> all = new ArrayList<>(stored.values());
        all.sort(Comparator.comparing(Booking::start).thenComparing(Booking::id).reversed());
        return all;
    }

    @Override
    public synchronized Map<Instant, Integer> usage(String resourceId, Instant from, Instant to) {
        Map<Instant, Integer> usage = new HashMap<>();
        slots.forEach((key, booked) -> {
            if (key.startsWith(resourceId + "#") && booked > 0) {
                Instant slot = Instant.parse(key.substring(resourceId.length() + 1));
                if (!slot.isBefore(from) && slot.isBefore(to)) {
                    usage.put(slot, booked);
                }
            }
        });
        return usage;
    }

    @Override
    public synchronized Map<Integer, Instant> heldTokens(String userId, ResourceKind kind) {
        Map<Integer, Instant> held = new HashMap<>();
        String prefix = userId + "#" + kind + "#";
        tokens.forEach((key, t) -> {
            if (key.startsWith(prefix)) {
                held.put(Integer.parseInt(key.substring(prefix.length())), t.endsAt());
            }
        });
        return held;
    }

    private static String tokenKey(String userId, ResourceKind kind, String token) {
        return userId + "#" + kind + "#" + token;
    }
}
