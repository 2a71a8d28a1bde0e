package org.territoire.accounts.verification;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a territory decides: which methods it offers, how long a verification lasts, how long a
 * postal code may be typed and how many times, how many census attempts an account gets a day.
 */
public record VerificationPolicy(Set<Method> methods, Duration validity, Duration codeValidity, int codeTries,
                                 int censusAttemptsPerDay) {
    public static final VerificationPolicy DEFAULT = new VerificationPolicy(EnumSet.allOf(Method.class), Duration.ofDays(365),
            Duration.ofDays(30), 5, 5);

    public VerificationPolicy {
        methods = Set.copyOf(methods);
        if (codeTries < 1 || censusAttemptsPerDay < 1) {
            throw new IllegalArgumentException("tries and attempts must be at least 1");
        }
    }

    /** "CENSUS,POSTAL,IN_PERSON" as the template parameter VerificationMethods gives it. */
    public static Set<Method> methods(String configured) {
        Set<Method> methods = EnumSet.noneOf(Method.class);
        for (String name : configured.split(",")) {
            if (!name.isBlank()) {
                try {
                    methods.add(Method.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("VERIFICATION_METHODS names an unknown method; known: CENSUS, POSTAL, IN_PERSON");
                }
            }
        }
        return methods;
    }
}
