package org.territoire.bookings.booking;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.bookings.resources.CreateResourceCommand;
import org.territoire.bookings.resources.Eligibility;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceKind;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.page.Page;

/** The booking rules, with the stores replaced by memory (the invariants themselves are tested against DynamoDB). */
@Tag("unit")
class BookingServiceTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z"); // Monday 09:00 in Paris
    private final Map<String, Resource> resources = new HashMap<>();
    private final List<Reservation> reservations = new ArrayList<>();
    private final ResourceRepository resourceRepo = new ResourceRepository() {
        public void create(Resource r) { resources.put(r.id(), r); }
        public Optional<Resource> find(String id) { return Optional.ofNullable(resources.get(id)); }
        public Page<Resource> list(Optional<ResourceKind> k, int l, Optional<String> t) { return new Page<>(List.copyOf(resources.values()), null); }
        public boolean update(Resource r, long expectedVersion) { resources.put(r.id(), r); return true; }
        public boolean retire(String id, Instant at) { return true; }
    };
    private final MemoryBookings bookingRepo = new MemoryBookings();
    private final QuotaRules quotaRules = new QuotaRules() {
        public Optional<QuotaRule> find(ResourceKind k) { return Optional.ofNullable(bookingRepo.rule); }
        public QuotaRule save(QuotaRule r) { bookingRepo.rule = r; return r; }
    };
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ResourceService resourceService = new ResourceService(resourceRepo, clock, PARIS);
    private final List<String> unlocked = new ArrayList<>();
    private final BookingService service = new BookingService(resourceRepo, bookingRepo, quotaRules, (r, b) -> unlocked.add(r.linkedDeviceId() + ":" + b.id()), clock);

    @Test
    void aValidBooking_reservesItsSlotsAndBuffer() {
        Resource car = car(Map.of());

        Booking b = service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T12:00+01:00", 1));

        assertThat(b.status()).isEqualTo(BookingStatus.CONFIRMED);
        assertThat(reservations).singleElement().satisfies(r -> {
            assertThat(r.slots()).hasSize(5); // 4 half-hours and one of buffer
            assertThat(r.capacity()).isEqualTo(1);
        });
    }

    @Test
    void badTimes_areRefused_withThePreciseReason_andNothingReserved() {
        Resource car = car(Map.of());
        Caller alice = resident("alice", "centre");

        assertField(() -> service.book(alice, command(car, "2026-12-01T12:00+01:00", "2026-12-01T10:00+01:00", 1)), "end", "after start");
        assertField(() -> service.book(alice, command(car, "2026-12-01T10:10+01:00", "2026-12-01T11:00+01:00", 1)), "start", "slot boundary");
        assertField(() -> service.book(alice, command(car, "2026-12-01T10:00+01:00", "2026-12-02T10:00+01:00", 1)), "end", "at most 480 minutes");
        assertField(() -> service.book(alice, command(car, "2026-11-30T08:00+01:00", "2026-11-30T09:00+01:00", 1)), "start", "past");
        assertField(() -> service.book(alice, command(car, "2027-06-01T10:00+02:00", "2027-06-01T11:00+02:00", 1)), "start", "30 days ahead");
        assertField(() -> service.book(alice, command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 2)), "units", "capacity of 1");
        assertThat(reservations).isEmpty();
    }

    @Test
    void everyoneEligibility_meansEveryResident_notEveryTokenHolder() {
        Resource car = car(Map.of());
        Caller stranger = Caller.fromClaims(Map.of("sub", "stranger", "custom:district", "centre")).orElseThrow();

        assertThatThrownBy(() -> service.book(stranger, command(car, "2026-12-01T10:00+01:00", "2026-12-01T12:00+01:00", 1)))
                .isInstanceOfSatisfying(DomainError.Forbidden.class, e -> {
                    assertThat(e.detail()).contains("residents");
                });
        assertThat(reservations).isEmpty();
        assertThat(unlocked).isEmpty();
    }

    @Test
    void outsideOpeningHours_is422() {
        Resource car = car(Map.of("TUESDAY", List.of("08:00-12:00")));

        assertThatThrownBy(() -> service.book(resident("alice", "centre"), command(car, "2026-12-01T11:00+01:00", "2026-12-01T13:00+01:00", 1)))
                .isInstanceOf(DomainError.RuleViolated.class);
    }

    @Test
    void residentsOfOtherDistricts_cannotBook_aDistrictResource() {
        Resource car = car(Map.of());

        assertThatThrownBy(() -> service.book(resident("bob", "gare"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1)))
                .isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void aFullSlot_is409_naming_theNextFreeStarts() {
        Resource car = car(Map.of());
        bookingRepo.refuse = ReservationRefused.Reason.CAPACITY;
        bookingRepo.usage.put(Instant.parse("2026-12-01T09:00:00Z"), 1);
        bookingRepo.usage.put(Instant.parse("2026-12-01T09:30:00Z"), 1);

        assertThatThrownBy(() -> service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> {
                    // 09:00Z and 09:30Z are taken; an hour plus its 30-minute buffer first fits from 10:00Z (11:00 in Paris).
                    @SuppressWarnings("unchecked")
                    List<String> next = (List<String>) e.details().get("nextFreeStarts");
                    assertThat(next).containsExactly(
                            "2026-12-01T10:00:00.000Z", "2026-12-01T10:30:00.000Z", "2026-12-01T11:00:00.000Z");
                });
    }

    @Test
    void quota_reached_is422_beforeAnyWrite() {
        Resource car = car(Map.of());
        bookingRepo.rule = new QuotaRule(ResourceKind.CAR_SHARING, 2, null);
        bookingRepo.held.put(0, Instant.parse("2026-12-10T00:00:00Z"));
        bookingRepo.held.put(1, Instant.parse("2026-12-11T00:00:00Z"));

        assertThatThrownBy(() -> service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1)))
                .isInstanceOfSatisfying(DomainError.RuleViolated.class, e -> {
                    assertThat(e.detail()).contains("2 active bookings");
                    assertThat(e.details()).containsEntry("quotaFreesAt", "2026-12-10T00:00:00.000Z");
                });
        assertThat(reservations).isEmpty();
    }

    @Test
    void theWeeklyQuota_reached_is422_too() {
        Resource car = car(Map.of());
        bookingRepo.rule = new QuotaRule(ResourceKind.CAR_SHARING, null, 60);
        bookingRepo.refuse = ReservationRefused.Reason.WEEKLY_QUOTA;

        assertThatThrownBy(() -> service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1)))
                .isInstanceOf(DomainError.RuleViolated.class);
    }

    @Test
    void aBookingIdTaken_is409_likeEveryIdCollision_andATokenRaceThatNeverEnds_is503() {
        Resource car = car(Map.of());
        bookingRepo.refuse = ReservationRefused.Reason.ID_TAKEN;
        assertThatThrownBy(() -> service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1)))
                .isInstanceOfSatisfying(DomainError.Conflict.class, e -> {
                    assertThat(e.detail()).contains("already exists");
                });

        bookingRepo.rule = new QuotaRule(ResourceKind.CAR_SHARING, 2, null);
        bookingRepo.refuse = ReservationRefused.Reason.QUOTA_TOKEN_TAKEN;
        assertThatThrownBy(() -> service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1)))
                .as("contention is the kernel's 503 (retry), never a 409 'full'")
                .isInstanceOf(DomainError.Unavailable.class);
    }

    @Test
    void aCancellation_givesBackExactlyWhatTheBookingTook_whateverTheRulesAreNow() {
        Resource car = car(Map.of());
        Booking b = service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1));
        bookingRepo.stored.put(b.id(), b);
        List<Instant> taken = reservations.get(0).slots();
        // After the booking: a weekly quota appears, and the operator doubles the buffer.
        bookingRepo.rule = new QuotaRule(ResourceKind.CAR_SHARING, null, 600);
        resources.put(car.id(), withBuffer(car, java.time.Duration.ofMinutes(60)));

        service.cancel(resident("alice", "centre"), b.id(), null);

        assertThat(bookingRepo.released).singleElement().satisfies(r -> {
            assertThat(r.recomputed()).isFalse();
            assertThat(r.slots()).isEqualTo(taken).hasSize(3);
            assertThat(r.weekMinutes()).as("it took no week minutes: none to give back").isEmpty();
        });
    }

    @Test
    void aBookingStoredWithoutItsHold_isReleasedFromTodaysRules_markedRecomputed() {
        Resource car = car(Map.of());
        Booking made = service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1));
        Booking legacy = new Booking(made.id(), made.resourceId(), made.kind(), made.userId(), made.start(), made.end(), made.units(),
                made.status(), made.createdAt(), null, null, null, null);
        bookingRepo.stored.put(legacy.id(), legacy);
        bookingRepo.rule = new QuotaRule(ResourceKind.CAR_SHARING, null, 600, null);

        service.cancel(resident("alice", "centre"), legacy.id(), null);

        assertThat(bookingRepo.released).singleElement().satisfies(r -> {
            assertThat(r.recomputed()).as("the store then gives back only what the counters hold").isTrue();
            assertThat(r.slots()).as("its two half-hours; not the buffer, which may have changed since (version 1)")
                    .containsExactly(Instant.parse("2026-12-01T09:00:00Z"), Instant.parse("2026-12-01T09:30:00Z"));
            assertThat(r.weekMinutes()).as("a weekly limit of unknown age may have counted it").containsExactly(Map.entry(LocalDate.of(2026, 11, 30), 60));
        });

        bookingRepo.released.clear();
        Booking again = service.book(resident("alice", "centre"), command(car, "2026-12-02T10:00+01:00", "2026-12-02T11:00+01:00", 1));
        Booking legacyToo = new Booking(again.id(), again.resourceId(), again.kind(), again.userId(), again.start(), again.end(),
                again.units(), again.status(), again.createdAt(), null, null, null, null);
        bookingRepo.stored.put(legacyToo.id(), legacyToo);
        bookingRepo.rule = new QuotaRule(ResourceKind.CAR_SHARING, null, 600, NOW.plusSeconds(60));
        service.cancel(resident("alice", "centre"), legacyToo.id(), null);
        assertThat(bookingRepo.released).singleElement().satisfies(r -> assertThat(r.weekMinutes())
                .as("the weekly limit began after it was made: it took no minutes").isEmpty());
    }

    @Test
    void theSweep_settlesEveryOtherBooking_whenOneCannotBeSettled() {
        Resource car = car(Map.of());
        for (int h = 9; h <= 11; h++) {
            Booking b = service.book(resident("alice", "centre"),
                    command(car, "2026-12-01T%02d:00+01:00".formatted(h), "2026-12-01T%02d:30+01:00".formatted(h), 1));
            bookingRepo.due.add(b);
        }
        bookingRepo.failOn.add(bookingRepo.due.get(1).id());

        BookingSweeper.Summary summary = new BookingSweeper(resourceRepo, bookingRepo, quotaRules).sweep(Instant.parse("2026-12-01T12:00:00Z"));

        assertThat(summary.noShows()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(bookingRepo.released).as("each one was tried").hasSize(3);
    }

    @Test
    void aNoShow_givesBackTheSlotsItTookThatHaveNotBegun() {
        Resource car = car(Map.of());
        Booking b = service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1));
        bookingRepo.due.add(b);
        resources.put(car.id(), withBuffer(car, java.time.Duration.ZERO));

        new BookingSweeper(resourceRepo, bookingRepo, quotaRules).sweep(Instant.parse("2026-12-01T09:15:00Z"));

        assertThat(bookingRepo.released).singleElement().satisfies(r -> assertThat(r.slots())
                .containsExactly(Instant.parse("2026-12-01T09:30:00Z"), Instant.parse("2026-12-01T10:00:00Z")));
    }

    @Test
    void datesAtTheEndsOfInstant_are400_namingTheField() {
        Resource car = car(Map.of());
        Caller alice = resident("alice", "centre");

        assertField(() -> service.book(alice, command(car, "+999999999-12-31T23:59:59Z", "+999999999-12-31T23:59:59Z", 1)), "start", "30 days ahead");
        assertField(() -> service.book(alice, command(car, "-999999999-01-01T00:00:00Z", "2026-12-01T11:00+01:00", 1)), "start", "past");
        assertField(() -> service.book(alice, command(car, "2026-12-01T10:00+01:00", "+999999999-12-31T23:59:59Z", 1)), "end", "at most 480 minutes");
        assertField(() -> service.book(alice, command(car, "2026-12-01T10:00+01:00", "-999999999-01-01T00:00:00Z", 1)), "end", "after start");
        assertField(() -> service.availability(car.id(), LocalDate.MAX, 7), "date", "days ahead");
        assertField(() -> service.availability(car.id(), LocalDate.MIN, 1), "date", "months back");
        assertThat(service.availability(car.id(), LocalDate.of(2026, 12, 30), 1)).as("30 days ahead is still in range").isNotEmpty();
        assertThat(reservations).isEmpty();
    }

    @Test
    void aTokenHeldByAnEndedBooking_isTakenOver() {
        Resource car = car(Map.of());
        bookingRepo.rule = new QuotaRule(ResourceKind.CAR_SHARING, 1, null);
        bookingRepo.held.put(0, NOW.minusSeconds(60));

        Booking b = service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1));

        assertThat(b.quotaToken()).isEqualTo("0");
    }

    @Test
    void weekMinutes_areSplitAtMondayMidnight_localTime() {
        Map<LocalDate, Integer> weeks = BookingService.weekMinutes(
                OffsetDateTime.parse("2026-12-06T22:00+01:00").toInstant(), OffsetDateTime.parse("2026-12-07T02:00+01:00").toInstant(), PARIS);

        assertThat(weeks).containsExactly(Map.entry(LocalDate.of(2026, 11, 30), 120), Map.entry(LocalDate.of(2026, 12, 7), 120));
    }

    @Test
    void nobodyButTheBookerOrTheOperator_seesOrCancelsABooking() {
        Resource car = car(Map.of());
        Booking b = service.book(resident("alice", "centre"), command(car, "2026-12-01T10:00+01:00", "2026-12-01T11:00+01:00", 1));
        bookingRepo.stored.put(b.id(), b);

        assertThatThrownBy(() -> service.cancel(resident("mallory", "centre"), b.id(), null))
                .isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.cancel(provider("other-org"), b.id(), "because"))
                .isInstanceOf(DomainError.NotFound.class);
        assertThatThrownBy(() -> service.cancel(provider("autopartage"), b.id(), null))
                .as("the operator must give a reason")
                .isInstanceOf(DomainError.Invalid.class);
        assertThat(service.cancel(provider("autopartage"), b.id(), "vehicle in repair").status()).isEqualTo(BookingStatus.CANCELLED);
    }

    @Test
    void checkIn_opensFifteenMinutesBeforeTheStart_andClosesAtTheEnd() {
        Resource car = car(Map.of());
        Booking soon = service.book(resident("alice", "centre"), command(car, "2026-11-30T09:00+01:00", "2026-11-30T10:00+01:00", 1));
        Booking later = service.book(resident("alice", "centre"), command(car, "2026-11-30T12:00+01:00", "2026-11-30T13:00+01:00", 1));
        bookingRepo.stored.put(soon.id(), soon);
        bookingRepo.stored.put(later.id(), later);

        assertThat(service.checkIn(resident("alice", "centre"), soon.id()).status()).isEqualTo(BookingStatus.CHECKED_IN);
        assertThatThrownBy(() -> service.checkIn(resident("alice", "centre"), later.id()))
                .isInstanceOf(DomainError.RuleViolated.class);
        assertThatThrownBy(() -> service.checkIn(resident("mallory", "centre"), soon.id()))
                .isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void checkingIn_opensTheLinkedLock_andCheckingInAgainReopensIt() {
        Resource car = resourceService.create(provider("autopartage"), new CreateResourceCommand(ResourceKind.CAR_SHARING,
                "Zoé", null, null, "centre", null, 1, 30, null, null, 30, 480, 0, 30, 0, null, false, "lock-zoe-1", null));
        Booking b = service.book(resident("alice", "centre"), command(car, "2026-11-30T09:00+01:00", "2026-11-30T10:00+01:00", 1));
        bookingRepo.stored.put(b.id(), b);

        Booking checkedIn = service.checkIn(resident("alice", "centre"), b.id());
        bookingRepo.stored.put(b.id(), checkedIn);
        service.checkIn(resident("alice", "centre"), b.id());

        assertThat(unlocked).containsExactly("lock-zoe-1:" + b.id(), "lock-zoe-1:" + b.id());
        assertThatThrownBy(() -> service.checkIn(provider("autopartage"), b.id()))
                .as("only the booker re-opens").isInstanceOf(DomainError.Conflict.class);
    }

    private Resource car(Map<String, List<String>> hours) {
        return resourceService.create(provider("autopartage"), new CreateResourceCommand(ResourceKind.CAR_SHARING,
                "Zoé partagée", null, null, "centre", null, 1, 30, hours.isEmpty() ? null : hours, null, 30, 480, 0,
                30, 30, new CreateResourceCommand.EligibilityInput(Eligibility.Scope.DISTRICTS, List.of("centre"), null),
                false, null, null));
    }

    private static Resource withBuffer(Resource r, java.time.Duration buffer) {
        return new Resource(r.id(), r.kind(), r.name(), r.description(), r.operatorOrganisation(), r.lenderId(), r.district(),
                r.latitude(), r.longitude(), r.capacity(), r.slot(), r.openingHours(), r.zone(), r.minDuration(), r.maxDuration(),
                r.minNotice(), r.maxAdvance(), buffer, r.eligibility(), r.requiresApproval(), r.linkedDeviceId(), r.createdAt(),
                r.createdBy(), r.retiredAt(), r.version() + 1, null);
    }

    private static CreateBookingCommand command(Resource r, String start, String end, int units) {
        return new CreateBookingCommand(r.id(), OffsetDateTime.parse(start), OffsetDateTime.parse(end), units);
    }

    private static Caller resident(String id, String district) {
        return Caller.fromClaims(Map.of("sub", id, "cognito:groups", "[resident]", "custom:district", district)).orElseThrow();
    }

    private static Caller provider(String organisation) {
        return Caller.fromClaims(Map.of("sub", "p-" + organisation, "cognito:groups", "[provider]",
                "custom:organisation", organisation)).orElseThrow();
    }

    private static void assertField(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field, String detail) {
        assertThatThrownBy(call).isInstanceOfSatisfying(DomainError.Invalid.class, e -> {
            assertThat(e.errors()).anySatisfy(f -> {
                assertThat(f.field()).isEqualTo(field);
                assertThat(f.detail()).contains(detail);
            });
        });
    }

    private final class MemoryBookings implements BookingRepository {
        ReservationRefused.Reason refuse;
        QuotaRule rule;
        final Map<Integer, Instant> held = new HashMap<>();
        final Map<Instant, Integer> usage = new HashMap<>();
        final Map<String, Booking> stored = new HashMap<>();
        final List<Booking> due = new ArrayList<>();
        final List<Release> released = new ArrayList<>();
        final java.util.Set<String> failOn = new java.util.HashSet<>();

        public void reserve(Reservation r) {
            if (refuse != null) {
                throw new ReservationRefused(refuse);
            }
            reservations.add(r);
        }

        public boolean cancel(Booking b, Release release, String by, String reason, Instant at) {
            released.add(release);
            if (failOn.contains(b.id())) {
                throw new IllegalStateException("injected failure");
            }
            return true;
        }

        public boolean transition(Booking b, BookingStatus from, BookingStatus to, Instant at) {
            return true;
        }

        public List<Booking> due(Instant now) {
            return List.copyOf(due);
        }

        public boolean markNoShow(Booking b, Release release, Instant at) {
            released.add(release);
            if (failOn.contains(b.id())) {
                throw new IllegalStateException("injected failure");
            }
            return true;
        }

        public Optional<Booking> findBooking(String id) {
            return Optional.ofNullable(stored.get(id));
        }

        public Page<Booking> ofUser(String u, int l, Optional<String> t) {
            return new Page<>(List.of(), null);
        }

        public Page<Booking> ofResource(String r, int l, Optional<String> t) {
            return new Page<>(List.of(), null);
        }

        public List<Booking> ofResourceStartingBetween(String r, Instant from, Instant to) {
            return stored.values().stream().filter(b -> b.resourceId().equals(r) && !b.start().isBefore(from) && !b.start().isAfter(to))
                    .sorted(java.util.Comparator.comparing(Booking::start).reversed()).toList();
        }

        public Map<Instant, Integer> usage(String r, Instant from, Instant to) {
            return usage;
        }

        public Map<Integer, Instant> heldTokens(String u, ResourceKind k) {
            return held;
        }
    }
}
