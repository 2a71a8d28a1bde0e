package org.territoire.consultations.consultation;

import java.util.List;

/**
 * A question of a poll or an experiment. Ids ({@code q1}, {@code c1}...) are given by the
 * platform, by position, so that they are safe as counter names.
 */
public record Question(String id, String text, Type type, List<Choice> choices, Integer maxChoices, boolean optional) {

    public enum Type { SINGLE_CHOICE, MULTIPLE_CHOICE, SCALE, FREE_TEXT }

    public record Choice(String id, String label) {
    }

    public Question {
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public boolean hasChoice(String choiceId) {
        return choices.stream().anyMatch(c -> c.id().equals(choiceId));
    }
}
