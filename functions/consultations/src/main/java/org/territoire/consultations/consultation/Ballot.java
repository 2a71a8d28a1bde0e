package org.territoire.consultations.consultation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;

/**
 * One person's answers, checked against the consultation's questions, and what they add to
 * the tallies: one counter per answered question ({@code q1_n}), per chosen choice
 * ({@code q1_c2}) and per scale value ({@code q3_v4}).
 */
public record Ballot(List<Answer> answers) {

    /** An answer: {@code choices} for choice questions, {@code value} for a scale, {@code text} for free text. */
    public record Answer(String questionId, List<String> choices, Integer value, String text) {
    }

    public Ballot {
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    /** Validates every answer against the consultation: one {@code Invalid} naming each faulty field, nothing partial. */
    public static Ballot checked(Consultation consultation, List<Answer> answers) {
        List<FieldError> errors = new ArrayList<>();
        if (answers == null || answers.isEmpty()) {
            throw DomainError.invalid("answers", "is required");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            String at = "answers[" + i + "]";
            if (a == null || a.questionId() == null) {
                errors.add(new FieldError(at + ".questionId", "is required"));
                continue;
            }
            var question = consultation.question(a.questionId());
            if (question.isEmpty()) {
                errors.add(new FieldError(at + ".questionId", "is not a question of this consultation"));
                continue;
            }
            if (!seen.add(a.questionId())) {
                errors.add(new FieldError(at + ".questionId", "is answered twice"));
                continue;
            }
            Question q = question.get();
            List<String> choices = a.choices() == null ? List.of() : a.choices();
            switch (q.type()) {
                case SINGLE_CHOICE, MULTIPLE_CHOICE -> {
                    int max = q.type() == Question.Type.SINGLE_CHOICE ? 1 : q.maxChoices();
                    if (choices.isEmpty()) {
                        errors.add(new FieldError(at + ".choices", "is required: pick " + (max == 1 ? "one choice" : "1 to " + max + " choices")));
                    } else if (new LinkedHashSet<>(choices).size() != choices.size()) {
                        errors.add(new FieldError(at + ".choices", "names a choice twice"));
                    } else if (choices.size() > max) {
                        errors.add(new FieldError(at + ".choices", "has " + choices.size() + " choices; at most " + max));
                    } else {
                        choices.stream().filter(c -> !q.hasChoice(c)).findFirst().ifPresent(c ->
                                errors.add(new FieldError(at + ".choices", "names a choice that is not one of question " + q.id() + "'s")));
                    }
                    if (a.value() != null || a.text() != null) {
                        errors.add(new FieldError(at, "a choice question takes choices only"));
                    }
                }
                case SCALE -> {
                    if (a.value() == null || a.value() < 1 || a.value() > 5) {
                        errors.add(new FieldError(at + ".value", "must be a whole number from 1 to 5"));
                    }
                    if (!choices.isEmpty() || a.text() != null) {
                        errors.add(new FieldError(at, "a scale question takes a value only"));
                    }
                }
                case FREE_TEXT -> {
                    int length = a.text() == null ? 0 : a.text().strip().length();
                    if (length < 1 || length > 2000) {
                        errors.add(new FieldError(at + ".text", "must have 1 to 2000 characters"));
                    }
                    if (!choices.isEmpty() || a.value() != null) {
                        errors.add(new FieldError(at, "a free-text question takes a text only"));
                    }
                }
            }
        }
        for (Question q : consultation.questions()) {
            if (!q.optional() && !seen.contains(q.id())) {
                errors.add(new FieldError("answers", "question " + q.id() + " is required"));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainError.invalid(errors);
        }
        return new Ballot(answers.stream().map(a -> new Answer(a.questionId(), a.choices() == null ? null : List.copyOf(a.choices()),
                a.value(), a.text() == null ? null : a.text().strip())).toList());
    }

    /** The tally counters this ballot adds one to. */
    public Set<String> counters() {
        Set<String> counters = new LinkedHashSet<>();
        for (Answer a : answers) {
            counters.add(a.questionId() + "_n");
            if (a.choices() != null) {
                a.choices().forEach(c -> counters.add(a.questionId() + "_" + c));
            } else if (a.value() != null) {
                counters.add(a.questionId() + "_v" + a.value());
            }
        }
        return counters;
    }

    /** Free-text answers by question. */
    public Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        answers.stream().filter(a -> a.text() != null).forEach(a -> texts.put(a.questionId(), a.text()));
        return texts;
    }

    /** What replacing {@code before} by {@code after} adds to each counter (-1, 0 or +1). */
    public static Map<String, Long> delta(Set<String> before, Set<String> after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        before.forEach(c -> delta.merge(c, -1L, Long::sum));
        after.forEach(c -> delta.merge(c, 1L, Long::sum));
        delta.values().removeIf(v -> v == 0);
        return delta;
    }
}
