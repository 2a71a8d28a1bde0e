package org.territoire.accounts.account;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.territoire.accounts.verification.CensusStore;
import org.territoire.accounts.verification.VerificationService;
import org.territoire.accounts.verification.VerificationStore;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.identity.Caller;

/**
 * The person and their data: their profile, the export of everything the platform holds about
 * them (assembled from the parts each capability writes after the event), and the deletion of
 * the account, which every capability hears of by one event.
 */
public final class AccountService {
    /** What each part of an export is, for the README of the download. */
    public static final Map<String, String> README = readme();

    private final Directory directory;
    private final AccountStore accounts;
    private final VerificationStore verifications;
    private final CensusStore census;
    private final AccountEvents events;
    private final ExportParts parts;
    private final VerificationService verification;
    private final Clock clock;

    public AccountService(Directory directory, AccountStore accounts, VerificationStore verifications, CensusStore census,
                          AccountEvents events, ExportParts parts, VerificationService verification, Clock clock) {
        this.directory = directory;
        this.accounts = accounts;
        this.verifications = verifications;
        this.census = census;
        this.events = events;
        this.parts = parts;
        this.verification = verification;
        this.clock = clock;
    }

    public record Me(String accountId, Optional<String> email, List<String> roles, Optional<String> district,
                     Optional<String> organisation, VerificationService.Status verification, String rolesTakeEffect) {
    }

    public Me me(Caller caller) {
        Optional<Directory.Profile> profile = directory.profile(caller.id());
        return new Me(caller.id(), profile.flatMap(Directory.Profile::email),
                caller.roles().stream().map(r -> r.group()).sorted().toList(), caller.district(), caller.organisation(),
                verification.status(caller), "the roles and district shown are your token's; a change reaches them at your next token refresh");
    }

    /**
     * Deletes the account: first the record of the deletion (once; a retry reuses its instant), then
     * what this capability holds, then the user, then the event, so that a failure at any step is
     * mended by retrying the same call.
     */
    public Instant delete(Caller caller) {
        Instant deletedAt = accounts.recordDeletion(caller.id(), clock.instant());
        verifications.erase(caller.id());
        census.release(caller.id());
        directory.delete(caller.id());
        events.deleted(caller.id(), deletedAt);
        return deletedAt;
    }

    public record ExportStarted(String exportId, Instant requestedAt, List<String> pending) {
    }

    public ExportStarted requestExport(Caller caller) {
        String exportId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        accounts.recordExport(caller.id(), exportId, now);
        events.exportRequested(caller.id(), exportId, now);
        return new ExportStarted(exportId, now, ExportParts.CAPABILITIES);
    }

    /** The assembled export once every capability's part is there; otherwise which parts are pending. */
    public sealed interface Export {
    }

    public record Pending(String exportId, Instant requestedAt, List<String> ready, List<String> pending) implements Export {
    }

    /** The capabilities' parts and this capability's own, {@code me}, which the edge writes as the part "accounts". */
    public record Ready(String exportId, Instant requestedAt, Instant assembledAt, Map<String, String> readme, Me me,
                        Map<String, JsonNode> parts) implements Export {
    }

    public Export export(Caller caller, String exportId) {
        Instant requestedAt = (exportId.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                ? accounts.export(caller.id(), exportId) : Optional.<Instant>empty())
                .orElseThrow(() -> DomainError.notFound("no such export of yours (exports are kept 7 days)"));
        Map<String, JsonNode> written = parts.read(exportId);
        List<String> pending = ExportParts.CAPABILITIES.stream().filter(c -> !written.containsKey(c)).toList();
        if (!pending.isEmpty()) {
            return new Pending(exportId, requestedAt, ExportParts.CAPABILITIES.stream().filter(written::containsKey).toList(), pending);
        }
        Map<String, JsonNode> all = new LinkedHashMap<>();
        ExportParts.CAPABILITIES.forEach(c -> all.put(c, written.get(c)));
        return new Ready(exportId, requestedAt, clock.instant(), README, me(caller), all);
    }

    /** Exports above this size are answered as a link to a file, not inline (Lambda answers at most 6 MB). */
    public static final int INLINE_EXPORT_MAX_BYTES = 1_000_000;
    public static final java.time.Duration DOWNLOAD_VALIDITY = java.time.Duration.ofMinutes(5);

    /** A ready export too large to answer inline: written once to the bucket, read by a link valid 5 minutes. */
    public ExportParts.Download download(Caller caller, String exportId, byte[] assembled) {
        accounts.export(caller.id(), exportId).orElseThrow(() -> DomainError.notFound("no such export of yours (exports are kept 7 days)"));
        return parts.publish(exportId, assembled, DOWNLOAD_VALIDITY);
    }

    private static Map<String, String> readme() {
        Map<String, String> readme = new LinkedHashMap<>();
        readme.put("about", "Everything Territoire holds about your account, one part per capability, as of when each part was written.");
        readme.put("accounts", "Your account: email, roles, district and organisation, your residency verification (method, district,"
                + " when, by whom, until when) and your verification requests, and roleHistory: every grant or revocation of your roles, by whom and when. Identifiers typed for a census match are never kept.");
        readme.put("feedback", "Your evaluations of services, the issue reports you filed and the reports you follow.");
        readme.put("bookings", "Your bookings of pooled spaces and means, and your calendar feeds (without their secret).");
        readme.put("consultations", "Your participations in polls and experiments that are kept, your proposals, supports and comments.");
        readme.put("telemetry", "Your devices and their readings, rollups and alerts.");
        readme.put("notifications", "Your notification preferences and the log of the mails sent to you (what about and when, not their text).");
        return java.util.Collections.unmodifiableMap(readme);
    }
}
