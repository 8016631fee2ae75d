package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.herald.testing.HeraldServer;
import io.herald.testing.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC section 4: 20 consecutive bad frames close with 1008; a good frame resets the count. */
class BadRequestCountIT {

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_RATE", "1000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void twentyBadRequestsInARowCloseWith1008() {
        try (WsClient client = server.push()) {
            for (int i = 0; i < 20; i++) {
                client.send("bad " + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("bad_request", client.next("error").get("code").asText());
            }
            assertEquals(1008, client.awaitClose());
        }
    }

    @Test
    void aGoodFrameResetsTheCountOfBadOnes() {
        try (WsClient client = server.push()) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 19; i++) {
                    client.send("bad");
                    client.next("error");
                }
                client.send(json().put("type", "ping").put("id", "good"));
                client.next("pong");
            }
            assertFalse(client.isClosed());
        }
    }

    @Test
    void wellFormedFramesRefusedAsBadRequestsCountToo() {
        try (WsClient client = server.push()) {
            for (int i = 0; i < 20; i++) {
                client.send(json().put("type", "subscribe").put("topic", "no spaces allowed"));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("bad_request", client.next("error").get("code").asText());
            }
            assertEquals(1008, client.awaitClose());
        }
    }
}
