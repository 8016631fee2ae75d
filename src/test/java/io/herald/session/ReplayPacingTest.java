package io.herald.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.protocol.ClientFrame;
import io.herald.protocol.ServerFrame;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * History replay is paced by what the client reads and bounded in memory (docs/protocol.md
 * sections 4 and 8): the probe's client that never read, looping subscribe since:0 / unsubscribe
 * on a topic of 200 messages of 60 KB, took the heap from 24 MB to 951 MB. These tests count
 * queued frames and their weight, never time.
 */
class ReplayPacingTest {

    private static final int SEND_QUEUE_BYTES = 4 * 1024 * 1024;
    private static final String BIG = "\"" + "x".repeat(60 * 1024) + "\"";

    private HeraldNode node;

    @AfterEach
    void close() {
        node.close();
    }

    private void publish(String topic, int count, String data) {
        for (int i = 0; i < count; i++) {
            node.publishAsServer(topic, data, null).toCompletableFuture().join();
        }
    }

    @Test
    void aClientThatNeverReadsHoldsNoMoreThanItsBoundHoweverOftenItAsksForHistory() {
        node = NodeFixture.node("HERALD_HISTORY_SIZE", "200", "HERALD_RATE", "1000000");
        publish("big", 200, BIG);
        ManualTransport neverReads = new ManualTransport();
        PushSession session = node.openPush(neverReads, NodeFixture.admin("mallory"));
        for (int i = 0; i < 200; i++) {
            session.onFrame(new ClientFrame.Subscribe("big", 0L, null, "s" + i));
            session.onFrame(new ClientFrame.Unsubscribe("big", "u" + i));
        }
        Connection connection = session.connection();
        assertTrue(connection.queuedWeight() <= SEND_QUEUE_BYTES, connection.queuedWeight() + " bytes queued");
        // before, every subscribe queued its whole replay: 200 x 200 frames
        assertTrue(connection.outbox().size() < 1000, connection.outbox().size() + " frames queued");
        assertFalse(connection.outbox().isClosed(), "replays are paced, not a reason to close");
    }

    @Test
    void aResumingClientThatReadsSlowlyGetsEveryMessageOnceAndInOrderWhileLiveOnesArrive() {
        node = NodeFixture.node("HERALD_HISTORY_SIZE", "1000", "HERALD_RATE", "1000000", "HERALD_SEND_QUEUE", "16");
        publish("t", 300, BIG);
        ManualTransport slow = new ManualTransport();
        PushSession session = node.openPush(slow, NodeFixture.admin("reader"));
        session.onFrame(new ClientFrame.Subscribe("t", 0L, null, "s"));
        for (int round = 0; round < 60; round++) {
            // while the replay goes on, these pile up past the 16 held: they are read again from history
            publish("t", 10, "{\"live\":" + round + "}");
            slow.read(25);
        }
        slow.readAll();
        assertContiguous(1, 900, slow.seqs());
        assertFalse(session.connection().outbox().isClosed(), "a client that reads is not a slow consumer");
    }

    @Test
    void messagesPushedOutOfHistoryDuringAReplayAreSaidToBeMissedNeverSkippedSilently() {
        node = NodeFixture.node("HERALD_HISTORY_SIZE", "200", "HERALD_RATE", "1000000");
        publish("t", 200, BIG);
        ManualTransport slow = new ManualTransport();
        PushSession session = node.openPush(slow, NodeFixture.admin("reader"));
        session.onFrame(new ClientFrame.Subscribe("t", 0L, null, "s"));
        publish("t", 400, "1"); // seqs 201-600: history now holds 401-600 only
        slow.readAll();
        List<ServerFrame> frames = slow.received();
        List<ServerFrame.Subscribed> gaps = frames.stream().filter(f -> f instanceof ServerFrame.Subscribed s && s.id() == null)
                .map(ServerFrame.Subscribed.class::cast).toList();
        assertEquals(1, gaps.size(), "one unasked subscribed says what could not be sent");
        assertFalse(gaps.get(0).recovered());
        long lost = gaps.get(0).seq();
        List<Long> seqs = slow.seqs();
        int before = frames.indexOf(gaps.get(0));
        long sentBefore = frames.subList(0, before).stream().filter(f -> f instanceof ServerFrame.Delivery).count();
        // what came before the notice runs from 1 without a hole, and what came after from lost + 1 to 600
        assertContiguous(1, sentBefore, seqs.subList(0, (int) sentBefore));
        assertContiguous(lost + 1, 600, seqs.subList((int) sentBefore, seqs.size()));
        assertTrue(lost > sentBefore, "messages " + (sentBefore + 1) + "-" + lost + " were missed, and said to be");
    }

    /** Asserts {@code seqs} is exactly {@code first}..{@code last}, naming the first difference. */
    private static void assertContiguous(long first, long last, List<Long> seqs) {
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(first + i, seqs.get(i), "at index " + i + " of " + seqs.size());
        }
        assertEquals(last - first + 1, seqs.size(), "messages " + first + "-" + last);
    }
}
