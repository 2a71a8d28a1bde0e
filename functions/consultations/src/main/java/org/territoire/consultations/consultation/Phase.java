package org.territoire.consultations.consultation;

/**
 * Where a consultation stands: draft → scheduled → open → closed → results published. Only
 * the first step and the last are actions of an agent; opening and closing follow the clock,
 * so there is no job to run and nothing to miss.
 */
public enum Phase {
    DRAFT, SCHEDULED, OPEN, CLOSED, RESULTS_PUBLISHED
}
