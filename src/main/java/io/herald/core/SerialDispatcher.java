package io.herald.core;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs tasks one at a time, in the order they were enqueued, on the threads that enqueue them and
 * without a lock held while they run. Enqueue under the lock that fixes the order; drain after
 * releasing it.
 */
public final class SerialDispatcher {

    private static final Logger LOG = Logger.getLogger(SerialDispatcher.class.getName());

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();

    /** Adds a task; true when the caller must now call {@link #drain()}. */
    public boolean enqueue(Runnable task) {
        tasks.add(task);
        return pending.getAndIncrement() == 0;
    }

    /** Runs tasks until none is left, including those other threads add meanwhile. */
    public void drain() {
        do {
            Runnable task = tasks.poll();
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "dispatch task failed; later tasks still run", e);
            }
        } while (pending.decrementAndGet() != 0);
    }

    /** Enqueues and, if it falls to this thread, drains. */
    public void execute(Runnable task) {
        if (enqueue(task)) {
            drain();
        }
    }
}
