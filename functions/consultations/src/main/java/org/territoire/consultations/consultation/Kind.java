package org.territoire.consultations.consultation;

/** What a consultation asks of residents. */
public enum Kind {
    /** Questions to answer. */
    POLL,
    /** Residents submit ideas and support each other's. */
    PROPOSALS,
    /** A pilot of a catalogue service; residents answer structured questions about it during and after the pilot. */
    EXPERIMENT;

    public boolean hasQuestions() {
        return this != PROPOSALS;
    }
}
