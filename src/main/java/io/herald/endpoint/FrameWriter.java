package io.herald.endpoint;

import java.util.function.Consumer;

/**
 * Writes ready-made WebSocket frames straight to one session's connection, where the runtime has a
 * way to (the standalone launcher on Tyrus does; see {@link HeraldEndpoints#writesFramesWith}). A
 * message then costs one shared encoding for all its subscribers instead of a text-to-frame
 * conversion per subscriber.
 */
public interface FrameWriter {

    /**
     * Starts writing {@code frame}, whole WebSocket frames, without blocking; {@code done} gets null
     * once written or the error that stopped it. The array is shared: it is never modified.
     */
    void write(byte[] frame, Consumer<Throwable> done);
}
