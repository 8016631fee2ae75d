package io.herald.endpoint;

import io.herald.protocol.FrameHeaderCheck;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One upgraded connection's {@link FrameHeaderCheck}, and how it closes the connection when a frame
 * breaks it: through the WebSocket session, so that the close frame (1009 or 1002) goes out in
 * turn with what the container is sending; without a session (none opened yet), by dropping the
 * connection. The session is found when it opens through the handshake's principal, the one
 * per-handshake object the containers hand from the upgrade request to the session.
 */
final class FrameGuard {

    private static final Logger LOG = Logger.getLogger(FrameGuard.class.getName());

    /** Guards whose session has not opened yet, by principal instance (equal principals are distinct handshakes). */
    private static final Map<Principal, FrameGuard> OPENING = Collections.synchronizedMap(new IdentityHashMap<>());

    private final FrameHeaderCheck headers;
    private final Principal principal;
    private volatile Session session;
    private volatile AutoCloseable connection;

    FrameGuard(int maxMessageBytes, Principal principal) {
        this.headers = new FrameHeaderCheck(maxMessageBytes);
        this.principal = principal;
        if (principal != null) {
            OPENING.put(principal, this);
        }
    }

    /** Called as a session opens: the guard of its handshake, if any, closes through it from now on. */
    static void opened(Session ws) {
        Principal principal = ws.getUserPrincipal();
        FrameGuard guard = principal == null ? null : OPENING.remove(principal);
        if (guard != null) {
            guard.session = ws;
        }
    }

    /** The upgraded connection, to drop when a frame is refused before its session opened. */
    void connected(AutoCloseable upgraded) {
        connection = upgraded;
    }

    /** The connection is over: forget it if its session never opened. */
    void forget() {
        if (principal != null) {
            OPENING.remove(principal);
        }
    }

    /**
     * Reads the next bytes of the client's stream, from {@code bytes}' position to its limit
     * (neither moved); returns how many of them come before the first refused frame (all of them
     * while none is), closing the connection on that frame.
     */
    int inspect(ByteBuffer bytes) {
        int passed = headers.check(bytes) - bytes.position();
        if (passed < bytes.remaining()) {
            refuse();
        }
        return passed;
    }

    private void refuse() {
        Session ws = session;
        if (ws != null) {
            SessionTransport.close(ws, headers.breach().code(), headers.reason());
            return;
        }
        try {
            connection.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, e, () -> "dropping a connection that sent a refused frame failed");
        }
    }
}
