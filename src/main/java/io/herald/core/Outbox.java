package io.herald.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * One session's outgoing frames: a bounded queue with at most one send in flight. Enqueuing never
 * blocks and never does I/O, so it is safe under a lock; {@link #flush()} starts the I/O and is
 * called once the lock is released.
 *
 * <p>Two bounds hold for everything queued. Live frames may number at most {@code capacity}, and
 * everything queued, replays included, may weigh at most {@code byteCapacity}: a live frame past
 * either makes the session a slow consumer, whose queue is dropped and whose next flush reports
 * the overflow, once, so that the session can be closed. Replayed history is not offered past
 * half of either capacity: its owner waits for {@link Listener#onRoomForReplay()} and goes on, so a
 * client catching up is paced by what it reads and is never cut off for it, and one that reads
 * nothing holds half the bound at most, however often it asks for history.
 */
public final class Outbox<F> {

    /** What the owner of an outbox is told. */
    public interface Listener {
        void onOverflow();

        void onSendFailed(Throwable error);

        /** A send finished and {@link #hasRoomForReplay()} holds: replay may go on. */
        default void onRoomForReplay() {
        }
    }

    private record Replayed<F>(F frame) {
    }

    /** Most frames written in one batch, where the transport writes batches. */
    static final int MAX_BATCH = 64;

    private final Transport<F> transport;
    private final int capacity;
    private final long byteCapacity;
    private final ToIntFunction<F> weigher;
    private final Listener listener;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger replaysQueued = new AtomicInteger();
    /** The weight of everything queued, replays included. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Held by whoever is sending; passed from the flushing thread to the send callback and back. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Decides, per send, which of flusher and callback carries on: the second one to arrive. */
    private final AtomicInteger handoff = new AtomicInteger();
    private final AtomicBoolean overflowReported = new AtomicBoolean();
    private final AtomicReference<Runnable> afterFlush = new AtomicReference<>();
    private final Consumer<Throwable> sentCallback = this::sent;
    private final boolean batches;
    private volatile boolean overflowed;
    private volatile boolean closed;

    /**
     * @param capacity live frames that may wait
     * @param byteCapacity what everything waiting may weigh, by {@code weigher}
     */
    public Outbox(Transport<F> transport, int capacity, long byteCapacity, ToIntFunction<F> weigher,
                  Listener listener) {
        this.transport = transport;
        this.capacity = capacity;
        this.byteCapacity = byteCapacity;
        this.weigher = weigher;
        this.listener = listener;
        this.batches = transport.writesBatches();
    }

    /** An outbox bounded by the number of live frames alone. */
    public Outbox(Transport<F> transport, int capacity, Listener listener) {
        this(transport, capacity, Long.MAX_VALUE, frame -> 0, listener);
    }

    /** Queues a live frame; false when the session is closed or has just become a slow consumer. */
    public boolean enqueue(F frame) {
        if (closed) {
            return false;
        }
        int weight = weigher.applyAsInt(frame);
        if (queued.get() - replaysQueued.get() >= capacity || queuedBytes.get() + weight > byteCapacity) {
            overflow();
            return false;
        }
        queued.incrementAndGet();
        queuedBytes.addAndGet(weight);
        queue.add(frame);
        return true;
    }

    /**
     * Queues a frame replayed from history: not counted towards the live capacity, and to be
     * offered only while {@link #hasRoomForReplay()} holds.
     */
    public void enqueueReplay(F frame) {
        if (closed) {
            return;
        }
        replaysQueued.incrementAndGet();
        queued.incrementAndGet();
        queuedBytes.addAndGet(weigher.applyAsInt(frame));
        queue.add(new Replayed<>(frame));
    }

    /**
     * Whether replayed frames may be queued now: what waits weighs under half the byte capacity and
     * numbers under half the live capacity. Live frames queue behind a replay, and a client busy
     * catching up must not be taken for a slow consumer for them: half of each bound is theirs.
     */
    public boolean hasRoomForReplay() {
        return !closed && queuedBytes.get() < byteCapacity / 2 && queued.get() < Math.max(1, capacity / 2);
    }

    /** Makes the session a slow consumer, as a live frame past the bounds would. */
    public void overflow() {
        overflowed = true;
        close();
    }

    /** Starts sending what is queued, unless a send is already in flight. */
    public void flush() {
        if (overflowed) {
            if (overflowReported.compareAndSet(false, true)) {
                listener.onOverflow();
            }
            return;
        }
        if (sending.compareAndSet(false, true)) {
            sendWhileOwned();
        }
    }

    /**
     * Runs {@code then} once everything queued so far has been sent (at once if nothing is
     * waiting): for closing a connection without losing what was already on its way.
     */
    public void closeAfterFlush(Runnable then) {
        afterFlush.set(then);
        flush();
        runAfterFlushIfIdle();
    }

    private void runAfterFlushIfIdle() {
        if (afterFlush.get() != null && (closed || queue.isEmpty() && !sending.get())) {
            Runnable then = afterFlush.getAndSet(null);
            if (then != null) {
                then.run();
            }
        }
    }

    /** Drops everything queued and sends nothing more. */
    public void close() {
        closed = true;
        queue.clear();
        queued.set(0);
        replaysQueued.set(0);
        queuedBytes.set(0);
    }

    /** Frames waiting to be sent. */
    public int size() {
        return queued.get();
    }

    /** What the frames waiting to be sent weigh. */
    public long weight() {
        return queuedBytes.get();
    }

    /** Live frames that may wait. */
    public int capacity() {
        return capacity;
    }

    public boolean isClosed() {
        return closed;
    }

    private void sendWhileOwned() {
        while (true) {
            Object next = closed ? null : queue.poll();
            if (next == null) {
                sending.set(false);
                // something may have been queued after the poll but before the release
                if (closed || queue.isEmpty() || !sending.compareAndSet(false, true)) {
                    runAfterFlushIfIdle();
                    return;
                }
                continue;
            }
            F frame = taken(next);
            List<F> batch = null;
            if (batches) {
                // everything else already waiting goes in the same write
                Object more;
                while ((batch == null || batch.size() < MAX_BATCH) && (more = queue.poll()) != null) {
                    if (batch == null) {
                        batch = new ArrayList<>();
                        batch.add(frame);
                    }
                    batch.add(taken(more));
                }
            }
            handoff.set(0);
            if (batch == null) {
                transport.send(frame, sentCallback);
            } else {
                transport.send(batch, sentCallback);
            }
            if (handoff.getAndIncrement() == 0) {
                return; // the callback has not run yet: it carries on
            }
        }
    }

    /** A frame just taken from the queue, counted out of it. */
    @SuppressWarnings("unchecked")
    private F taken(Object next) {
        queued.decrementAndGet();
        F frame;
        if (next instanceof Replayed<?> replayed) {
            replaysQueued.decrementAndGet();
            frame = (F) replayed.frame();
        } else {
            frame = (F) next;
        }
        queuedBytes.addAndGet(-weigher.applyAsInt(frame));
        return frame;
    }

    private void sent(Throwable error) {
        if (error != null) {
            close();
            listener.onSendFailed(error);
        } else if (hasRoomForReplay()) {
            listener.onRoomForReplay();
        }
        if (handoff.getAndIncrement() != 0) {
            sendWhileOwned(); // the flusher has returned: carry on here
        }
    }
}
