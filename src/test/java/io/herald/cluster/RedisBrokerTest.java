package io.herald.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.core.Broker;
import io.herald.core.BrokerContractTest;
import io.herald.core.BrokerUnavailableException;
import io.herald.core.HistoryPage;
import io.herald.core.IdempotencyConflictException;
import io.herald.core.Message;
import io.herald.core.PresenceChange;
import io.herald.core.Publication;
import io.herald.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker contract on a real redis-server, and what only a shared store has to get right: two
 * brokers are two nodes, pub/sub connections drop, Redis loses its data or goes away.
 */
class RedisBrokerTest extends BrokerContractTest {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        redis.flushAll();
    }

    @Override
    protected Broker create(int historySize, Duration historyTtl, int idempotencyKeys) {
        return new RedisBroker(new RedisBroker.Options(redis.url(), "test", historySize, historyTtl, idempotencyKeys));
    }

    /** Records and their order must agree: a key in one and not the other would never go. */
    @Override
    protected long idempotencyKeyCount(Broker broker, String topic) {
        return redis.call(c -> {
            long records = c.hlen(Keys.idempotency(topic));
            assertEquals(records, c.zcard(Keys.idempotencyOrder(topic)), "records and their order agree");
            return records;
        });
    }

    /** Redis' own count of its memory, against what it was when the measure began. */
    @Override
    protected Retention retention(Broker broker) {
        long before = usedMemory();
        return new Retention() {
            @Override
            public void published(String data) {
                // Redis is asked what it holds; the data need not be followed
            }

            @Override
            public long heldBytes() {
                return usedMemory() - before;
            }
        };
    }

    private static long usedMemory() {
        String info = redis.call(c -> c.info("memory"));
        return info.lines().filter(line -> line.startsWith("used_memory:"))
                .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
                .findFirst().orElseThrow();
    }

    /**
     * Fewer than in memory: all are pipelined at once, and each waits behind the ones before it
     * inside the broker's 3 s command timeout, which a loaded CI machine must not reach.
     */
    @Override
    protected int concurrentPublishesPerThread() {
        return 150;
    }

    @Test
    void twoNodesShareSeqHistoryAndLiveMessages() {
        Broker other = open(5, Duration.ofSeconds(60));
        Recorder there = new Recorder();
        join(other.listen("t", there));
        publish("t", "1");
        assertEquals(2, join(other.publish(new Publication("t", "bob", "2", null))).seq());
        there.awaitMessages(2);
        assertEquals(List.of(1L, 2L), there.seqs());
        HistoryPage here = read("t", 0);
        assertEquals(join(other.read("t", 0, 10)), here);
    }

    @Test
    void anIdempotencyKeyHoldsAcrossNodes() {
        Broker other = open(5, Duration.ofSeconds(60));
        Message first = join(broker().publish(new Publication("t", "alice", "1", "api/k")));
        assertEquals(first, join(other.publish(new Publication("t", "alice", "1", "api/k"))));
        CompletionException conflict = assertThrows(CompletionException.class,
                () -> join(other.publish(new Publication("t", "alice", "2", "api/k"))));
        assertInstanceOf(IdempotencyConflictException.class, conflict.getCause());
    }

    @Test
    void idempotencyRecordsExpireWithTheWindowAndHoldNoMessage() {
        String data = "\"" + "x".repeat(10_000) + "\"";
        Message first = join(broker().publish(new Publication("t", "alice", data, "k")));
        redis.run(c -> {
            for (String key : List.of(Keys.idempotency("t"), Keys.idempotencyOrder("t"))) {
                long ttl = c.pttl(key);
                assertTrue(ttl > 0 && ttl <= Broker.IDEMPOTENCY_WINDOW.toMillis(), key + " expires within the window: " + ttl);
            }
            String record = c.hget(Keys.idempotency("t"), "k");
            assertTrue(record.contains(first.id()), record);
            assertTrue(record.length() < 100, "a record of a 10 KB message is " + record.length() + " characters");
        });
    }

    @Test
    void historyExpiresAfterItsTtlAndSeqNeverRewinds() {
        Broker shortLived = open(5, Duration.ofSeconds(1));
        join(shortLived.publish(new Publication("t", "alice", "old", null)));
        Awaitility.await().atMost(WAIT).until(() -> join(shortLived.read("t", 0, 10)).messages().isEmpty());
        Message fresh = join(shortLived.publish(new Publication("t", "alice", "new", null)));
        assertEquals(2, fresh.seq());
        HistoryPage page = join(shortLived.read("t", 0, 10));
        assertEquals(List.of(fresh), page.messages());
        assertEquals(2, page.oldestSeq());
    }

    @Test
    void listenersMissNothingWhenTheirPubSubConnectionDrops() {
        Broker publisher = open(1000, Duration.ofSeconds(60));
        Recorder recorder = new Recorder();
        join(broker().listen("t", recorder));
        int total = 300;
        for (int i = 1; i <= total; i++) {
            join(publisher.publish(new Publication("t", "p", String.valueOf(i), null)));
            if (i % 100 == 50) {
                redis.killPubSubClients(); // while Redis itself stays up and publishes go on
            }
        }
        recorder.awaitMessages(total);
        assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), recorder.seqs());
        Awaitility.await().atMost(WAIT).until(() -> broker().problem() == null);
    }

    @Test
    void aLostStreamStartsANewEpochAndListenersAreToldBeforeItsFirstMessage() {
        Recorder recorder = new Recorder();
        join(broker().listen("t", recorder));
        publish("t", "1");
        String epoch = read("t", 0).epoch();
        recorder.awaitMessages(1);
        redis.flushAll();
        Message again = publish("t", "again");
        assertEquals(1, again.seq());
        String newEpoch = read("t", 0).epoch();
        assertNotEquals(epoch, newEpoch);
        recorder.awaitMessages(2);
        assertEquals(List.of(newEpoch), recorder.restarts);
        assertEquals(List.of(1L, 1L), recorder.seqs());
    }

    @Test
    void presenceSpansNodesAndAClosedNodesUsersLeave() {
        Broker other = open(5, Duration.ofSeconds(60));
        Recorder recorder = new Recorder();
        join(broker().listen("chat.x", recorder));
        join(broker().join("chat.x", "alice", "s1"));
        assertEquals(List.of("alice", "bob"), join(other.join("chat.x", "bob", "s2")));
        other.close();
        Awaitility.await().atMost(WAIT).until(() -> recorder.presence.size() >= 3);
        assertEquals(List.of(new PresenceChange("chat.x", "alice", true), new PresenceChange("chat.x", "bob", true),
                new PresenceChange("chat.x", "bob", false)), recorder.presence);
        assertEquals(List.of("alice", "carol"), join(broker().join("chat.x", "carol", "s3")));
    }

    @Test
    void whileRedisIsAwayPublishesFailAsUnavailableAndEverythingRecoversAfter() {
        Recorder recorder = new Recorder();
        join(broker().listen("t", recorder));
        publish("t", "1");
        redis.stop(true);
        try {
            CompletionException failure = assertThrows(CompletionException.class, () -> publish("t", "lost?"));
            assertInstanceOf(BrokerUnavailableException.class, failure.getCause());
            Awaitility.await().atMost(WAIT).until(() -> broker().problem() != null);
        } finally {
            redis.restart();
        }
        Awaitility.await().atMost(WAIT).until(() -> broker().problem() == null);
        assertEquals(2, publish("t", "2").seq(), "the refused publish was not stored");
        recorder.awaitMessages(2);
        assertEquals(List.of(1L, 2L), recorder.seqs(), "the subscription works again");
        assertNull(broker().problem());
        assertNotNull(read("t", 0).epoch());
        assertTrue(recorder.restarts.isEmpty(), "the snapshot kept the stream: same epoch");
    }
}
