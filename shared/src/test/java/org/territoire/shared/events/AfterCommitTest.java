package org.territoire.shared.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.ddb.StorageException;

@Tag("unit")
class AfterCommitTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final DomainEvents REFUSING = (type, detail) -> {
        throw StorageException.busy("the event bus is unavailable", null);
    };

    /** An outbox in memory; {@code broken} refuses to keep, as a table that is down too. */
    private static final class Kept implements Outbox {
        final List<Object[]> events = new ArrayList<>();
        boolean broken;

        @Override
        public void keep(String detailType, Map<String, Object> detail, Instant at) {
            if (broken) {
                throw StorageException.busy("the table is unavailable", null);
            }
            events.add(new Object[] {detailType, detail, at});
        }

        @Override
        public Resent resend(DomainEvents bus, Instant now, int limit) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void anEventTheBusTakes_isNotKept() {
        Kept outbox = new Kept();
        List<String> published = new ArrayList<>();
        new AfterCommit((type, detail) -> published.add(type), outbox, Clock.fixed(NOW, ZoneOffset.UTC)).publish("Booking Approved", Map.of());
        assertThat(published).containsExactly("Booking Approved");
        assertThat(outbox.events).isEmpty();
    }

    @Test
    void anEventTheBusRefuses_isKept_withItsDetailAndTime_andTheCallerDoesNotFail() {
        Kept outbox = new Kept();
        new AfterCommit(REFUSING, outbox, Clock.fixed(NOW, ZoneOffset.UTC)).publish("Booking Approved", Map.of("bookingId", "b1"));
        assertThat(outbox.events).singleElement().satisfies(e -> {
            assertThat(e[0]).isEqualTo("Booking Approved");
            assertThat(e[1]).isEqualTo(Map.of("bookingId", "b1"));
            assertThat(e[2]).isEqualTo(NOW);
        });
    }

    @Test
    void whenTheOutboxRefusesToo_orThereIsNone_theCallerStillDoesNotFail() {
        Kept outbox = new Kept();
        outbox.broken = true;
        new AfterCommit(REFUSING, outbox, Clock.fixed(NOW, ZoneOffset.UTC)).publish("Booking Approved", Map.of("bookingId", "b1"));
        new AfterCommit(REFUSING).publish("Booking Approved", Map.of("bookingId", "b1"));
        assertThat(outbox.events).isEmpty();
    }

    @Test
    void orThrow_keepsWhatTheBusRefuses_butThrowsWhenKeepingFailsToo_soThatTheCallersRetryPublishesIt() {
        Kept outbox = new Kept();
        AfterCommit strict = AfterCommit.orThrow(REFUSING, outbox, Clock.fixed(NOW, ZoneOffset.UTC));
        strict.publish("Account Deleted", Map.of("accountId", "a1"));
        assertThat(outbox.events).hasSize(1);
        outbox.broken = true;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> strict.publish("Account Deleted", Map.of("accountId", "a2")))
                .isInstanceOf(StorageException.class);
        assertThat(outbox.events).hasSize(1);
    }
}
