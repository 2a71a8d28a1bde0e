package org.territoire.consultations.consultation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.shared.ddb.StorageException;
import org.territoire.shared.events.DomainEvents;

@Tag("unit")
class OpeningAnnouncementsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private final InMemoryOpenings openings = new InMemoryOpenings();
    private final List<Map<String, Object>> published = new ArrayList<>();
    private boolean busDown;
    private final DomainEvents bus = (type, detail) -> {
        if (busDown) {
            throw StorageException.busy("the event bus is unavailable", null);
        }
        assertThat(type).isIn("Consultation Opened", "Budget Vote Opened");
        Map<String, Object> d = new java.util.LinkedHashMap<>(detail);
        d.put("type", type);
        published.add(d);
    };
    private final OpeningAnnouncements announcements = new OpeningAnnouncements(openings, bus);

    @Test
    void anOpenedConsultation_isAnnouncedOncePerDistrict_andOnlyOnce_whileOneStillToOpenWaits() {
        openings.scheduled("opened", List.of("centre", "nord"), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(7)));
        openings.scheduled("later", List.of("centre"), NOW.plusSeconds(60), NOW.plus(Duration.ofDays(7)));
        openings.scheduled("everywhere", List.of(), NOW, NOW.plus(Duration.ofDays(7)));

        assertThat(announcements.sweep(NOW)).isEqualTo(new OpeningAnnouncements.Summary(2, 0, 0, 0, 0));
        assertThat(published).extracting(d -> d.get("consultationId") + "/" + d.get("district"))
                .containsExactly("opened/centre", "opened/nord", "everywhere/null");
        assertThat(openings.inIndex("later")).isTrue();

        assertThat(announcements.sweep(NOW.plusSeconds(30))).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 0, 0));
        assertThat(published).hasSize(3);
        assertThat(announcements.sweep(NOW.plusSeconds(60)).announced()).isEqualTo(1);
        assertThat(published).hasSize(4);
    }

    @Test
    void aBudgetsOpenedVote_isAnnouncedOnceInItsDistrict_beside_aConsultation_andOneClosedBeforeAnySweep_isTakenOutSilently() {
        openings.voteScheduled("b1", List.of("centre"), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(3)));
        openings.voteScheduled("b2", List.of("nord"), NOW.minusSeconds(120), NOW.minusSeconds(30));
        // The same id as a consultation's: a different entry.
        openings.scheduled("b1", List.of("gare"), NOW.minusSeconds(10), NOW.plus(Duration.ofDays(3)));

        assertThat(announcements.sweep(NOW)).isEqualTo(new OpeningAnnouncements.Summary(1, 1, 0, 1, 0));
        assertThat(published)
                .extracting(d -> d.get("type") + "/" + d.get("budgetId") + "/" + d.get("consultationId") + "/" + d.get("district"))
                .containsExactlyInAnyOrder("Budget Vote Opened/b1/null/centre", "Consultation Opened/null/b1/gare");
        assertThat(published).filteredOn(d -> "b1".equals(d.get("budgetId"))).extracting(d -> d.get("closesAt"))
                .containsExactly(NOW.plus(Duration.ofDays(3)).toString());
        assertThat(announcements.sweep(NOW.plusSeconds(60))).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 0, 0));
        assertThat(published).hasSize(2);
    }

    @Test
    void aConsultationThatClosedBeforeAnySweepSawIt_isTakenOutUnannounced() {
        openings.scheduled("missed", List.of("centre"), NOW.minus(Duration.ofDays(8)), NOW.minus(Duration.ofDays(1)));
        assertThat(announcements.sweep(NOW)).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 1, 0));
        assertThat(published).isEmpty();
        assertThat(openings.inIndex("missed")).isFalse();
    }

    @Test
    void whatTheBusRefused_staysClaimed_andASweepFiveMinutesLaterPublishesItAgain_once() {
        openings.scheduled("opened", List.of("centre"), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(7)));
        busDown = true;
        assertThat(announcements.sweep(NOW)).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 0, 1));
        busDown = false;
        // Not while the claiming sweep may still be publishing.
        assertThat(announcements.sweep(NOW.plus(Duration.ofMinutes(4)))).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 0, 0));
        assertThat(published).isEmpty();

        assertThat(announcements.sweep(NOW.plus(Duration.ofMinutes(5)))).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 1, 0, 0));
        assertThat(published).hasSize(1);
        assertThat(openings.inIndex("opened")).isFalse();
        assertThat(announcements.sweep(NOW.plus(Duration.ofMinutes(20)))).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 0, 0));
        assertThat(published).hasSize(1);
    }

    @Test
    void aVoteWhoseAnnouncementTheBusRefused_andThatClosedMeanwhile_isNeverAnnouncedAsOpen() {
        openings.voteScheduled("short", List.of("centre"), NOW.minusSeconds(60), NOW.plus(Duration.ofMinutes(2)));
        busDown = true;
        assertThat(announcements.sweep(NOW)).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 0, 1));
        busDown = false;
        // Five minutes on, the claim may be taken again, but the vote has closed: taken out, no event.
        assertThat(announcements.sweep(NOW.plus(Duration.ofMinutes(5)))).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 1, 0));
        assertThat(published).isEmpty();
        assertThat(announcements.sweep(NOW.plus(Duration.ofMinutes(20)))).isEqualTo(new OpeningAnnouncements.Summary(0, 0, 0, 0, 0));
        assertThat(published).isEmpty();
    }
}
