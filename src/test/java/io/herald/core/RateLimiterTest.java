package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong();

    private int take(RateLimiter limiter, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            if (limiter.tryAcquire()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void aFullBucketAllowsTheBurstThenTheRate() {
        RateLimiter limiter = new RateLimiter(50, 100, now::get);
        assertEquals(100, take(limiter, 150));
        assertFalse(limiter.tryAcquire());
        now.addAndGet(1_000_000_000L); // one second: 50 more
        assertEquals(50, take(limiter, 80));
        now.addAndGet(20_000_000L); // 20 ms: one more
        assertTrue(limiter.tryAcquire());
        assertFalse(limiter.tryAcquire());
    }

    @Test
    void savedPermitsNeverExceedTheBurst() {
        RateLimiter limiter = new RateLimiter(50, 100, now::get);
        now.addAndGet(60_000_000_000L);
        assertEquals(100, take(limiter, 1000));
    }
}
