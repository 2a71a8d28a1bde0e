package org.territoire.accounts.verification;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time codes for letters: 8 characters from 31 that cannot be mistaken for one another on
 * paper (no 0/O, 1/I/L), about 40 bits, of which a handful of tries guesses nothing. Only a keyed
 * hash bound to the request is kept: the table alone does not give the code back, even by trying
 * every one.
 */
public final class PostalCodes {
    private static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static final int LENGTH = 8;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public PostalCodes(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String newCode() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    public String hash(String requestId, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            String normalised = code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
            return HexFormat.of().formatHex(mac.doFinal((requestId + ":" + normalised).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** In constant time, so that the answer's timing says nothing of how much of the code was right. */
    public boolean matches(String requestId, String code, String storedHash) {
        return MessageDigest.isEqual(hash(requestId, code).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }
}
