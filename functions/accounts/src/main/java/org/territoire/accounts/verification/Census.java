package org.territoire.accounts.verification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The census's keyed hash: HMAC-SHA256, under a key only the platform (and the territory's office
 * that prepares the file) holds, of the normalised document number and birth date. A bare salted
 * hash would not do: birth dates are few, so whoever had the file and the salt could try them all.
 * The same normalisation runs here and in the office's script (docs/operations.md).
 */
public final class Census {
    private final SecretKeySpec key;

    public Census(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the census key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The document number without spaces or dashes, upper case; empty when it is not 4 to 32 letters and digits. */
    public static Optional<String> normaliseDocument(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        return s.matches("[A-Z0-9]{4,32}") ? Optional.of(s) : Optional.empty();
    }

    public static Optional<LocalDate> birthDate(String raw) {
        try {
            return raw == null ? Optional.empty() : Optional.of(LocalDate.parse(raw.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Lower-case hex of HMAC-SHA256(key, "DOCUMENT|yyyy-MM-dd"). */
    public String hmac(String normalisedDocument, LocalDate birthDate) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((normalisedDocument + "|" + birthDate).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
