package io.herald.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.herald.config.HeraldConfig;
import io.herald.config.SecuritySettings;
import io.herald.config.Settings;
import io.herald.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Every kind of token SPEC section 5 refuses, and the ones it takes, through the real nimbus verifier. */
public class TokenVerifierTest {

    private static final KeyPair RSA = keyPair("RSA");
    private static final KeyPair EC = keyPair("EC");

    private static KeyPair keyPair(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static SecuritySettings settings(String... pairs) {
        Properties properties = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.setProperty(Settings.propertyName(pairs[i]), pairs[i + 1]);
        }
        return HeraldConfig.load(HeraldConfig.Runtime.WAR, new Settings(properties, Map.of())).security();
    }

    private static TokenVerifier hs256(String... more) {
        String[] pairs = new String[more.length + 2];
        pairs[0] = "HERALD_JWT_SECRET";
        pairs[1] = Tokens.SECRET;
        System.arraycopy(more, 0, pairs, 2, more.length);
        return new TokenVerifier(settings(pairs));
    }

    private static String refusal(TokenVerifier verifier, String token) {
        return assertThrows(AuthenticationException.class, () -> verifier.verify(token)).getMessage();
    }

    @Test
    void aValidHs256TokenGivesItsUserScopeAndExpiryPlusLeeway() throws Exception {
        JWTClaimsSet claims = Tokens.claims("alice", "sub:news.* pub:chat.*", Duration.ofMinutes(5)).build();
        Identity identity = hs256().verify(Tokens.sign(claims));
        assertEquals("alice", identity.user());
        assertTrue(identity.access().maySubscribe("news.eu"));
        assertFalse(identity.access().mayPublish("news.eu"));
        // exp is whole seconds on the wire
        assertEquals(claims.getExpirationTime().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusSeconds(10), identity.validUntil());
    }

    @Test
    void noScopeClaimMeansTheDefaultScope() throws Exception {
        Identity identity = hs256("HERALD_DEFAULT_SCOPE", "sub:only.this").verify(Tokens.token("bob", null));
        assertTrue(identity.access().maySubscribe("only.this"));
        assertFalse(identity.access().maySubscribe("other"));
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefused() {
        String unsigned = new PlainJWT(new PlainHeader(), Tokens.claims("mallory", "admin", Duration.ofHours(1)).build())
                .serialize();
        refusal(hs256(), unsigned);
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = Tokens.token("mallory", "sub:x");
        String[] parts = token.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("sub:x", "admin").getBytes(StandardCharsets.UTF_8));
        refusal(hs256(), parts[0] + "." + forged + "." + parts[2]);
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String token = Tokens.sign(Tokens.claims("mallory", "admin", Duration.ofHours(1)).build(), JWSAlgorithm.HS256,
                Tokens.hs256("another-secret-of-at-least-32-bytes-long!"));
        refusal(hs256(), token);
    }

    @Test
    void expiredAndNotYetValidTokensAreRefusedBeyondTheLeeway() throws Exception {
        JWTClaimsSet expired = Tokens.claims("old", null, Duration.ofSeconds(-30)).build();
        assertTrue(refusal(hs256(), Tokens.sign(expired)).contains("xpired"));
        // within the leeway: still good
        hs256().verify(Tokens.sign(Tokens.claims("recent", null, Duration.ofSeconds(-5)).build()));
        JWTClaimsSet future = Tokens.claims("early", null, Duration.ofHours(1))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(60))).build();
        refusal(hs256(), Tokens.sign(future));
        hs256("HERALD_JWT_LEEWAY", "120").verify(Tokens.sign(future));
    }

    @Test
    void expAndSubAreRequired() {
        JWTClaimsSet noExp = new JWTClaimsSet.Builder().subject("forever").build();
        refusal(hs256(), Tokens.sign(noExp));
        JWTClaimsSet noSub = new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(60))).build();
        refusal(hs256(), Tokens.sign(noSub));
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() throws Exception {
        TokenVerifier verifier = hs256("HERALD_JWT_ISSUER", "https://idp.example", "HERALD_JWT_AUDIENCE", "herald");
        JWTClaimsSet.Builder good = Tokens.claims("alice", null, Duration.ofHours(1))
                .issuer("https://idp.example").audience(List.of("herald", "other"));
        verifier.verify(Tokens.sign(good.build()));
        refusal(verifier, Tokens.sign(good.issuer("https://evil.example").build()));
        refusal(verifier, Tokens.sign(Tokens.claims("alice", null, Duration.ofHours(1))
                .issuer("https://idp.example").audience("someone-else").build()));
        refusal(verifier, Tokens.token("alice", null));
    }

    @Test
    void rs256AndEs256TokensVerifyWithThePublicKey() throws Exception {
        JWTClaimsSet claims = Tokens.claims("carol", "admin", Duration.ofHours(1)).build();
        TokenVerifier rsa = new TokenVerifier(settings("HERALD_JWT_PUBLIC_KEY", pem(RSA)));
        assertEquals("carol", rsa.verify(Tokens.sign(claims, JWSAlgorithm.RS256, new RSASSASigner(RSA.getPrivate()))).user());
        TokenVerifier ec = new TokenVerifier(settings("HERALD_JWT_PUBLIC_KEY", pem(EC)));
        assertEquals("carol", ec.verify(Tokens.sign(claims, JWSAlgorithm.ES256, new ECDSASigner(EC.getPrivate(),
                com.nimbusds.jose.jwk.Curve.P_256))).user());
    }

    @Test
    void onlyTheConfiguredAlgorithmIsAccepted() throws Exception {
        JWTClaimsSet claims = Tokens.claims("mallory", "admin", Duration.ofHours(1)).build();
        TokenVerifier rsa = new TokenVerifier(settings("HERALD_JWT_PUBLIC_KEY", pem(RSA)));
        // algorithm confusion: the public key, which anyone may have, used as an HMAC secret
        String confused = Tokens.sign(claims, JWSAlgorithm.HS256, Tokens.hs256(pem(RSA)));
        refusal(rsa, confused);
        // a genuine RSA signature, but PS256 where RS256 is configured
        refusal(rsa, Tokens.sign(claims, JWSAlgorithm.PS256, new RSASSASigner(RSA.getPrivate())));
        // an HS256 deployment does not take RS256 tokens
        refusal(hs256(), Tokens.sign(claims, JWSAlgorithm.RS256, new RSASSASigner(RSA.getPrivate())));
    }

    @Test
    void garbageAndOversizedTokensAreRefusedWithoutBeingParsedAsMore() {
        for (String junk : List.of("", "abc", "a.b.c", "....", "eyJhbGciOiJub25lIn0", "%00%ff", "\u0000\u202e")) {
            refusal(hs256(), junk);
        }
        assertTrue(refusal(hs256(), "x".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1)).contains("over"));
    }

    @Test
    void theAuthenticatorWithoutAKeyAdmitsNoOneAndSaysWhy() {
        Authenticator none = new Authenticator(settings());
        String message = assertThrows(AuthenticationException.class, () -> none.authenticate(Tokens.token("a", null)))
                .getMessage();
        assertTrue(message.contains("HERALD_JWT_SECRET"), message);
        Authenticator hs = new Authenticator(settings("HERALD_JWT_SECRET", Tokens.SECRET));
        assertTrue(assertThrows(AuthenticationException.class, () -> hs.authenticate(null)).getMessage()
                .contains("access_token"));
    }
}
