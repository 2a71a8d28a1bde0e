package org.territoire.bookings.booking;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.territoire.bookings.resources.Eligibility;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.bookings.resources.SlotCalendar;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * The booking rules. The capacity and quota invariants are not checked here by reading:
 * the store's transaction enforces them, and this service turns its refusals into answers.
 */
public final class BookingService {
    /** Attempts to take a quota token when concurrent bookings of the same person race for one. */
    static final int TOKEN_ATTEMPTS = 8;
    static final int NEXT_FREE_SLOTS = 3;

    private final ResourceRepository resources;
    private final BookingRepository bookings;
    private final QuotaRules quotas;
    private final LockCommands locks;
    private final Clock clock;
    private final Supplier<String> ids;
    private org.territoire.shared.events.DomainEvents events = org.territoire.shared.events.DomainEvents.NONE;

    public BookingService(ResourceRepository resources, BookingRepository bookings, QuotaRules quotas, LockCommands locks,
                          Clock clock) {
        this(resources, bookings, quotas, locks, clock, () -> UUID.randomUUID().toString());
    }

    BookingService(ResourceRepository resources, BookingRepository bookings, QuotaRules quotas, LockCommands locks, Clock clock,
                   Supplier<String> ids) {
        this.resources = resources;
        this.bookings = bookings;
        this.quotas = quotas;
        this.locks = locks;
        this.clock = clock;
        this.ids = ids;
    }

    public Booking book(Caller caller, CreateBookingCommand c) {
        new Validation().require("resourceId", c.resourceId()).require("start", c.start()).require("end", c.end())
                .range("units", c.units(), 1, 10_000).throwIfInvalid();
        Resource resource = resources.find(c.resourceId())
                .orElseThrow(() -> DomainError.invalid("resourceId", "no such resource"));
        if (resource.retiredAt() != null) {
            throw DomainError.ruleViolated("this resource was retired by its operator and takes no new bookings");
        }
        Instant now = clock.instant();
        Instant start = c.start().toInstant();
        Instant end = c.end().toInstant();
        int units = c.units() == null ? 1 : c.units();
        checkTimes(resource, start, end, units, now);
        checkEligibility(caller, resource);

        SlotCalendar calendar = resource.calendar();
        List<Instant> slots = calendar.slotsBetween(start, end.plus(resource.buffer()));
        QuotaRule rule = rule(resource.kind());
        Map<LocalDate, Integer> weekMinutes = rule.maxMinutesPerWeek() == null ? Map.of() : weekMinutes(start, end, resource.zone());
        weekMinutes.values().forEach(m -> {
            if (m > rule.maxMinutesPerWeek()) {
                throw quotaHours(rule);
            }
        });
        BookingStatus status = resource.requiresApproval() ? BookingStatus.PENDING : BookingStatus.CONFIRMED;
        String id = ids.get();
        Hold hold = new Hold(slots, weekMinutes);
        for (int attempt = 0; attempt < TOKEN_ATTEMPTS; attempt++) {
            Integer token = rule.maxActive() == null ? null : freeToken(caller.id(), rule, now);
            Booking booking = new Booking(id, resource.id(), resource.kind(), caller.id(), start, end, units, status, now,
                    null, null, token == null ? null : Integer.toString(token), hold);
            try {
                bookings.reserve(new Reservation(booking, slots, resource.capacity(), token, weekMinutes,
                        rule.maxMinutesPerWeek(), now));
                return booking;
            } catch (ReservationRefused refused) {
                switch (refused.reason()) {
                    case CAPACITY -> throw full(resource, start, end, units, now);
                    case WEEKLY_QUOTA -> throw quotaHours(rule);
                    case ID_TAKEN -> throw DomainError.conflict("a booking with id " + id + " already exists");
                    case QUOTA_TOKEN_TAKEN -> backOff(attempt);
                    case ACCOUNT_ERASED -> throw DomainError.forbidden("this account was deleted");
                }
            }
        }
        // Only this person's own simultaneous bookings can take a token between our read and our
        // write: contention, answered like the kernel answers a transaction that kept conflicting.
        throw DomainError.unavailable("too many bookings were being made at once for you; retry");
    }

    /** Publishes approvals and operators' cancellations (after each committed write) through {@code events}. */
    public BookingService publishingTo(org.territoire.shared.events.DomainEvents events) {
        this.events = events;
        return this;
    }

    /** The detail of Booking Approved and Booking Cancelled (docs/api.md, "Events between capabilities"). */
    private static Map<String, Object> detail(Booking b) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("bookingId", b.id());
        detail.put("resourceId", b.resourceId());
        detail.put("bookerId", b.userId());
        detail.put("start", org.territoire.shared.json.Json.time(b.start()));
        detail.put("end", org.territoire.shared.json.Json.time(b.end()));
        return detail;
    }

    public Booking cancel(Caller caller, String bookingId, String reason) {
        Booking booking = visible(caller, bookingId);
        Resource resource = resourceOf(booking);
        boolean booker = booking.userId().equals(caller.id());
        boolean operator = ResourceService.manages(caller, resource);
        Instant now = clock.instant();
        if (!now.isBefore(booking.end())) {
            throw DomainError.ruleViolated("a booking that has ended cannot be cancelled");
        }
        if (!operator) {
            if (!booker) {
                throw DomainError.notFound("no such booking");
            }
            if (!now.isBefore(booking.start())) {
                throw DomainError.ruleViolated("a booking can be cancelled by its booker only before it starts");
            }
        } else if (!booker && (reason == null || reason.isBlank())) {
            throw DomainError.invalid("reason", "is required when the operator cancels someone's booking");
        }
        if (reason != null) {
            new Validation().text("reason", reason, 1, 500, false).throwIfInvalid();
        }
        if (!booking.status().cancellable()) {
            throw DomainError.conflict("this booking is " + booking.status().name().toLowerCase() + " and cannot be cancelled");
        }
        // Exactly what the booking took when it was made, whatever the rules are now.
        Release release = Release.whole(booking, resource,
                booking.hold() != null ? QuotaRule.none(booking.kind()) : rule(booking.kind()));
        if (!bookings.cancel(booking, release, caller.id(), reason, now)) {
            throw DomainError.conflict("this booking was changed meanwhile and is no longer cancellable");
        }
        if (!booker) {
            events.publish("Booking Cancelled", detail(booking));
        }
        return booking.cancelled(caller.id(), reason);
    }

    /** Resources are retired, never deleted: a booking whose resource is gone is a booking nobody can be shown. */
    private Resource resourceOf(Booking booking) {
        return resources.find(booking.resourceId()).orElseThrow(() -> DomainError.notFound("no such booking"));
    }

    private QuotaRule rule(ResourceKind kind) {
        return quotas.find(kind).orElse(QuotaRule.none(kind));
    }

    /** The operator confirms a pending booking (its capacity was held since it was made). */
    public Booking approve(Caller caller, String bookingId) {
        Booking booking = visible(caller, bookingId);
        Resource resource = resourceOf(booking);
        if (!ResourceService.manages(caller, resource)) {
            throw DomainError.forbidden("only the resource's operator approves its bookings");
        }
        if (booking.status() != BookingStatus.PENDING || !bookings.transition(booking, BookingStatus.PENDING,
                BookingStatus.CONFIRMED, clock.instant())) {
            throw DomainError.conflict("only a pending booking can be approved");
        }
        events.publish("Booking Approved", detail(booking));
        return booking.withStatus(BookingStatus.CONFIRMED);
    }

    /** How early before its start a booking can be checked in. */
    static final Duration CHECK_IN_EARLY = Duration.ofMinutes(15);

    /**
     * The booker (or the operator, for them) checks in, from 15 minutes before the start until
     * the end. When the resource has a linked smart lock, it is sent an unlock command; the
     * booker checking in again re-sends it (a door that locked itself again).
     */
    public Booking checkIn(Caller caller, String bookingId) {
        Booking booking = visible(caller, bookingId);
        Instant now = clock.instant();
        if (now.isBefore(booking.start().minus(CHECK_IN_EARLY)) || !now.isBefore(booking.end())) {
            throw DomainError.ruleViolated("check-in opens 15 minutes before the start and closes at the end");
        }
        Resource resource = resourceOf(booking);
        boolean lock = resource.linkedDeviceId() != null;
        boolean again = lock && booking.status() == BookingStatus.CHECKED_IN && booking.userId().equals(caller.id());
        if (!again && (booking.status() != BookingStatus.CONFIRMED
                || !bookings.transition(booking, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, now))) {
            throw DomainError.conflict("only a confirmed booking can be checked in; this one is "
                    + booking.status().name().toLowerCase());
        }
        Booking checkedIn = booking.withStatus(BookingStatus.CHECKED_IN);
        if (lock) {
            locks.unlock(resource, checkedIn);
        }
        return checkedIn;
    }

    /** A booking, for its booker or its resource's operator; anyone else is told it does not exist. */
    public Booking visible(Caller caller, String bookingId) {
        Booking booking = bookings.findBooking(bookingId).orElseThrow(() -> DomainError.notFound("no such booking"));
        if (booking.userId().equals(caller.id())) {
            return booking;
        }
        Resource resource = resourceOf(booking);
        if (ResourceService.manages(caller, resource)) {
            return booking;
        }
        throw DomainError.notFound("no such booking");
    }

    public Page<Booking> mine(Caller caller, int limit, Optional<String> token) {
        return bookings.ofUser(caller.id(), limit, token);
    }

    public Page<Booking> ofResource(Caller caller, String resourceId, int limit, Optional<String> token) {
        Resource resource = resources.find(resourceId).orElseThrow(() -> DomainError.notFound("no such resource"));
        if (!ResourceService.manages(caller, resource)) {
            throw DomainError.forbidden("only the resource's operator lists its bookings");
        }
        return bookings.ofResource(resourceId, limit, token);
    }

    /** How far back availability can be read (what was booked, for the operator). */
    static final java.time.Period AVAILABILITY_BACK = java.time.Period.ofMonths(12);

    /** One slot of a day's availability. */
    public record SlotAvailability(Instant start, Instant end, boolean open, int booked, int free) {
    }

    /** A resource's availability over {@code days} local days from {@code date}. */
    public record Availability(String date, int days, List<SlotAvailability> slots) {
    }

    /** The availability route's reading: {@code date} as the caller wrote it (YYYY-MM-DD, required). */
    public Availability availability(String resourceId, Optional<String> date, int days) {
        String raw = date.orElseThrow(() -> DomainError.invalid("date", "is required (YYYY-MM-DD)"));
        LocalDate day;
        try {
            day = LocalDate.parse(raw);
        } catch (java.time.DateTimeException e) {
            throw DomainError.invalid("date", "must be a date written YYYY-MM-DD");
        }
        return new Availability(day.toString(), days, availability(resourceId, day, days));
    }

    /** Every slot of {@code days} local days from {@code day} (a week at most), with its free units. */
    public List<SlotAvailability> availability(String resourceId, LocalDate day, int days) {
        Resource resource = resources.find(resourceId).orElseThrow(() -> DomainError.notFound("no such resource"));
        LocalDate today = clock.instant().atZone(resource.zone()).toLocalDate();
        if (day.isBefore(today.minus(AVAILABILITY_BACK)) || day.isAfter(today.plusDays(resource.maxAdvance().toDays() + 1))) {
            throw DomainError.invalid("date", "must be at most " + AVAILABILITY_BACK.toTotalMonths()
                    + " months back and at most " + resource.maxAdvance().toDays() + " days ahead (the resource's maxAdvanceDays)");
        }
        SlotCalendar calendar = resource.calendar();
        List<Instant> slots = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            slots.addAll(calendar.slotsOf(day.plusDays(d)));
        }
        Instant from = slots.get(0);
        Instant to = slots.get(slots.size() - 1).plus(calendar.slotLength());
        Map<Instant, Integer> usage = bookings.usage(resourceId, from, to);
        List<SlotAvailability> out = new ArrayList<>();
        for (Instant s : slots) {
            Instant e = s.plus(calendar.slotLength());
            int booked = usage.getOrDefault(s, 0);
            boolean open = calendar.open(s, e);
            out.add(new SlotAvailability(s, e, open, booked, open ? Math.max(0, resource.capacity() - booked) : 0));
        }
        return out;
    }

    private void checkTimes(Resource r, Instant start, Instant end, int units, Instant now) {
        // First the window, with comparisons only: a time far outside it (up to the ends of
        // Instant's range) is named as out of range before any calendar arithmetic, which
        // would overflow there.
        Validation window = new Validation();
        window.check(!start.isBefore(now.plus(r.minNotice())), "start",
                r.minNotice().isZero() ? "must not be in the past" : "must be at least " + r.minNotice().toMinutes() + " minutes from now");
        window.check(!start.isAfter(now.plus(r.maxAdvance())), "start", "must be at most " + r.maxAdvance().toDays() + " days ahead");
        window.check(end.isAfter(start), "end", "must be after start");
        window.throwIfInvalid();
        window.check(!end.isAfter(start.plus(r.maxDuration())), "end",
                "the booking may last at most " + r.maxDuration().toMinutes() + " minutes");
        window.throwIfInvalid();
        Validation v = new Validation();
        SlotCalendar calendar = r.calendar();
        v.check(calendar.onBoundary(start), "start", "must be on a slot boundary (every " + r.slot().toMinutes() + " minutes)");
        v.check(calendar.onBoundary(end), "end", "must be on a slot boundary (every " + r.slot().toMinutes() + " minutes)");
        v.check(units <= r.capacity(), "units", "must not exceed the resource's capacity of " + r.capacity());
        v.throwIfInvalid();
        Duration length = Duration.between(start, end);
        v.check(length.compareTo(r.minDuration()) >= 0, "end", "the booking must last at least " + r.minDuration().toMinutes() + " minutes");
        v.throwIfInvalid();
        if (!calendar.open(start, end)) {
            throw DomainError.ruleViolated("the resource is not open for the whole of this booking");
        }
    }

    private static void checkEligibility(Caller caller, Resource r) {
        Eligibility e = r.eligibility();
        boolean ok = switch (e.scope()) {
            // Every resident, not everyone signed in: a token without the resident role books nothing.
            case EVERYONE -> caller.has(Role.RESIDENT);
            case DISTRICTS -> caller.has(Role.RESIDENT) && caller.district().map(e.districts()::contains).orElse(false);
            case ORGANISATION -> caller.hasAny(Role.PROVIDER, Role.AGENT, Role.ADMIN) && caller.memberOf(e.organisationId());
        };
        if (!ok && !ResourceService.manages(caller, r)) {
            throw DomainError.forbidden(switch (e.scope()) {
                case DISTRICTS -> "this resource is for residents of " + String.join(", ", e.districts());
                case ORGANISATION -> "this resource is for members of " + e.organisationId();
                case EVERYONE -> "this resource is for the territory's residents";
            });
        }
    }

    /** A token that no live booking holds; none left means the person has reached the limit. */
    private Integer freeToken(String userId, QuotaRule rule, Instant now) {
        Map<Integer, Instant> held = bookings.heldTokens(userId, rule.kind());
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < rule.maxActive(); i++) {
            Instant until = held.get(i);
            if (until == null || !until.isAfter(now)) {
                free.add(i);
            }
        }
        if (free.isEmpty()) {
            // 422, not 429: waiting a moment does not help; a token frees when one of the bookings holding it ends.
            Instant freesAt = held.entrySet().stream().filter(e -> e.getKey() < rule.maxActive()).map(Map.Entry::getValue)
                    .min(Instant::compareTo).orElse(now);
            throw DomainError.ruleViolated("you already have " + rule.maxActive()
                    + " active bookings of kind " + rule.kind() + ", the most allowed, until " + freesAt,
                    Map.of("quotaFreesAt", org.territoire.shared.json.Json.time(freesAt)));
        }
        // Spread concurrent attempts over the free tokens rather than all racing for the first.
        return free.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(free.size()));
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 20L * (attempt + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DomainError quotaHours(QuotaRule rule) {
        return DomainError.ruleViolated("this booking would pass your limit of " + rule.maxMinutesPerWeek() / 60.0
                + " hours a week for " + rule.kind());
    }

    /** Minutes of [start, end) in each ISO week (Monday 00:00 local time) it touches. */
    static Map<LocalDate, Integer> weekMinutes(Instant start, Instant end, ZoneId zone) {
        Map<LocalDate, Integer> weeks = new LinkedHashMap<>();
        Instant cursor = start;
        while (cursor.isBefore(end)) {
            LocalDate monday = cursor.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            Instant nextWeek = monday.plusWeeks(1).atStartOfDay(zone).toInstant();
            Instant partEnd = end.isBefore(nextWeek) ? end : nextWeek;
            weeks.merge(monday, (int) Duration.between(cursor, partEnd).toMinutes(), Integer::sum);
            cursor = partEnd;
        }
        return weeks;
    }

    /** 409, naming the next starts where the same booking would fit. */
    private DomainError full(Resource r, Instant start, Instant end, int units, Instant now) {
        SlotCalendar calendar = r.calendar();
        Duration length = Duration.between(start, end);
        Instant horizonEnd = start.plus(Duration.ofDays(7)).plus(length).plus(r.buffer());
        Instant latest = now.plus(r.maxAdvance());
        Map<Instant, Integer> usage = bookings.usage(r.id(), start, horizonEnd);
        List<String> next = new ArrayList<>();
        Instant earliest = now.plus(r.minNotice());
        for (Instant s = start.plus(r.slot()); next.size() < NEXT_FREE_SLOTS && !s.isAfter(start.plus(Duration.ofDays(7)))
                && !s.isAfter(latest); s = s.plus(r.slot())) {
            Instant e = s.plus(length);
            if (s.isBefore(earliest) || !calendar.open(s, e)) {
                continue;
            }
            boolean fits = calendar.slotsBetween(s, e.plus(r.buffer())).stream()
                    .allMatch(slot -> usage.getOrDefault(slot, 0) + units <= r.capacity());
            if (fits) {
                next.add(org.territoire.shared.json.Json.time(s));
            }
        }
        return DomainError.conflict("the resource has fewer than " + units + " unit(s) free for part of this time",
                Map.of("nextFreeStarts", next));
    }
}
