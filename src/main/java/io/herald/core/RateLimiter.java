package io.herald.core;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code rate} permits a second, up to {@code burst} saved up. One per connection;
 * not thread-safe (a connection's frames arrive one at a time).
 */
public final class RateLimiter {

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    public RateLimiter(int rate, int burst, LongSupplier nanoTime) {
        this.perNano = rate / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a permit if one is available. */
    public boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
