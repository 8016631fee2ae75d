package io.herald.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Tokens as an application would mint them for its users, signed with the tests' HS256 secret. */
public final class Tokens {

    /** What test servers verify HS256 tokens with. */
    public static final String SECRET = "herald-tests-secret-0123456789-abcdefghij";

    private Tokens() {
    }

    /** A token for {@code user}, valid for an hour; {@code scope} null leaves the claim out. */
    public static String token(String user, String scope) {
        return sign(claims(user, scope, Duration.ofHours(1)).build());
    }

    /** Claims as most tokens carry them, for tests to change. */
    public static JWTClaimsSet.Builder claims(String user, String scope, Duration validFor) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(validFor)));
        if (scope != null) {
            claims.claim("scope", scope);
        }
        return claims;
    }

    public static String sign(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.HS256, hs256(SECRET));
    }

    public static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static MACSigner hs256(String secret) {
        try {
            return new MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
