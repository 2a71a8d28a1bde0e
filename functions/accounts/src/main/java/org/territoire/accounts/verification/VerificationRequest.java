package org.territoire.accounts.verification;

import java.time.Instant;
import java.util.Optional;

/**
 * A person's request to be verified as a resident of a district. What it keeps once decided is
 * only the method, the district, when and by whom: the postal address is dropped when the letter
 * is sent, the code is kept as a keyed hash until it is used, and a census request keeps nothing
 * of the identifier it was matched with.
 *
 * @param address     the declared address of a postal request, until the letter is sent
 * @param codeHash    the keyed hash of the postal code, while it may be typed
 * @param triesLeft   how many more codes may be typed (postal)
 */
public record VerificationRequest(String id, String accountId, Method method, String district, RequestStatus status,
                                  Instant createdAt, Optional<String> address, Optional<String> codeHash,
                                  Optional<Instant> codeExpiresAt, int triesLeft, Optional<String> decidedBy,
                                  Optional<Instant> decidedAt) {

    public static VerificationRequest open(String id, String accountId, Method method, String district, Instant at,
                                           Optional<String> address) {
        return new VerificationRequest(id, accountId, method, district, RequestStatus.PENDING, at, address, Optional.empty(),
                Optional.empty(), 0, Optional.empty(), Optional.empty());
    }

    public VerificationRequest decided(RequestStatus outcome, String by, Instant at) {
        return new VerificationRequest(id, accountId, method, district, outcome, createdAt, Optional.empty(), Optional.empty(),
                Optional.empty(), 0, Optional.of(by), Optional.of(at));
    }

    public VerificationRequest letterSent(String codeHash, Instant codeExpiresAt, int tries) {
        return new VerificationRequest(id, accountId, method, district, RequestStatus.LETTER_SENT, createdAt, Optional.empty(),
                Optional.of(codeHash), Optional.of(codeExpiresAt), tries, decidedBy, decidedAt);
    }

    public VerificationRequest withTriesLeft(int tries) {
        return new VerificationRequest(id, accountId, method, district, status, createdAt, address, codeHash, codeExpiresAt, tries,
                decidedBy, decidedAt);
    }
}
