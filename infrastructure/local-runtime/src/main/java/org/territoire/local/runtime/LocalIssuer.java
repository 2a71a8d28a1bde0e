package org.territoire.local.runtime;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The local stand-in for the Cognito user pool: it mints RS256 ID tokens shaped like
 * Cognito's (sub, cognito:groups, custom:district, custom:organisation, token_use=id) and
 * publishes its public key as a JWKS. Its key is made on first use and kept in
 * .local/issuer-key.json (ignored by git), so tokens from the {@code token} command are
 * accepted by a running local API.
 */
public final class LocalIssuer {
    public static final String ISSUER = "https://territoire.local/issuer";
    public static final String AUDIENCE = "territoire-local-client";

    private final RSAKey key;
    private final Clock clock;

    LocalIssuer(RSAKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    public static LocalIssuer loadOrCreate(Path stateDir) {
        Path file = stateDir.resolve("issuer-key.json");
        try {
            if (Files.exists(file)) {
                return new LocalIssuer(RSAKey.parse(Files.readString(file)), Clock.systemUTC());
            }
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString())
                    .algorithm(JWSAlgorithm.RS256).generate();
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, "issuer", ".tmp");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(tmp, key.toJSONString());
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new LocalIssuer(key, Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("cannot read or make the local issuer key " + file, e);
        }
    }

    /** A user of the local territory. */
    public record User(String sub, List<String> groups, Optional<String> district, Optional<String> organisation) {
        public static User of(String sub, String... groups) {
            return new User(sub, List.of(groups), Optional.empty(), Optional.empty());
        }

        public User inDistrict(String district) {
            return new User(sub, groups, Optional.of(district), organisation);
        }

        public User ofOrganisation(String organisation) {
            return new User(sub, groups, district, Optional.of(organisation));
        }
    }

    public String mint(User user, Duration ttl) {
        return mint(user, ttl, java.util.Map.of());
    }

    /** With more claims, as the user pool's tokens carry them ({@code email}, {@code email_verified}). */
    public String mint(User user, Duration ttl, java.util.Map<String, Object> extra) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(AUDIENCE).subject(user.sub())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("token_use", "id")
                .claim("cognito:username", user.sub())
                .claim("cognito:groups", user.groups());
        user.district().ifPresent(d -> claims.claim("custom:district", d));
        user.organisation().ifPresent(o -> claims.claim("custom:organisation", o));
        extra.forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String mint(User user) {
        return mint(user, Duration.ofHours(12));
    }

    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    RSASSAVerifier verifier() {
        try {
            return new RSASSAVerifier(key.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String keyId() {
        return key.getKeyID();
    }

    Clock clock() {
        return clock;
    }
}
