package org.territoire.shared.http;

import org.territoire.shared.identity.Role;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.http.ApiException;

@Tag("unit")
class RouterTest {
    private final Router router = new Router()
            .get("/services", r -> ApiResponse.ok("list"))
            .post("/services", Access.roles(Role.AGENT), r -> ApiResponse.ok("create"))
            .get("/services/{serviceId}", r -> ApiResponse.ok(r.path("serviceId")))
            .delete("/services/{serviceId}/evaluations/{evaluationId}", Access.MEMBERS, r -> ApiResponse.noContent());

    @Test
    void match_bindsPathParameters_asDelivered() {
        Router.Match match = router.match("GET", "/services/café-42");

        assertThat(match.route().routeKey()).isEqualTo("GET /services/{serviceId}");
        assertThat(match.pathParameters()).containsEntry("serviceId", "café-42");
    }

    @Test
    void pathParameters_areNotDecodedTwice_sinceTheHttpApiDecodedThem() {
        // A client's /services/a%2541 reaches the function as rawPath /services/a%41.
        assertThat(router.match("GET", "/services/a%41").pathParameters()).containsEntry("serviceId", "a%41");
        assertThat(router.match("GET", "/services/a+b").pathParameters()).containsEntry("serviceId", "a+b");
    }

    @Test
    void emptySegments_matchNoRoute() {
        for (String path : new String[] {"/services//evaluations", "//services", "/services/"}) {
            assertThatThrownBy(() -> router.match("GET", path + "/x")).as(path)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void match_distinguishesMethods_onOnePath() {
        assertThat(router.match("POST", "/services").route().routeKey()).isEqualTo("POST /services");
        assertThat(router.match("get", "/services/").route().routeKey()).isEqualTo("GET /services");
    }

    @Test
    void match_answers405_whenOnlyTheMethodIsUnknown() {
        assertThatThrownBy(() -> router.match("PUT", "/services"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(405));
    }

    @Test
    void match_answers404_forAnUnknownPath_orAnEmptySegment() {
        assertThatThrownBy(() -> router.match("GET", "/nowhere"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> router.match("DELETE", "/services//evaluations/x"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void reads_areForMembers_unlessOpenedExplicitly() {
        Router router = new Router().get("/a", r -> ApiResponse.noContent()).get("/b", Access.SIGNED_IN, r -> ApiResponse.noContent());

        assertThat(router.match("GET", "/a").route().access()).isEqualTo(Access.MEMBERS);
        assertThat(router.match("GET", "/b").route().access()).isEqualTo(Access.SIGNED_IN);
    }

    @Test
    void onlyPosts_areIdempotentRoutes() {
        assertThat(router.routes()).filteredOn(Router.Route::idempotent).extracting(Router.Route::routeKey)
                .containsExactly("POST /services");
    }

    @Test
    void anAnyRoute_withAGreedySegment_takesWhatTheOtherRoutesLeave() {
        Router router = new Router().get("/open311/v2/services.json", Access.ANYONE, r -> ApiResponse.ok("services"))
                .any("/open311/{rest+}", Access.ANYONE, r -> ApiResponse.ok(r.path("rest")));

        assertThat(router.match("GET", "/open311/v2/services.json").route().routeKey()).isEqualTo("GET /open311/v2/services.json");
        Router.Match other = router.match("DELETE", "/open311/v2/services.json");
        assertThat(other.route().routeKey()).isEqualTo("ANY /open311/{rest+}");
        assertThat(other.pathParameters()).containsEntry("rest", "v2/services.json");
        assertThat(router.match("POST", "/open311/v3").pathParameters()).containsEntry("rest", "v3");
        assertThat(router.match("GET", "/open311/v2/a/b/c.xml").pathParameters()).containsEntry("rest", "v2/a/b/c.xml");
        assertThatThrownBy(() -> router.match("GET", "/open311/"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> router.match("GET", "/elsewhere/v2"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(router.routes()).filteredOn(Router.Route::idempotent).isEmpty();
    }
}
