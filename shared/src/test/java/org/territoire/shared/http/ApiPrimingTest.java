package org.territoire.shared.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.error.DomainError;

@Tag("unit")
class ApiPrimingTest {
    private final List<String> served = new ArrayList<>();
    private final ApiHandler handler = new ApiHandler(new Router()
            .get("/things", Access.SIGNED_IN, r -> {
                served.add(r.caller().id() + " lists " + r.query("limit").orElse("all"));
                return ApiResponse.ok(Map.of("items", List.of()));
            })
            .get("/things/{id}", Access.SIGNED_IN, r -> {
                served.add(r.caller().id() + " reads " + r.path("id"));
                throw DomainError.notFound("no such thing");
            })
            .post("/things", Access.MEMBERS, r -> {
                served.add("created");
                return ApiResponse.noContent();
            })
            .get("/boom", Access.SIGNED_IN, r -> {
                throw new IllegalStateException("storage gone while the version is published");
            }), new ApiHandlerTest.MemoryIdempotencyStore()) {
    };

    @Test
    void prime_servesEachGet_throughTheRealRoute_asASignedInCaller() {
        ApiPriming.prime(handler, ApiPriming.get("/things/absent", Map.of()), ApiPriming.get("/things", Map.of("limit", "1")));

        assertThat(served).containsExactly("snapstart-priming reads absent", "snapstart-priming lists 1");
    }

    @Test
    void prime_buildsTheClientsMadeOnFirstUse_intoTheSnapshot() {
        java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
        var bus = org.territoire.shared.ddb.LazyClient.of(() -> "bus-" + built.incrementAndGet());

        ApiPriming.prime(handler, ApiPriming.get("/things", Map.of()));

        assertThat(built).hasValue(1);
        assertThat(bus.get()).isEqualTo("bus-1");
    }

    @Test
    void prime_neverThrowsIntoTheCheckpoint_andGoesOnAfterAFailure() {
        ApiPriming.prime(handler, ApiPriming.get("/boom", Map.of()), "not an event", ApiPriming.get("/things", Map.of()));

        assertThat(served).containsExactly("snapstart-priming lists all");
    }

    @Test
    void get_isAReadOnlyPayload2Event_thatNoWriteRouteMatches() {
        HttpApiEvent event = HttpApiEvent.from(org.territoire.shared.json.Json.event(new java.io.ByteArrayInputStream(
                ApiPriming.get("/things", Map.of()).getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        assertThat(event.method()).isEqualTo("GET");
        assertThat(event.body()).isNull();
        assertThat(event.claims()).containsEntry("sub", "snapstart-priming");
    }
}
