package io.herald.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;

/** Dev mode's token issuer ({@code POST /api/dev/token}), signing with the node's HS256 secret. */
public final class DevTokens {

    /** Long enough for a demo session, short enough that a leaked one does not live on. */
    public static final Duration LIFETIME = Duration.ofHours(1);

    private final MACSigner signer;
    private final Clock clock;

    public DevTokens(byte[] secret, Clock clock) {
        try {
            this.signer = new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("not an HS256 secret: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    /** A token for {@code user}; with no {@code scope} claim when {@code scope} is null (the default scope applies). */
    public String mint(String user, String scope) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(user)
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(LIFETIME)));
        if (scope != null) {
            claims.claim("scope", scope);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a dev token failed", e);
        }
        return jwt.serialize();
    }
}
