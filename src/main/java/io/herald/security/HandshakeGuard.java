package io.herald.security;

import io.herald.protocol.ErrorCode;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Decides, before the upgrade, whether a WebSocket handshake may proceed. Each runtime calls it from
 * the place where it can still answer with a plain HTTP response (the standalone launcher's Grizzly
 * filter; the WAR's servlet filter), so no session is ever opened for a refused client.
 */
public final class HandshakeGuard {

    private final int maxConnections;
    private final IntSupplier openConnections;
    private final BooleanSupplier accepting;
    private final Runnable onRefusal;

    public HandshakeGuard(int maxConnections, IntSupplier openConnections, BooleanSupplier accepting,
                          Runnable onRefusal) {
        this.maxConnections = maxConnections;
        this.openConnections = openConnections;
        this.accepting = accepting;
        this.onRefusal = onRefusal;
    }

    /** Null when the handshake may proceed. */
    public Refusal check() {
        Refusal refusal = null;
        if (!accepting.getAsBoolean()) {
            refusal = new Refusal(503, ErrorCode.UNAVAILABLE, "the server is shutting down");
        } else if (openConnections.getAsInt() >= maxConnections) {
            refusal = new Refusal(503, ErrorCode.UNAVAILABLE, "the server holds its maximum of " + maxConnections
                    + " connections; try again later");
        }
        if (refusal != null) {
            onRefusal.run();
        }
        return refusal;
    }
}
