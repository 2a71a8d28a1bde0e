package org.territoire.shared.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.json.Json;

@Tag("unit")
class AccountEventsProcessorTest {
    private final List<String> erased = new ArrayList<>();
    private final List<String> written = new ArrayList<>();
    private boolean failing;

    private final PersonalData data = new PersonalData() {
        @Override
        public String capability() {
            return "feedback";
        }

        @Override
        public Map<String, Object> export(String accountId) {
            return Map.of("readme", "what is held", "items", List.of(accountId));
        }

        @Override
        public Map<String, Integer> erase(String accountId, Instant deletedAt) {
            if (failing) {
                throw new IllegalStateException("table unreachable");
            }
            erased.add(accountId + "@" + deletedAt);
            return Map.of("evaluation", 1);
        }
    };
    private final AccountEventsProcessor processor = new AccountEventsProcessor(data,
            (exportId, capability, json) -> written.add(ExportSink.key(exportId, capability) + " " + json),
            Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

    private static com.fasterxml.jackson.databind.JsonNode event(String type, String detail) {
        return Json.tree("{\"id\":\"e1\",\"source\":\"territoire.accounts\",\"detail-type\":\"" + type + "\",\"detail\":" + detail + "}");
    }

    @Test
    void accountDeleted_erasesTheAccount() {
        processor.handle(event("Account Deleted", "{\"accountId\":\"abc-123\",\"deletedAt\":\"2026-12-01T09:00:00Z\"}"));
        assertThat(erased).containsExactly("abc-123@2026-12-01T09:00:00Z");
    }

    @Test
    void exportRequested_writesTheCapabilitysPartUnderTheExportId() {
        processor.handle(event("Account Export Requested",
                "{\"accountId\":\"abc\",\"exportId\":\"0b7c4a3e-9a59-4a44-8f4e-2f5d1a0c9b11\",\"requestedAt\":\"2026-12-01T09:00:00Z\"}"));
        assertThat(written).hasSize(1);
        assertThat(written.get(0)).startsWith("exports/0b7c4a3e-9a59-4a44-8f4e-2f5d1a0c9b11/feedback.json {")
                .contains("\"readme\":\"what is held\"", "\"items\":[\"abc\"]", "\"generatedAt\":\"2026-12-01T10:00:00.000Z\"");
    }

    @Test
    void malformedEvents_areAcknowledgedWithoutTouchingAnything_andNeverEchoed() {
        for (var bad : List.of(event("Account Deleted", "{\"deletedAt\":\"2026-12-01T09:00:00Z\"}"),
                event("Account Deleted", "{\"accountId\":\"a/../b\",\"deletedAt\":\"2026-12-01T09:00:00Z\"}"),
                event("Account Deleted", "{\"accountId\":\"abc\",\"deletedAt\":\"yesterday\"}"),
                event("Account Export Requested", "{\"accountId\":\"abc\",\"exportId\":\"../../etc\",\"requestedAt\":\"2026-12-01T09:00:00Z\"}"),
                event("Account Renamed", "{\"accountId\":\"abc\"}"),
                Json.tree("{\"id\":\"e2\",\"source\":\"territoire.elsewhere\",\"detail-type\":\"Account Deleted\","
                        + "\"detail\":{\"accountId\":\"abc\",\"deletedAt\":\"2026-12-01T09:00:00Z\"}}"))) {
            Map<String, Object> result = processor.handle(bad);
            assertThat(result).containsKey("rejected");
            assertThat(result.get("rejected").toString()).doesNotContain("a/../b", "../../etc", "yesterday");
        }
        assertThat(erased).isEmpty();
        assertThat(written).isEmpty();
    }

    @Test
    void aFailingErasure_isThrown_soThatItIsRetried_notAcknowledged() {
        failing = true;
        assertThatThrownBy(() -> processor.handle(event("Account Deleted", "{\"accountId\":\"abc\",\"deletedAt\":\"2026-12-01T09:00:00Z\"}")))
                .isInstanceOf(IllegalStateException.class);
    }
}
