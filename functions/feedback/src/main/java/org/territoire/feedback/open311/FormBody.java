package org.territoire.feedback.open311;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.territoire.shared.error.DomainError;
import org.territoire.shared.error.FieldError;

/** An {@code application/x-www-form-urlencoded} body, as Open311 clients post it. */
final class FormBody {
    static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private FormBody() {
    }

    /** Field to value; a field given twice is an error, since it is unclear which one was meant. */
    static Map<String, String> parse(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null || body.isBlank()) {
            return fields;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw DomainError.invalid("body", "is not valid form encoding");
            }
            if (fields.putIfAbsent(name, value) != null) {
                throw FieldError.nameable(name) ? DomainError.invalid(name, "is given more than once")
                        : DomainError.invalid("body", "gives a field more than once");
            }
        }
        return fields;
    }
}
