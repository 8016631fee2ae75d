package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} promises, run against each implementation: the in-memory one and the
 * Redis one give a node the same behaviour. Deliveries may be asynchronous, so tests wait for them.
 */
public abstract class BrokerContractTest {

    protected static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Broker> opened = new ArrayList<>();

    /**
     * A new broker keeping {@code historySize} messages per topic for {@code historyTtl}, and at
     * most {@code idempotencyKeys} idempotency keys per topic.
     */
    protected abstract Broker create(int historySize, Duration historyTtl, int idempotencyKeys);

    /** The idempotency keys {@code broker} holds for {@code topic}, counted in its store. */
    protected abstract long idempotencyKeyCount(Broker broker, String topic);

    /** Starts measuring how much of the data published from now on {@code broker} holds. */
    protected abstract Retention retention(Broker broker);

    /** How much published data a broker holds: see {@link #retention}. */
    protected interface Retention {
        /** Told of each data published, before it is. */
        void published(String data);

        /** Bytes the broker holds of what was published since the measure began. */
        long heldBytes();
    }

    /** Publishes per thread in the concurrency test. */
    protected int concurrentPublishesPerThread() {
        return 5_000;
    }

    protected final Broker open(int historySize, Duration historyTtl) {
        return open(historySize, historyTtl, 10_000);
    }

    protected final Broker open(int historySize, Duration historyTtl, int idempotencyKeys) {
        Broker broker = create(historySize, historyTtl, idempotencyKeys);
        opened.add(broker);
        return broker;
    }

    private Broker broker;

    protected final Broker broker() {
        if (broker == null) {
            broker = open(5, Duration.ofSeconds(60));
        }
        return broker;
    }

    @AfterEach
    void closeBrokers() {
        opened.forEach(Broker::close);
    }

    protected static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    protected Message publish(String topic, String data) {
        return join(broker().publish(new Publication(topic, "alice", data, null)));
    }

    protected Message keyed(Broker broker, String topic, String from, String data, String key) {
        return join(broker.publish(new Publication(topic, from, data, key)));
    }

    protected HistoryPage read(String topic, long after) {
        return join(broker().read(topic, after, 1000));
    }

    protected static List<Long> seqs(HistoryPage page) {
        return page.messages().stream().map(Message::seq).toList();
    }

    /** Records what a topic's listener hears. */
    public static final class Recorder implements TopicListener {
        public final List<Message> messages = Collections.synchronizedList(new ArrayList<>());
        public final List<PresenceChange> presence = Collections.synchronizedList(new ArrayList<>());
        public final List<String> restarts = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onMessage(Message message) {
            messages.add(message);
        }

        @Override
        public void onPresence(PresenceChange change) {
            presence.add(change);
        }

        @Override
        public void onStreamRestarted(String topic, String epoch) {
            restarts.add(epoch);
        }

        public List<Long> seqs() {
            synchronized (messages) {
                return messages.stream().map(Message::seq).toList();
            }
        }

        public void awaitMessages(int count) {
            Awaitility.await().atMost(WAIT).until(() -> messages.size() >= count);
        }
    }

    @Test
    void firstMessageOfATopicIsSeqOneAndSeqsHaveNoGaps() {
        assertEquals(1, publish("a", "1").seq());
        assertEquals(2, publish("a", "2").seq());
        assertEquals(1, publish("b", "1").seq(), "each topic has its own sequence");
        assertEquals(3, publish("a", "3").seq());
    }

    @Test
    void aPublishedMessageCarriesWhatWasPublished() {
        Message message = join(broker().publish(new Publication("t", "zoë\nnew line", "{\"price\":10.50}", null)));
        assertEquals("t", message.topic());
        assertEquals("zoë\nnew line", message.from());
        assertEquals("{\"price\":10.50}", message.data());
        assertTrue(message.time() > 0);
        assertEquals(List.of(message), read("t", 0).messages());
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
        assertEquals(List.of(3L, 4L), seqs(join(broker().read("t", 2, 2))));
        assertEquals(List.of(), seqs(read("t", 5)));
        assertEquals(List.of(), seqs(read("t", 99)));
        assertEquals(List.of(), seqs(read("t", Long.MAX_VALUE)));
        assertEquals(5, read("t", Long.MAX_VALUE).latestSeq());
    }

    @Test
    void recentReturnsTheLastMessages() {
        for (int i = 1; i <= 5; i++) {
            publish("t", String.valueOf(i));
        }
        assertEquals(List.of(4L, 5L), seqs(join(broker().recent("t", 2))));
        assertEquals(List.of(), seqs(join(broker().recent("empty", 2))));
    }

    @Test
    void theEpochIsFixedByTheFirstReadOfAnEmptyTopic() {
        HistoryPage empty = read("t", 0);
        assertEquals(0, empty.latestSeq());
        assertEquals(1, empty.oldestSeq());
        publish("t", "1");
        assertEquals(empty.epoch(), read("t", 0).epoch());
    }

    @Test
    void aRepeatedIdempotencyKeyReturnsTheFirstMessageAndStoresNothing() {
        Recorder recorder = new Recorder();
        join(broker().listen("t", recorder));
        Message first = keyed(broker(), "t", "alice", "{\"n\":1}", "k");
        Message retry = keyed(broker(), "t", "alice", "{\"n\":1}", "k");
        assertEquals(first, retry, "the first message: same seq, id, time, from and data");
        Message other = keyed(broker(), "t", "alice", "2", "k2");
        assertEquals(2, other.seq());
        assertEquals(List.of(first, other), read("t", 0).messages(), "the retry stored nothing");
        recorder.awaitMessages(2);
        assertEquals(List.of(1L, 2L), recorder.seqs(), "and delivered nothing");
    }

    @Test
    void idempotencyKeysArePerTopic() {
        Message here = keyed(broker(), "t", "alice", "1", "k");
        Message there = keyed(broker(), "u", "alice", "1", "k");
        assertEquals(1, there.seq());
        assertNotEquals(here.id(), there.id());
        assertEquals(List.of(there), read("u", 0).messages());
    }

    @Test
    void aKeyUsedAgainForOtherDataIsAConflictAndStoresNothing() {
        Message first = keyed(broker(), "t", "alice", "{\"n\":1}", "k");
        CompletionException otherData = assertThrows(CompletionException.class,
                () -> keyed(broker(), "t", "alice", "{\"n\":2}", "k"));
        assertInstanceOf(IdempotencyConflictException.class, otherData.getCause());
        CompletionException otherFrom = assertThrows(CompletionException.class,
                () -> keyed(broker(), "t", "bob", "{\"n\":1}", "k"));
        assertInstanceOf(IdempotencyConflictException.class, otherFrom.getCause());
        assertEquals(List.of(first), read("t", 0).messages());
        assertEquals(first, keyed(broker(), "t", "alice", "{\"n\":1}", "k"), "the key still answers its own data");
    }

    @Test
    void aTopicKeepsAtMostItsCapOfKeysAndForgetsTheOldestFirst() {
        int cap = 20;
        int extra = 15;
        Broker capped = open(5, Duration.ofSeconds(60), cap);
        for (int i = 0; i < cap + extra; i++) {
            keyed(capped, "t", "alice", String.valueOf(i), "k" + i);
        }
        assertEquals(cap, idempotencyKeyCount(capped, "t"));
        assertEquals(extra + 1, keyed(capped, "t", "alice", String.valueOf(extra), "k" + extra).seq(),
                "the oldest key kept still answers");
        assertEquals(cap + extra + 1, keyed(capped, "t", "alice", String.valueOf(extra - 1), "k" + (extra - 1)).seq(),
                "the newest key forgotten is a new publish");
        assertEquals(cap, idempotencyKeyCount(capped, "t"));
    }

    /**
     * The probe's case: 3,000 keyed publishes of 30 KB. History holds 10 of them; what the keys keep
     * must not hold the rest, which would be 90 MB. The bound, a tenth of that, leaves room for
     * the store's own overhead and still fails by far if messages were kept.
     */
    @Test
    void keyedPublishesHoldNoMoreDataThanHistory() {
        int count = 3_000;
        int size = 30 * 1024;
        Broker small = open(10, Duration.ofHours(1), 10_000);
        Retention retention = retention(small);
        for (int i = 0; i < count; i++) {
            String data = new StringBuilder(size).append('"').append(i).append("x".repeat(size - 12)).append('"').toString();
            retention.published(data);
            keyed(small, "t", "alice", data, "k" + i);
        }
        assertEquals(count, join(small.read("t", 0, 1)).latestSeq());
        long bound = (long) count * size / 10;
        Awaitility.await("bytes held of " + count * (long) size + " published").atMost(WAIT)
                .until(retention::heldBytes, held -> held <= bound);
    }

    @Test
    void listenersGetEveryMessageInSeqOrderUnderConcurrentPublishers() throws Exception {
        Broker big = open(100_000, Duration.ofHours(1));
        Recorder recorder = new Recorder();
        join(big.listen("t", recorder));
        int threads = 8;
        int each = concurrentPublishesPerThread();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Message>> published = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    published.add(big.publish(new Publication("t", "p", "0", null)).toCompletableFuture());
                }
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        published.forEach(BrokerContractTest::join);
        recorder.awaitMessages(threads * each);
        List<Long> seen = recorder.seqs();
        assertEquals(threads * each, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i), "delivery out of order at index " + i);
        }
    }

    @Test
    void aListenerGetsWhatIsPublishedOnceListenCompletes() {
        publish("t", "before");
        Recorder recorder = new Recorder();
        join(broker().listen("t", recorder));
        publish("t", "after");
        recorder.awaitMessages(1);
        assertEquals(List.of(2L), recorder.seqs());
        broker().unlisten("t", recorder);
        publish("t", "unheard");
        Recorder witness = new Recorder();
        join(broker().listen("t", witness));
        publish("t", "heard");
        witness.awaitMessages(1);
        assertEquals(List.of(2L), recorder.seqs(), "an unlistened listener hears nothing more");
    }

    @Test
    void presenceIsPerUserAcrossSessions() {
        Recorder recorder = new Recorder();
        join(broker().listen("chat.x", recorder));
        assertEquals(List.of("alice"), join(broker().join("chat.x", "alice", "s1")));
        assertEquals(List.of("alice"), join(broker().join("chat.x", "alice", "s2")));
        assertEquals(List.of("alice", "bob"), join(broker().join("chat.x", "bob", "s3")));
        join(broker().leave("chat.x", "alice", "s1"));
        join(broker().leave("chat.x", "alice", "s2"));
        join(broker().leave("chat.x", "alice", "s2"));
        List<PresenceChange> expected = List.of(
                new PresenceChange("chat.x", "alice", true),
                new PresenceChange("chat.x", "bob", true),
                new PresenceChange("chat.x", "alice", false));
        Awaitility.await().atMost(WAIT).until(() -> recorder.presence.size() >= expected.size());
        assertEquals(expected, recorder.presence);
        assertEquals(List.of("bob", "carol"), join(broker().join("chat.x", "carol", "s4")));
    }

    @Test
    void messageIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(ids.add(publish("t" + (i % 3), "0").id()));
        }
    }
}
