package org.territoire.bookings.calendar;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.territoire.bookings.booking.Booking;
import org.territoire.bookings.booking.BookingRepository;
import org.territoire.bookings.booking.BookingStatus;
import org.territoire.bookings.resources.Resource;
import org.territoire.bookings.resources.ResourceRepository;
import org.territoire.shared.crypto.Hashes;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.page.Page;

/**
 * A private iCalendar feed of a person's bookings, at a secret URL that calendar apps can
 * subscribe to without signing in. The secret is 256 random bits; only its SHA-256 is
 * stored, and making a new one retires the old.
 */
public final class CalendarService {
    static final int MAX_EVENTS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CalendarFeeds feeds;
    private final BookingRepository bookings;
    private final ResourceRepository resources;
    private final Clock clock;
    private final String bookingPageBase;

    /**
     * @param bookingPageBase the web client's URL for one booking, the booking's id appended
     *                        (each event's URL); null when no client is configured
     */
    public CalendarService(CalendarFeeds feeds, BookingRepository bookings, ResourceRepository resources, Clock clock,
                           String bookingPageBase) {
        this.feeds = feeds;
        this.bookings = bookings;
        this.resources = resources;
        this.clock = clock;
        this.bookingPageBase = bookingPageBase;
    }

    /**
     * The feed, with what conditional GETs need: an ETag of its content (DTSTAMP aside, so an
     * unchanged calendar keeps its tag) and the last change of any of its bookings.
     */
    public record Feed(String ics, String etag, Instant lastModified) {
    }

    /** A new secret for the caller's feed; the previous URL stops working. */
    public String newFeedSecret(Caller caller) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        feeds.replace(caller.id(), hash(token));
        return token;
    }

    public Feed feed(String token) {
        String secret = token.endsWith(".ics") ? token.substring(0, token.length() - 4) : token;
        String userId = secret.matches("[A-Za-z0-9_-]{43}") ? feeds.owner(hash(secret)).orElse(null) : null;
        if (userId == null) {
            throw DomainError.notFound("no such calendar");
        }
        Page<Booking> page = bookings.ofUser(userId, MAX_EVENTS, Optional.empty());
        Map<String, Optional<Resource>> names = new HashMap<>();
        List<ICalendar.Event> events = new ArrayList<>();
        Instant lastModified = Instant.EPOCH;
        for (Booking b : page.items()) {
            Optional<Resource> r = names.computeIfAbsent(b.resourceId(), resources::find);
            String location = r.map(CalendarService::location).orElse(null);
            events.add(new ICalendar.Event(b.id() + "@territoire", b.start(), b.end(),
                    r.map(Resource::name).orElse("Réservation"), location, r.map(Resource::latitude).orElse(null),
                    r.map(Resource::longitude).orElse(null), b.units() > 1 ? b.units() + " unités" : null, status(b.status()),
                    b.revision(), b.createdAt(), b.updatedAt(), bookingPageBase == null ? null : bookingPageBase + b.id()));
            lastModified = b.updatedAt().isAfter(lastModified) ? b.updatedAt() : lastModified;
        }
        String name = "Territoire — mes réservations";
        // The tag covers what the events say, not DTSTAMP, which is the time of each answer.
        String etag = "\"" + Hashes.sha256Hex(ICalendar.render(name, Instant.EPOCH, events)).substring(0, 32) + "\"";
        return new Feed(ICalendar.render(name, clock.instant(), events), etag,
                lastModified.equals(Instant.EPOCH) ? clock.instant() : lastModified);
    }

    /** The resource's name, and where it is: its address when it has one, else its district. */
    private static String location(Resource r) {
        return r.name() + ", " + (r.address() != null ? r.address() : r.district());
    }

    private static String status(BookingStatus status) {
        return switch (status) {
            case PENDING -> "TENTATIVE";
            case CANCELLED, NO_SHOW -> "CANCELLED";
            default -> "CONFIRMED";
        };
    }

    static String hash(String secret) {
        return Hashes.sha256Hex(secret);
    }
}
