package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Liveness (SPEC section 4): server pings, the idle timeout, and healthy idle clients kept. */
class HeartbeatIT {

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_HEARTBEAT", "1", "HERALD_IDLE_TIMEOUT", "3");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theServerPingsAndClosesAClientThatNeverAnswersWith1001() throws Exception {
        try (RawWebSocket silent = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
            assertEquals(1000, WsClient.parse(silent.read().text()).get("heartbeat").asLong());
            int pings = 0;
            while (true) {
                RawWebSocket.Frame frame = silent.read();
                if (frame.opcode() == RawWebSocket.PING) {
                    pings++;
                } else {
                    assertEquals(RawWebSocket.CLOSE, frame.opcode());
                    assertEquals(1001, frame.closeCode());
                    break;
                }
            }
            assertTrue(pings >= 1, "pinged before being dropped");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.standalone().node().openSessions() == 0);
    }

    @Test
    void aClientThatAnswersPingsIsNeverCutEvenWhenItSendsNothingElse() {
        try (WsClient quiet = server.push()) { // the JDK client answers pings with pongs
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> !quiet.isClosed());
            quiet.send(json().put("type", "ping").put("id", "still"));
            assertEquals("still", quiet.next("pong").get("id").asText());
        }
    }

    @Test
    void anyFrameCountsAsLife() throws Exception {
        try (RawWebSocket chatty = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
            chatty.read(); // welcome
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int pongs = 0;
            while (System.nanoTime() < until) {
                chatty.sendText("{\"type\":\"ping\"}");
                RawWebSocket.Frame frame = chatty.read();
                if (frame.opcode() == RawWebSocket.TEXT) {
                    pongs++;
                }
                assertTrue(frame.opcode() != RawWebSocket.CLOSE, "closed although it kept talking");
            }
            assertTrue(pongs > 0);
        }
    }
}
