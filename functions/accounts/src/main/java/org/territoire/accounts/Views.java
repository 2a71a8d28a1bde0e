package org.territoire.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.territoire.accounts.account.AccountService;
import org.territoire.accounts.verification.Verification;
import org.territoire.accounts.verification.VerificationRequest;
import org.territoire.accounts.verification.VerificationService;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;

/** What the API answers: never a code's hash; an address and who decided only to agents. */
final class Views {
    private Views() {
    }

    record RequestView(String id, String method, String district, String status, Instant createdAt, String accountId,
                       String address, Instant codeExpiresAt, Integer triesLeft, String decidedBy, Instant decidedAt) {
    }

    static RequestView of(VerificationRequest r, Caller viewer) {
        boolean agent = viewer.hasAny(Role.AGENT, Role.ADMIN) && !viewer.id().equals(r.accountId());
        return new RequestView(r.id(), r.method().name(), r.district(), r.status().name(), r.createdAt(),
                agent ? r.accountId() : null, agent ? r.address().orElse(null) : null, r.codeExpiresAt().orElse(null),
                r.codeExpiresAt().isPresent() ? r.triesLeft() : null, agent ? r.decidedBy().orElse(null) : null,
                r.decidedAt().orElse(null));
    }

    record VerificationView(String method, String district, Instant verifiedAt, String verifiedBy, Instant validUntil, boolean valid) {
    }

    record StatusView(boolean verified, VerificationView verification, List<RequestView> requests) {
    }

    static StatusView of(VerificationService.Status s, Caller viewer, Instant now) {
        return new StatusView(s.verified(), s.verification().map(v -> of(v, now)).orElse(null),
                s.requests().stream().map(r -> of(r, viewer)).toList());
    }

    static VerificationView of(Verification v, Instant now) {
        return new VerificationView(v.method().name(), v.district(), v.verifiedAt(), v.verifiedBy(), v.expiresAt(), v.validAt(now));
    }

    record MeView(String accountId, String email, List<String> roles, String district, String organisation, StatusView verification,
                  String rolesTakeEffect) {
    }

    static MeView of(AccountService.Me me, Caller viewer, Instant now) {
        return new MeView(me.accountId(), me.email().orElse(null), me.roles(), me.district().orElse(null),
                me.organisation().orElse(null), of(me.verification(), viewer, now), me.rolesTakeEffect());
    }

    record LetterView(RequestView request, String address, String code, Instant codeExpiresAt) {
    }

    static LetterView of(VerificationService.Letter l, Caller agent) {
        return new LetterView(of(l.request(), agent), l.address(), l.code(), l.codeExpiresAt());
    }

    record PendingExport(String exportId, String status, Instant requestedAt, List<String> ready, List<String> pending) {
    }

    record ReadyExport(String exportId, String status, Instant requestedAt, Instant assembledAt, Map<String, String> readme,
                       Map<String, Object> parts) {
    }

    /** One recorded grant or revocation: which role, granted or revoked, by whom, when. */
    record RoleEntryView(String role, boolean granted, String organisationId, String by, Instant at) {
    }

    static RoleEntryView of(org.territoire.accounts.roles.RoleLedger.Entry e) {
        return new RoleEntryView(e.role(), e.granted(), e.organisationId().orElse(null), e.by(), e.at());
    }

    /** A ready export answered as a link: the same document, at {@code downloadUrl} until {@code downloadExpiresAt}. */
    record ExportDownload(String exportId, String status, Instant requestedAt, Instant assembledAt, String downloadUrl,
                          Instant downloadExpiresAt, long sizeBytes) {
    }

    static Object of(AccountService.Export export, Caller viewer, Instant now,
                     java.util.function.Supplier<List<org.territoire.accounts.roles.RoleLedger.Entry>> roleHistory) {
        return switch (export) {
            case AccountService.Pending p -> new PendingExport(p.exportId(), "PENDING", p.requestedAt(), p.ready(), p.pending());
            case AccountService.Ready r -> {
                Map<String, Object> parts = new LinkedHashMap<>();
                // The account's part: the profile, and every grant or revocation of its roles.
                var accounts = org.territoire.shared.json.Json.MAPPER.valueToTree(of(r.me(), viewer, now));
                ((com.fasterxml.jackson.databind.node.ObjectNode) accounts).set("roleHistory",
                        org.territoire.shared.json.Json.MAPPER.valueToTree(roleHistory.get().stream().map(Views::of).toList()));
                parts.put("accounts", accounts);
                for (Map.Entry<String, JsonNode> part : r.parts().entrySet()) {
                    parts.put(part.getKey(), part.getValue());
                }
                yield new ReadyExport(r.exportId(), "READY", r.requestedAt(), r.assembledAt(), r.readme(), parts);
            }
        };
    }
}
