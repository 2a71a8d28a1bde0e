package org.territoire.accounts;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import org.territoire.accounts.account.AccountService;
import org.territoire.accounts.roles.RoleService;
import org.territoire.accounts.verification.CensusStore;
import org.territoire.accounts.verification.VerificationService;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;
import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiHandler;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.Router;
import org.territoire.shared.idempotency.IdempotencyStore;
import org.territoire.shared.identity.Role;

/**
 * The accounts capability's function: the person's own account (profile, export, deletion),
 * residency verification, and who grants which role. A signed-up account with no role yet reaches
 * its own routes and files its request ({@link Access#SIGNED_IN}); nothing more.
 */
public final class AccountsHandler extends ApiHandler implements Resource {
    private static final Access AGENTS = Access.roles(Role.AGENT, Role.ADMIN);
    private static final Access ADMINS = Access.roles(Role.ADMIN);
    /** A census upload's size per call (each entry is one write): a territory loads its file in batches. */
    static final int CENSUS_BATCH = 500;

    private final AccountService accounts;
    private final VerificationService verifications;
    private final RoleService roles;
    private final CensusStore census;
    private final Clock clock;

    /** Lambda's entry point: builds the real dependencies once, at init. */
    public AccountsHandler() {
        this(Wiring.fromEnvironment());
    }

    private AccountsHandler(Wiring wiring) {
        this(wiring.accounts(), wiring.verifications(), wiring.roles(), wiring.census(), wiring.idempotency(), Clock.systemUTC());
        Core.getGlobalContext().register(this);
    }

    /** For tests: the services, the census port and the idempotency port to use. */
    public AccountsHandler(AccountService accounts, VerificationService verifications, RoleService roles, CensusStore census,
                           IdempotencyStore idempotency, Clock clock) {
        super(new Router(), idempotency);
        this.accounts = accounts;
        this.verifications = verifications;
        this.roles = roles;
        this.census = census;
        this.clock = clock;
        router().get("/me", Access.SIGNED_IN, r -> ApiResponse.ok(Views.of(accounts.me(r.caller()), r.caller(), clock.instant())))
                .delete("/me", Access.SIGNED_IN, r -> {
                    accounts.delete(r.caller());
                    return ApiResponse.noContent();
                })
                .action("/me/exports", Access.SIGNED_IN, r -> {
                    var started = accounts.requestExport(r.caller());
                    return ApiResponse.json(202, new Views.PendingExport(started.exportId(), "PENDING", started.requestedAt(), List.of(),
                            started.pending())).withHeader("location", "/me/exports/" + started.exportId());
                })
                .get("/me/exports/{exportId}", Access.SIGNED_IN, r -> {
                    Object view = Views.of(accounts.export(r.caller(), r.path("exportId")), r.caller(), clock.instant(),
                            () -> roles.ownHistory(r.caller()));
                    if (view instanceof Views.PendingExport) {
                        return ApiResponse.json(202, view);
                    }
                    String body = org.territoire.shared.json.Json.write(view);
                    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    if (bytes.length <= AccountService.INLINE_EXPORT_MAX_BYTES) {
                        return ApiResponse.text(200, ApiResponse.JSON, body);
                    }
                    // Too large for an answer (Lambda's 6 MB, and a client's patience): a file, by a link valid 5 minutes.
                    Views.ReadyExport ready = (Views.ReadyExport) view;
                    var download = accounts.download(r.caller(), ready.exportId(), bytes);
                    return ApiResponse.ok(new Views.ExportDownload(ready.exportId(), "READY", ready.requestedAt(), ready.assembledAt(),
                            download.url().toString(), download.expiresAt(), bytes.length));
                })
                .post("/verifications", Access.SIGNED_IN, r -> {
                    var request = verifications.request(r.caller(), r.body(VerificationService.NewRequest.class));
                    return ApiResponse.created(Views.of(request, r.caller()), "/verifications/" + request.id());
                })
                .get("/verifications", AGENTS, r -> ApiResponse.ok(verifications.open(r.intQuery("limit", 20, 1, 100), r.query("nextToken"))
                        .map(v -> Views.of(v, r.caller()))))
                .get("/verifications/{requestId}", Access.SIGNED_IN, r -> ApiResponse.ok(
                        Views.of(verifications.view(r.caller(), r.path("requestId")), r.caller())))
                .post("/verifications/{requestId}/decision", AGENTS, r -> {
                    Decision decision = r.body(Decision.class);
                    if (decision == null || decision.approve() == null) {
                        throw DomainError.invalid("approve", "is required: true or false");
                    }
                    return ApiResponse.ok(Views.of(verifications.decide(r.caller(), r.path("requestId"), decision.approve()), r.caller()));
                })
                .action("/verifications/{requestId}/letter", AGENTS, r -> {
                    var letter = verifications.sendLetter(r.caller(), r.path("requestId"));
                    return ApiResponse.createdWithSecret(Views.of(letter, r.caller()), "/verifications/" + letter.request().id(), "code");
                })
                .post("/verifications/{requestId}/code", Access.SIGNED_IN, r -> ApiResponse.ok(Views.of(
                        verifications.enterCode(r.caller(), r.path("requestId"), r.body(CodeCommand.class).code()), r.caller())))
                .post("/census/entries", AGENTS, r -> ApiResponse.ok(Map.of("loaded", census.load(entries(r.body(CensusUpload.class))))))
                .get("/accounts/{accountId}/roles", AGENTS, r -> ApiResponse.ok(Map.of("accountId", r.path("accountId"),
                        "items", roles.history(r.caller(), r.path("accountId")).stream().map(Views::of).toList())))
                .action("/accounts/{accountId}/roles/agent", ADMINS, r -> ApiResponse.ok(roles.grantAgent(r.caller(), r.path("accountId"))))
                .delete("/accounts/{accountId}/roles/agent", ADMINS, r -> ApiResponse.ok(roles.revokeAgent(r.caller(), r.path("accountId"))))
                .post("/accounts/{accountId}/roles/provider", AGENTS, r -> ApiResponse.ok(roles.grantProvider(r.caller(), r.path("accountId"),
                        r.body(RoleService.ProviderGrant.class))))
                .delete("/accounts/{accountId}/roles/provider", AGENTS, r -> ApiResponse.ok(roles.revokeProvider(r.caller(),
                        r.path("accountId"))));
    }

    record Decision(Boolean approve) {
    }

    record CodeCommand(String code) {
    }

    record CensusRow(String hmac, String district) {
    }

    record CensusUpload(List<CensusRow> entries) {
    }

    /** Rows of keyed hashes (64 hex digits) and districts; never an identifier in clear. */
    static List<CensusStore.Entry> entries(CensusUpload upload) {
        if (upload == null || upload.entries() == null || upload.entries().isEmpty() || upload.entries().size() > CENSUS_BATCH) {
            throw DomainError.invalid("entries", "is required: 1 to " + CENSUS_BATCH + " rows of {hmac, district}");
        }
        var rows = upload.entries();
        for (int i = 0; i < rows.size(); i++) {
            CensusRow row = rows.get(i);
            if (row == null || row.hmac() == null || !row.hmac().matches("[0-9a-f]{64}")) {
                throw DomainError.invalid(List.of(new FieldError("entries[" + i + "].hmac", "must be 64 lower-case hex digits (HMAC-SHA256)")));
            }
            if (row.district() == null || !row.district().matches("[a-z0-9][a-z0-9-]{0,63}")) {
                throw DomainError.invalid(List.of(new FieldError("entries[" + i + "].district", "must be lower-case letters, digits and dashes")));
            }
        }
        return rows.stream().map(r -> new CensusStore.Entry(r.hmac(), r.district())).toList();
    }

    /** SnapStart: serve the real path of a request, read-only, before the snapshot is taken (see Priming). */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.prime(this);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to refresh: clients re-open their connections on first use.
    }
}
