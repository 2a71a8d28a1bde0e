package org.territoire.bookings.resources;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/** Who may add and manage pooled resources, and what a valid resource is. */
public final class ResourceService {
    /** A booking is one DynamoDB transaction (at most 100 items): its slots, the booking, its quota items. */
    public static final int MAX_SLOTS_PER_BOOKING = 96;
    private static final String ID = "[a-z0-9][a-z0-9-]{0,63}";

    private final ResourceRepository repository;
    private final Clock clock;
    private final ZoneId territoryZone;
    private final Supplier<String> ids;

    public ResourceService(ResourceRepository repository, Clock clock, ZoneId territoryZone) {
        this(repository, clock, territoryZone, () -> UUID.randomUUID().toString());
    }

    ResourceService(ResourceRepository repository, Clock clock, ZoneId territoryZone, Supplier<String> ids) {
        this.repository = repository;
        this.clock = clock;
        this.territoryZone = territoryZone;
        this.ids = ids;
    }

    public Resource create(Caller caller, CreateResourceCommand c) {
        String organisation = null;
        String lender = null;
        if (caller.hasAny(Role.AGENT, Role.ADMIN, Role.PROVIDER)) {
            organisation = caller.organisationToActFor(c.organisationId());
        } else if (caller.has(Role.RESIDENT)) {
            if (c.kind() != ResourceKind.LENT_EQUIPMENT) {
                throw DomainError.forbidden("residents add equipment they lend (kind LENT_EQUIPMENT) only");
            }
            if (c.organisationId() != null) {
                throw DomainError.forbidden("a resident lends in their own name, not an organisation's");
            }
            lender = caller.id();
        } else {
            throw DomainError.forbidden("this action needs a resident, provider, agent or admin");
        }
        Validated v = validate(c);
        Resource resource = new Resource(ids.get(), c.kind(), c.name().strip(),
                c.description() == null ? null : c.description().strip(), organisation, lender, c.district(),
                c.location() == null ? null : c.location().latitude(), c.location() == null ? null : c.location().longitude(),
                c.capacity(), v.slot(), v.hours(), v.zone(), v.minDuration(), v.maxDuration(), v.minNotice(),
                v.maxAdvance(), v.buffer(), v.eligibility(), Boolean.TRUE.equals(c.requiresApproval()),
                c.linkedDeviceId(), clock.instant(), caller.id(), null, 1, v.address());
        repository.create(resource);
        return resource;
    }

    /**
     * Changes a resource for future bookings: any field of the creation body but its kind,
     * operator and slot grid (existing counters are keyed by that grid). Capacity may only
     * grow: a lower capacity could not be checked against every future slot at once.
     */
    public Resource update(Caller caller, String id, CreateResourceCommand p) {
        Resource current = get(id);
        if (!manages(caller, current)) {
            throw DomainError.forbidden("only the resource's operator changes it");
        }
        if (current.retiredAt() != null) {
            throw DomainError.conflict("this resource is retired");
        }
        Validation fixed = new Validation()
                .check(p.kind() == null || p.kind() == current.kind(), "kind", "cannot change: create a new resource")
                .check(p.organisationId() == null || p.organisationId().equals(current.operatorOrganisation()), "organisationId",
                        "cannot change: create a new resource")
                .check(p.slotMinutes() == null || p.slotMinutes() == current.slot().toMinutes(), "slotMinutes",
                        "cannot change: existing bookings are counted on the current slots");
        fixed.throwIfInvalid();
        if (p.capacity() != null && p.capacity() < current.capacity()) {
            throw DomainError.ruleViolated("capacity can only grow; to offer less, retire this resource and create another");
        }
        Map<String, List<String>> hours = new java.util.LinkedHashMap<>();
        current.openingHours().days().forEach((day, periods) -> hours.put(day.name(), periods.stream().map(Object::toString).toList()));
        CreateResourceCommand.EligibilityInput eligibility = new CreateResourceCommand.EligibilityInput(
                current.eligibility().scope(), current.eligibility().districts(), current.eligibility().organisationId());
        CreateResourceCommand merged = new CreateResourceCommand(current.kind(), or(p.name(), current.name()),
                or(p.description(), current.description()), current.operatorOrganisation(), or(p.district(), current.district()),
                p.location() != null ? p.location() : current.latitude() == null ? null
                        : new CreateResourceCommand.Location(current.latitude(), current.longitude()),
                or(p.capacity(), current.capacity()), (int) current.slot().toMinutes(), or(p.openingHours(), hours),
                or(p.timeZone(), current.zone().getId()), or(p.minDurationMinutes(), (int) current.minDuration().toMinutes()),
                or(p.maxDurationMinutes(), (int) current.maxDuration().toMinutes()),
                or(p.minNoticeMinutes(), (int) current.minNotice().toMinutes()), or(p.maxAdvanceDays(), (int) current.maxAdvance().toDays()),
                or(p.bufferMinutes(), (int) current.buffer().toMinutes()), or(p.eligibility(), eligibility),
                or(p.requiresApproval(), current.requiresApproval()), or(p.linkedDeviceId(), current.linkedDeviceId()),
                or(p.address(), current.address()));
        Validated v = validate(merged);
        Resource updated = new Resource(current.id(), current.kind(), merged.name().strip(), merged.description(),
                current.operatorOrganisation(), current.lenderId(), merged.district(),
                merged.location() == null ? null : merged.location().latitude(),
                merged.location() == null ? null : merged.location().longitude(), merged.capacity(), v.slot(), v.hours(), v.zone(),
                v.minDuration(), v.maxDuration(), v.minNotice(), v.maxAdvance(), v.buffer(), v.eligibility(),
                merged.requiresApproval(), merged.linkedDeviceId(), current.createdAt(), current.createdBy(), null,
                current.version() + 1, v.address());
        if (!repository.update(updated, current.version())) {
            throw DomainError.conflict("the resource was changed meanwhile; read it again and retry");
        }
        return updated;
    }

    /** Withdraws a resource: no new bookings; existing ones stay, and its operator can still cancel them. */
    public void retire(Caller caller, String id) {
        Resource current = get(id);
        if (!manages(caller, current)) {
            throw DomainError.forbidden("only the resource's operator retires it");
        }
        if (!repository.retire(id, clock.instant())) {
            throw DomainError.conflict("this resource is already retired");
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    public Resource get(String id) {
        return repository.find(id).orElseThrow(() -> DomainError.notFound("no such resource"));
    }

    public Page<Resource> list(Optional<ResourceKind> kind, int limit, Optional<String> token) {
        return repository.list(kind, limit, token);
    }

    /** Agents and admins manage every resource; a provider its organisation's; a resident what they lend. */
    public static boolean manages(Caller caller, Resource resource) {
        return caller.hasAny(Role.AGENT, Role.ADMIN)
                || caller.has(Role.PROVIDER) && resource.operatorOrganisation() != null && caller.memberOf(resource.operatorOrganisation())
                || resource.lenderId() != null && resource.lenderId().equals(caller.id());
    }

    record Validated(Duration slot, OpeningHours hours, ZoneId zone, Duration minDuration, Duration maxDuration,
                     Duration minNotice, Duration maxAdvance, Duration buffer, Eligibility eligibility, String address) {
    }

    Validated validate(CreateResourceCommand c) {
        Validation v = new Validation()
                .require("kind", c.kind())
                .text("name", c.name(), 2, 120, true)
                .text("description", c.description(), 1, 2000, false)
                .text("address", c.address(), 3, 200, false)
                .require("district", c.district())
                .matches("district", c.district(), ID, "must be a district id: lower-case letters, digits and dashes")
                .require("capacity", c.capacity())
                .range("capacity", c.capacity(), 1, 10_000)
                .require("slotMinutes", c.slotMinutes())
                .range("minDurationMinutes", c.minDurationMinutes(), 1, 60 * 24 * 31)
                .range("maxDurationMinutes", c.maxDurationMinutes(), 1, 60 * 24 * 31)
                .range("minNoticeMinutes", c.minNoticeMinutes(), 0, 60 * 24 * 365)
                .range("maxAdvanceDays", c.maxAdvanceDays(), 1, 730)
                .range("bufferMinutes", c.bufferMinutes(), 0, 60 * 24);
        if (c.location() != null) {
            v.require("location.latitude", c.location().latitude()).require("location.longitude", c.location().longitude())
                    .range("location.latitude", c.location().latitude(), -90, 90)
                    .range("location.longitude", c.location().longitude(), -180, 180);
        }
        boolean slotOk = c.slotMinutes() == null || c.slotMinutes() >= 5 && c.slotMinutes() <= 1440 && 1440 % c.slotMinutes() == 0;
        v.check(slotOk, "slotMinutes", "must divide a day into whole slots (5, 10, 15, 30, 60, ... 1440)");
        // A refused slot length still needs a stand-in for the checks below, which divide by it.
        int slot = c.slotMinutes() == null || !slotOk ? 60 : c.slotMinutes();
        int min = c.minDurationMinutes() == null ? slot : c.minDurationMinutes();
        int max = c.maxDurationMinutes() == null ? slot * 8 : c.maxDurationMinutes();
        int buffer = c.bufferMinutes() == null ? 0 : c.bufferMinutes();
        v.check(min % slot == 0 && max % slot == 0 && buffer % slot == 0, "slotMinutes",
                "durations and buffer must be whole numbers of slots");
        v.check(min <= max, "minDurationMinutes", "must not exceed maxDurationMinutes");
        v.check((max + buffer) / slot <= MAX_SLOTS_PER_BOOKING, "maxDurationMinutes",
                "a booking and its buffer may cover at most " + MAX_SLOTS_PER_BOOKING + " slots: use longer slots");
        ZoneId zone = territoryZone;
        if (c.timeZone() != null) {
            try {
                zone = ZoneId.of(c.timeZone());
            } catch (DateTimeException e) {
                v.check(false, "timeZone", "must be an IANA time zone such as Europe/Paris");
            }
        }
        OpeningHours hours = OpeningHours.always();
        if (c.openingHours() != null) {
            Map<DayOfWeek, List<OpeningHours.Period>> days = new EnumMap<>(DayOfWeek.class);
            c.openingHours().forEach((day, periods) -> {
                DayOfWeek dow;
                try {
                    dow = DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    v.check(false, "openingHours", "has a key that is not a day: MONDAY ... SUNDAY");
                    return;
                }
                List<OpeningHours.Period> parsed = new ArrayList<>();
                for (String p : periods == null ? List.<String>of() : periods) {
                    try {
                        OpeningHours.Period period = OpeningHours.Period.parse(p);
                        v.check(period.from() % slot == 0 && period.to() % slot == 0, "openingHours." + dow,
                                "each period must start and end on slot boundaries");
                        parsed.add(period);
                    } catch (IllegalArgumentException e) {
                        v.check(false, "openingHours." + dow, e.getMessage());
                    }
                }
                days.put(dow, parsed);
            });
            hours = new OpeningHours(days);
        }
        Eligibility eligibility = Eligibility.everyone();
        if (c.eligibility() != null) {
            v.require("eligibility.scope", c.eligibility().scope());
            if (c.eligibility().scope() == Eligibility.Scope.DISTRICTS) {
                v.size("eligibility.districts", c.eligibility().districts(), 1, 50);
            }
            if (c.eligibility().scope() == Eligibility.Scope.ORGANISATION) {
                v.require("eligibility.organisationId", c.eligibility().organisationId());
            }
            eligibility = new Eligibility(c.eligibility().scope(), c.eligibility().districts(), c.eligibility().organisationId());
        }
        v.throwIfInvalid();
        return new Validated(Duration.ofMinutes(slot), hours, zone, Duration.ofMinutes(min), Duration.ofMinutes(max),
                Duration.ofMinutes(c.minNoticeMinutes() == null ? 0 : c.minNoticeMinutes()),
                Duration.ofDays(c.maxAdvanceDays() == null ? 90 : c.maxAdvanceDays()), Duration.ofMinutes(buffer), eligibility,
                c.address() == null ? null : c.address().strip());
    }
}
