package io.herald.endpoint;

import io.herald.session.ClientSession;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the push and chat endpoints do alike with raw sessions: limits, refusals, errors. */
final class EndpointSupport {

    private static final Logger LOG = Logger.getLogger(EndpointSupport.class.getName());

    private EndpointSupport() {
    }

    /**
     * Applies the message size limit: a larger message closes the session with 1009. Also turns the
     * container's own idle timeout off (Herald closes silent clients itself, SPEC section 4): with
     * its default of 0, Tyrus schedules a timer task on every single send, a thread wake-up per
     * delivered message.
     */
    static void limit(Session ws) {
        int max = HeraldEndpoints.node().config().maxMessageBytes();
        ws.setMaxTextMessageBufferSize(max);
        ws.setMaxBinaryMessageBufferSize(max);
        ws.setMaxIdleTimeout(-1);
    }

    /**
     * How long a connection refused in {@code @OnOpen} stays open before it is closed. Payara 7
     * (7.2025.1) corrupts its recycled request objects when an upgraded connection is closed before
     * the upgrade's HTTP request has finished, which {@code @OnOpen} is part of; other clients'
     * connections then break (upgrades answered 301, frames lost). A close 100 ms later never did
     * in 2000 tries; a second leaves a margin.
     */
    static final Duration REFUSAL_DELAY = Duration.ofSeconds(1);

    /** Closes a connection that {@code @OnOpen} refuses, once its handshake is surely over. */
    static void refuseAfterHandshake(Session ws, int code, String reason) {
        HeraldEndpoints.node().schedule(() -> SessionTransport.close(ws, code, reason), REFUSAL_DELAY);
    }

    /**
     * What the handshake decided for an opening session; null, with the session on its way out
     * with 1008, if nothing was decided: the handshake check did not run, which only a broken
     * deployment (a WAR whose filter was left out) can cause.
     */
    static HeraldEndpoints.Admission admitted(Session ws) {
        HeraldEndpoints.Admission admission = HeraldEndpoints.admission(ws);
        if (admission.identity() != null) {
            return admission;
        }
        LOG.severe(() -> "session " + ws.getId() + " opened without a handshake check (is "
                + HandshakeServletFilter.class.getName() + " mapped to /ws/*?); closing it");
        refuseAfterHandshake(ws, CloseCodes.VIOLATED_POLICY.getCode(), "unauthorized");
        return null;
    }

    static SessionTransport transport(Session ws, HeraldEndpoints.Admission admission) {
        return new SessionTransport(ws, admission.abort(), HeraldEndpoints.frameWriter(ws), HeraldEndpoints.node().codec());
    }

    static void refuseBinary(Session ws) {
        SessionTransport.close(ws, CloseCodes.CANNOT_ACCEPT.getCode(), "binary frames are not accepted");
    }

    static void heard(ClientSession session) {
        if (session != null) {
            session.connection().heard();
        }
    }

    static void closed(ClientSession session) {
        if (session != null) {
            session.close();
        }
    }

    /**
     * An error the container reports for a session. Broken connections and bad client input the
     * container already closed for are logged quietly; anything else is ours: logged with the
     * session id and answered with 1011.
     */
    static void error(Session ws, ClientSession session, Throwable error) {
        String who = session != null ? session.connection().toString() : "session " + ws.getId();
        if (error instanceof IOException || error instanceof CharacterCodingException || !ws.isOpen()) {
            LOG.log(Level.FINE, error, () -> who + ": connection error");
            return;
        }
        LOG.log(Level.SEVERE, error, () -> who + ": unexpected error; closing with 1011");
        SessionTransport.close(ws, CloseCodes.UNEXPECTED_CONDITION.getCode(), "internal error");
    }
}
