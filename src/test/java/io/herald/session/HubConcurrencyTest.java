package io.herald.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.protocol.ClientFrame;
import io.herald.protocol.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many publishers and subscribers on one topic at once, with subscribers joining and resuming
 * while messages flow: every subscriber must see every message after its starting point exactly
 * once, in seq order.
 */
class HubConcurrencyTest {

    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 3_000;
    private static final int TOTAL = PUBLISHERS * PER_PUBLISHER;

    private final HeraldNode node = NodeFixture.node("HERALD_HISTORY_SIZE", "100000", "HERALD_SEND_QUEUE", "100000",
            "HERALD_RATE", "1000000");
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        pool.shutdownNow();
        node.close();
    }

    private PushSession subscriber(RecordingTransport transport, Long since, String epoch) {
        PushSession session = node.openPush(transport, NodeFixture.admin("tester"));
        session.onFrame(new ClientFrame.Subscribe("t", since, epoch, "s"));
        return session;
    }

    private static ServerFrame.Subscribed subscribed(RecordingTransport transport) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !transport.all(ServerFrame.Subscribed.class).isEmpty());
        return transport.all(ServerFrame.Subscribed.class).get(0);
    }

    /** Asserts seqs run from {@code first} to {@code TOTAL} with no gap and no duplicate. */
    private static void assertContiguous(List<Long> seqs, long first) {
        assertEquals(TOTAL - first + 1, seqs.size(), "count from " + first);
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(first + i, seqs.get(i), "gap or duplicate at index " + i);
        }
    }

    @Test
    void subscribersJoiningAndResumingWhilePublishersRunMissNothingAndGetNothingTwice() throws Exception {
        int resumerCount = 6;
        CountDownLatch go = new CountDownLatch(1);
        // publishers pause half way until every resumer has dropped, so that resumes meet live traffic
        CountDownLatch dropped = new CountDownLatch(resumerCount);
        CountDownLatch published = new CountDownLatch(PUBLISHERS);
        for (int p = 0; p < PUBLISHERS; p++) {
            RecordingTransport acks = new RecordingTransport();
            PushSession publisher = node.openPush(acks, NodeFixture.admin("tester"));
            pool.execute(() -> {
                try {
                    go.await();
                    for (int i = 0; i < PER_PUBLISHER; i++) {
                        if (i == PER_PUBLISHER / 2) {
                            dropped.await(30, TimeUnit.SECONDS);
                        }
                        publisher.onFrame(new ClientFrame.Publish("t", "{\"n\":" + i + "}", null));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    published.countDown();
                }
            });
        }

        // live subscribers that join while the publishers run
        List<RecordingTransport> live = new ArrayList<>();
        // resumers: subscribe live, drop the connection part way, come back with since + epoch
        List<RecordingTransport[]> resumers = new ArrayList<>();
        // what each resumer had received when it dropped: a frame still in flight then is not counted
        List<List<Long>> beforeDrop = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean failed = new AtomicBoolean();
        go.countDown();
        for (int s = 0; s < 6; s++) {
            RecordingTransport t = new RecordingTransport();
            subscriber(t, null, null);
            live.add(t);
        }
        for (int r = 0; r < resumerCount; r++) {
            RecordingTransport first = new RecordingTransport();
            RecordingTransport second = new RecordingTransport();
            resumers.add(new RecordingTransport[] {first, second});
            int index = r;
            beforeDrop.add(List.of());
            pool.execute(() -> {
                try {
                    PushSession before = subscriber(first, 0L, null);
                    await().atMost(Duration.ofSeconds(10)).until(() -> first.seqs().size() >= 10);
                    before.close();
                    dropped.countDown();
                    List<Long> got = first.seqs();
                    beforeDrop.set(index, got);
                    subscriber(second, got.get(got.size() - 1), subscribed(first).epoch());
                } catch (RuntimeException e) {
                    failed.set(true);
                    throw e;
                }
            });
        }
        assertTrue(published.await(60, TimeUnit.SECONDS));

        for (RecordingTransport t : live) {
            long start = subscribed(t).seq() + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> !t.seqs().isEmpty()
                    && t.seqs().get(t.seqs().size() - 1) == TOTAL);
            assertContiguous(t.seqs(), start);
        }
        for (int r = 0; r < resumerCount; r++) {
            RecordingTransport[] pair = resumers.get(r);
            assertTrue(subscribed(pair[1]).recovered());
            await().atMost(Duration.ofSeconds(10)).until(() -> !pair[1].seqs().isEmpty()
                    && pair[1].seqs().get(pair[1].seqs().size() - 1) == TOTAL);
            List<Long> all = new ArrayList<>(beforeDrop.get(r));
            all.addAll(pair[1].seqs());
            assertContiguous(all, 1);
        }
        assertFalse(failed.get());
    }

    @Test
    void everyPublishIsAckedWithItsSeqInTheOrderItWasSent() {
        RecordingTransport transport = new RecordingTransport();
        PushSession publisher = node.openPush(transport, NodeFixture.admin("tester"));
        for (int i = 0; i < 100; i++) {
            publisher.onFrame(new ClientFrame.Publish("ordered", "1", "c" + i));
        }
        List<ServerFrame.Ack> acks = transport.all(ServerFrame.Ack.class);
        assertEquals(100, acks.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("c" + i, acks.get(i).id());
            assertEquals(i + 1, acks.get(i).seq());
        }
    }
}
