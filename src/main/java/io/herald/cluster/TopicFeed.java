package io.herald.cluster;

import io.herald.core.HistoryPage;
import io.herald.core.Message;
import io.herald.core.PresenceChange;
import io.herald.core.SerialDispatcher;
import io.herald.core.TopicListener;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * One topic's live stream on this node: hands its listeners every message once, in seq order,
 * without gaps. Pub/sub alone cannot promise that: it drops what is published while a node's
 * subscription is down. So the feed knows the last seq it delivered; a message that skips ahead, or
 * a resync after the subscription came back, makes it read the missing ones from the stream first.
 * If the stream was lost meanwhile (a new epoch), the listeners are told so rather than handed seqs
 * that do not follow what they have.
 */
final class TopicFeed {

    private final String topic;
    /** Reads the stream after a seq: the broker's {@code read}. */
    private final BiFunction<String, Long, CompletionStage<HistoryPage>> reader;
    private final CopyOnWriteArrayList<TopicListener> listeners = new CopyOnWriteArrayList<>();
    private final SerialDispatcher dispatcher = new SerialDispatcher();
    // guarded by this
    private final ArrayDeque<Wire.Published> waiting = new ArrayDeque<>();
    private CompletableFuture<Void> started;
    private String epoch;
    private long delivered;
    private boolean reading;
    private boolean drainOwed;

    TopicFeed(String topic, BiFunction<String, Long, CompletionStage<HistoryPage>> reader) {
        this.topic = topic;
        this.reader = reader;
    }

    void add(TopicListener listener) {
        listeners.add(listener);
    }

    /** True when no listener is left. */
    boolean remove(TopicListener listener) {
        listeners.remove(listener);
        return listeners.isEmpty();
    }

    /**
     * Completes once the feed knows where the stream stands: from then on nothing published is
     * missed. Tries again after a failure.
     */
    CompletionStage<Void> start() {
        CompletableFuture<Void> begun;
        synchronized (this) {
            if (started != null && !started.isCompletedExceptionally()) {
                return started;
            }
            started = begun = new CompletableFuture<>();
        }
        reader.apply(topic, Long.MAX_VALUE).whenComplete((page, error) -> {
            if (error != null) {
                begun.completeExceptionally(error);
                return;
            }
            synchronized (this) {
                if (epoch == null) {
                    epoch = page.epoch();
                    delivered = page.latestSeq();
                }
            }
            advance();
            begun.complete(null);
        });
        return begun;
    }

    void onPublished(Wire.Published published) {
        synchronized (this) {
            waiting.add(published);
        }
        advance();
    }

    void onPresence(PresenceChange change) {
        dispatch(() -> listeners.forEach(l -> l.onPresence(change)));
        drain();
    }

    /** Catches up with the stream: for when the fan-out channel may have dropped messages. */
    void resync() {
        boolean read;
        synchronized (this) {
            read = epoch != null && !reading;
            reading |= read;
        }
        if (read) {
            readFromStream();
        }
    }

    /** Delivers what follows on from the last delivered seq; reads the stream on a gap. */
    private void advance() {
        boolean read = false;
        synchronized (this) {
            while (epoch != null && !reading && !waiting.isEmpty()) {
                Wire.Published next = waiting.peek();
                Message message = next.message();
                if (!next.epoch().equals(epoch)) {
                    restarted(next.epoch());
                } else if (message.seq() <= delivered) {
                    waiting.poll();
                } else if (message.seq() == delivered + 1) {
                    waiting.poll();
                    deliver(message);
                } else {
                    reading = read = true;
                }
            }
        }
        if (read) {
            readFromStream();
        }
        drain();
    }

    private void readFromStream() {
        long after;
        synchronized (this) {
            after = delivered;
        }
        reader.apply(topic, after).whenComplete((page, error) -> {
            boolean more = false;
            synchronized (this) {
                if (error != null) {
                    // Redis is away: the broker resyncs every feed once it is back
                    reading = false;
                    return;
                }
                if (!page.epoch().equals(epoch)) {
                    restarted(page.epoch());
                    more = true;
                } else {
                    if (!page.holdsEverythingAfter(delivered)) {
                        // gone from history too: skip ahead rather than wait for what never comes
                        delivered = page.oldestSeq() - 1;
                    }
                    for (Message message : page.messages()) {
                        if (message.seq() == delivered + 1) {
                            deliver(message);
                        }
                    }
                    more = delivered < page.latestSeq() && !page.messages().isEmpty();
                }
                reading = more;
            }
            if (more) {
                readFromStream();
            } else {
                advance();
            }
        });
    }

    /** Guarded by this. The stream starts again from seq 1 in {@code newEpoch}. */
    private void restarted(String newEpoch) {
        epoch = newEpoch;
        delivered = 0;
        dispatch(() -> listeners.forEach(l -> l.onStreamRestarted(topic, newEpoch)));
    }

    /** Guarded by this. */
    private void deliver(Message message) {
        delivered = message.seq();
        dispatch(() -> listeners.forEach(l -> l.onMessage(message)));
    }

    /** Under the lock that fixes the order: queues; {@link #drain()} runs it once the lock is released. */
    private void dispatch(Runnable task) {
        if (dispatcher.enqueue(task)) {
            synchronized (this) {
                drainOwed = true;
            }
        }
    }

    private void drain() {
        boolean owed;
        synchronized (this) {
            owed = drainOwed;
            drainOwed = false;
        }
        if (owed) {
            dispatcher.drain();
        }
    }
}
