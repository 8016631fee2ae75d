package io.herald.endpoint;

import io.herald.core.Transport;
import io.herald.protocol.FrameCodec;
import io.herald.protocol.ServerFrame;
import io.herald.protocol.ServerFrame.Delivery;
import io.herald.protocol.WebSocketFrames;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Jakarta WebSocket session as the core's transport: asynchronous sends through the encoder, or,
 * where the runtime offers a {@link FrameWriter}, ready-made frames (a delivery's frame is made
 * once and shared by every subscriber).
 */
final class SessionTransport implements Transport<ServerFrame> {

    private static final Logger LOG = Logger.getLogger(SessionTransport.class.getName());

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Session session;
    private final Runnable abort;
    private final FrameWriter writer;
    private final FrameCodec codec;

    /**
     * @param abort drops the session's TCP connection; null where the container has no way
     * @param writer writes ready-made frames to the session; null to send through the container's API
     */
    SessionTransport(Session session, Runnable abort, FrameWriter writer, FrameCodec codec) {
        this.session = session;
        this.abort = abort;
        this.writer = writer;
        this.codec = codec;
    }

    @Override
    public void abort() {
        if (abort != null) {
            abort.run();
        }
    }

    @Override
    public void send(ServerFrame frame, Consumer<Throwable> done) {
        if (writer != null) {
            write(wire(frame), done);
            return;
        }
        try {
            session.getAsyncRemote().sendObject(frame, result -> done.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            // the session closed under us; the container reports the close itself
            done.accept(e);
        }
    }

    /** With a frame writer, several frames go out in one write (one system call, not one each). */
    @Override
    public boolean writesBatches() {
        return writer != null;
    }

    @Override
    public void send(List<ServerFrame> frames, Consumer<Throwable> done) {
        byte[][] wires = new byte[frames.size()][];
        int length = 0;
        for (int i = 0; i < wires.length; i++) {
            wires[i] = wire(frames.get(i));
            length += wires[i].length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] w : wires) {
            System.arraycopy(w, 0, all, at, w.length);
            at += w.length;
        }
        write(all, done);
    }

    private void write(byte[] wire, Consumer<Throwable> done) {
        if (!session.isOpen()) {
            done.accept(new IllegalStateException("the session is closed"));
            return;
        }
        writer.write(wire, done);
    }

    /** A frame as WebSocket bytes: a delivery's are made once and shared by all its subscribers. */
    private byte[] wire(ServerFrame frame) {
        return frame instanceof Delivery d && d.wire() != null ? d.wire() : WebSocketFrames.text(codec.encode(frame));
    }

    @Override
    public void ping() {
        try {
            session.getAsyncRemote().sendPing(EMPTY);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "session " + session.getId() + ": ping failed");
        }
    }

    @Override
    public void close(int code, String reason) {
        close(session, code, reason);
    }

    /** Closes a session with a close code of SPEC section 4, logging rather than throwing. */
    static void close(Session session, int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "session " + session.getId() + ": close " + code + " failed");
        }
    }
}
