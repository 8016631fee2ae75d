package io.herald.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.herald.config.SecuritySettings;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.List;
import java.util.Set;

/**
 * Verifies tokens as SPEC section 5 says, with nimbus-jose-jwt doing the cryptography: only the
 * configured algorithm, {@code exp} and {@code sub} required, {@code nbf} honoured, leeway for clock
 * skew, {@code iss}/{@code aud} when configured. Unsigned tokens and tokens signed with another
 * algorithm (an RSA public key used as an HMAC secret, say) never get as far as a key.
 */
public final class TokenVerifier {

    /** Longer tokens are refused unread: no one needs them, and parsing costs. */
    static final int MAX_TOKEN_CHARS = 8192;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final SecuritySettings settings;

    public TokenVerifier(SecuritySettings settings) {
        this.settings = settings;
        JWSAlgorithm algorithm = JWSAlgorithm.parse(settings.algorithm());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys(settings)));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (settings.issuer() != null) {
            exact.issuer(settings.issuer());
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(settings.audience(),
                exact.build(), Set.of("sub", "exp"));
        claims.setMaxClockSkew((int) settings.leeway().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static JWKSource<SecurityContext> keys(SecuritySettings settings) {
        if (settings.publicKey() == null) {
            return new ImmutableSecret<>(settings.hmacSecret());
        }
        JWK key = settings.publicKey() instanceof ECPublicKey ec
                ? new ECKey.Builder(Curve.P_256, ec).build()
                : new RSAKey.Builder((RSAPublicKey) settings.publicKey()).build();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    /** The identity a valid token carries. */
    public Identity verify(String token) throws AuthenticationException {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new AuthenticationException("the token is over " + MAX_TOKEN_CHARS + " characters");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new AuthenticationException("the token is not a JWT");
        } catch (BadJWTException e) {
            throw new AuthenticationException("the token is not valid: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw new AuthenticationException("the token's signature or algorithm is not accepted (this server takes "
                    + settings.algorithm() + " only)");
        } catch (JOSEException | RuntimeException e) {
            throw new AuthenticationException("the token could not be verified");
        }
        String user = claims.getSubject();
        if (user.isBlank() || user.length() > 200) {
            throw new AuthenticationException("the token's \"sub\" must be 1-200 characters");
        }
        return new Identity(user, Scope.parse(user, scope(claims)),
                claims.getExpirationTime().toInstant().plus(settings.leeway()));
    }

    /** The {@code scope} claim as a string (some issuers write it as a list); the default when absent. */
    private String scope(JWTClaimsSet claims) throws AuthenticationException {
        Object scope = claims.getClaim("scope");
        if (scope == null) {
            return settings.defaultScope();
        }
        if (scope instanceof String text) {
            return text;
        }
        if (scope instanceof List<?> items) {
            StringBuilder joined = new StringBuilder();
            for (Object item : items) {
                joined.append(item).append(' ');
            }
            return joined.toString();
        }
        throw new AuthenticationException("the token's \"scope\" must be a string");
    }
}
