package io.herald.session;

import io.herald.core.Transport;
import io.herald.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A transport whose every send succeeds at once, recording the frames in order. */
final class RecordingTransport implements Transport<ServerFrame> {

    private final List<ServerFrame> frames = new ArrayList<>();
    private final List<Integer> closes = new ArrayList<>();

    @Override
    public synchronized void send(ServerFrame frame, Consumer<Throwable> done) {
        frames.add(frame);
        done.accept(null);
    }

    @Override
    public void ping() {
        // not recorded
    }

    @Override
    public void abort() {
        // nothing to drop
    }

    @Override
    public synchronized void close(int code, String reason) {
        closes.add(code);
    }

    synchronized List<ServerFrame> frames() {
        return new ArrayList<>(frames);
    }

    synchronized List<Integer> closes() {
        return new ArrayList<>(closes);
    }

    /** The seqs of the message frames received so far, in order. */
    synchronized List<Long> seqs() {
        return frames.stream()
                .filter(f -> f instanceof ServerFrame.Delivery)
                .map(f -> ((ServerFrame.Delivery) f).message().seq())
                .toList();
    }

    synchronized <T extends ServerFrame> List<T> all(Class<T> type) {
        return frames.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
