package org.territoire.bookings;

import java.time.Clock;
import java.time.ZoneId;
import org.territoire.bookings.booking.BookingService;
import org.territoire.bookings.booking.BookingSweeper;
import org.territoire.bookings.booking.LockCommands;
import org.territoire.bookings.booking.QuotaService;
import org.territoire.bookings.calendar.CalendarService;
import org.territoire.bookings.occupancy.OccupancyService;
import org.territoire.bookings.resources.ResourceService;
import org.territoire.bookings.store.BookingsTable;
import org.territoire.bookings.store.DynamoBookings;
import org.territoire.bookings.store.DynamoCalendarFeeds;
import org.territoire.bookings.store.DynamoOccupancy;
import org.territoire.bookings.store.DynamoQuotaRules;
import org.territoire.bookings.store.DynamoResources;
import org.territoire.bookings.store.IotLockCommands;
import org.territoire.shared.config.Env;
import org.territoire.shared.ddb.Aws;
import org.territoire.shared.ddb.PaginationKey;
import org.territoire.shared.idempotency.DynamoIdempotencyStore;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.iot.IotDataPublisher;
import org.territoire.shared.page.PageTokens;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The bookings functions' parts, built once per function from its environment: one DynamoDB
 * client and one adapter per aggregate over the one table layout ({@link BookingsTable}).
 * Each function asks only for the services it uses; only the API builds the IoT publisher
 * that opens smart locks.
 */
public final class Wiring {
    public static final String TABLE_VARIABLE = "BOOKINGS_TABLE";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final ZoneId territoryZone;
    private final DynamoResources resources;
    private final DynamoBookings bookings;
    private final DynamoQuotaRules quotas;
    private final DynamoCalendarFeeds feeds;
    private final DynamoOccupancy occupancy;
    private final BookingsTable layout;

    private Wiring(DynamoDbClient dynamo, String table, Clock clock, ZoneId territoryZone, PageTokens tokens) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.territoryZone = territoryZone;
        this.layout = new BookingsTable(dynamo, table);
        this.resources = new DynamoResources(layout, tokens);
        this.bookings = new DynamoBookings(layout, tokens);
        this.quotas = new DynamoQuotaRules(layout);
        this.feeds = new DynamoCalendarFeeds(layout);
        this.occupancy = new DynamoOccupancy(layout);
    }

    static Wiring fromEnvironment() {
        return of(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC(),
                ZoneId.of(Env.getOrDefault("TERRITORY_TIME_ZONE", "Europe/Paris")), PaginationKey.load());
    }

    /** The real adapters on a given client, table and clock (tests and the benchmark, against the local endpoint). */
    public static Wiring of(DynamoDbClient dynamo, String table, Clock clock, ZoneId territoryZone, PageTokens tokens) {
        return new Wiring(dynamo, table, clock, territoryZone, tokens);
    }

    public Clock clock() {
        return clock;
    }

    public ResourceService resources() {
        return new ResourceService(resources, clock, territoryZone);
    }

    /** Bookings whose smart locks are opened through the IoT data endpoint of the environment. */
    BookingService bookings() {
        return bookings(new IotLockCommands(IotDataPublisher.fromEnvironment())).publishingTo(events());
    }

    /**
     * Booking events on the territory's bus (territoire.bookings), published after each committed write; what the bus refuses
     * waits in the table's outbox for the sweep (docs/decisions.md, "Domain events after the write").
     */
    org.territoire.shared.events.DomainEvents events() {
        return new org.territoire.shared.events.AfterCommit(bus(), outbox(), clock);
    }

    /** The same bus, whose refusals throw: for the sweep, which publishes the outbox's events again. */
    static org.territoire.shared.events.DomainEvents bus() {
        // The client is built on the first publish (LazyClient): reads publish nothing.
        return new org.territoire.shared.events.EventBridgeDomainEvents(
                org.territoire.shared.events.EventBridgeDomainEvents.lazyClient(), Env.require("EVENT_BUS_NAME"), "territoire.bookings");
    }

    /** The events the bus refused, kept in this capability's table (its OUTBOX partition). */
    public org.territoire.shared.events.Outbox outbox() {
        return new org.territoire.shared.events.DynamoOutbox(dynamo, table);
    }

    public BookingService bookings(LockCommands locks) {
        return new BookingService(resources, bookings, quotas, locks, clock);
    }

    public QuotaService quotas() {
        return new QuotaService(quotas, clock);
    }

    public CalendarService calendars() {
        return new CalendarService(feeds, bookings, resources, clock,
                org.territoire.shared.config.Env.get("WEB_CLIENT_URL").map(url -> url.replaceAll("/+$", "") + "/#/bookings/").orElse(null));
    }

    public OccupancyService occupancy() {
        return new OccupancyService(resources, bookings, occupancy, clock);
    }

    /** The sweep's reminders, published on the bus BOOKING_REMINDER_LEAD_HOURS (the template's parameter, 24 by default) before each start. */
    org.territoire.bookings.booking.BookingReminders reminders() {
        return reminders(events(), java.time.Duration.ofHours(Long.parseLong(Env.getOrDefault("BOOKING_REMINDER_LEAD_HOURS", "24"))));
    }

    public org.territoire.bookings.booking.BookingReminders reminders(org.territoire.shared.events.DomainEvents events, java.time.Duration lead) {
        return new org.territoire.bookings.booking.BookingReminders(bookings, events, lead);
    }

    /** The reminders' store on its own, for tests that race it. */
    public org.territoire.bookings.booking.ReminderRepository reminderStore() {
        return bookings;
    }

    public BookingSweeper sweeper() {
        return new BookingSweeper(resources, bookings, quotas);
    }

    /** The account-events consumer's parts: it issues no page token, so it needs no pagination secret. */
    static Wiring forAccountEvents() {
        return of(Aws.dynamoDb(), Env.require(TABLE_VARIABLE), Clock.systemUTC(),
                ZoneId.of(Env.getOrDefault("TERRITORY_TIME_ZONE", "Europe/Paris")), org.territoire.shared.accounts.Erasures.privateTokens());
    }

    /** What the bookings capability holds about a person, for the accounts capability's events. */
    public org.territoire.shared.accounts.PersonalData personalData() {
        return new org.territoire.bookings.store.DynamoBookingsPersonalData(layout, bookings, resources, quotas, clock);
    }

    /** On the same client and table as the adapters: one DynamoDB client per function. */
    public IdempotencyStore idempotency() {
        return new DynamoIdempotencyStore(dynamo, table, clock);
    }
}
