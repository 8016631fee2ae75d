package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The contract, plus what the in-memory broker does with time and idle topics (on a test clock). */
class InMemoryBrokerTest extends BrokerContractTest {

    private final MutableClock clock = new MutableClock();
    @Override
    protected Broker create(int historySize, Duration historyTtl, int idempotencyKeys) {
        return new InMemoryBroker(historySize, historyTtl, idempotencyKeys, clock);
    }

    @Override
    protected long idempotencyKeyCount(Broker broker, String topic) {
        return ((InMemoryBroker) broker).idempotencyKeyCount(topic);
    }

    /** What the broker holds is what the garbage collector cannot take: data still reachable. */
    @Override
    protected Retention retention(Broker broker) {
        List<WeakReference<String>> published = new ArrayList<>();
        return new Retention() {
            @Override
            public void published(String data) {
                published.add(new WeakReference<>(data));
            }

            @Override
            public long heldBytes() {
                System.gc();
                return published.stream().map(WeakReference::get).filter(Objects::nonNull).mapToLong(String::length).sum();
            }
        };
    }

    private InMemoryBroker memory() {
        return (InMemoryBroker) broker();
    }

    @Test
    void historyExpiresAfterItsTtl() {
        publish("t", "old");
        clock.advance(Duration.ofSeconds(30));
        publish("t", "new");
        clock.advance(Duration.ofSeconds(31));
        HistoryPage page = read("t", 0);
        assertEquals(List.of(2L), seqs(page));
        assertEquals(2, page.oldestSeq());
        assertEquals(2, page.latestSeq(), "expiry never rewinds the sequence");
    }

    @Test
    void aForgottenTopicStartsANewEpochAtSeqOne() {
        publish("t", "1");
        String epoch = read("t", 0).epoch();
        clock.advance(Duration.ofMinutes(10));
        memory().sweep();
        assertEquals(0, memory().topicCount());
        assertEquals(1, publish("t", "again").seq());
        assertNotEquals(epoch, read("t", 0).epoch());
    }

    @Test
    void sweepKeepsTopicsThatStillHoldSomething() {
        publish("t", "1");
        memory().sweep();
        assertEquals(1, memory().topicCount());
    }

    @Test
    void anIdempotencyKeyIsForgottenAfterFiveMinutes() {
        join(broker().publish(new Publication("t", "alice", "1", "k")));
        clock.advance(Broker.IDEMPOTENCY_WINDOW.plusSeconds(1));
        Message again = join(broker().publish(new Publication("t", "alice", "1", "k")));
        assertEquals(2, again.seq());
        clock.advance(Broker.IDEMPOTENCY_WINDOW.plusSeconds(1));
        assertEquals(3, join(broker().publish(new Publication("t", "alice", "other data", "k"))).seq(),
                "after the window, other data is no conflict");
        assertEquals(1, memory().idempotencyKeyCount("t"));
    }
}
