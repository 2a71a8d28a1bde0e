package org.territoire.accounts.verification;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.territoire.accounts.account.Directory;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;
import org.territoire.shared.identity.Caller;
import org.territoire.shared.identity.Role;
import org.territoire.shared.page.Page;

/**
 * Residency verification, the way Decidim's authorisations work: a person files a request by one
 * of the methods the territory offers; a census match approves it at once, a postal code typed
 * back or an agent's approval later. On approval, and only here, the person joins the
 * {@code resident} group with {@code custom:district} set; that reaches their token at its next
 * refresh.
 */
public final class VerificationService {
    /** Who approved a census match or a typed postal code: the method, not an agent. */
    public static final String BY_CENSUS = "census";
    public static final String BY_POSTAL_CODE = "postal-code";
    private static final String DISTRICT_ID = "[a-z0-9][a-z0-9-]{0,63}";
    /** Request ids are UUIDs: anything else names no request, and never reaches the table as a key. */
    private static final String REQUEST_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final VerificationStore store;
    private final CensusStore census;
    private final Census hashes;
    private final PostalCodes codes;
    private final Directory directory;
    private final VerificationPolicy policy;
    private final Clock clock;

    public VerificationService(VerificationStore store, CensusStore census, Census hashes, PostalCodes codes, Directory directory,
                               VerificationPolicy policy, Clock clock) {
        this.store = store;
        this.census = census;
        this.hashes = hashes;
        this.codes = codes;
        this.directory = directory;
        this.policy = policy;
        this.clock = clock;
    }

    /** What a request carries: the method and, depending on it, the district, the address or the census identifier. */
    public record NewRequest(Method method, String district, String address, String documentNumber, String birthDate) {
    }

    public record Status(Optional<Verification> verification, boolean verified, List<VerificationRequest> requests) {
    }

    public VerificationPolicy policy() {
        return policy;
    }

    public VerificationRequest request(Caller caller, NewRequest command) {
        if (command == null || command.method() == null) {
            throw DomainError.invalid("method", "is required: one of " + policy.methods());
        }
        if (!policy.methods().contains(command.method())) {
            throw DomainError.ruleViolated("this territory does not verify residency by " + command.method()
                    + "; it offers " + policy.methods());
        }
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        return switch (command.method()) {
            case CENSUS -> byCensus(caller, command, id, now);
            case POSTAL -> {
                List<FieldError> errors = new ArrayList<>();
                district(command.district(), errors);
                String address = command.address() == null ? "" : command.address().strip();
                if (address.length() < 5 || address.length() > 300) {
                    errors.add(new FieldError("address", "is required: the postal address to send the code to (5 to 300 characters)"));
                }
                noCensusFields(command, errors);
                if (!errors.isEmpty()) {
                    throw DomainError.invalid(errors);
                }
                yield opened(VerificationRequest.open(id, caller.id(), Method.POSTAL, command.district(), now, Optional.of(address)));
            }
            case IN_PERSON -> {
                List<FieldError> errors = new ArrayList<>();
                district(command.district(), errors);
                if (command.address() != null) {
                    errors.add(new FieldError("address", "is only for a postal request"));
                }
                noCensusFields(command, errors);
                if (!errors.isEmpty()) {
                    throw DomainError.invalid(errors);
                }
                yield opened(VerificationRequest.open(id, caller.id(), Method.IN_PERSON, command.district(), now, Optional.empty()));
            }
        };
    }

    private static void district(String district, List<FieldError> errors) {
        if (district == null || !district.matches(DISTRICT_ID)) {
            errors.add(new FieldError("district", "is required: lower-case letters, digits and dashes"));
        }
    }

    private static void noCensusFields(NewRequest command, List<FieldError> errors) {
        if (command.documentNumber() != null || command.birthDate() != null) {
            errors.add(new FieldError(command.documentNumber() != null ? "documentNumber" : "birthDate", "is only for a census request"));
        }
    }

    private VerificationRequest opened(VerificationRequest request) {
        if (!store.open(request)) {
            throw DomainError.conflict("you already have an open verification request: wait for its decision");
        }
        return request;
    }

    /**
     * The census: the identifier is hashed under the platform's key and looked up; neither it nor
     * its hash is kept for a failure, only a count of the account's attempts today, which caps
     * how many identifiers one account can try.
     */
    private VerificationRequest byCensus(Caller caller, NewRequest command, String id, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        Optional<String> document = Census.normaliseDocument(command.documentNumber());
        var birth = Census.birthDate(command.birthDate());
        if (document.isEmpty()) {
            errors.add(new FieldError("documentNumber", "is required: 4 to 32 letters and digits"));
        }
        if (birth.isEmpty()) {
            errors.add(new FieldError("birthDate", "is required: a date, yyyy-mm-dd"));
        }
        if (command.district() != null || command.address() != null) {
            errors.add(new FieldError(command.district() != null ? "district" : "address",
                    "is not sent for a census request: the census says the district"));
        }
        if (!errors.isEmpty()) {
            throw DomainError.invalid(errors);
        }
        var today = now.atZone(ZoneOffset.UTC).toLocalDate();
        if (!census.countAttempt(caller.id(), today, policy.censusAttemptsPerDay())) {
            throw DomainError.ruleViolated("too many census attempts today: try again tomorrow, or ask for another method",
                    Map.of("attemptsPerDay", policy.censusAttemptsPerDay()));
        }
        String hmac = hashes.hmac(document.get(), birth.get());
        String district = census.district(hmac).orElseThrow(() -> DomainError.ruleViolated(
                "no entry of the census matches: check the document number and birth date, or ask for another method"));
        if (!census.claim(hmac, caller.id())) {
            throw DomainError.conflict("this census entry is already bound to another account: ask an agent");
        }
        VerificationRequest request = opened(VerificationRequest.open(id, caller.id(), Method.CENSUS, district, now, Optional.empty()));
        return approve(request, RequestStatus.PENDING, BY_CENSUS, now);
    }

    /** An approval: one conditional write of the decision and the verification, then the user pool. */
    private VerificationRequest approve(VerificationRequest request, RequestStatus expected, String by, Instant now) {
        // An account deleted meanwhile (or a token of no pool user) gets no verification written.
        if (directory.profile(request.accountId()).isEmpty()) {
            throw DomainError.notFound("this account no longer exists");
        }
        VerificationRequest decided = request.decided(RequestStatus.APPROVED, by, now);
        Verification verification = new Verification(request.accountId(), request.method(), request.district(), now, by,
                now.plus(policy.validity()));
        if (!store.decide(decided, expected, Optional.of(verification))) {
            throw alreadyDecided(request.id());
        }
        grant(verification);
        return decided;
    }

    private void grant(Verification verification) {
        directory.setAttribute(verification.accountId(), Directory.DISTRICT, verification.district());
        directory.addToGroup(verification.accountId(), Role.RESIDENT);
    }

    private Optional<VerificationRequest> find(String requestId) {
        return requestId != null && requestId.matches(REQUEST_ID) ? store.request(requestId) : Optional.empty();
    }

    private DomainError alreadyDecided(String requestId) {
        var now = store.request(requestId);
        return DomainError.conflict("this request was decided meanwhile",
                now.<Map<String, Object>>map(r -> Map.of("requestStatus", r.status().name())).orElse(Map.of()));
    }

    public Status status(Caller caller) {
        Optional<Verification> verification = store.verification(caller.id());
        return new Status(verification, verification.map(v -> v.validAt(clock.instant())).orElse(false), store.ofAccount(caller.id()));
    }

    public VerificationRequest view(Caller caller, String requestId) {
        VerificationRequest request = find(requestId).orElseThrow(() -> DomainError.notFound("no such verification request"));
        if (!request.accountId().equals(caller.id()) && !caller.hasAny(Role.AGENT, Role.ADMIN)) {
            throw DomainError.notFound("no such verification request");
        }
        return request;
    }

    public Page<VerificationRequest> open(int limit, Optional<String> nextToken) {
        return store.open(limit, nextToken);
    }

    /**
     * An agent's decision on an in-person request (approve or reject), or a rejection of a postal
     * one. Two agents deciding at once: one conditional write wins, the other gets 409 with the
     * decision that stands. The same agent retrying the same decision gets it again, and the user
     * pool is set again (a retry after the pool was unreachable).
     */
    public VerificationRequest decide(Caller agent, String requestId, boolean approve) {
        VerificationRequest request = find(requestId).orElseThrow(() -> DomainError.notFound("no such verification request"));
        if (request.accountId().equals(agent.id())) {
            throw DomainError.forbidden("nobody decides their own verification request");
        }
        Instant now = clock.instant();
        if (!request.status().open()) {
            RequestStatus asked = approve ? RequestStatus.APPROVED : RequestStatus.REJECTED;
            if (request.status() == asked && request.decidedBy().filter(agent.id()::equals).isPresent()) {
                if (approve) {
                    store.verification(request.accountId()).ifPresent(this::grant);
                }
                return request;
            }
            throw DomainError.conflict("this request is already decided", Map.of("requestStatus", request.status().name()));
        }
        if (approve) {
            if (request.method() != Method.IN_PERSON) {
                throw DomainError.ruleViolated("a postal request is approved by the code its letter carries, not by an agent");
            }
            return approve(request, request.status(), agent.id(), now);
        }
        VerificationRequest rejected = request.decided(RequestStatus.REJECTED, agent.id(), now);
        if (!store.decide(rejected, request.status(), Optional.empty())) {
            throw alreadyDecided(requestId);
        }
        return rejected;
    }

    /** A postal request's letter: the code is made here, answered once to the agent who prints it, and kept only hashed. */
    public record Letter(VerificationRequest request, String address, String code, Instant codeExpiresAt) {
    }

    public Letter sendLetter(Caller agent, String requestId) {
        VerificationRequest request = find(requestId).orElseThrow(() -> DomainError.notFound("no such verification request"));
        if (request.method() != Method.POSTAL) {
            throw DomainError.ruleViolated("only a postal request gets a letter");
        }
        if (request.accountId().equals(agent.id())) {
            throw DomainError.forbidden("nobody handles their own verification request");
        }
        if (request.status() != RequestStatus.PENDING) {
            throw DomainError.conflict("the letter of this request is already sent, or it is decided",
                    Map.of("requestStatus", request.status().name()));
        }
        String code = codes.newCode();
        Instant expires = clock.instant().plus(policy.codeValidity());
        VerificationRequest sent = request.letterSent(codes.hash(request.id(), code), expires, policy.codeTries());
        if (!store.letterSent(sent)) {
            throw alreadyDecided(requestId);
        }
        return new Letter(sent, request.address().orElse(""), code, expires);
    }

    /** The resident types the code of their letter: a try is spent first (one conditional write), then the code compared. */
    public VerificationRequest enterCode(Caller caller, String requestId, String code) {
        if (code == null || code.isBlank() || code.length() > 32) {
            throw DomainError.invalid("code", "is required: the code of your letter");
        }
        VerificationRequest request = find(requestId).filter(r -> r.accountId().equals(caller.id()))
                .orElseThrow(() -> DomainError.notFound("no such verification request"));
        if (request.method() != Method.POSTAL || request.status() != RequestStatus.LETTER_SENT) {
            throw DomainError.conflict("this request awaits no code", Map.of("requestStatus", request.status().name()));
        }
        Instant now = clock.instant();
        if (request.codeExpiresAt().map(e -> !e.isAfter(now)).orElse(true)) {
            throw DomainError.ruleViolated("the code has expired: file a new request");
        }
        int left = store.spendTry(requestId, now)
                .orElseThrow(() -> DomainError.ruleViolated("no tries left for this code: file a new request"));
        if (!codes.matches(requestId, code, request.codeHash().orElse(""))) {
            throw DomainError.ruleViolated("this is not the code of your letter", Map.of("triesLeft", left));
        }
        return approve(request.withTriesLeft(left), RequestStatus.LETTER_SENT, BY_POSTAL_CODE, now);
    }
}
