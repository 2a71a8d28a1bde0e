package org.territoire.shared.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.events.DomainEvents;
import org.territoire.shared.events.Outbox;

@Tag("unit")
class PersonalDataWithOutboxTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    /** A capability's own data, which records the calls it receives. */
    private static final class Own implements PersonalData {
        final List<String> calls = new ArrayList<>();

        @Override
        public String capability() {
            return "bookings";
        }

        @Override
        public Map<String, Object> export(String accountId) {
            calls.add("export " + accountId);
            return Map.of("readme", "bookings: yours.", "bookings", List.of());
        }

        @Override
        public Map<String, Integer> erase(String accountId, Instant deletedAt) {
            calls.add("erase " + accountId);
            return Map.of("bookings", 2);
        }
    }

    /** An outbox in memory, by account named. */
    private static final class Kept implements Outbox {
        final List<Outbox.Kept> events = new ArrayList<>();
        final List<String> calls;

        Kept(List<String> calls) {
            this.calls = calls;
        }

        @Override
        public void keep(String detailType, Map<String, Object> detail, Instant at) {
            events.add(new Outbox.Kept(detailType, at, detail));
        }

        @Override
        public Resent resend(DomainEvents bus, Instant now, int limit) {
            throw new UnsupportedOperationException("export and erasure never resend: a call here is a defect of the wrapper");
        }

        @Override
        public List<Outbox.Kept> naming(String accountId) {
            return events.stream().filter(e -> e.detail().containsValue(accountId)).toList();
        }

        @Override
        public int forget(String accountId) {
            calls.add("forget " + accountId);
            int before = events.size();
            events.removeIf(e -> e.detail().containsValue(accountId));
            return before - events.size();
        }
    }

    @Test
    void theExport_listsTheKeptEventsNamingThePerson_withTheirTypeTimeAndDetail_andSaysWhatTheyAre() {
        Own own = new Own();
        Kept outbox = new Kept(own.calls);
        outbox.keep("Booking Approved", new LinkedHashMap<>(Map.of("bookingId", "b1", "bookerId", "a1")), NOW);
        outbox.keep("Booking Approved", new LinkedHashMap<>(Map.of("bookingId", "b2", "bookerId", "a2")), NOW);
        Map<String, Object> export = new PersonalDataWithOutbox(own, outbox).export("a1");
        assertThat(export).containsKey("bookings");
        assertThat((List<?>) export.get("keptEvents")).singleElement().isEqualTo(Map.of("detailType", "Booking Approved",
                "keptAt", NOW.toString(), "detail", Map.of("bookingId", "b1", "bookerId", "a1")));
        assertThat((String) export.get("readme")).startsWith("bookings: yours.").contains("keptEvents");
    }

    @Test
    void theErasure_forgetsTheKeptEventsNamingThePerson_first_andCountsThem_othersStay() {
        Own own = new Own();
        Kept outbox = new Kept(own.calls);
        outbox.keep("Booking Approved", new LinkedHashMap<>(Map.of("bookingId", "b1", "bookerId", "a1")), NOW);
        outbox.keep("Booking Approved", new LinkedHashMap<>(Map.of("bookingId", "b2", "bookerId", "a2")), NOW);
        var data = new PersonalDataWithOutbox(own, outbox);
        assertThat(data.capability()).isEqualTo("bookings");
        assertThat(data.erase("a1", NOW)).containsEntry("bookings", 2).containsEntry("keptEvents", 1);
        assertThat(own.calls).containsExactly("forget a1", "erase a1");
        assertThat(outbox.events).extracting(e -> e.detail().get("bookingId")).containsExactly("b2");
        assertThat(data.erase("a1", NOW)).as("a redelivered erasure finds nothing left").containsEntry("keptEvents", 0);
    }
}
