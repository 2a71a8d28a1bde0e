package org.territoire.feedback.open311;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.TerritoryService;
import org.territoire.feedback.report.Report;
import org.territoire.feedback.report.ReportService;
import org.territoire.feedback.report.ReportStatus;
import org.territoire.shared.http.ApiException;
import org.territoire.shared.config.Env;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiRequest;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.http.Router;

/**
 * Open311 GeoReport v2 on the feedback data, in XML and JSON, so that existing Open311 clients
 * work unchanged: a service is a catalogue service, a service request is a report.
 * https://wiki.open311.org/GeoReport_v2
 *
 * <p>Reads are anonymous; a write carries an {@code api_key} tied to an organisation, or a
 * resident's bearer token. The format is the path's extension, {@code .xml} or {@code .json},
 * errors included: GeoReport's list of {@code {code, description}}, or {@code <errors>}. API
 * Gateway path variables take whole segments, so the extension of {@code {id}.xml} is read here;
 * any other path under {@code /open311/} reaches {@link #unknown} through the template's
 * {@code ANY /open311/{proxy+}} route, so that it too is answered in GeoReport's words.
 */
public final class Open311Api {
    public static final String BASE = "/open311/v2";
    /** Every other path under the prefix: API Gateway's greedy catch-all, answered with GeoReport's errors. */
    public static final String OTHER_PATHS = "/open311/{proxy+}";
    /** The default and longest search window, and the most requests one search returns. */
    static final Duration WINDOW = Duration.ofDays(90);
    static final int MAX_RESULTS = 1000;
    static final String CHANGESET = "2026-11-25T00:00:00.000Z";
    static final String CONTACT_ATTRIBUTE = "contact_preference";

    private static final Set<String> REQUEST_FIELDS = Set.of("api_key", "jurisdiction_id", "service_code", "lat", "long",
            "address_string", "address_id", "email", "device_id", "account_id", "first_name", "last_name", "phone",
            "description", "media_url");

    /** The report's field names as a GeoReport client knows them. */
    private static final Map<String, String> FIELD_NAMES = Map.of("serviceId", "service_code", "latitude", "lat",
            "longitude", "long", "address", "address_string", "mediaUrl", "media_url");

    private final CatalogueService catalogue;
    private final ReportService reports;
    private final ClientKeys keys;
    private final BearerTokens bearer;
    private final Clock clock;
    private final String jurisdiction;

    public Open311Api(CatalogueService catalogue, ReportService reports, ClientKeys keys, BearerTokens bearer, Clock clock) {
        this(catalogue, reports, keys, bearer, clock, Env.getOrDefault("OPEN311_JURISDICTION_ID", "territoire"));
    }

    public Open311Api(CatalogueService catalogue, ReportService reports, ClientKeys keys, BearerTokens bearer, Clock clock,
                      String jurisdiction) {
        this.jurisdiction = jurisdiction;
        this.catalogue = catalogue;
        this.reports = reports;
        this.keys = keys;
        this.bearer = bearer;
        this.clock = clock;
    }

    /**
     * The reports' first published photos (short presigned GETs), by report id, read for a whole
     * answer at once (a search answers up to 1000 requests); none until {@link #mediaFrom} is called.
     */
    private java.util.function.Function<java.util.Collection<String>, Map<String, java.net.URI>> firstPhoto = ids -> Map.of();

    /** media_url answers the report's first published photo, and else the address the client filed. */
    public Open311Api mediaFrom(java.util.function.Function<java.util.Collection<String>, Map<String, java.net.URI>> firstPublishedPhoto) {
        this.firstPhoto = firstPublishedPhoto;
        return this;
    }

    /** The GeoReport routes alone, to tell a wrong method (405) from a path that is none of them (404). */
    private final Router known = new Router();

    /** Adds the GeoReport routes to a function's route table: each in both formats, then the catch-all. */
    public void register(Router router) {
        for (Router table : List.of(known, router)) {
            for (String format : List.of("json", "xml")) {
                table.get(BASE + "/discovery." + format, Access.ANYONE, geoReport(this::discovery))
                        .get(BASE + "/services." + format, Access.ANYONE, geoReport(r -> answer(r, 200, GeoReportXml.Shape.SERVICES, services())))
                        .post(BASE + "/requests." + format, Access.ANYONE, this::credential, geoReport(this::postRequest))
                        .get(BASE + "/requests." + format, Access.ANYONE, geoReport(this::searchRequests));
            }
            // One template per kind of file: the extension is part of the segment.
            table.get(BASE + "/services/{serviceFile}", Access.ANYONE, geoReport(this::serviceDefinition))
                    .get(BASE + "/requests/{requestFile}", Access.ANYONE, geoReport(this::getRequest))
                    .get(BASE + "/tokens/{tokenFile}", Access.ANYONE, geoReport(this::token));
        }
        router.any(OTHER_PATHS, Access.ANYONE, geoReport(this::unknown));
    }

    /** The path is no GeoReport route, or not with this method: GeoReport's 404 or 405, in the path's format. */
    private ApiResponse unknown(ApiRequest r) {
        known.match(r.event().method(), r.event().path()); // throws the 404 or the 405
        // Only reached if the catch-all were declared before the routes it backs.
        throw DomainError.notFound("no GeoReport v2 route has this path");
    }

    /** A GeoReport document in the format the path asks for: XML for {@code .xml}, else JSON. */
    private static ApiResponse answer(ApiRequest r, int status, GeoReportXml.Shape shape, Object body) {
        return xml(r) ? ApiResponse.text(status, GeoReportXml.MEDIA_TYPE, GeoReportXml.write(shape, body))
                : ApiResponse.json(status, body);
    }

    private static boolean xml(ApiRequest r) {
        return r.event().path().endsWith(".xml");
    }

    private ApiResponse discovery(ApiRequest r) {
        String host = Optional.ofNullable(r.header("host")).orElse("localhost");
        String scheme = Optional.ofNullable(r.header("x-forwarded-proto"))
                .orElse(host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
        var endpoint = new GeoReport.Endpoint("http://wiki.open311.org/GeoReport_v2", scheme + "://" + host + BASE, CHANGESET,
                "production", List.of(GeoReportXml.FORMAT, ApiResponse.JSON));
        return answer(r, 200, GeoReportXml.Shape.DISCOVERY, new GeoReport.Discovery(CHANGESET, "The territory's agents, through its Territoire platform.",
                "An agent, or a provider for its own organisation, issues api_keys with "
                        + "POST /organisations/{organisationId}/open311-keys; residents may use their bearer token instead.",
                List.of(endpoint)));
    }

    private List<GeoReport.Service> services() {
        List<GeoReport.Service> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            var page = catalogue.list(Optional.empty(), 100, token);
            page.items().forEach(s -> out.add(service(s)));
            token = Optional.ofNullable(page.nextToken());
        } while (token.isPresent());
        return out;
    }

    private static GeoReport.Service service(TerritoryService s) {
        return new GeoReport.Service(s.id(), s.name(), s.description(), true, "realtime",
                s.category() + (s.experimental() ? ", experimental" : ""), s.kind().name().toLowerCase(Locale.ROOT));
    }

    /** Every service takes the same one attribute: how its operator may contact the reporter. */
    private ApiResponse serviceDefinition(ApiRequest r) {
        String code = file(r.path("serviceFile"), "service_code");
        catalogue.find(code).filter(service -> !service.retired())
                .orElseThrow(() -> DomainError.notFound("no service has this service_code"));
        List<GeoReport.Value> values = Arrays.stream(Report.ContactPreference.values())
                .map(p -> new GeoReport.Value(p.name(), switch (p) {
                    case NONE -> "Do not contact me";
                    case EMAIL -> "By e-mail";
                    case PHONE -> "By phone";
                })).toList();
        var attribute = new GeoReport.Attribute(true, CONTACT_ATTRIBUTE, "singlevaluelist", false,
                "One of the keys below; NONE when absent.", 1, "How may the operator contact you about this request?", values);
        return answer(r, 200, GeoReportXml.Shape.SERVICE_DEFINITION, new GeoReport.ServiceDefinition(code, List.of(attribute)));
    }

    /**
     * Whose Idempotency-Key this is: the resident a valid bearer token names, else the api_key
     * the client sends in the form (the one the route authenticates).
     */
    String credential(ApiRequest r) {
        Submission submission = submission(r);
        String bearerHeader = r.header("authorization");
        if (bearerHeader != null && !bearerHeader.isBlank()) {
            try {
                return submission.resident().map(c -> "caller:" + c.id()).orElse("unverified");
            } catch (RuntimeException invalid) {
                // The route answers the invalid token in GeoReport's format; its answer is kept apart.
                return "invalid-bearer:" + bearerHeader.strip();
            }
        }
        String key = null;
        try {
            key = apiKey(r, submission.form());
        } catch (RuntimeException unreadable) {
            // The route itself explains an unreadable body; its key scope is the shared one.
        }
        return "api_key:" + Optional.ofNullable(key).orElse("");
    }

    /**
     * The api_key, from the form or, as some GeoReport clients send it even on a POST, from the
     * query string (the local console and the access log leave query strings out).
     */
    private static String apiKey(ApiRequest r, Map<String, String> form) {
        return form.containsKey("api_key") ? form.get("api_key") : r.query("api_key").orElse(null);
    }

    /**
     * The submission of this request, worked out at most once: the Idempotency-Key's scope
     * ({@link #credential}) and the route both need the verified bearer token and the parsed
     * form, and a token's verification costs a signature check. The kernel calls both on the
     * same thread with the same request, so one slot per thread, matched by identity, is enough;
     * the route empties it when done.
     */
    private Submission submission(ApiRequest r) {
        Submission known = submissions.get();
        if (known != null && known.request == r) {
            return known;
        }
        Submission fresh = new Submission(r);
        submissions.set(fresh);
        return fresh;
    }

    private final ThreadLocal<Submission> submissions = new ThreadLocal<>();

    /** One POST's bearer verification and form parsing, each done once; a failure is kept and thrown again. */
    private final class Submission {
        private final ApiRequest request;
        private Optional<Caller> resident;
        private Map<String, String> form;
        private RuntimeException residentFailure;
        private RuntimeException formFailure;

        private Submission(ApiRequest request) {
            this.request = request;
        }

        Optional<Caller> resident() {
            if (resident == null && residentFailure == null) {
                try {
                    resident = bearer.verify(request.header("authorization"));
                } catch (RuntimeException e) {
                    residentFailure = e;
                }
            }
            if (residentFailure != null) {
                throw residentFailure;
            }
            return resident;
        }

        Map<String, String> form() {
            if (form == null && formFailure == null) {
                try {
                    form = FormBody.parse(request.event().body());
                } catch (RuntimeException e) {
                    formFailure = e;
                }
            }
            if (formFailure != null) {
                throw formFailure;
            }
            return form;
        }
    }

    private ApiResponse postRequest(ApiRequest r) {
        try {
            return file(r, submission(r));
        } finally {
            submissions.remove();
        }
    }

    private ApiResponse file(ApiRequest r, Submission submission) {
        String contentType = Optional.ofNullable(r.header("content-type")).orElse(FormBody.MEDIA_TYPE);
        if (!contentType.toLowerCase(Locale.ROOT).startsWith(FormBody.MEDIA_TYPE)) {
            // Said without quoting the body: a JSON body here holds the api_key.
            throw DomainError.invalid("body", "must be " + FormBody.MEDIA_TYPE + ", as GeoReport v2 posts it");
        }
        Map<String, String> form = submission.form();
        List<FieldError> unknown = new ArrayList<>();
        Report.ContactPreference preference = null;
        for (Map.Entry<String, String> field : form.entrySet()) {
            String name = field.getKey();
            if (!FieldError.nameable(name)) {
                unknown.add(new FieldError("body", "has a field that is not a GeoReport v2 request field"));
            } else if (name.startsWith("attribute[") && name.endsWith("]")) {
                String code = name.substring("attribute[".length(), name.length() - 1);
                if (!CONTACT_ATTRIBUTE.equals(code)) {
                    unknown.add(new FieldError(name, "is not an attribute of this service; see its service definition"));
                } else {
                    preference = preference(field.getValue());
                }
            } else if (!REQUEST_FIELDS.contains(name)) {
                unknown.add(new FieldError(name, "is not a GeoReport v2 request field"));
            }
        }
        if (form.containsKey("address_id")) {
            unknown.add(new FieldError("address_id", "is not supported here; send address_string or lat and long"));
        }
        if (!unknown.isEmpty()) {
            throw DomainError.invalid(unknown);
        }
        ReportService.NewReport report = new ReportService.NewReport(form.get("service_code"), given(form, "description"),
                coordinate(form, "lat"), coordinate(form, "long"), given(form, "address_string"), preference, given(form, "media_url"));
        Optional<Caller> resident = submission.resident();
        Report filed;
        try {
            if (resident.isPresent()) {
                filed = reports.report(resident.get(), report);
            } else if (apiKey(r, form) != null) {
                ClientKey key = keys.authenticate(apiKey(r, form))
                        .orElseThrow(() -> DomainError.forbidden("api_key is not valid"));
                filed = reports.reportFor(key.authorId(), report, new Report.Contact(given(form, "email"), given(form, "phone"),
                        given(form, "first_name"), given(form, "last_name")));
            } else {
                throw ApiException.unauthorized("send an api_key, or a resident's bearer token");
            }
        } catch (DomainError.Invalid invalid) {
            // GeoReport: "404 - service_code or jurisdiction_id provided were not found" (checked
            // after the caller, so a credential is judged before anything is looked up).
            String code = form.get("service_code");
            if (code != null && !code.isBlank() && invalid.errors().stream().anyMatch(f -> f.field().equals("serviceId"))
                    && catalogue.find(code.strip()).filter(service -> !service.retired()).isEmpty()) {
                throw DomainError.notFound("no service has this service_code");
            }
            throw invalid;
        }
        var body = new GeoReport.Filed(filed.id(), filed.id(), "Sent to " + filed.organisationId() + ", which operates this service.");
        return answer(r, 201, GeoReportXml.Shape.SERVICE_REQUESTS, List.of(body))
                .withHeader("location", BASE + "/requests/" + filed.id() + (xml(r) ? ".xml" : ".json"));
    }

    private ApiResponse searchRequests(ApiRequest r) {
        Map<String, TerritoryService> services = new HashMap<>();
        Optional<String> ids = r.query("service_request_id");
        if (ids.isPresent()) {
            // GeoReport: with ids, the other filters are ignored.
            List<String> wanted = list(ids.get());
            if (wanted.size() > 100) {
                throw DomainError.invalid("service_request_id", "lists at most 100 ids");
            }
            return answer(r, 200, GeoReportXml.Shape.SERVICE_REQUESTS, requests(wanted.stream().map(id -> reports.find(id, true))
                    .flatMap(Optional::stream).toList(), services));
        }
        Instant now = clock.instant();
        Optional<Instant> start = date(r, "start_date");
        Optional<Instant> end = date(r, "end_date");
        Instant to = end.orElseGet(() -> start.map(s -> s.plus(WINDOW)).filter(t -> t.isBefore(now)).orElse(now));
        Instant from = start.orElse(to.minus(WINDOW));
        if (!from.isBefore(to)) {
            throw DomainError.invalid("end_date", "must be after start_date");
        }
        if (Duration.between(from, to).compareTo(WINDOW) > 0) {
            throw DomainError.invalid("start_date", "the window from start_date to end_date is at most 90 days");
        }
        Set<String> codes = new LinkedHashSet<>(r.query("service_code").map(Open311Api::list).orElse(List.of()));
        Set<ReportStatus> statuses = EnumSet.noneOf(ReportStatus.class);
        for (String status : r.query("status").map(Open311Api::list).orElse(List.of())) {
            switch (status.toLowerCase(Locale.ROOT)) {
                case "open" -> statuses.addAll(ReportStatus.openOnes());
                case "closed" -> statuses.addAll(EnumSet.complementOf(EnumSet.copyOf(ReportStatus.openOnes())));
                default -> throw DomainError.invalid("status", "must be open, closed, or both separated by a comma");
            }
        }
        if (codes.size() > 50) {
            throw DomainError.invalid("service_code", "lists at most 50 codes");
        }
        return answer(r, 200, GeoReportXml.Shape.SERVICE_REQUESTS, requests(reports.filedBetween(from, to, codes, statuses, MAX_RESULTS)
                .stream().map(Report::withoutPersonalData).toList(), services));
    }

    private ApiResponse getRequest(ApiRequest r) {
        String id = file(r.path("requestFile"), "service_request_id");
        Report report = reports.find(id, true).orElseThrow(() -> DomainError.notFound("no such service request"));
        return answer(r, 200, GeoReportXml.Shape.SERVICE_REQUESTS, requests(List.of(report), new HashMap<>()));
    }

    /** Requests are filed at once, so a token is the request's id and always resolves. */
    private ApiResponse token(ApiRequest r) {
        String token = file(r.path("tokenFile"), "token");
        Report report = reports.find(token, true).orElseThrow(() -> DomainError.notFound("no service request for this token"));
        return answer(r, 200, GeoReportXml.Shape.SERVICE_REQUESTS, List.of(new GeoReport.Token(report.id(), token)));
    }

    /** The reports as GeoReport requests, their photos read together. */
    private List<GeoReport.ServiceRequest> requests(List<Report> found, Map<String, TerritoryService> services) {
        Map<String, java.net.URI> media = found.isEmpty() ? Map.of() : firstPhoto.apply(found.stream().map(Report::id).toList());
        return found.stream().map(rep -> request(rep, services, media)).toList();
    }

    private GeoReport.ServiceRequest request(Report r, Map<String, TerritoryService> services, Map<String, java.net.URI> media) {
        TerritoryService service = services.computeIfAbsent(r.serviceId(), id -> catalogue.find(id).orElse(null));
        return new GeoReport.ServiceRequest(r.id(), r.status().open() ? "open" : "closed",
                r.status().name().toLowerCase(Locale.ROOT) + (r.duplicateOf() == null ? "" : " of " + r.duplicateOf()),
                service == null ? null : service.name(), r.serviceId(), r.description(), r.organisationId(), null,
                org.territoire.shared.json.Json.time(r.createdAt()), org.territoire.shared.json.Json.time(r.updatedAt()), null, r.address(), null, null, r.latitude(), r.longitude(),
                Optional.ofNullable(media.get(r.id())).map(java.net.URI::toString).orElse(r.mediaUrl()));
    }

    /**
     * GeoReport's error format on every failure of these routes: {@code [{"code": 400,
     * "description": "..."}]}, or {@code <errors><error><code>400</code><description>...}
     * on a {@code .xml} path. A {@code jurisdiction_id} other than the territory's (in the
     * query, or in a POST's form) is a 404, as the specification says; clients that send none
     * reach the territory, the only jurisdiction here.
     */
    private Router.RouteHandler geoReport(Router.RouteHandler handler) {
        return request -> {
            try {
                String asked = request.query("jurisdiction_id").orElse(null);
                if (asked == null && "POST".equals(request.event().method())) {
                    try {
                        asked = submission(request).form().get("jurisdiction_id");
                    } catch (RuntimeException unreadable) {
                        // The route explains an unreadable form in its own words.
                    }
                }
                if (asked != null && !asked.isBlank() && !asked.strip().equals(jurisdiction)) {
                    throw DomainError.notFound("jurisdiction_id was not found: this endpoint serves one jurisdiction");
                }
                return handler.handle(request);
            } catch (ApiException | DomainError failure) {
                ApiException e = ApiException.of(failure);
                List<GeoReport.Error> errors = e.errors().isEmpty()
                        ? List.of(new GeoReport.Error(e.status(), e.detail()))
                        : e.errors().stream().map(f -> new GeoReport.Error(e.status(),
                                FIELD_NAMES.getOrDefault(f.field(), f.field()) + ": " + f.detail())).toList();
                return answer(request, e.status(), GeoReportXml.Shape.ERRORS, errors);
            } finally {
                submissions.remove(); // a POST's memo lives for its request only, answered or refused
            }
        };
    }

    /** The id in a {@code {id}.json} or {@code {id}.xml} path segment. */
    private static String file(String segment, String name) {
        for (String extension : List.of(".json", ".xml")) {
            if (segment.endsWith(extension) && segment.length() > extension.length()) {
                return segment.substring(0, segment.length() - extension.length());
            }
        }
        throw DomainError.notFound("the formats served are XML and JSON: ask for {" + name + "}.xml or {" + name + "}.json");
    }

    /**
     * An optional field's value, absent when left empty: every field but service_code and the
     * location is optional in GeoReport v2 (description included), and clients built on HTML
     * forms send the fields they leave empty as {@code name=}.
     */
    private static String given(Map<String, String> form, String name) {
        String value = form.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static Double coordinate(Map<String, String> form, String name) {
        String raw = form.get(name);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw DomainError.invalid(name, "must be a decimal number of degrees");
        }
        // Java reads "NaN" and "Infinity" as numbers; no range check refuses NaN.
        if (!Double.isFinite(value) || !raw.strip().matches("[-+]?[0-9]+(\\.[0-9]+)?")) {
            throw DomainError.invalid(name, "must be a decimal number of degrees");
        }
        return value;
    }

    private static Report.ContactPreference preference(String raw) {
        try {
            return Report.ContactPreference.valueOf(raw.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainError.invalid("attribute[" + CONTACT_ATTRIBUTE + "]", "must be one of NONE, EMAIL, PHONE");
        }
    }

    private static Optional<Instant> date(ApiRequest r, String name) {
        return r.query(name).map(raw -> {
            try {
                return OffsetDateTime.parse(raw.strip()).toInstant();
            } catch (DateTimeParseException e) {
                throw DomainError.invalid(name, "must be a W3C date and time, such as 2026-11-25T09:30:00+01:00");
            }
        });
    }

    private static List<String> list(String raw) {
        return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
