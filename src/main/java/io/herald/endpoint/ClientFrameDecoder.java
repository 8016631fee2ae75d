package io.herald.endpoint;

import io.herald.protocol.ClientFrame;
import io.herald.protocol.FrameCodec;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

/**
 * Decodes every text message, good or bad: a bad one becomes {@link ClientFrame.Invalid}, which the
 * session answers with {@code bad_request}. Refusing in {@code willDecode} would not do: Tyrus drops
 * such messages silently and Undertow raises an error, and SPEC wants an answer on every runtime.
 */
public final class ClientFrameDecoder implements Decoder.Text<ClientFrame> {

    private FrameCodec codec;
    private int maxBytes;

    @Override
    public void init(EndpointConfig config) {
        codec = HeraldEndpoints.node().codec();
        maxBytes = HeraldEndpoints.node().config().maxMessageBytes();
    }

    /**
     * The containers enforce the session's message buffer size only on messages that arrive in
     * fragments (Tyrus checks a whole one against {@code @OnMessage(maxMessageSize)}, a constant),
     * so every message's size is checked here.
     */
    @Override
    public ClientFrame decode(String text) {
        return codec.decode(text, maxBytes);
    }

    @Override
    public boolean willDecode(String text) {
        return true;
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
