package io.herald.security;

import io.herald.core.Ids;

/**
 * Decides who a connecting client is. The one place that admits clients: authentication (JWT,
 * scopes, origins) replaces this body; everything else asks it.
 */
public final class Guard {

    /**
     * Until authentication lands, every client is an anonymous guest allowed everything. Each guest
     * gets its own name so that presence and {@code from} tell connections apart.
     */
    public Identity admit() {
        return new Identity("guest-" + Ids.random(6), Access.EVERYTHING);
    }
}
