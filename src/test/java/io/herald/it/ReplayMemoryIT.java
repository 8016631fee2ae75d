package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.Herald;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import org.junit.jupiter.api.Test;

/**
 * The probe's heap attack on the launcher: a connection that never reads, looping subscribe
 * since:0 and unsubscribe on a topic of 200 messages of 60 KB, took the live heap from 24 MB to
 * 951 MB. Replays are paced by what the client reads now, so what waits for it stays under
 * HERALD_SEND_QUEUE_BYTES (default 4 MiB) and it is not even closed: it only gets nothing more.
 */
class ReplayMemoryIT {

    private static final long SEND_QUEUE_BYTES = 4L * 1024 * 1024;

    @Test
    void aClientThatNeverReadsCannotFillTheHeapThroughReplays() throws Exception {
        try (HeraldServer server = HeraldServer.start("HERALD_HISTORY_SIZE", "200", "HERALD_RATE", "100000",
                "HERALD_RATE_BURST", "100000")) {
            Herald herald = server.standalone().herald();
            String big = "\"" + "x".repeat(60 * 1024) + "\"";
            for (int i = 0; i < 200; i++) {
                herald.publishJson("big", big);
            }
            long before = server.standalone().node().queuedWeight();
            try (RawWebSocket attacker = RawWebSocket.open(server.port(), server.wsTarget("push"), 4096)) {
                assertEquals(101, attacker.status());
                for (int i = 0; i < 300; i++) {
                    attacker.sendText(json().put("type", "subscribe").put("topic", "big").put("since", 0).toString());
                    attacker.sendText(json().put("type", "unsubscribe").put("topic", "big").toString());
                }
                // frames of one connection are handled in order: once this is stored, all of the above was handled
                attacker.sendText(json().put("type", "publish").put("topic", "chat.done").put("data", 1).toString());
                await().atMost(WsClient.WAIT).until(() ->
                        server.standalone().node().history("chat.done", 0, 1).toCompletableFuture().join().latestSeq() == 1);
                long queued = server.standalone().node().queuedWeight() - before;
                assertTrue(queued <= SEND_QUEUE_BYTES, queued + " bytes wait for a client that reads nothing");
                assertEquals(1, server.standalone().node().openSessions(), "paced, not closed");
            }
        }
    }
}
