package io.herald.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SPEC section 4: over HERALD_MAX_CONNECTIONS, the handshake is refused with HTTP 503. */
class MaxConnectionsIT {

    @Test
    void aHandshakeOverTheLimitGetsAProper503AndNoSessionIsOpened() throws Exception {
        try (HeraldServer server = HeraldServer.start("HERALD_MAX_CONNECTIONS", "2");
             WsClient first = server.push();
             WsClient second = WsClient.connect(server.ws("chat/full"))) {
            second.next("welcome");
            try (RawWebSocket third = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
                assertEquals(503, third.status());
                assertEquals("close", third.header("Connection"));
                assertEquals("application/json", third.header("Content-Type"));
                JsonNode body = WsClient.parse(third.body());
                assertEquals("unavailable", body.get("error").asText());
                assertEquals(2, server.standalone().node().openSessions());
                assertEquals(true, third.serverHasClosed());
            }
            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.standalone().node().openSessions() == 1);
            try (WsClient again = server.push()) {
                assertEquals(2, server.standalone().node().openSessions());
            }
        }
    }
}
