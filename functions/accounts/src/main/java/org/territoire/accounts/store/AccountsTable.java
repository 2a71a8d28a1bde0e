package org.territoire.accounts.store;

import static org.territoire.shared.ddb.Attributes.s;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The accounts table's layout, known here only. Items:
 * <ul>
 *   <li>{@code REQ#<id> / REQ}: a verification request; {@code gsi1pk = OPEN} while it is open (the
 *       agents' list, sparse), {@code gsi2pk = ACCOUNT#<sub>} (the person's requests), both sorted by
 *       {@code gsi1sk = <createdAt>#<id>};</li>
 *   <li>{@code ACCOUNT#<sub> / OPEN_REQUEST}: the one open request of an account (its guard);</li>
 *   <li>{@code ACCOUNT#<sub> / VERIFICATION}: the standing verification; {@code gsi1pk = VERIFIED},
 *       {@code gsi1sk = <validUntil>#<sub>} until the expiry sweep settled its lapse ({@code expiredAt}),
 *       so the sweep queries what has lapsed by date, sparse, never a scan;</li>
 *   <li>{@code ACCOUNT#<sub> / ROLE#<role>}: the standing of a role (last grant or revocation), and
 *       {@code ACCOUNT#<sub> / ROLELOG#<at>#<uuid>}: each change, who made it and when, written with it;</li>
 *   <li>{@code ACCOUNT#<sub> / CENSUS_CLAIM}: which census entry the account is bound to;</li>
 *   <li>{@code ACCOUNT#<sub> / ATTEMPTS#<day>}: a count of census attempts, expiring;</li>
 *   <li>{@code ACCOUNT#<sub> / EXPORT#<id>}: an export asked for, expiring after 7 days;</li>
 *   <li>{@code CENSUS#<hmac> / CENSUS}: a census entry (district, claimedBy);</li>
 *   <li>{@code DELETED#<sub> / DELETED}: the record of a deletion, for retries.</li>
 * </ul>
 */
final class AccountsTable {
    static final String OPEN_INDEX = "GSI1";
    static final String ACCOUNT_INDEX = "GSI2";
    /** The expiry index's partition on GSI1: every verification whose lapse is not settled yet. */
    static final String VERIFIED = "VERIFIED";

    private AccountsTable() {
    }

    static String account(String accountId) {
        return "ACCOUNT#" + accountId;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", s(sk));
    }

    static Map<String, AttributeValue> request(String id) {
        return key("REQ#" + id, "REQ");
    }

    static Map<String, AttributeValue> openGuard(String accountId) {
        return key(account(accountId), "OPEN_REQUEST");
    }

    static Map<String, AttributeValue> verification(String accountId) {
        return key(account(accountId), "VERIFICATION");
    }

    /** Fixed-width UTC instants (to the millisecond) sort as text, which Instant.toString's variable fraction does not. */
    private static final java.time.format.DateTimeFormatter SORTABLE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    static String sortable(java.time.Instant at) {
        return SORTABLE.format(at);
    }

    static String expirySortKey(java.time.Instant validUntil, String accountId) {
        return SORTABLE.format(validUntil) + "#" + accountId;
    }

    /** Above every expiry key of an instant at or before {@code now} ('$' sorts right after '#'). */
    static String lapsedBy(java.time.Instant now) {
        return SORTABLE.format(now) + "$";
    }

    static Map<String, AttributeValue> censusClaim(String accountId) {
        return key(account(accountId), "CENSUS_CLAIM");
    }

    static Map<String, AttributeValue> census(String hmac) {
        return key("CENSUS#" + hmac, "CENSUS");
    }
}
