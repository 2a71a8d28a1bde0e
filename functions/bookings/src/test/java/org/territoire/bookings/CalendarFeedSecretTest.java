package org.territoire.bookings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.territoire.local.aws.TestRequests.resident;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.LocalAws;
import org.territoire.local.aws.MutableClock;
import org.territoire.local.aws.TableText;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.HttpApiEvent;
import org.territoire.shared.json.Json;

/** A calendar feed's secret URL is shown once: against the local endpoint, no item of the table holds it. */
class CalendarFeedSecretTest {
    private static final String TABLE = "BookingsTable";

    @Test
    void aNewFeedSecret_isStoredNowhere_andItsReplay_leavesTheUrlOut() {
        LocalAws aws = LocalAws.shared();
        // The test's clock, never the wall clock.
        Clock clock = new MutableClock(Instant.parse("2026-12-01T08:02:00Z"));
        BookingsHandler handler = LocalHandlers.api(LocalHandlers.wiring(aws.dynamoDb(), clock));
        String user = "feed-" + UUID.randomUUID();
        HttpApiEvent ask = new HttpApiEvent(UUID.randomUUID().toString(), "POST", "/bookings/calendar-feed",
                Map.of("idempotency-key", UUID.randomUUID().toString(), "host", "api.territoire.example", "x-forwarded-proto", "https"),
                Map.of(), Map.of(), null, resident(user, "centre"));

        ApiResponse first = handler.handle(ask);
        ApiResponse replay = handler.handle(ask);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        String path = Json.tree(first.body()).path("path").asText();
        String secret = path.substring("/calendar/".length(), path.length() - ".ics".length());
        assertThat(secret).hasSize(43);
        assertThat(Json.tree(first.body()).path("url").asText()).isEqualTo("https://api.territoire.example" + path);
        assertThat(TableText.of(aws.dynamoDb(), TABLE)).contains(user).doesNotContain(secret);

        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.headers()).containsEntry("idempotency-replayed", "true").doesNotContainKey("location");
        assertThat(replay.body()).doesNotContain(secret);
        assertThat(Json.tree(replay.body()).path("secretShownOnce").asBoolean()).isTrue();
        // The replay did not make another secret: the one shown still opens the feed.
        assertThat(handler.handle(new HttpApiEvent(UUID.randomUUID().toString(), "GET", path, Map.of(), Map.of(), Map.of(), null, Map.of()))
                .statusCode()).isEqualTo(200);
    }
}
