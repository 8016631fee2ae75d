package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryBrokerTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryBroker broker = new InMemoryBroker(5, Duration.ofSeconds(60), clock);

    @AfterEach
    void close() {
        broker.close();
    }

    private Message publish(String topic, String data) {
        return broker.publish(new Publication(topic, "alice", data, null)).toCompletableFuture().join();
    }

    private HistoryPage read(String topic, long after) {
        return broker.read(topic, after, 1000).toCompletableFuture().join();
    }

    private static List<Long> seqs(HistoryPage page) {
        return page.messages().stream().map(Message::seq).toList();
    }

    @Test
    void firstMessageOfATopicIsSeqOneAndSeqsHaveNoGaps() {
        assertEquals(1, publish("a", "1").seq());
        assertEquals(2, publish("a", "2").seq());
        assertEquals(1, publish("b", "1").seq(), "each topic has its own sequence");
        assertEquals(3, publish("a", "3").seq());
    }

    @Test
    void historyKeepsTheLastHistorySizeMessages() {
        for (int i = 1; i <= 8; i++) {
            publish("t", String.valueOf(i));
        }
        HistoryPage page = read("t", 0);
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), seqs(page));
        assertEquals(8, page.latestSeq());
        assertEquals(4, page.oldestSeq());
        assertFalse(page.holdsEverythingAfter(2));
        assertTrue(page.holdsEverythingAfter(3));
    }

    @Test
    void readAfterASeqReturnsOnlyLaterMessagesUpToTheLimit() {
        for (int i = 1; i <= 5; i++) {
            publish("t", String.valueOf(i));
        }
        assertEquals(List.of(3L, 4L, 5L), seqs(read("t", 2)));
        assertEquals(List.of(3L, 4L), seqs(broker.read("t", 2, 2).toCompletableFuture().join()));
        assertEquals(List.of(), seqs(read("t", 5)));
        assertEquals(List.of(), seqs(read("t", 99)));
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
    void recentReturnsTheLastMessages() {
        for (int i = 1; i <= 5; i++) {
            publish("t", String.valueOf(i));
        }
        assertEquals(List.of(4L, 5L), seqs(broker.recent("t", 2).toCompletableFuture().join()));
        assertEquals(List.of(), seqs(broker.recent("empty", 2).toCompletableFuture().join()));
    }

    @Test
    void theEpochIsFixedByTheFirstReadOfAnEmptyTopic() {
        String epoch = read("t", 0).epoch();
        publish("t", "1");
        assertEquals(epoch, read("t", 0).epoch());
    }

    @Test
    void aForgottenTopicStartsANewEpochAtSeqOne() {
        publish("t", "1");
        String epoch = read("t", 0).epoch();
        clock.advance(Duration.ofMinutes(10));
        broker.sweep();
        assertEquals(0, broker.topicCount());
        assertEquals(1, publish("t", "again").seq());
        assertNotEquals(epoch, read("t", 0).epoch());
    }

    @Test
    void sweepKeepsTopicsThatStillHoldSomething() {
        publish("t", "1");
        broker.sweep();
        assertEquals(1, broker.topicCount());
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstMessage() {
        Message first = broker.publish(new Publication("t", "alice", "1", "k")).toCompletableFuture().join();
        Message retry = broker.publish(new Publication("t", "alice", "1", "k")).toCompletableFuture().join();
        assertEquals(first, retry);
        assertEquals(1, read("t", 0).latestSeq());
        Message other = broker.publish(new Publication("t", "alice", "2", "k2")).toCompletableFuture().join();
        assertEquals(2, other.seq());
    }

    @Test
    void anIdempotencyKeyIsForgottenAfterFiveMinutes() {
        broker.publish(new Publication("t", "alice", "1", "k")).toCompletableFuture().join();
        clock.advance(Broker.IDEMPOTENCY_WINDOW.plusSeconds(1));
        Message again = broker.publish(new Publication("t", "alice", "1", "k")).toCompletableFuture().join();
        assertEquals(2, again.seq());
    }

    @Test
    void listenersGetEveryMessageInSeqOrderUnderConcurrentPublishers() throws Exception {
        InMemoryBroker big = new InMemoryBroker(100_000, Duration.ofHours(1), clock);
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        big.listen("t", new TopicListener() {
            @Override
            public void onMessage(Message message) {
                seen.add(message.seq());
            }

            @Override
            public void onPresence(PresenceChange change) {
            }
        });
        int threads = 8;
        int each = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    big.publish(new Publication("t", "p", "0", null));
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(threads * each, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i), "delivery out of order at index " + i);
        }
    }

    @Test
    void presenceIsPerUserAcrossSessions() {
        List<PresenceChange> changes = new ArrayList<>();
        broker.listen("chat.x", new TopicListener() {
            @Override
            public void onMessage(Message message) {
            }

            @Override
            public void onPresence(PresenceChange change) {
                changes.add(change);
            }
        });
        assertEquals(List.of("alice"), broker.join("chat.x", "alice", "s1").toCompletableFuture().join());
        assertEquals(List.of("alice"), broker.join("chat.x", "alice", "s2").toCompletableFuture().join());
        assertEquals(List.of("alice", "bob"), broker.join("chat.x", "bob", "s3").toCompletableFuture().join());
        broker.leave("chat.x", "alice", "s1");
        broker.leave("chat.x", "alice", "s2");
        broker.leave("chat.x", "alice", "s2");
        assertEquals(List.of(
                new PresenceChange("chat.x", "alice", true),
                new PresenceChange("chat.x", "bob", true),
                new PresenceChange("chat.x", "alice", false)), changes);
    }

    @Test
    void messageIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(ids.add(publish("t" + (i % 3), "0").id()));
        }
    }
}
