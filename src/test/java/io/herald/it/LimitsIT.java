package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-connection limits of SPEC section 4. */
class LimitsIT {

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_RATE", "1", "HERALD_RATE_BURST", "10", "HERALD_MAX_SUBSCRIPTIONS", "3");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void framesOverTheRateAreEachAnsweredWithRateLimitedAndTheConnectionStaysOpen() {
        try (WsClient client = server.push()) {
            for (int i = 0; i < 20; i++) {
                client.send(json().put("type", "ping").put("id", "p" + i));
            }
            int pongs = 0;
            int limited = 0;
            for (int i = 0; i < 20; i++) {
                JsonNode answer = client.next();
                assertEquals("p" + i, answer.get("id").asText(), "every frame is answered, in order");
                if (answer.get("type").asText().equals("pong")) {
                    pongs++;
                } else {
                    assertEquals("rate_limited", answer.get("code").asText());
                    limited++;
                }
            }
            assertTrue(pongs >= 10, "the burst is allowed");
            assertTrue(limited >= 1, "frames beyond the burst are dropped");
            assertFalse(client.isClosed());
        }
    }

    @Test
    void moreSubscriptionsThanTheLimitAreRefusedOneByOne() {
        try (WsClient client = server.push()) {
            for (int i = 1; i <= 3; i++) {
                client.subscribe("limit." + i).next("subscribed");
            }
            client.send(json().put("type", "subscribe").put("topic", "limit.4").put("id", "s4"));
            JsonNode refused = client.next("error");
            assertEquals("too_many_subscriptions", refused.get("code").asText());
            assertEquals("s4", refused.get("id").asText());
            assertEquals("limit.4", refused.get("topic").asText());

            client.subscribe("limit.1").next("subscribed"); // already held: not a new one
            client.send(json().put("type", "unsubscribe").put("topic", "limit.2")).next("unsubscribed");
            client.subscribe("limit.4").next("subscribed");
        }
    }
}
