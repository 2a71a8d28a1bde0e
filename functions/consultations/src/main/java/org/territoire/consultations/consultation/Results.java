package org.territoire.consultations.consultation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Anonymous results: how many took part and, per question, how many answered, counts and
 * percentages per choice, the distribution and average of a scale, the free texts. Nothing
 * in them says who answered what.
 */
public record Results(String consultationId, String title, Phase phase, long participants, List<QuestionResult> questions) {

    public record QuestionResult(String questionId, String text, Question.Type type, long answered, List<Count> counts,
                                 Double average, List<String> texts) {
    }

    /** A choice's or a scale value's count, and its share of those who answered the question, in percent. */
    public record Count(String key, String label, long count, double percentage) {
    }

    public static Results of(Consultation c, Phase phase, ConsultationRepository.Tallies tallies,
                             Function<String, List<String>> texts) {
        Map<String, Long> n = tallies.counters();
        List<QuestionResult> questions = new ArrayList<>();
        for (Question q : c.questions()) {
            long answered = n.getOrDefault(q.id() + "_n", 0L);
            List<Count> counts = new ArrayList<>();
            Double average = null;
            List<String> free = null;
            switch (q.type()) {
                case SINGLE_CHOICE, MULTIPLE_CHOICE -> q.choices().forEach(choice -> {
                    long count = n.getOrDefault(q.id() + "_" + choice.id(), 0L);
                    counts.add(new Count(choice.id(), choice.label(), count, percent(count, answered)));
                });
                case SCALE -> {
                    long sum = 0;
                    for (int v = 1; v <= 5; v++) {
                        long count = n.getOrDefault(q.id() + "_v" + v, 0L);
                        sum += v * count;
                        counts.add(new Count(String.valueOf(v), String.valueOf(v), count, percent(count, answered)));
                    }
                    average = answered == 0 ? null : Math.round(100.0 * sum / answered) / 100.0;
                }
                case FREE_TEXT -> free = texts.apply(q.id());
            }
            questions.add(new QuestionResult(q.id(), q.text(), q.type(), answered, counts, average, free));
        }
        return new Results(c.id(), c.title(), phase, tallies.participants(), questions);
    }

    private static double percent(long count, long of) {
        return of == 0 ? 0 : Math.round(10_000.0 * count / of) / 100.0;
    }

    /** The open-data export in its RFC 4180 dialect (see {@link OpenData}); never the texts. */
    public String csv() {
        return new String(OpenData.csv(this, OpenData.Dialect.RFC4180), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The export without the free texts, which may name people. */
    public Results withoutTexts() {
        return new Results(consultationId, title, phase, participants, questions.stream()
                .map(q -> new QuestionResult(q.questionId(), q.text(), q.type(), q.answered(), q.counts(), q.average(), null))
                .toList());
    }

    /** One cell of the RFC 4180 dialect. */
    static String csv(String value) {
        return OpenData.cell(value, OpenData.Dialect.RFC4180);
    }
}
