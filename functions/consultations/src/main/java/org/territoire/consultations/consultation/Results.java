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

    /** The open-data export: one row per choice or scale value, and the number of free texts; never the texts. */
    public String csv() {
        StringBuilder out = new StringBuilder("consultation_id,question_id,question,type,answered,key,label,count,percentage\r\n");
        for (QuestionResult q : questions) {
            if (q.counts().isEmpty()) {
                row(out, q, "", "", q.answered(), 100.0);
            }
            for (Count count : q.counts()) {
                row(out, q, count.key(), count.label(), count.count(), count.percentage());
            }
        }
        return out.toString();
    }

    /** The export without the free texts, which may name people. */
    public Results withoutTexts() {
        return new Results(consultationId, title, phase, participants, questions.stream()
                .map(q -> new QuestionResult(q.questionId(), q.text(), q.type(), q.answered(), q.counts(), q.average(), null))
                .toList());
    }

    private void row(StringBuilder out, QuestionResult q, String key, String label, long count, double percentage) {
        out.append(String.join(",", csv(consultationId), csv(q.questionId()), csv(q.text()), q.type().name(),
                String.valueOf(q.answered()), csv(key), csv(label), String.valueOf(count), String.valueOf(percentage))).append("\r\n");
    }

    /** RFC 4180 quoting, and a leading quote mark for text a spreadsheet would run as a formula. */
    static String csv(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
