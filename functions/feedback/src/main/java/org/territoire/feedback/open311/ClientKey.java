package org.territoire.feedback.open311;

import java.time.Instant;

/** An Open311 api_key's public part: which organisation's client app it stands for. The secret is never stored. */
public record ClientKey(String keyId, String organisationId, String name, Instant createdAt, String createdBy) {

    /** The author recorded on the reports a client files with this key. */
    public String authorId() {
        return "open311:" + keyId;
    }
}
