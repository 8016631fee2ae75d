package io.herald.security;

import java.time.Instant;

/**
 * Who is on the other end of a connection or request, and what they may do.
 *
 * @param validUntil when the token stops being good (its {@code exp} plus the leeway): a connection
 *     still open then is closed with 4001
 */
public record Identity(String user, Access access, Instant validUntil) {

    /** Whoever uses an endpoint that needs no token ({@code /ws/echo}): allowed nothing else. */
    public static final Identity ANONYMOUS = new Identity("anonymous", new Access() {
        @Override
        public boolean maySubscribe(String topic) {
            return false;
        }

        @Override
        public boolean mayPublish(String topic) {
            return false;
        }
    }, Instant.MAX);
}
