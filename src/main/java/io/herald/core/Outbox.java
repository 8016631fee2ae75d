package io.herald.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One session's outgoing frames: a bounded queue with at most one send in flight. Enqueuing never
 * blocks and never does I/O, so it is safe under a lock; {@link #flush()} starts the I/O and is
 * called once the lock is released.
 *
 * <p>When more than {@code capacity} live frames wait, the session is a slow consumer: its queue is
 * dropped and the next flush reports the overflow, once, so that the session can be closed. Frames
 * replayed from history do not count towards the capacity (they are bounded by history's size), so
 * a client resuming over a slow link is not cut off for catching up.
 */
public final class Outbox<F> {

    /** What the owner of an outbox is told. */
    public interface Listener {
        void onOverflow();

        void onSendFailed(Throwable error);
    }

    private record Replayed<F>(F frame) {
    }

    /** Most frames written in one batch, where the transport writes batches. */
    static final int MAX_BATCH = 64;

    private final Transport<F> transport;
    private final int capacity;
    private final Listener listener;
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger replaysQueued = new AtomicInteger();
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

    public Outbox(Transport<F> transport, int capacity, Listener listener) {
        this.transport = transport;
        this.capacity = capacity;
        this.listener = listener;
        this.batches = transport.writesBatches();
    }

    /** Queues a live frame; false when the session is closed or has just become a slow consumer. */
    public boolean enqueue(F frame) {
        if (closed) {
            return false;
        }
        if (queued.get() - replaysQueued.get() >= capacity) {
            overflowed = true;
            close();
            return false;
        }
        queued.incrementAndGet();
        queue.add(frame);
        return true;
    }

    /** Queues a frame replayed from history (not counted towards the capacity). */
    public void enqueueReplay(F frame) {
        if (closed) {
            return;
        }
        replaysQueued.incrementAndGet();
        queued.incrementAndGet();
        queue.add(new Replayed<>(frame));
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
    }

    /** Frames waiting to be sent. */
    public int size() {
        return queued.get();
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
        if (next instanceof Replayed<?> replayed) {
            replaysQueued.decrementAndGet();
            return (F) replayed.frame();
        }
        return (F) next;
    }

    private void sent(Throwable error) {
        if (error != null) {
            close();
            listener.onSendFailed(error);
        }
        if (handoff.getAndIncrement() != 0) {
            sendWhileOwned(); // the flusher has returned: carry on here
        }
    }
}
