package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 4: a client that cannot keep up is closed with 4000 and its queue dropped; the
 * publisher and every other subscriber carry on.
 */
class SlowConsumerIT {

    private static final int MESSAGES = 3000;

    @Test
    void aClientThatStopsReadingIsClosedWith4000WhileOthersGetEveryMessage() throws Exception {
        try (HeraldServer server = HeraldServer.start("HERALD_SEND_QUEUE", "64", "HERALD_RATE", "100000");
             RawWebSocket slow = RawWebSocket.open(server.port(), server.wsTarget("push"), 4096);
             WsClient healthy = server.push();
             WsClient publisher = server.push()) {
            slow.read(); // welcome
            slow.sendText("{\"type\":\"subscribe\",\"topic\":\"flood\"}");
            assertEquals("subscribed", WsClient.parse(slow.read().text()).get("type").asText());
            healthy.subscribe("flood").next("subscribed");
            String payload = "x".repeat(2000);

            // the slow client reads nothing from here on
            for (int i = 1; i <= MESSAGES; i++) {
                publisher.publish("flood", json().put("n", i).put("pad", payload), null);
            }
            for (int i = 1; i <= MESSAGES; i++) {
                assertEquals(i, publisher.next("ack").get("seq").asLong(), "the publisher is never held up");
            }
            List<JsonNode> received = healthy.messages(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals(i + 1, received.get(i).get("seq").asLong());
            }

            assertEquals(4000, slow.readUntilClose(), "the slow client is told why it was dropped");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.standalone().node().openSessions() == 2);
        }
    }

    @Test
    void aClientThatNeverReadsAgainIsDroppedAtTheTcpLevelWhenItsCloseCannotBeSent() throws Exception {
        try (HeraldServer server = HeraldServer.start("HERALD_SEND_QUEUE", "16", "HERALD_RATE", "100000");
             WsClient publisher = server.push()) {
            int baseline = server.standalone().openConnections();
            RawWebSocket stuck = RawWebSocket.open(server.port(), server.wsTarget("push"), 4096);
            stuck.read(); // welcome
            stuck.sendText("{\"type\":\"subscribe\",\"topic\":\"stuck\"}");
            stuck.read(); // subscribed
            String payload = "z".repeat(4000);
            for (int i = 0; i < 2000; i++) {
                publisher.publish("stuck", json().put("pad", payload), null);
            }
            for (int i = 0; i < 2000; i++) {
                publisher.next("ack");
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> server.standalone().openConnections() == baseline);
            assertEquals(1, server.standalone().node().openSessions(), "only the publisher is left");
            assertTrue(stuck.serverHasClosed());
            stuck.close();
        }
    }
}
