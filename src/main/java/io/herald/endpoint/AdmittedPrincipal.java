package io.herald.endpoint;

import io.herald.security.Identity;
import java.security.Principal;

/**
 * The identity the WAR's handshake filter established, carried to {@code @OnOpen} as the upgrade
 * request's user principal: the one per-handshake value every container passes from the HTTP
 * request to the WebSocket session.
 */
record AdmittedPrincipal(Identity identity) implements Principal {

    @Override
    public String getName() {
        return identity.user();
    }
}
