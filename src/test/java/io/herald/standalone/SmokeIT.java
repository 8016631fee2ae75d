package io.herald.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.WsClient;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void pubsub() {
        try (HeraldServer server = HeraldServer.start(); WsClient a = server.push(); WsClient b = server.push()) {
            a.subscribe("t");
            System.out.println(a.next("subscribed"));
            b.publish("t", WsClient.json().put("x", 1.50), "c-1");
            System.out.println(b.next());
            JsonNode m = a.next("message");
            System.out.println(m);
            assertEquals(1, m.get("seq").asInt());
        }
    }
}
