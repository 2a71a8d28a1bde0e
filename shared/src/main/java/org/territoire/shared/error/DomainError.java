package org.territoire.shared.error;

import java.util.List;
import java.util.Map;

/**
 * Why a use case cannot go on, said in the domain's words: the small, closed set of outcomes
 * services and adapters may throw. It knows nothing of HTTP; only the kernel's
 * {@code ApiHandler} turns each kind into a status and an RFC 9457 problem (see
 * {@code docs/decisions.md}, "One domain error model"). Messages never carry what the
 * request sent, nor internal details.
 *
 * <p>{@code details} are facts a client can act on (the next free starts of a full slot, when a
 * quota frees): small JSON-able values, keyed by the member name they take in the problem.
 */
public abstract sealed class DomainError extends RuntimeException {
    private final Map<String, Object> details;

    private DomainError(String detail, Map<String, Object> details) {
        super(detail, null, false, false);
        this.details = Map.copyOf(details);
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> details() {
        return details;
    }

    /** The thing named does not exist, or the caller may not know that it does. */
    public static final class NotFound extends DomainError {
        private NotFound(String detail) {
            super(detail, Map.of());
        }
    }

    /** The caller is known but may not do this to this object. */
    public static final class Forbidden extends DomainError {
        private Forbidden(String detail) {
            super(detail, Map.of());
        }
    }

    /** The object's current state forbids it (already taken part, full, retired, changed meanwhile). */
    public static final class Conflict extends DomainError {
        private Conflict(String detail, Map<String, Object> details) {
            super(detail, details);
        }
    }

    /** A business rule refuses it whatever the timing (a quota, a ballot over budget). */
    public static final class RuleViolated extends DomainError {
        private RuleViolated(String detail, Map<String, Object> details) {
            super(detail, details);
        }
    }

    /** Fields of the command are missing or malformed; each is named. */
    public static final class Invalid extends DomainError {
        private final List<FieldError> errors;

        private Invalid(List<FieldError> errors) {
            super(errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).detail()
                    : errors.size() + " fields are invalid", Map.of());
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an Invalid error names at least one field");
            }
            this.errors = List.copyOf(errors);
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** A dependency is busy or unreachable; the same request may succeed shortly. */
    public static final class Unavailable extends DomainError {
        private Unavailable(String detail) {
            super(detail, Map.of());
        }
    }

    public static NotFound notFound(String detail) {
        return new NotFound(detail);
    }

    public static Forbidden forbidden(String detail) {
        return new Forbidden(detail);
    }

    public static Conflict conflict(String detail) {
        return new Conflict(detail, Map.of());
    }

    public static Conflict conflict(String detail, Map<String, Object> details) {
        return new Conflict(detail, details);
    }

    public static RuleViolated ruleViolated(String detail) {
        return new RuleViolated(detail, Map.of());
    }

    public static RuleViolated ruleViolated(String detail, Map<String, Object> details) {
        return new RuleViolated(detail, details);
    }

    public static Invalid invalid(List<FieldError> errors) {
        return new Invalid(errors);
    }

    public static Invalid invalid(String field, String detail) {
        return new Invalid(List.of(new FieldError(field, detail)));
    }

    public static Unavailable unavailable(String detail) {
        return new Unavailable(detail);
    }
}
