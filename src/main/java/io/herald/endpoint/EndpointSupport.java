package io.herald.endpoint;

import io.herald.session.ClientSession;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the push and chat endpoints do alike with raw sessions: limits, refusals, errors. */
final class EndpointSupport {

    private static final Logger LOG = Logger.getLogger(EndpointSupport.class.getName());

    private EndpointSupport() {
    }

    /** Applies the message size limit: a larger message closes the session with 1009. */
    static void limit(Session ws) {
        int max = HeraldEndpoints.node().config().maxMessageBytes();
        ws.setMaxTextMessageBufferSize(max);
        ws.setMaxBinaryMessageBufferSize(max);
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
