package io.herald.security;

import io.herald.core.TopicNames;
import io.herald.protocol.ErrorCode;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Decides, before the upgrade, whether a WebSocket handshake may proceed and as whom. Each runtime
 * calls it from the place where it can still answer with a plain HTTP response (the standalone
 * launcher's Grizzly filter; the WAR's servlet filter), so no session is ever opened for a refused
 * client. The cheap checks go first, so that a flood of bad handshakes costs no signature checks.
 */
public final class HandshakeGuard {

    /** The diagnostics endpoint, which needs no token (SPEC section 1). */
    static final String ECHO_PATH = "/ws/echo";
    static final String CHAT_PATH = "/ws/chat/";

    private final int maxConnections;
    private final IntSupplier openConnections;
    private final BooleanSupplier accepting;
    private final OriginPolicy origins;
    private final Authenticator authenticator;
    private final Runnable onRefusal;

    public HandshakeGuard(int maxConnections, IntSupplier openConnections, BooleanSupplier accepting,
                          OriginPolicy origins, Authenticator authenticator, Runnable onRefusal) {
        this.maxConnections = maxConnections;
        this.openConnections = openConnections;
        this.accepting = accepting;
        this.origins = origins;
        this.authenticator = authenticator;
        this.onRefusal = onRefusal;
    }

    public HandshakeOutcome check(HandshakeRequest request) {
        HandshakeOutcome outcome = decide(request);
        if (outcome instanceof Refusal) {
            onRefusal.run();
        }
        return outcome;
    }

    private HandshakeOutcome decide(HandshakeRequest request) {
        if (!accepting.getAsBoolean()) {
            return new Refusal(503, ErrorCode.UNAVAILABLE, "the server is shutting down");
        }
        if (!origins.allows(request.origin(), request.host())) {
            return new Refusal(403, ErrorCode.FORBIDDEN, "origin " + printable(request.origin()) + " is not allowed");
        }
        if (openConnections.getAsInt() >= maxConnections) {
            return new Refusal(503, ErrorCode.UNAVAILABLE, "the server holds its maximum of " + maxConnections
                    + " connections; try again later");
        }
        if (request.path().equals(ECHO_PATH)) {
            return new HandshakeOutcome.Admitted(Identity.ANONYMOUS);
        }
        Identity identity;
        try {
            identity = authenticator.authenticate(request.token());
        } catch (AuthenticationException e) {
            return new Refusal(401, ErrorCode.UNAUTHORIZED, e.getMessage());
        }
        // SPEC section 3: joining a room needs a sub: match for its topic, refused at the handshake
        if (request.path().startsWith(CHAT_PATH)) {
            String room = request.path().substring(CHAT_PATH.length());
            if (TopicNames.isValidRoom(room) && !identity.access().maySubscribe(TopicNames.chatTopic(room))) {
                return new Refusal(403, ErrorCode.FORBIDDEN, "not allowed to join " + TopicNames.chatTopic(room));
            }
        }
        return new HandshakeOutcome.Admitted(identity);
    }

    /** A header value fit for a message: hostile ones may hold anything. */
    private static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
        return "\"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }
}
