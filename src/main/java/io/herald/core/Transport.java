package io.herald.core;

import java.util.function.Consumer;

/** The connection under one session, as the core sees it: an asynchronous sender of frames. */
public interface Transport<F> {

    /**
     * Starts sending {@code frame} without blocking; {@code done} receives null once it is written,
     * or the error that stopped it. {@code done} may run on the calling thread.
     */
    void send(F frame, Consumer<Throwable> done);

    /** Sends a protocol-level (RFC 6455) ping, without blocking. */
    void ping();

    /** Starts a close handshake with the given WebSocket close code. */
    void close(int code, String reason);

    /**
     * Drops the TCP connection at once if it is still open: for a client whose close handshake
     * could not be sent. Does nothing where the container offers no way to do it.
     */
    void abort();
}
