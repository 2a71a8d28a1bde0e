package org.territoire.shared.validation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;

/**
 * Collects every problem of a command before answering, so that a client learns all of
 * them at once. {@link #throwIfInvalid()} raises one 400 naming each field.
 */
public final class Validation {
    private final List<FieldError> errors = new ArrayList<>();

    public Validation require(String field, Object value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        }
        return this;
    }

    public Validation text(String field, String value, int min, int max, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return this;
        }
        int length = value.strip().codePointCount(0, value.strip().length());
        if (length < min) {
            errors.add(new FieldError(field, min <= 1 ? "must not be empty" : "must have at least " + min + " characters"));
        } else if (length > max) {
            errors.add(new FieldError(field, "must have at most " + max + " characters"));
        }
        return this;
    }

    public Validation range(String field, Number value, double min, double max) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
            errors.add(new FieldError(field, "must be between " + trim(min) + " and " + trim(max)));
        }
        return this;
    }

    public Validation size(String field, Collection<?> value, int min, int max) {
        if (value == null) {
            if (min > 0) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (value.size() < min) {
            errors.add(new FieldError(field, "must have at least " + min + " item" + (min > 1 ? "s" : "")));
        } else if (value.size() > max) {
            errors.add(new FieldError(field, "must have at most " + max + " items"));
        }
        return this;
    }

    public Validation matches(String field, String value, String regex, String explanation) {
        if (value != null && !value.matches(regex)) {
            errors.add(new FieldError(field, explanation));
        }
        return this;
    }

    public Validation check(boolean ok, String field, String detail) {
        if (!ok) {
            errors.add(new FieldError(field, detail));
        }
        return this;
    }

    public boolean hasErrorOn(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw DomainError.invalid(errors);
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
