package org.territoire.shared.error;

import java.util.regex.Pattern;

/** One invalid input field: its name (a JSON pointer for nested fields) and why it was refused. */
public record FieldError(String field, String detail) {
    /** A field name as a schema would write it: letters, digits, {@code _}, dots and brackets, short. */
    private static final Pattern NAMEABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\[\\]]{0,63}");

    public String pointer() {
        return "#/" + field.replace('.', '/');
    }

    /**
     * Whether a field name the client sent (an unknown member, say) may be quoted back in a
     * problem. Only names shaped like field names are: anything else (a JSON text posted where a
     * form was expected, a credential used as a key) is described without being repeated, since
     * a problem never echoes what the request sent.
     */
    public static boolean nameable(String sentName) {
        return sentName != null && NAMEABLE.matcher(sentName).matches();
    }
}
