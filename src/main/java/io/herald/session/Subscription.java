package io.herald.session;

import io.herald.protocol.ServerFrame;
import io.herald.protocol.ServerFrame.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One connection's subscription to one topic. It exists from the moment it is registered for live
 * traffic, but stays pending, holding live frames back, until its history has been read; then it
 * sends its opening frames, the replay, and the held frames it has not already sent, in order.
 * Every message reaches the client once: anything at or below the last seq sent is skipped.
 */
final class Subscription {

    private final Connection connection;
    private final String topic;
    private final boolean presence;
    private final CompletableFuture<Subscription> active = new CompletableFuture<>();
    // guarded by this
    private List<ServerFrame> held = new ArrayList<>();
    private long lastSeq;
    private String epoch;
    private boolean cancelled;

    Subscription(Connection connection, String topic, boolean presence) {
        this.connection = connection;
        this.topic = topic;
        this.presence = presence;
    }

    Connection connection() {
        return connection;
    }

    String topic() {
        return topic;
    }

    /** Whether this subscription shows the room's presence (chat connections do). */
    boolean presence() {
        return presence;
    }

    /** Completes once the opening frames are queued and live delivery has begun. */
    CompletableFuture<Subscription> active() {
        return active;
    }

    synchronized long lastSeq() {
        return lastSeq;
    }

    synchronized String epoch() {
        return epoch;
    }

    void deliver(Delivery delivery) {
        if (offer(delivery)) {
            flush();
        }
    }

    /**
     * Queues a live message without starting to send it: true if it was queued, and then
     * {@link #flush()} must follow, at once or after queuing more (which then go out together).
     */
    boolean offer(Delivery delivery) {
        synchronized (this) {
            if (cancelled) {
                return false;
            }
            if (held != null) {
                held.add(delivery);
                return false;
            }
            long seq = delivery.message().seq();
            if (seq <= lastSeq) {
                return false;
            }
            lastSeq = seq;
            connection.outbox().enqueue(delivery);
            return true;
        }
    }

    /** Starts sending what is queued for this subscription's connection. */
    void flush() {
        connection.outbox().flush();
    }

    void deliverPresence(ServerFrame.PresenceEvent event) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (held != null) {
                held.add(event);
                return;
            }
            connection.outbox().enqueue(event);
        }
        connection.outbox().flush();
    }

    /**
     * Sends the opening frames, then the replay, then what was held back, and goes live.
     *
     * @param latestSeq the topic's latest seq when history was read
     */
    void activate(List<ServerFrame> opening, List<Delivery> replay, String streamEpoch, long latestSeq) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            epoch = streamEpoch;
            opening.forEach(connection.outbox()::enqueue);
            for (Delivery delivery : replay) {
                connection.outbox().enqueueReplay(delivery);
                lastSeq = delivery.message().seq();
            }
            lastSeq = Math.max(lastSeq, latestSeq);
            List<ServerFrame> release = held;
            held = null;
            for (ServerFrame frame : release) {
                if (!(frame instanceof Delivery d)) {
                    connection.outbox().enqueue(frame);
                } else if (d.message().seq() > lastSeq) {
                    lastSeq = d.message().seq();
                    connection.outbox().enqueue(d);
                }
            }
        }
        connection.outbox().flush();
        active.complete(this);
    }

    /**
     * The stream was lost and starts again in {@code newEpoch}: an unasked {@code subscribed} with
     * {@code recovered: false} tells the client, as a resume would, and seqs count from 0 again.
     * A subscription still reading its history has nothing to correct yet: its history read and
     * the held frames decide, and it goes on from the seqs it was given.
     */
    void restart(String newEpoch) {
        synchronized (this) {
            if (cancelled || held != null) {
                return;
            }
            epoch = newEpoch;
            lastSeq = 0;
            connection.outbox().enqueue(new ServerFrame.Subscribed(topic, 0, newEpoch, false, null));
        }
        connection.outbox().flush();
    }

    /** Stops all delivery; what was held back is dropped. */
    synchronized void cancel() {
        cancelled = true;
        held = null;
    }
}
