package io.herald.session;

import io.herald.core.Transport;
import io.herald.protocol.ServerFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A client that reads only when told to: sends stay in flight until {@link #readAll()}, as they do
 * on a connection whose client does not read. Frames count as received once read.
 */
final class ManualTransport implements Transport<ServerFrame> {

    private record InFlight(ServerFrame frame, Consumer<Throwable> done) {
    }

    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    private final List<ServerFrame> received = new ArrayList<>();

    @Override
    public synchronized void send(ServerFrame frame, Consumer<Throwable> done) {
        inFlight.add(new InFlight(frame, done));
    }

    /** Reads everything the server sends, including what it sends as reading makes room. */
    void readAll() {
        read(Integer.MAX_VALUE);
    }

    /** Reads at most {@code frames} frames, as a client that reads slowly does. */
    void read(int frames) {
        for (int i = 0; i < frames; i++) {
            InFlight next;
            synchronized (this) {
                next = inFlight.poll();
                if (next == null) {
                    return;
                }
                received.add(next.frame());
            }
            next.done().accept(null);
        }
    }

    synchronized List<ServerFrame> received() {
        return new ArrayList<>(received);
    }

    /** The seqs of the message frames received so far, in order. */
    synchronized List<Long> seqs() {
        return received.stream().filter(f -> f instanceof ServerFrame.Delivery)
                .map(f -> ((ServerFrame.Delivery) f).message().seq()).toList();
    }

    @Override
    public void ping() {
        // not recorded
    }

    @Override
    public void close(int code, String reason) {
        // not recorded
    }

    @Override
    public void abort() {
        // nothing to drop
    }
}
