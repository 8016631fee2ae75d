package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;

/**
 * {@code /ws/echo}: sends every text and binary message back unchanged, up to 16 MiB, for
 * diagnostics and conformance testing. Replies are sent before the next message is read, so a
 * client that does not read cannot make the server buffer without bound.
 */
@ServerEndpoint("/ws/echo")
public class EchoEndpoint {

    @OnOpen
    public void open(Session ws) {
        ws.setMaxTextMessageBufferSize(HeraldConfig.ECHO_MAX_BYTES);
        ws.setMaxBinaryMessageBufferSize(HeraldConfig.ECHO_MAX_BYTES);
    }

    @OnMessage
    public String text(String message) {
        return message;
    }

    @OnMessage
    public ByteBuffer binary(ByteBuffer message) {
        return message;
    }
}
