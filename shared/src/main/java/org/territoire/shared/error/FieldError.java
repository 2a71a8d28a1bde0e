package org.territoire.shared.error;

/** One invalid input field: its name (a JSON pointer for nested fields) and why it was refused. */
public record FieldError(String field, String detail) {
    public String pointer() {
        return "#/" + field.replace('.', '/');
    }
}
