package io.herald.security;

import io.herald.protocol.ErrorCode;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * Decides, before the upgrade, whether a WebSocket handshake may proceed and as whom. Each runtime
 * calls it from the place where it can still answer with a plain HTTP response (the standalone
 * launcher's Grizzly filter; the WAR's servlet filter), so no session is ever opened for a refused
 * client. The cheap checks go first, so that a flood of bad handshakes costs no signature checks.
 */
public final class HandshakeGuard {

    /**
     * How many connections a node takes.
     *
     * @param total connections per node ({@code HERALD_MAX_CONNECTIONS})
     * @param perUser connections per user ({@code HERALD_MAX_CONNECTIONS_PER_USER}), so that one
     *     token cannot take every slot
     */
    public record Limits(int total, int perUser) {
    }

    /**
     * @param openConnections sessions open on the node
     * @param userConnections sessions open on the node for a user
     */
    public record Load(IntSupplier openConnections, ToIntFunction<String> userConnections) {
    }

    private final Limits limits;
    private final Load load;
    private final BooleanSupplier accepting;
    private final OriginPolicy origins;
    private final Authenticator authenticator;
    private final Runnable onRefusal;

    public HandshakeGuard(Limits limits, Load load, BooleanSupplier accepting, OriginPolicy origins,
                          Authenticator authenticator, Runnable onRefusal) {
        this.limits = limits;
        this.load = load;
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
        if (request.origins().size() > 1) {
            // browsers send one; which of several a container or proxy would read is anyone's guess
            return new Refusal(403, ErrorCode.FORBIDDEN, "more than one Origin header");
        }
        if (!origins.allows(request.origin(), request.host())) {
            return new Refusal(403, ErrorCode.FORBIDDEN, "origin " + printable(request.origin()) + " is not allowed");
        }
        HandshakePath path = HandshakePath.of(request.path());
        if (path instanceof HandshakePath.Unknown) {
            return new Refusal(404, ErrorCode.NOT_FOUND, "no WebSocket endpoint at this path (paths are taken as "
                    + "spelled: no escapes, parameters or extra slashes)");
        }
        if (path instanceof HandshakePath.Chat chat && RoomAccess.nameRefusal(chat.room()) != null) {
            return RoomAccess.nameRefusal(chat.room());
        }
        if (load.openConnections().getAsInt() >= limits.total()) {
            return new Refusal(503, ErrorCode.UNAVAILABLE, "the server holds its maximum of " + limits.total()
                    + " connections; try again later");
        }
        if (path instanceof HandshakePath.Echo) {
            return new HandshakeOutcome.Admitted(Identity.ANONYMOUS);
        }
        Identity identity;
        try {
            identity = authenticator.authenticate(request.token());
        } catch (AuthenticationException e) {
            return new Refusal(401, ErrorCode.UNAUTHORIZED, e.getMessage());
        }
        if (load.userConnections().applyAsInt(identity.user()) >= limits.perUser()) {
            return new Refusal(429, ErrorCode.TOO_MANY_CONNECTIONS, "this user holds its maximum of "
                    + limits.perUser() + " connections");
        }
        if (path instanceof HandshakePath.Chat chat) {
            Refusal refusal = RoomAccess.refusal(identity, chat.room());
            if (refusal != null) {
                return refusal;
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
