package io.herald.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the {@link HandshakeGuard} needs of an upgrade request, as each runtime's adapter reads it.
 *
 * @param path the path below the base path, as sent (not decoded), such as {@code /ws/chat/lobby}
 * @param origins every {@code Origin} header sent, in order (empty if none)
 * @param host the {@code Host} header, null if absent
 * @param authorization the {@code Authorization} header, null if absent
 * @param query the raw query string, null if none
 */
public record HandshakeRequest(String path, List<String> origins, String host, String authorization, String query) {

    static final String TOKEN_PARAMETER = "access_token";

    public HandshakeRequest {
        origins = List.copyOf(origins);
    }

    /** The {@code Origin} header, null if none was sent (meaningful only when at most one was). */
    public String origin() {
        return origins.isEmpty() ? null : origins.get(0);
    }

    /** The token: {@code Authorization: Bearer} if sent, else the {@code access_token} query parameter. */
    public String token() {
        String bearer = bearer(authorization);
        return bearer != null ? bearer : queryParameter(query, TOKEN_PARAMETER);
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    return value.isEmpty() ? null : value;
                } catch (IllegalArgumentException e) {
                    return null; // malformed escapes: as if no token came
                }
            }
        }
        return null;
    }
}
