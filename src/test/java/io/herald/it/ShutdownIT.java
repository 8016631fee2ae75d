package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.WsClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SPEC section 4: on shutdown, in-flight messages are flushed, then every client gets 1001. */
class ShutdownIT {

    @Test
    void shutdownDeliversWhatWasQueuedThenClosesEveryClientWith1001() throws Exception {
        HeraldServer server = HeraldServer.start("HERALD_RATE", "100000", "HERALD_SEND_QUEUE", "100000");
        WsClient subscriber = server.push();
        WsClient chat = WsClient.connect(server.ws("chat/closing"));
        chat.next("welcome");
        chat.next("presence");
        subscriber.subscribe("last.words").next("subscribed");
        try (WsClient publisher = server.push()) {
            for (int i = 0; i < 2000; i++) {
                publisher.publish("last.words", json().put("n", i).put("pad", "p".repeat(500)), null);
            }
            for (int i = 0; i < 2000; i++) {
                publisher.next("ack");
            }
        }
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
        List<JsonNode> received = subscriber.messages(2000);
        assertEquals(2000, received.get(1999).get("seq").asLong(), "nothing queued is lost");
        assertEquals(1001, subscriber.awaitClose());
        assertEquals(1001, chat.awaitClose());
        stopping.get(30, TimeUnit.SECONDS);
        assertTrue(stopping.isDone());
    }
}
