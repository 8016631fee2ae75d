package io.herald.session;

import io.herald.core.HistoryPage;
import io.herald.core.Message;
import io.herald.core.Outbox;
import io.herald.protocol.ServerFrame;
import io.herald.protocol.ServerFrame.Delivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One connection's subscription to one topic. It exists from the moment it is registered for live
 * traffic, but holds live frames back until it has sent its opening frames and its replay; then it
 * sends the held frames it has not already sent, in order, and goes live. Every message reaches
 * the client once: anything at or below the last seq sent is skipped.
 *
 * <p>The replay is paced by what the client reads (docs/protocol.md section 4): history is read a
 * page at a time and queued only while the connection's outbox has room for replays (see
 * {@link Outbox#hasRoomForReplay()}); the {@link Connection} runs its subscriptions' replays one
 * after another as room comes. Live frames held meanwhile are bounded too: past the outbox's
 * capacity they are dropped and read from history again before going live, since history holds
 * them. Should history lose messages before they could be sent, the client is told with an unasked
 * {@code subscribed} with {@code recovered: false}, never left with a silent gap.
 */
final class Subscription {

    /** Messages read from history at a time. */
    static final int REPLAY_PAGE = 64;

    /** Where a step of the replay got to. */
    enum Step {
        /** The replay is over (or the subscription is gone): nothing more to do here. */
        LIVE,
        /** Waiting for room in the outbox, or for a page being read. */
        BLOCKED,
        /** The next page must be read: see {@link #readPage()}. */
        NEEDS_PAGE
    }

    /** Reads a topic's history after a seq, a page at a time. */
    interface Pages {
        CompletionStage<HistoryPage> after(long seq);
    }

    private final Connection connection;
    private final String topic;
    private final boolean presence;
    private final Pages pages;
    private final Function<Message, Delivery> encoder;
    private final Consumer<Throwable> onReplayFailure;
    private final CompletableFuture<Subscription> active = new CompletableFuture<>();
    // guarded by this
    /** Live frames held back until the replay is over; null once live. */
    private List<ServerFrame> held = new ArrayList<>();
    private int heldDeliveries;
    /** How often held deliveries were dropped for want of room: they must be read from history. */
    private int drops;
    /** Replay read and not yet queued; null before activation and once live. */
    private ArrayDeque<Message> pending;
    /** The topic's latest seq as of the last page read. */
    private long readLatest;
    /** {@link #drops} when the last page read began: the read covers only drops before it. */
    private int dropsAtRead;
    private boolean reading;
    private long lastSeq;
    private String epoch;
    private boolean cancelled;

    /**
     * @param presence whether this is a chat room's: presence events, and no resume frames
     * @param onReplayFailure told, once, if a page of the replay cannot be read
     */
    Subscription(Connection connection, String topic, boolean presence, Pages pages,
                 Function<Message, Delivery> encoder, Consumer<Throwable> onReplayFailure) {
        this.connection = connection;
        this.topic = topic;
        this.presence = presence;
        this.pages = pages;
        this.encoder = encoder;
        this.onReplayFailure = onReplayFailure;
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

    /** Completes once the opening frames are queued and the replay has begun. */
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
                hold(delivery);
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

    /** Holds a live message back; past the outbox's capacity, history will have to give them again. */
    private void hold(Delivery delivery) {
        if (heldDeliveries >= connection.outbox().capacity()) {
            held.removeIf(frame -> frame instanceof Delivery);
            heldDeliveries = 0;
            drops++;
        }
        held.add(delivery);
        heldDeliveries++;
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
                if (held.size() - heldDeliveries >= connection.outbox().capacity()) {
                    connection.outbox().overflow(); // presence cannot be read again: a slow consumer
                } else {
                    held.add(event);
                }
            } else {
                connection.outbox().enqueue(event);
            }
        }
        connection.outbox().flush();
    }

    /**
     * Sends the opening frames and starts the replay: the messages after {@code from}, beginning
     * with those of {@code first}.
     *
     * @param first the first page of history read for this subscription, which fixes its epoch
     * @param from the last seq the client has, or needs no replay of
     */
    void activate(List<ServerFrame> opening, HistoryPage first, long from) {
        boolean live;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            epoch = first.epoch();
            lastSeq = from;
            opening.forEach(connection.outbox()::enqueue);
            // a page kept while other replays of the connection go first would be memory held for
            // nothing: the page is read again when this one's turn comes
            pending = connection.replaying() ? new ArrayDeque<>() : new ArrayDeque<>(first.messages());
            readLatest = first.latestSeq();
            dropsAtRead = 0;
            live = pending.isEmpty() && caughtUp();
            if (live) {
                goLive();
            }
        }
        if (!live) {
            connection.replay(this);
        }
        connection.outbox().flush();
        active.complete(this);
    }

    /** Queues replayed messages while the outbox has room; goes live once history is exhausted. */
    synchronized Step replayStep() {
        if (cancelled || pending == null) {
            return Step.LIVE;
        }
        Outbox<ServerFrame> outbox = connection.outbox();
        while (outbox.hasRoomForReplay()) {
            Message next = pending.poll();
            if (next != null) {
                if (next.seq() > lastSeq) {
                    outbox.enqueueReplay(encoder.apply(next));
                    lastSeq = next.seq();
                }
            } else if (reading) {
                return Step.BLOCKED;
            } else if (caughtUp()) {
                goLive();
                return Step.LIVE;
            } else {
                return Step.NEEDS_PAGE;
            }
        }
        return outbox.isClosed() ? Step.LIVE : Step.BLOCKED;
    }

    /** Everything up to the latest seq of the last read is sent, and nothing was dropped since it began. */
    private boolean caughtUp() {
        return lastSeq >= readLatest && drops == dropsAtRead;
    }

    /** Reads the next page of the replay; the connection's replay goes on when it is in. */
    void readPage() {
        long after;
        synchronized (this) {
            if (cancelled || pending == null || reading) {
                return;
            }
            reading = true;
            after = lastSeq;
            dropsAtRead = drops;
        }
        pages.after(after).whenComplete((page, error) -> {
            boolean failed;
            synchronized (this) {
                reading = false;
                failed = error != null && !cancelled;
                if (error == null) {
                    accept(page);
                }
            }
            if (failed) {
                onReplayFailure.accept(error);
            }
            connection.pumpReplays();
        });
    }

    /** Takes a page of the replay in, telling the client of whatever history could not give. */
    private void accept(HistoryPage page) {
        if (cancelled || pending == null) {
            return;
        }
        Outbox<ServerFrame> outbox = connection.outbox();
        if (!page.epoch().equals(epoch)) {
            // the stream was lost and begins again: from its first message, as a resume would
            epoch = page.epoch();
            lastSeq = 0;
            readLatest = page.latestSeq();
            dropsAtRead = -1; // read again, from 0
            if (!presence) {
                outbox.enqueue(new ServerFrame.Subscribed(topic, 0, epoch, false, null));
            }
            return;
        }
        if (!page.holdsEverythingAfter(lastSeq)) {
            // pushed out of history while the client read slowly: say so, and go on from what is there
            lastSeq = page.oldestSeq() - 1;
            if (!presence) {
                outbox.enqueue(new ServerFrame.Subscribed(topic, lastSeq, epoch, false, null));
            }
        }
        pending.addAll(page.messages());
        readLatest = page.latestSeq();
    }

    /**
     * Queues what was held back and not already sent, and delivers live from now on. The held
     * messages are the end of the catch-up, bounded by the outbox's capacity: they count as
     * replayed, so that a client that has just caught up is not taken for a slow consumer for them.
     */
    private void goLive() {
        List<ServerFrame> release = held;
        held = null;
        pending = null;
        for (ServerFrame frame : release) {
            if (!(frame instanceof Delivery d)) {
                connection.outbox().enqueue(frame);
            } else if (d.message().seq() > lastSeq) {
                lastSeq = d.message().seq();
                connection.outbox().enqueueReplay(d);
            }
        }
    }

    /**
     * The stream was lost and starts again in {@code newEpoch}: an unasked {@code subscribed} with
     * {@code recovered: false} tells the client, as a resume would, and seqs count from 0 again.
     * A subscription still replaying reads history again instead, which then tells the client.
     */
    void restart(String newEpoch) {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            if (held != null) {
                held.removeIf(frame -> frame instanceof Delivery);
                heldDeliveries = 0;
                drops++;
                return;
            }
            epoch = newEpoch;
            lastSeq = 0;
            connection.outbox().enqueue(new ServerFrame.Subscribed(topic, 0, newEpoch, false, null));
        }
        connection.outbox().flush();
    }

    /** Stops all delivery; what was held back or not yet replayed is dropped. */
    synchronized void cancel() {
        cancelled = true;
        held = null;
        pending = null;
    }
}
