package org.territoire.feedback.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.TerritoryService;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;
import org.territoire.shared.validation.Validation;

/**
 * Residents report problems about a service; the report goes to the organisation that
 * operates it, whose members (and agents) move it through its workflow. Every move is one
 * conditional transaction with its history step, so two operators never both move a report
 * from the same status.
 */
public final class ReportService {
    /** Open reports of the same service this close are offered as possible duplicates. */
    public static final double NEARBY_METRES = 50;

    /** The body of {@code POST /reports}. */
    public record NewReport(String serviceId, String description, Double latitude, Double longitude, String address,
                            Report.ContactPreference contactPreference, String mediaUrl) {
    }

    /** A map's bounding box, in degrees. */
    public record Area(double south, double west, double north, double east) {
    }

    /** The widest box a map may ask for, in degrees of latitude and of longitude (about 55 by 40 km in France). */
    public static final double MAX_AREA_DEGREES = 0.5;

    /** The body of {@code POST /reports/{id}/status}. */
    public record NewStatus(ReportStatus status, String note, String reason, String duplicateOf) {
    }

    /** {@code GET /reports/nearby}: open reports of the service within {@code radiusMetres}, nearest first. */
    public record Nearby(double radiusMetres, List<Report> items) {
    }

    /** A report and its history; who did what only for the report's insiders. */
    public record ReportView(Report report, List<StatusChange> history) {
    }

    /** How long a closed report keeps its reporter's contact, unless configured otherwise. */
    public static final Duration DEFAULT_CONTACT_RETENTION = Duration.ofDays(90);

    private final CatalogueService catalogue;
    private final ReportRepository reports;
    private final Clock clock;
    private final Duration contactRetention;
    private ReportEvents events = ReportEvents.NONE;

    public ReportService(CatalogueService catalogue, ReportRepository reports, Clock clock) {
        this(catalogue, reports, clock, DEFAULT_CONTACT_RETENTION);
    }

    /** {@code contactRetention}: how long after its close a report keeps its reporter's contact details. */
    public ReportService(CatalogueService catalogue, ReportRepository reports, Clock clock, Duration contactRetention) {
        if (contactRetention.isNegative()) {
            throw new IllegalArgumentException("the contact retention cannot be negative");
        }
        this.catalogue = catalogue;
        this.reports = reports;
        this.clock = clock;
        this.contactRetention = contactRetention;
    }

    /** Publishes what happens to reports (after each committed write) through {@code events}. */
    public ReportService publishingTo(ReportEvents events) {
        this.events = events;
        return this;
    }

    public Report report(Caller caller, NewReport r) {
        caller.requireAny(Role.RESIDENT);
        return file(caller.id(), r, null);
    }

    /**
     * A report filed through an Open311 client on someone's behalf: the author is the client's
     * key, and the contact details are what the client passed on.
     */
    public Report reportFor(String clientAuthorId, NewReport r, Report.Contact contact) {
        return file(clientAuthorId, r, contact);
    }

    private Report file(String authorId, NewReport r, Report.Contact contact) {
        Validation v = new Validation().require("serviceId", r.serviceId()).text("description", r.description(), 10, 2000, false)
                .text("address", r.address(), 3, 300, false)
                .range("latitude", r.latitude(), -90, 90).range("longitude", r.longitude(), -180, 180)
                .check((r.latitude() == null) == (r.longitude() == null), "longitude", "latitude and longitude go together")
                .check(r.latitude() != null || r.address() != null, "address", "give a location (latitude and longitude) or an address")
                .check(r.mediaUrl() == null || isWebAddress(r.mediaUrl()), "mediaUrl", "must be an http(s) address of at most 2000 characters");
        if (contact != null) {
            v.text("email", contact.email(), 3, 254, false)
                    .check(contact.email() == null || contact.email().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"), "email", "is not an e-mail address")
                    .text("phone", contact.phone(), 3, 40, false).text("first_name", contact.firstName(), 1, 100, false)
                    .text("last_name", contact.lastName(), 1, 100, false);
        }
        v.throwIfInvalid();
        TerritoryService service = catalogue.find(r.serviceId())
                .orElseThrow(() -> DomainError.invalid("serviceId", "no such service"));
        if (service.retired()) {
            throw DomainError.invalid("serviceId", "this service was retired; report to its successor");
        }
        Instant now = clock.instant();
        Report report = new Report(UUID.randomUUID().toString(), service.id(), service.organisationId(), authorId,
                r.description() == null ? null : r.description().strip(), degrees(r.latitude()), degrees(r.longitude()), r.address() == null ? null : r.address().strip(),
                r.contactPreference() == null ? Report.ContactPreference.NONE : r.contactPreference(), ReportStatus.OPEN, null, 0,
                now, now, r.mediaUrl(), contact == null || contact.empty() ? null : contact);
        reports.create(report, new StatusChange(now, authorId, StatusChange.RESIDENT, null, ReportStatus.OPEN, "reported", null));
        events.routed(report);
        return report;
    }

    private static boolean isWebAddress(String url) {
        if (url.length() > 2000) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(url);
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    public Report changeStatus(Caller caller, String id, NewStatus s) {
        Report report = find(id);
        if (!operates(caller, report.organisationId())) {
            throw DomainError.forbidden("only the operating organisation's members and agents change a report's status");
        }
        Validation v = new Validation().require("status", s.status()).text("note", s.note(), 1, 1000, false)
                .text("reason", s.reason(), 1, 500, s.status() == ReportStatus.REJECTED);
        if (s.status() == ReportStatus.DUPLICATE) {
            v.require("duplicateOf", s.duplicateOf()).check(!id.equals(s.duplicateOf()), "duplicateOf", "must be another report");
        }
        v.throwIfInvalid();
        if (!report.status().next().contains(s.status())) {
            throw DomainError.ruleViolated("a report that is " + report.status().name().toLowerCase() + " cannot become "
                    + s.status().name().toLowerCase());
        }
        if (s.status() == ReportStatus.DUPLICATE && reports.find(s.duplicateOf()).isEmpty()) {
            throw DomainError.invalid("duplicateOf", "no such report");
        }
        Instant now = clock.instant();
        StatusChange change = new StatusChange(now, caller.id(), caller.hasAny(Role.AGENT, Role.ADMIN) ? StatusChange.AGENT
                : StatusChange.OPERATOR, report.status(), s.status(), s.note(), s.reason());
        // Closing starts the contact's retention delay, in the same transaction as the move.
        // (A closed report never reopens: ReportStatus.next() is empty for the closed ones.)
        Instant contactExpiresAt = report.contact() != null && !s.status().open() ? now.plus(contactRetention) : null;
        if (!reports.changeStatus(report, change, s.duplicateOf(), contactExpiresAt)) {
            throw DomainError.conflict("the report was moved meanwhile; read it again");
        }
        events.statusChanged(report, change);
        return report.withStatus(s.status(), s.duplicateOf(), now, contactExpiresAt);
    }

    /**
     * A report and its history. The author's identity, the reporter's contact and who moved the
     * report only for its insiders: the author, the operator (a provider of the operating
     * organisation) and agents; others see each step's role, not its actor.
     */
    public ReportView view(Caller caller, String id) {
        Report report = find(id);
        boolean insider = caller.id().equals(report.authorId()) || operates(caller, report.organisationId());
        List<StatusChange> history = reports.history(id);
        return insider ? new ReportView(report, history)
                : new ReportView(report.withoutPersonalData(), history.stream().map(StatusChange::withoutActor).toList());
    }

    /** Agents and admins, or a provider of that organisation: a token's organisation alone is no role. */
    private static boolean operates(Caller caller, String organisationId) {
        return caller.hasAny(Role.AGENT, Role.ADMIN) || caller.has(Role.PROVIDER) && caller.memberOf(organisationId);
    }

    /** Reports anyone may see on a map, in a bounding box; the open ones unless other statuses are asked for. */
    public Page<Report> inArea(Area area, Set<ReportStatus> statuses, int limit, Optional<String> token) {
        new Validation().range("south", area.south(), -90, 90).range("north", area.north(), -90, 90)
                .range("west", area.west(), -180, 180).range("east", area.east(), -180, 180)
                .check(area.south() <= area.north(), "bbox", "south must not be above north")
                .check(area.west() <= area.east(), "bbox", "west must not be east of east (boxes across the antimeridian are not supported)")
                .check(area.north() - area.south() <= MAX_AREA_DEGREES && area.east() - area.west() <= MAX_AREA_DEGREES,
                        "bbox", "spans more than " + MAX_AREA_DEGREES + " degrees; zoom in")
                .throwIfInvalid();
        Set<ReportStatus> wanted = statuses.isEmpty() ? ReportStatus.openOnes() : statuses;
        Page<Report> page = reports.inArea(area, wanted, limit, token);
        return new Page<>(page.items().stream().map(Report::withoutPersonalData).toList(), page.nextToken());
    }

    /** Reports filed in [from, to), newest first, at most {@code max}: what Open311's request search reads. */
    public List<Report> filedBetween(Instant from, Instant to, Set<String> serviceIds, Set<ReportStatus> statuses, int max) {
        return reports.filedBetween(from, to, serviceIds, statuses, max);
    }

    public Optional<Report> find(String id, boolean publicView) {
        return reports.find(id).map(r -> publicView ? r.withoutPersonalData() : r);
    }

    public void follow(Caller caller, String id) {
        find(id);
        if (!reports.follow(id, caller.id())) {
            throw DomainError.conflict("you already follow this report");
        }
    }

    public Page<Report> mine(Caller caller, int limit, Optional<String> token) {
        return reports.byAuthor(caller.id(), limit, token);
    }

    public Page<Report> ofOrganisation(Caller caller, String organisationId, ReportStatus status, int limit, Optional<String> token) {
        if (!operates(caller, organisationId)) {
            throw DomainError.forbidden("only the organisation's providers and agents list its reports");
        }
        return reports.byOrganisation(organisationId, status, limit, token);
    }

    /**
     * Open reports of the same service within 50 m, nearest first: offered before a resident
     * files a new one, to anyone signed in, so without their authors and contacts.
     */
    public Nearby nearby(String serviceId, double latitude, double longitude) {
        new Validation().range("latitude", latitude, -90, 90).range("longitude", longitude, -180, 180).throwIfInvalid();
        TerritoryService service = catalogue.get(serviceId);
        return new Nearby(NEARBY_METRES, reports.openOf(service.organisationId()).stream()
                .filter(r -> r.serviceId().equals(serviceId) && r.latitude() != null)
                .filter(r -> metres(latitude, longitude, r.latitude(), r.longitude()) <= NEARBY_METRES)
                .sorted(Comparator.comparingDouble(r -> metres(latitude, longitude, r.latitude(), r.longitude())))
                .map(Report::withoutPersonalData).toList());
    }

    private Report find(String id) {
        return reports.find(id).orElseThrow(() -> DomainError.notFound("no such report"));
    }

    /** Great-circle distance (haversine), in metres. */
    static double metres(double lat1, double lon1, double lat2, double lon2) {
        double r = 6_371_008.8;
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.sqrt(a));
    }

    /**
     * A coordinate kept to 7 decimals, about a centimetre: finer is noise from the phone, and
     * DynamoDB cannot store a magnitude below 1E-130 (a form's lat=1e-259 would fail the write).
     */
    static Double degrees(Double value) {
        return value == null ? null
                : java.math.BigDecimal.valueOf(value).setScale(7, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }
}
