package io.herald.endpoint;

import io.herald.protocol.FrameCodec;
import io.herald.protocol.ServerFrame;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;

/** Encodes server frames; a broadcast message arrives already encoded, once for all subscribers. */
public final class ServerFrameEncoder implements Encoder.Text<ServerFrame> {

    private FrameCodec codec;

    @Override
    public void init(EndpointConfig config) {
        codec = HeraldEndpoints.node().codec();
    }

    @Override
    public String encode(ServerFrame frame) {
        return codec.encode(frame);
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
