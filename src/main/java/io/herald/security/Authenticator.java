package io.herald.security;

import io.herald.config.SecuritySettings;

/**
 * Turns the token a client presents into its {@link Identity}: the one place every runtime and API
 * asks. With no key configured it admits no one (a WAR deployed without one must not be open to all).
 */
public final class Authenticator {

    private final TokenVerifier verifier;

    public Authenticator(SecuritySettings settings) {
        this.verifier = settings.hasKey() ? new TokenVerifier(settings) : null;
    }

    /** @param token the presented token, or null if none was */
    public Identity authenticate(String token) throws AuthenticationException {
        if (verifier == null) {
            throw new AuthenticationException("this server has no token key configured (HERALD_JWT_SECRET or "
                    + "HERALD_JWT_PUBLIC_KEY) and admits no one");
        }
        if (token == null) {
            throw new AuthenticationException("a token is required: the access_token query parameter or an "
                    + "Authorization: Bearer header");
        }
        return verifier.verify(token);
    }
}
