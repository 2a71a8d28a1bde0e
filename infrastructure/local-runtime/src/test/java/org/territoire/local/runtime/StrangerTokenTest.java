package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.SamTemplate;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.Router;
import org.territoire.shared.json.Json;

/**
 * A stranger signs in: a valid token of the user pool, but in none of the groups resident,
 * provider, agent or admin (and claiming a district and an organisation, which grant nothing
 * by themselves). Every route of the template is tried over HTTP: the public reads answer as
 * they would anyone, everything else is 403 with the reason. Nothing can be booked, unlocked,
 * voted, reported or issued.
 */
class StrangerTokenTest {
    /** What a token without a role may read: the catalogue, the map and its public figures, consultations and budgets and their public results, public devices. */
    private static final Set<String> PUBLIC = Set.of(
            "GET /services", "GET /services/{serviceId}", "GET /services/{serviceId}/evaluations",
            "GET /reports", "GET /reports/nearby", "GET /reports/stats", "GET /reports/{reportId}", "GET /reports/{reportId}/photos",
            "GET /open311/v2/discovery.json", "GET /open311/v2/services.json", "GET /open311/v2/services/{serviceFile}",
            "GET /open311/v2/requests.json", "GET /open311/v2/requests/{requestFile}", "GET /open311/v2/tokens/{tokenFile}",
            "GET /open311/v2/discovery.xml", "GET /open311/v2/services.xml", "GET /open311/v2/requests.xml",
            "ANY /open311/{proxy+}",
            "GET /calendar/{feedToken}", "GET /openapi.yaml",
            "GET /consultations", "GET /consultations/{consultationId}", "GET /consultations/{consultationId}/results",
            "GET /consultations/{consultationId}/export", "GET /consultations/{consultationId}/proposals",
            "GET /consultations/{consultationId}/proposals/{proposalId}",
            "GET /consultations/{consultationId}/proposals/{proposalId}/comments",
            "GET /budgets", "GET /budgets/{budgetId}", "GET /budgets/{budgetId}/projects",
            "GET /budgets/{budgetId}/projects/{projectId}", "GET /budgets/{budgetId}/results", "GET /budgets/{budgetId}/export",
            "GET /devices/{deviceId}", "GET /devices/{deviceId}/latest", "GET /devices/{deviceId}/readings",
            "GET /devices/{deviceId}/rollups", "GET /devices/{deviceId}/ngsi-ld", "GET /ngsi-ld/v1/entities",
            "GET /ngsi-ld/v1/entities/{entityId}", "GET /ngsi-ld/v1/jsonldContexts/territoire",
            "GET /districts/{district}/aggregates", "GET /notifications/vapid-public-key");

    /**
     * What a signed-up account without a role does to its own account (docs/decisions.md, accounts):
     * read it, export or delete it, file and follow its residency verification, and choose what it is
     * told and how (notification preferences are the account's own, not a capability's write).
     */
    private static final Set<String> OWN_ACCOUNT = Set.of(
            "GET /me", "DELETE /me", "POST /me/exports", "GET /me/exports/{exportId}",
            "POST /verifications", "GET /verifications/{requestId}", "POST /verifications/{requestId}/code",
            "GET /me/notifications", "PUT /me/notifications", "POST /me/notifications/push-subscriptions",
            "DELETE /me/notifications/push-subscriptions/{id}");

    /**
     * Anonymous writes that check a credential of their own (the signed token of a mail's
     * unsubscribe link): a bearer token, with or without a role, grants nothing there.
     */
    private static final Set<String> OWN_CREDENTIAL = Set.of("POST /notifications/unsubscribe");

    private static LocalPlatform platform;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static List<String> strangers;

    @BeforeAll
    static void start() {
        platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        strangers = List.of(
                platform.issuer().mint(LocalIssuer.User.of("stranger-1")),
                platform.issuer().mint(LocalIssuer.User.of("stranger-2", "newcomer").inDistrict("centre").ofOrganisation("mairie")));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void everyRoute_refusesATokenWithoutRole_butThePublicReads() throws Exception {
        List<SamTemplate.HttpRoute> routes = new ArrayList<>();
        SamTemplate.load().functions().forEach(f -> routes.addAll(f.routes()));
        assertThat(routes).hasSizeGreaterThan(80);
        assertThat(routes.stream().map(SamTemplate.HttpRoute::routeKey)).containsAll(PUBLIC);

        for (String token : strangers) {
            for (SamTemplate.HttpRoute route : routes) {
                HttpResponse<String> response = send(route, token);
                String what = route.routeKey() + " answered " + response.statusCode() + " " + response.body();
                assertThat(response.statusCode()).as(what).isLessThan(500);
                if (PUBLIC.contains(route.routeKey()) || OWN_ACCOUNT.contains(route.routeKey())) {
                    assertThat(response.statusCode()).as(what).isNotIn(401, 403);
                } else if (OWN_CREDENTIAL.contains(route.routeKey())) {
                    assertThat(response.statusCode()).as(what + ": refused for want of its own credential").isIn(400, 403);
                } else {
                    assertThat(response.statusCode()).as(what).isEqualTo(403);
                    if (!route.path().startsWith("/open311/")) {
                        assertThat(Json.tree(response.body()).path("detail").asText()).as(what).contains("no role");
                    }
                }
            }
        }
    }

    @Test
    void onlyTheRoutesTheTemplateOpens_areOpenToAnyone_inTheKernel() throws Exception {
        for (SamTemplate.Function function : SamTemplate.load().functions()) {
            if (!(Class.forName(function.handlerClass()).getConstructor().newInstance() instanceof ApiHandler api)) {
                continue;
            }
            Map<String, Boolean> authorized = function.routes().stream()
                    .collect(Collectors.toMap(SamTemplate.HttpRoute::routeKey, SamTemplate.HttpRoute::authorized));
            for (Router.Route route : api.router().routes()) {
                assertThat(route.access() == Access.ANYONE).as(route.routeKey() + " is open to anyone exactly when the template opens it")
                        .isEqualTo(!authorized.get(route.routeKey()));
                if (!route.method().equals("GET") && !OWN_ACCOUNT.contains(route.routeKey())) {
                    assertThat(route.access()).as(route.routeKey() + ": a write names its roles, or checks its own credential")
                            .isNotEqualTo(Access.SIGNED_IN);
                }
            }
        }
    }

    /** Valid queries for the public reads that need one, so that the answer is the content, not a 400. */
    private static final Map<String, String> QUERIES = Map.of(
            "GET /reports", "?bbox=4.80,45.74,4.88,45.78",
            "GET /districts/{district}/aggregates", "?kind=AIR_QUALITY&period=" + java.time.LocalDate.now(),
            "GET /ngsi-ld/v1/entities", "?type=AirQualityObserved&q=areaServed%3D%3D%22centre%22");

    @Test
    void thePublicReadsThatTakeAQuery_answerTheirContent_toAStranger() throws Exception {
        for (String token : strangers) {
            for (String routeKey : QUERIES.keySet()) {
                SamTemplate.HttpRoute route = new SamTemplate.HttpRoute(routeKey, "GET", routeKey.substring(4), true);
                HttpResponse<String> response = send(route, token);
                assertThat(response.statusCode()).as(routeKey + " " + response.body()).isEqualTo(200);
            }
        }
    }

    /** Any concrete path for the template: the kernel refuses before any object is looked up. */
    private static HttpResponse<String> send(SamTemplate.HttpRoute route, String token) throws Exception {
        String path = route.path().replaceAll("\\{[^}]+}", "stranger-probe") + QUERIES.getOrDefault(route.routeKey(), "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + token);
        if (path.startsWith("/open311/") && route.method().equals("POST")) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("service_code=x&lat=45.76&long=4.83&description=Lampadaire+en+panne"));
        } else if (route.method().equals("GET") || route.method().equals("DELETE")) {
            request.method(route.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(route.method(), HttpRequest.BodyPublishers.ofString("{}"));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
