package io.herald.endpoint;

import io.herald.protocol.ClientFrame;
import io.herald.session.PushSession;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/** {@code /ws/push}: topics — subscribe, unsubscribe, publish, resume. */
@ServerEndpoint(value = "/ws/push", decoders = ClientFrameDecoder.class, encoders = ServerFrameEncoder.class)
public class PushEndpoint {

    private PushSession session;

    @OnOpen
    public void open(Session ws) {
        EndpointSupport.limit(ws);
        HeraldEndpoints.Admission admission = EndpointSupport.admitted(ws);
        if (admission != null) {
            session = HeraldEndpoints.node().openPush(EndpointSupport.transport(ws, admission), admission.identity());
        }
    }

    /** A refused session ignores what comes before its close. */
    @OnMessage
    public void frame(ClientFrame frame) {
        if (session != null) {
            session.onFrame(frame);
        }
    }

    @OnMessage
    public void binary(ByteBuffer data, Session ws) {
        if (session != null) {
            EndpointSupport.refuseBinary(ws);
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        EndpointSupport.heard(session);
    }

    @OnClose
    public void close() {
        EndpointSupport.closed(session);
    }

    @OnError
    public void error(Session ws, Throwable error) {
        EndpointSupport.error(ws, session, error);
    }
}
