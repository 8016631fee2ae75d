package io.herald.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.session.HeraldNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Everything a session held is released when it closes, however it closes. */
class SessionLifecycleIT {

    @Test
    void closingCleanlyAbortingAndBeingClosedForAnErrorAllReleaseTheSession() throws Exception {
        try (HeraldServer server = HeraldServer.start()) {
            HeraldNode node = server.standalone().node();
            try (WsClient clean = server.push(); WsClient chat = WsClient.connect(server.ws("chat/life"));
                 WsClient binary = server.push()) {
                chat.next("welcome");
                chat.next("presence");
                clean.subscribe("life.a").next("subscribed");
                binary.subscribe("life.b").next("subscribed");
                RawWebSocket aborted = RawWebSocket.open(server.port(), server.wsTarget("push"));
                aborted.read();
                aborted.sendText("{\"type\":\"subscribe\",\"topic\":\"life.c\"}");
                aborted.read();
                assertEquals(4, node.openSessions());
                assertEquals(4, node.localTopicCount());

                aborted.close(); // TCP gone, no close handshake
                binary.sendBinary(new byte[] {0}); // closed by the server with 1003
                assertEquals(1003, binary.awaitClose());
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> node.openSessions() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> node.localTopicCount() == 0);
        }
    }
}
