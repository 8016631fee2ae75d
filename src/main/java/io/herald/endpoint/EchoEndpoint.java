package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /ws/echo}: sends every text and binary message back unchanged, up to 16 MiB, for
 * diagnostics and conformance testing. One reply is in flight at a time, in order; a client that
 * leaves a reply unread for {@value #STUCK_SECONDS} s is closed, so that it holds neither memory
 * nor, for longer than that, a server thread.
 */
@ServerEndpoint("/ws/echo")
public class EchoEndpoint {

    private static final long STUCK_SECONDS = 10;

    private Future<Void> lastReply;
    private SessionTransport transport;

    @OnOpen
    public void open(Session ws) {
        transport = EndpointSupport.transport(ws, HeraldEndpoints.admission(ws));
        ws.setMaxTextMessageBufferSize(HeraldConfig.ECHO_MAX_BYTES);
        ws.setMaxBinaryMessageBufferSize(HeraldConfig.ECHO_MAX_BYTES);
    }

    @OnMessage
    public void text(String message, Session ws) {
        if (previousReplySent(ws)) {
            lastReply = ws.getAsyncRemote().sendText(message);
        }
    }

    @OnMessage
    public void binary(ByteBuffer message, Session ws) {
        if (previousReplySent(ws)) {
            lastReply = ws.getAsyncRemote().sendBinary(message);
        }
    }

    private boolean previousReplySent(Session ws) {
        if (lastReply == null) {
            return true;
        }
        try {
            lastReply.get(STUCK_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            transport.close(CloseCodes.TRY_AGAIN_LATER.getCode(), "echo replies are not being read");
            HeraldEndpoints.node().abortUnlessClosed(transport); // the close waits behind the unread reply
            return false;
        } catch (ExecutionException e) {
            return false; // the connection is gone; the container reports it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
