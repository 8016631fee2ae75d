package io.herald.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An open WebSocket does not keep the HTTP request that opened it (about 9 KB each), and its frames
 * still flow both ways once they bypass Grizzly's HTTP codec.
 */
class UpgradedConnectionsIT {

    @Test
    void openWebSocketsHoldNoHttpRequestAndStillTalkBothWays() throws Exception {
        try (HeraldServer server = HeraldServer.start();
             WsClient reader = server.push("reader", "sub:* pub:*");
             WsClient writer = server.push("writer", "sub:* pub:*");
             WsClient idle = server.push("idle", "sub:*")) {
            reader.subscribe("upgraded.t").next("subscribed");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.standalone().upgradedHoldingHttpRequests() == 0);
            assertEquals(3, server.standalone().node().openSessions());

            // frames now take the short way in: this one spans several reads, which Tyrus puts together
            writer.send(WsClient.json().put("type", "publish").put("topic", "upgraded.t").put("data", "x".repeat(70_000 / 2))
                    .put("id", "p-1"));
            assertEquals("p-1", writer.next("ack").get("id").asText());
            JsonNode message = reader.next("message");
            assertEquals(1, message.get("seq").asLong());
            assertEquals(35_000, message.get("data").asText().length());
        }
    }
}
