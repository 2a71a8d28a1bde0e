package org.territoire.notifications.delivery;

import java.util.Optional;

/** Where a person's address and language are (the user pool); read when sending, never copied. */
public interface Directory {
    /** The person's address and locale; empty when the account no longer exists. */
    Optional<Recipient> find(String accountId);

    /** @param locale the user pool's {@code locale} attribute (BCP 47), empty when unset */
    record Recipient(String accountId, String email, Optional<String> locale) {
    }
}
