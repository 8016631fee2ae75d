package io.herald.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.herald.protocol.ClientFrame;
import io.herald.protocol.ServerFrame.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FanOutTest {

    private final HeraldNode node = NodeFixture.node();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void aBroadcastIsEncodedOnceAndTheSameFrameGoesToEverySubscriber() {
        List<RecordingTransport> subscribers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordingTransport transport = new RecordingTransport();
            node.openPush(transport, NodeFixture.admin("tester")).onFrame(new ClientFrame.Subscribe("fan", null, null, null));
            subscribers.add(transport);
        }
        node.openPush(new RecordingTransport(), NodeFixture.admin("tester")).onFrame(new ClientFrame.Publish("fan", "{\"x\":1}", null));
        Delivery first = subscribers.get(0).all(Delivery.class).get(0);
        for (RecordingTransport transport : subscribers) {
            List<Delivery> got = transport.all(Delivery.class);
            assertEquals(1, got.size());
            assertSame(first, got.get(0), "one encoded frame shared by every subscriber");
        }
    }

    @Test
    void aLargeTopicsBatchedWritesReachEverySubscriberInOrderOnce() {
        int count = Hub.BATCHED_FANOUT * 4;
        List<RecordingTransport> subscribers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordingTransport transport = new RecordingTransport();
            node.openPush(transport, NodeFixture.admin("tester")).onFrame(new ClientFrame.Subscribe("big", null, null, null));
            subscribers.add(transport);
        }
        for (int m = 0; m < 500; m++) {
            node.publishAsServer("big", "{\"m\":" + m + "}", null);
        }
        List<Long> expected = new ArrayList<>();
        for (long seq = 1; seq <= 500; seq++) {
            expected.add(seq);
        }
        for (RecordingTransport transport : subscribers) {
            await().atMost(Duration.ofSeconds(10)).until(() -> transport.seqs().size() >= 500);
            assertEquals(expected, transport.seqs());
        }
    }

    /** Replays too: before, each resuming subscriber had every message of its replay encoded again. */
    @Test
    void aReplayIsEncodedOnceAndSharedByEveryResumingSubscriberAndTheLiveFanOut() {
        RecordingTransport live = new RecordingTransport();
        node.openPush(live, NodeFixture.admin("tester")).onFrame(new ClientFrame.Subscribe("shared", null, null, null));
        for (int m = 0; m < 10; m++) {
            node.publishAsServer("shared", "{\"m\":" + m + "}", null);
        }
        List<RecordingTransport> resumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingTransport transport = new RecordingTransport();
            node.openPush(transport, NodeFixture.admin("tester")).onFrame(new ClientFrame.Subscribe("shared", 0L, null, null));
            resumers.add(transport);
        }
        List<Delivery> sent = live.all(Delivery.class);
        assertEquals(10, sent.size());
        for (RecordingTransport transport : resumers) {
            List<Delivery> replayed = transport.all(Delivery.class);
            assertEquals(10, replayed.size());
            for (int m = 0; m < 10; m++) {
                assertSame(sent.get(m), replayed.get(m), "message " + m + " is the frame the fan-out made");
            }
        }
    }
}
