package org.territoire.feedback.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.feedback.catalogue.CatalogueService;
import org.territoire.feedback.catalogue.InMemoryServiceRepository;
import org.territoire.feedback.report.ReportService.NewReport;
import org.territoire.feedback.report.ReportService.NewStatus;
import org.territoire.local.aws.MutableClock;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/** The reports' rules, on in-memory ports. */
@Tag("unit")
class ReportServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryServiceRepository services = new InMemoryServiceRepository();
    private final InMemoryReportRepository stored = new InMemoryReportRepository(clock);
    private final ReportService reports = new ReportService(new CatalogueService(services, clock), stored, clock, Duration.ofDays(30));

    ReportServiceTest() {
        services.add("voirie", "ville");
    }

    @Test
    void aResident_reports_toTheOperator_withTheFirstStep() {
        Report report = reports.report(resident("alice"), here("voirie"));

        assertThat(report.organisationId()).isEqualTo("ville");
        assertThat(report.status()).isEqualTo(ReportStatus.OPEN);
        assertThat(stored.history(report.id())).singleElement().satisfies(step -> {
            assertThat(step.actorRole()).isEqualTo(StatusChange.RESIDENT);
            assertThat(step.to()).isEqualTo(ReportStatus.OPEN);
        });
        assertThatThrownBy(() -> reports.report(agent(), here("voirie"))).isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void coordinates_areKeptToSevenDecimals_soAnyFormValueCanBeStored() {
        Report report = reports.report(resident("alice"), new NewReport("voirie", "Nid-de-poule devant l'école",
                1.22394164528722e-259, 4.835659123456, null, null, null));

        assertThat(report.latitude()).isEqualTo(0.0);
        assertThat(report.longitude()).isEqualTo(4.8356591);
    }

    @Test
    void aReport_needsNoDescription_asGeoReportAllows_butAGivenOneSaysEnough() {
        Report report = reports.report(resident("alice"), new NewReport("voirie", null, 45.76, 4.83, null, null,
                "https://photos.example.org/banc.jpg"));

        assertThat(report.description()).isNull();
        assertThat(stored.reports).containsKey(report.id());
        assertThatThrownBy(() -> reports.report(resident("alice"), new NewReport("voirie", "  court ", 45.76, 4.83, null, null, null)))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("description"));
    }

    @Test
    void badReports_areInvalid_naming_theirFields_andNothingIsStored() {
        assertThatThrownBy(() -> reports.report(resident("a"), new NewReport("voirie", "court", 91.0, null, null, null, "ftp://x")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .contains("description", "latitude", "longitude", "mediaUrl"));
        assertThatThrownBy(() -> reports.report(resident("a"), here("nowhere")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("serviceId"));
        services.add("old", "ville");
        services.retire("old");
        assertThatThrownBy(() -> reports.report(resident("a"), here("old"))).isInstanceOf(DomainError.Invalid.class);
        assertThat(stored.reports).isEmpty();
    }

    @Test
    void theOperator_movesAReportForward_neverBack_andNotFromAStatusItLeft() {
        String id = reports.report(resident("b"), here("voirie")).id();

        assertThatThrownBy(() -> reports.changeStatus(provider("autre"), id, new NewStatus(ReportStatus.ACKNOWLEDGED, null, null, null)))
                .isInstanceOf(DomainError.Forbidden.class);
        assertThatThrownBy(() -> reports.changeStatus(provider("ville"), id, new NewStatus(ReportStatus.REJECTED, null, null, null)))
                .as("a rejection needs a reason").isInstanceOf(DomainError.Invalid.class);
        assertThat(reports.changeStatus(provider("ville"), id, new NewStatus(ReportStatus.RESOLVED, "Réparé", null, null)).status())
                .isEqualTo(ReportStatus.RESOLVED);
        assertThatThrownBy(() -> reports.changeStatus(agent(), id, new NewStatus(ReportStatus.IN_PROGRESS, null, null, null)))
                .isInstanceOf(DomainError.RuleViolated.class);
        assertThatThrownBy(() -> reports.changeStatus(agent(), "nothing", new NewStatus(ReportStatus.IN_PROGRESS, null, null, null)))
                .isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void aMoveThatLostTheRace_isAConflict() {
        String id = reports.report(resident("c"), here("voirie")).id();
        ReportRepository racing = new ForwardingReports(stored) {
            @Override
            public boolean changeStatus(Report report, StatusChange change, String duplicateOf, Instant contactExpiresAt) {
                stored.moveBehindTheServicesBack(report.id(), ReportStatus.ACKNOWLEDGED);
                return super.changeStatus(report, change, duplicateOf, contactExpiresAt);
            }
        };
        ReportService service = new ReportService(new CatalogueService(services, clock), racing, clock);

        assertThatThrownBy(() -> service.changeStatus(agent(), id, new NewStatus(ReportStatus.IN_PROGRESS, null, null, null)))
                .isInstanceOf(DomainError.Conflict.class);
    }

    @Test
    void aDuplicate_namesAnotherReportThatExists() {
        String first = reports.report(resident("d"), here("voirie")).id();
        String second = reports.report(resident("e"), here("voirie")).id();

        assertThatThrownBy(() -> reports.changeStatus(agent(), second, new NewStatus(ReportStatus.DUPLICATE, null, null, second)))
                .isInstanceOf(DomainError.Invalid.class);
        assertThatThrownBy(() -> reports.changeStatus(agent(), second, new NewStatus(ReportStatus.DUPLICATE, null, null, "nothing")))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("duplicateOf"));
        assertThat(reports.changeStatus(agent(), second, new NewStatus(ReportStatus.DUPLICATE, null, null, first)).duplicateOf())
                .isEqualTo(first);
    }

    @Test
    void outsiders_seeRoles_notWho_andAClientsContactIsKeptForTheRetentionAfterClosing() {
        Report filed = reports.reportFor("open311:k1", here("voirie"), new Report.Contact("jo@example.org", null, "Jo", null));
        reports.changeStatus(provider("ville"), filed.id(), new NewStatus(ReportStatus.RESOLVED, null, null, null));

        ReportService.ReportView outside = reports.view(resident("bob"), filed.id());
        assertThat(outside.report().authorId()).isNull();
        assertThat(outside.report().contact()).isNull();
        assertThat(outside.history()).allSatisfy(step -> assertThat(step.actorId()).isNull());
        ReportService.ReportView inside = reports.view(provider("ville"), filed.id());
        assertThat(inside.report().contact().keptUntil()).isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        assertThat(inside.history()).extracting(StatusChange::actorId).containsExactly("open311:k1", "staff-ville");

        clock.advance(Duration.ofDays(30));
        assertThat(reports.view(provider("ville"), filed.id()).report().contact()).isNull();
        assertThatThrownBy(() -> reports.reportFor("open311:k1", here("voirie"), new Report.Contact("not an address", null, null, null)))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("email"));
    }

    @Test
    void followingTwice_isAConflict_andOnlyOperatorsListAnOrganisation() {
        String id = reports.report(resident("f"), here("voirie")).id();
        reports.follow(resident("fan"), id);

        assertThatThrownBy(() -> reports.follow(resident("fan"), id)).isInstanceOf(DomainError.Conflict.class);
        assertThatThrownBy(() -> reports.follow(resident("fan"), "nothing")).isInstanceOf(DomainError.NotFound.class);
        assertThat(reports.ofOrganisation(provider("ville"), "ville", ReportStatus.OPEN, 20, Optional.empty()).items())
                .extracting(Report::id).containsExactly(id);
        assertThatThrownBy(() -> reports.ofOrganisation(provider("autre"), "ville", ReportStatus.OPEN, 20, Optional.empty()))
                .isInstanceOf(DomainError.Forbidden.class);
    }

    @Test
    void nearby_offersTheServicesOpenReportsWithin50m_nearestFirst_withoutAuthors() {
        String near = reports.report(resident("g"), at("voirie", 45.76400, 4.83570)).id();
        reports.report(resident("h"), at("voirie", 45.76480, 4.83570));

        ReportService.Nearby nearby = reports.nearby("voirie", 45.76430, 4.83570);

        assertThat(nearby.radiusMetres()).isEqualTo(50);
        assertThat(nearby.items()).extracting(Report::id).containsExactly(near);
        assertThat(nearby.items()).allSatisfy(r -> assertThat(r.authorId()).isNull());
        assertThatThrownBy(() -> reports.nearby("voirie", 91, 0)).isInstanceOf(DomainError.Invalid.class);
        assertThatThrownBy(() -> reports.nearby("nowhere", 45, 4)).isInstanceOf(DomainError.NotFound.class);
    }

    @Test
    void theMap_takesABoxOfHalfADegreeAtMost_andShowsNoAuthor() {
        reports.report(resident("i"), at("voirie", 45.76, 4.83));

        assertThat(reports.inArea(new ReportService.Area(45.7, 4.8, 45.8, 4.9), Set.of(), 100, Optional.empty()).items())
                .singleElement().satisfies(r -> assertThat(r.authorId()).isNull());
        for (ReportService.Area bad : List.of(new ReportService.Area(45.0, 4.0, 46.0, 4.1), new ReportService.Area(45.8, 4.8, 45.7, 4.9),
                new ReportService.Area(45.7, 4.9, 45.8, 4.8))) {
            assertThatThrownBy(() -> reports.inArea(bad, Set.of(), 100, Optional.empty())).isInstanceOf(DomainError.Invalid.class);
        }
    }

    private static NewReport here(String service) {
        return new NewReport(service, "Lampadaire en panne depuis trois jours", null, null, "1 rue de la Gare", null, null);
    }

    private static NewReport at(String service, double lat, double lon) {
        return new NewReport(service, "Lampadaire en panne depuis trois jours", lat, lon, null, null, null);
    }

    private static Caller resident(String id) {
        return Caller.fromClaims(Map.of("sub", id, Caller.GROUPS_CLAIM, "[resident]", Caller.DISTRICT_CLAIM, "centre")).orElseThrow();
    }

    private static Caller provider(String organisation) {
        return Caller.fromClaims(Map.of("sub", "staff-" + organisation, Caller.GROUPS_CLAIM, "[provider]",
                Caller.ORGANISATION_CLAIM, organisation)).orElseThrow();
    }

    private static Caller agent() {
        return Caller.fromClaims(Map.of("sub", "agent-1", Caller.GROUPS_CLAIM, "[agent]", Caller.ORGANISATION_CLAIM, "mairie")).orElseThrow();
    }

    /** A port that passes every call to another: tests override the one call they make race. */
    private static class ForwardingReports implements ReportRepository {
        private final ReportRepository to;

        ForwardingReports(ReportRepository to) {
            this.to = to;
        }

        @Override
        public void create(Report report, StatusChange first) {
            to.create(report, first);
        }

        @Override
        public boolean changeStatus(Report report, StatusChange change, String duplicateOf, Instant contactExpiresAt) {
            return to.changeStatus(report, change, duplicateOf, contactExpiresAt);
        }

        @Override
        public boolean follow(String reportId, String userId) {
            return to.follow(reportId, userId);
        }

        @Override
        public Optional<Report> find(String id) {
            return to.find(id);
        }

        @Override
        public List<StatusChange> history(String id) {
            return to.history(id);
        }

        @Override
        public org.territoire.shared.page.Page<Report> byAuthor(String authorId, int limit, Optional<String> token) {
            return to.byAuthor(authorId, limit, token);
        }

        @Override
        public org.territoire.shared.page.Page<Report> byOrganisation(String organisationId, ReportStatus status, int limit,
                                                                     Optional<String> token) {
            return to.byOrganisation(organisationId, status, limit, token);
        }

        @Override
        public org.territoire.shared.page.Page<Report> inArea(ReportService.Area area, Set<ReportStatus> statuses, int limit,
                                                             Optional<String> token) {
            return to.inArea(area, statuses, limit, token);
        }

        @Override
        public List<Report> filedBetween(Instant from, Instant to, Set<String> serviceIds, Set<ReportStatus> statuses, int max) {
            return this.to.filedBetween(from, to, serviceIds, statuses, max);
        }

        @Override
        public List<Report> openOf(String organisationId) {
            return to.openOf(organisationId);
        }
    }
}
