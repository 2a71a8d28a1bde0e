package org.territoire.feedback.catalogue;

/** A WGS 84 point. */
public record Location(Double latitude, Double longitude) {
}
