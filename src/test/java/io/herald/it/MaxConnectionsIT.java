package io.herald.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import io.herald.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Over HERALD_MAX_CONNECTIONS the handshake is refused with HTTP 503, over
 * HERALD_MAX_CONNECTIONS_PER_USER with 429 (docs/protocol.md section 1).
 */
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

    /** One token cannot take every slot of the node: HERALD_MAX_CONNECTIONS_PER_USER. */
    @Test
    void oneUserHoldsAtMostItsShareOfConnections() throws Exception {
        try (HeraldServer capped = HeraldServer.start("HERALD_MAX_CONNECTIONS_PER_USER", "3")) {
            List<WsClient> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(capped.push("hog", "sub:*"));
                }
                try (RawWebSocket ws = RawWebSocket.open(capped.port(),
                        capped.wsTarget("push").replaceAll("access_token=.*", "access_token=" + Tokens.token("hog", "sub:*")))) {
                    assertEquals(429, ws.status());
                    assertEquals("too_many_connections", WsClient.parse(ws.body()).get("error").asText());
                }
                capped.push("someone-else", "sub:*").close();
                held.remove(0).close();
                await().atMost(WsClient.WAIT)
                        .until(() -> capped.standalone().node().openSessions() == 2);
                held.add(capped.push("hog", "sub:*"));
            } finally {
                held.forEach(WsClient::close);
            }
        }
    }
}
