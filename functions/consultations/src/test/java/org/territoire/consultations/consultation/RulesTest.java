package org.territoire.consultations.consultation;

import org.territoire.shared.error.DomainError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.territoire.shared.identity.Caller;

/** The lifecycle, eligibility and tallying rules, without storage. */
@org.junit.jupiter.api.Tag("unit")
class RulesTest {
    private static final Instant OPENS = Instant.parse("2026-12-01T08:00:00Z");
    private static final Instant CLOSES = Instant.parse("2026-12-15T18:00:00Z");
    private static final List<Question> QUESTIONS = List.of(
            new Question("q1", "Jour ?", Question.Type.SINGLE_CHOICE, List.of(new Question.Choice("c1", "Mardi"), new Question.Choice("c2", "Samedi")), null, false),
            new Question("q2", "Produits ?", Question.Type.MULTIPLE_CHOICE, List.of(new Question.Choice("c1", "Pain"),
                    new Question.Choice("c2", "Fleurs"), new Question.Choice("c3", "Fromages")), 2, false),
            new Question("q3", "Intérêt", Question.Type.SCALE, List.of(), null, true),
            new Question("q4", "Idée", Question.Type.FREE_TEXT, List.of(), null, true));

    private static Consultation consultation(boolean scheduled, Instant published, List<String> districts) {
        return new Consultation("k", "Marché", "…", Kind.POLL, districts, OPENS, CLOSES, scheduled, published, false, true, null, null,
                QUESTIONS, OPENS.minusSeconds(86_400), "agent", 0);
    }

    @Test
    void thePhase_followsTheClock_onceScheduled() {
        Consultation draft = consultation(false, null, List.of());
        Consultation scheduled = consultation(true, null, List.of());
        Consultation published = consultation(true, CLOSES.plusSeconds(60), List.of());

        assertThat(draft.phase(OPENS.plusSeconds(1))).isEqualTo(Phase.DRAFT);
        assertThat(scheduled.phase(OPENS.minusMillis(1))).isEqualTo(Phase.SCHEDULED);
        assertThat(scheduled.phase(OPENS)).isEqualTo(Phase.OPEN);
        assertThat(scheduled.phase(CLOSES.minusMillis(1))).isEqualTo(Phase.OPEN);
        assertThat(scheduled.phase(CLOSES)).isEqualTo(Phase.CLOSED);
        assertThat(published.phase(CLOSES.plusSeconds(120))).isEqualTo(Phase.RESULTS_PUBLISHED);
    }

    @Test
    void eligibility_isResidentsOfTheScope_fromTheTokensDistrict() {
        Consultation centre = consultation(true, null, List.of("centre", "gare"));
        Caller inside = caller("resident", "gare");
        Caller outside = caller("resident", "hameau");
        Caller agent = caller("agent", "centre");

        assertThat(centre.whyNotEligible(inside)).isEmpty();
        assertThat(centre.whyNotEligible(outside)).get().asString().contains("centre, gare").contains("hameau");
        assertThat(centre.whyNotEligible(agent)).isPresent();
        assertThat(consultation(true, null, List.of()).whyNotEligible(outside)).as("the whole territory").isEmpty();
    }

    @Test
    void aBallot_countsEachAnsweredQuestion_eachChoice_andEachScaleValue() {
        Ballot ballot = Ballot.checked(consultation(true, null, List.of()), List.of(
                new Ballot.Answer("q1", List.of("c2"), null, null), new Ballot.Answer("q2", List.of("c1", "c3"), null, null),
                new Ballot.Answer("q3", null, 4, null), new Ballot.Answer("q4", null, null, "  Des fleurs !  ")));

        assertThat(ballot.counters()).containsExactly("q1_n", "q1_c2", "q2_n", "q2_c1", "q2_c3", "q3_n", "q3_v4", "q4_n");
        assertThat(ballot.texts()).containsExactly(Map.entry("q4", "Des fleurs !"));
    }

    @Test
    void changingABallot_movesOnlyWhatChanged() {
        assertThat(Ballot.delta(Set.of("q1_n", "q1_c1", "q3_v2"), Set.of("q1_n", "q1_c2", "q3_v2")))
                .containsOnly(Map.entry("q1_c1", -1L), Map.entry("q1_c2", 1L));
    }

    @Test
    void badBallots_nameEachFaultyAnswer() {
        Consultation c = consultation(true, null, List.of());
        assertThatThrownBy(() -> Ballot.checked(c, List.of(
                new Ballot.Answer("q1", List.of("c1", "c2"), null, null),
                new Ballot.Answer("q2", List.of("c1", "c1"), null, null),
                new Ballot.Answer("q3", List.of("c1"), 3, null),
                new Ballot.Answer("q1", List.of("c1"), null, null),
                new Ballot.Answer("q9", List.of("c1"), null, null))))
                .isInstanceOfSatisfying(DomainError.Invalid.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactly("answers[0].choices", "answers[1].choices", "answers[2]", "answers[3].questionId",
                                "answers[4].questionId"));
    }

    @Test
    void results_givePercentagesOfThoseWhoAnswered_andTheCsvIsSafeForSpreadsheets() {
        Consultation c = consultation(true, CLOSES, List.of());
        var tallies = new ConsultationRepository.Tallies(4, Map.of("q1_n", 4L, "q1_c1", 3L, "q1_c2", 1L, "q3_n", 2L, "q3_v5", 1L, "q3_v2", 1L));

        Results results = Results.of(c, Phase.RESULTS_PUBLISHED, tallies, q -> List.of("=HYPERLINK(\"x\")"));

        assertThat(results.questions().get(0).counts()).extracting(Results.Count::percentage).containsExactly(75.0, 25.0);
        assertThat(results.questions().get(2).average()).isEqualTo(3.5);
        assertThat(results.csv()).doesNotContain("HYPERLINK");
        assertThat(Results.csv("=1+1")).isEqualTo("'=1+1");
        assertThat(Results.csv("a, \"b\"")).isEqualTo("\"a, \"\"b\"\"\"");
    }

    private static Caller caller(String group, String district) {
        return Caller.fromClaims(Map.of("sub", "u", Caller.GROUPS_CLAIM, "[" + group + "]", Caller.DISTRICT_CLAIM, district)).orElseThrow();
    }
}
