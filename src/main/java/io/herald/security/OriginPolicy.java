package io.herald.security;

import io.herald.config.SecuritySettings;
import java.util.List;
import java.util.Locale;

/**
 * Which browser pages may open connections (SPEC section 5). Browsers always send {@code Origin} on
 * a WebSocket handshake, and their WebSocket API cannot be made to leave it out, so checking it
 * stops other sites' pages from connecting with a visitor's cookies or stored token.
 */
public final class OriginPolicy {

    private final List<String> allowed;

    public OriginPolicy(List<String> allowed) {
        this.allowed = allowed;
    }

    /**
     * @param origin the {@code Origin} header, or null when the client sent none (non-browsers)
     * @param host the request's {@code Host} header
     */
    public boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (allowed.contains("*")) {
            return true;
        }
        if (origin.equals("null")) {
            // sandboxed frames, file: pages, redirects: no one can tell who they are
            return allowed.contains("null");
        }
        String normalised = SecuritySettings.normaliseOrigin(origin);
        if (normalised == null) {
            return false;
        }
        if (!allowed.isEmpty()) {
            return allowed.contains(normalised);
        }
        return host != null && sameHostAndPort(normalised, host);
    }

    /** The origin's host and port against the Host header's; the scheme is ignored (TLS may end at a proxy). */
    private static boolean sameHostAndPort(String normalisedOrigin, String host) {
        String authority = normalisedOrigin.substring(normalisedOrigin.indexOf("://") + 3);
        String expected = host.trim().toLowerCase(Locale.ROOT);
        // the default port is left out of both Origin (normalised) and Host (browsers): a plain compare
        // would call http://h and Host h:80 different, so normalise the Host's default ports too
        if (expected.endsWith(":80") || expected.endsWith(":443")) {
            expected = expected.substring(0, expected.lastIndexOf(':'));
        }
        return authority.equals(expected);
    }
}
