package io.herald.endpoint;

import io.herald.protocol.ClientFrame;
import io.herald.security.Refusal;
import io.herald.security.RoomAccess;
import io.herald.session.ChatSession;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/** {@code /ws/chat/{room}}: one chat room — presence, recent history, messages. */
@ServerEndpoint(value = "/ws/chat/{room}", decoders = ClientFrameDecoder.class, encoders = ServerFrameEncoder.class)
public class ChatEndpoint {

    private ChatSession session;

    @OnOpen
    public void open(Session ws, @PathParam("room") String room) {
        EndpointSupport.limit(ws);
        HeraldEndpoints.Admission admission = EndpointSupport.admitted(ws);
        if (admission == null) {
            return;
        }
        // decided again on the room name as the container decoded it, whatever the handshake saw
        Refusal refusal = RoomAccess.refusal(admission.identity(), room);
        if (refusal != null) {
            EndpointSupport.refuseAfterHandshake(ws, CloseCodes.VIOLATED_POLICY.getCode(), refusal.message());
            return;
        }
        session = HeraldEndpoints.node().openChat(room, EndpointSupport.transport(ws, admission),
                admission.identity());
    }

    /** Refused rooms ignore what comes before their close. */
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
