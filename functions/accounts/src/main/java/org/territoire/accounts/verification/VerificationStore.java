package org.territoire.accounts.verification;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.territoire.shared.page.Page;

/** The port over the verification requests and the standing verifications (the accounts table). */
public interface VerificationStore {

    /** Stores a new request; false when the account already has an open one (one open request per account). */
    boolean open(VerificationRequest request);

    Optional<VerificationRequest> request(String requestId);

    /** The open requests, oldest first, for agents. */
    Page<VerificationRequest> open(int limit, Optional<String> nextToken);

    List<VerificationRequest> ofAccount(String accountId);

    /**
     * Decides a request in one conditional write: only if it still stands at {@code expected}.
     * An approval writes the account's verification in the same transaction. False when another
     * decision (or a letter) came first; nothing is written then.
     */
    boolean decide(VerificationRequest decided, RequestStatus expected, Optional<Verification> verification);

    /** PENDING to LETTER_SENT, the address dropped and the code's hash kept; false when it no longer is pending. */
    boolean letterSent(VerificationRequest sent);

    /**
     * Spends one try of a postal code, conditionally: the request is LETTER_SENT, its code not
     * expired at {@code now} and tries remain. The tries left afterwards, or empty when none could be spent.
     */
    Optional<Integer> spendTry(String requestId, Instant now);

    Optional<Verification> verification(String accountId);

    /** Everything held about the account: its requests and its verification. */
    void erase(String accountId);
}
