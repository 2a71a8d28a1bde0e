package org.territoire.shared.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.territoire.shared.error.DomainError;

/**
 * The accounts capability's events on the territory's bus (source {@value #SOURCE}), which
 * every capability consumes for the data it holds about a person:
 * <ul>
 *   <li>{@code Account Deleted}, detail {@code {"accountId": "<cognito sub>", "deletedAt": "<ISO instant>"}}:
 *       erase or anonymise;</li>
 *   <li>{@code Account Export Requested}, detail {@code {"accountId": "<sub>", "exportId": "<uuid>", "requestedAt": "..."}}:
 *       write what is held to {@code exports/<exportId>/<capability>.json} in the export bucket.</li>
 * </ul>
 */
public sealed interface AccountEvent {
    String SOURCE = "territoire.accounts";
    String DELETED = "Account Deleted";
    String EXPORT_REQUESTED = "Account Export Requested";

    String accountId();

    record Deleted(String accountId, Instant deletedAt) implements AccountEvent {
    }

    record ExportRequested(String accountId, String exportId, Instant requestedAt) implements AccountEvent {
    }

    /** The event EventBridge delivered, or {@link DomainError.Invalid} naming what is wrong (never echoing it). */
    static AccountEvent parse(JsonNode event) {
        String type = event.path("detail-type").asText("");
        JsonNode detail = event.path("detail");
        String accountId = detail.path("accountId").asText("");
        // A Cognito sub is a UUID; the local issuer's subs are short names: both fit this.
        if (!accountId.matches("[A-Za-z0-9._@:-]{1,128}")) {
            throw DomainError.invalid("detail.accountId", "must be the account's id (1 to 128 letters, digits, . _ @ : -)");
        }
        return switch (type) {
            case DELETED -> new Deleted(accountId, instant(detail, "deletedAt"));
            case EXPORT_REQUESTED -> {
                String exportId = detail.path("exportId").asText("");
                try {
                    if (!UUID.fromString(exportId).toString().equals(exportId.toLowerCase())) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw DomainError.invalid("detail.exportId", "must be a UUID");
                }
                yield new ExportRequested(accountId, exportId.toLowerCase(), instant(detail, "requestedAt"));
            }
            default -> throw DomainError.invalid("detail-type", "must be " + DELETED + " or " + EXPORT_REQUESTED);
        };
    }

    private static Instant instant(JsonNode detail, String field) {
        try {
            return Instant.parse(detail.path(field).asText(""));
        } catch (DateTimeParseException e) {
            throw DomainError.invalid("detail." + field, "must be an ISO-8601 instant");
        }
    }
}
