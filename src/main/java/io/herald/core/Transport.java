package io.herald.core;

import java.util.List;
import java.util.function.Consumer;

/** The connection under one session, as the core sees it: an asynchronous sender of frames. */
public interface Transport<F> {

    /**
     * Starts sending {@code frame} without blocking; {@code done} receives null once it is written,
     * or the error that stopped it. {@code done} may run on the calling thread.
     */
    void send(F frame, Consumer<Throwable> done);

    /**
     * Whether {@link #send(List, Consumer)} writes several frames at once, cheaper than one by one:
     * then an outbox hands over everything that waits for the session in one call.
     */
    default boolean writesBatches() {
        return false;
    }

    /**
     * Starts sending {@code frames}, in order, as one write; {@code done} as for a single frame.
     * Only called when {@link #writesBatches()} says so.
     */
    default void send(List<F> frames, Consumer<Throwable> done) {
        throw new UnsupportedOperationException("this transport writes one frame at a time");
    }

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
