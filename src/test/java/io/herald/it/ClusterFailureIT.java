package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.ClusterNodes;
import io.herald.testing.ClusterNodes.Node;
import io.herald.testing.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 7 when things break, for real: a Herald process killed with SIGKILL, redis-server
 * stopped and started again, with its data or empty. Each test has a cluster of its own.
 */
class ClusterFailureIT {

    /** SPEC: a dead node's users leave within 30 s. */
    private static final Duration PRESENCE_EXPIRY = Duration.ofSeconds(30);
    /** SPEC: health says so within 10 s; recovery is Lettuce's reconnect plus a tick. */
    private static final Duration HEALTH_WAIT = Duration.ofSeconds(10);

    private ClusterNodes cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("seq").asLong()).toList();
    }

    @Test
    void whenANodeIsKilledItsClientsResumeOnAnotherNodeWithNothingLostAndItsUsersLeave() {
        cluster = ClusterNodes.start(2);
        Node doomed = cluster.node(0);
        Node survivor = cluster.node(1);
        String topic = "failure.kill";
        int total = 200;
        try (WsClient observer = cluster.connect(survivor, "chat/kill-room", "observer");
                WsClient client = cluster.connect(doomed, "push", "client");
                WsClient member = cluster.connect(doomed, "chat/kill-room", "member")) {
            observer.next("presence");
            String memberName = observer.until(f -> "join".equals(f.path("event").asText())).path("user").asText();
            String epoch = client.subscribe(topic).next("subscribed").path("epoch").asText();

            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                while (sent.get() < total) {
                    HttpResponse<String> response = cluster.publish(survivor, topic, String.valueOf(sent.get() + 1));
                    assertEquals(202, response.statusCode(), response::body);
                    sent.incrementAndGet();
                }
            });
            List<JsonNode> received = new ArrayList<>(client.messages(20));
            doomed.kill();
            // what the dying node still sent, up to the close
            for (JsonNode frame = client.poll(); frame != null || !client.isClosed(); frame = client.poll()) {
                if (frame != null && frame.path("type").asText().equals("message")) {
                    received.add(frame);
                }
            }
            long last = received.get(received.size() - 1).path("seq").asLong();
            try (WsClient back = cluster.connect(survivor, "push", "client")) {
                back.send(json().put("type", "subscribe").put("topic", topic).put("since", last).put("epoch", epoch));
                assertTrue(back.next("subscribed").path("recovered").asBoolean());
                publisher.join();
                received.addAll(back.messages(total - (int) last));
            }
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), seqs(received), "nothing lost, nothing twice");

            JsonNode leave = observer.until(f -> "leave".equals(f.path("event").asText()), PRESENCE_EXPIRY);
            assertEquals(memberName, leave.path("user").asText());
        }
    }

    @Test
    void whileRedisIsDownNodesSayItRefusePublishesKeepSessionsAndRecoverByThemselves() {
        cluster = ClusterNodes.start(2);
        Node a = cluster.node(0);
        Node b = cluster.node(1);
        String topic = "failure.redis-down";
        try (WsClient subscriber = cluster.connect(a, "push", "subscriber");
                WsClient publisher = cluster.connect(b, "push", "publisher")) {
            String epoch = subscriber.subscribe(topic).next("subscribed").path("epoch").asText();
            assertEquals(202, cluster.publish(b, topic, "1").statusCode());
            assertEquals(1, subscriber.next("message").path("seq").asLong());

            cluster.redis().stop(true);
            for (Node node : List.of(a, b)) {
                Awaitility.await().atMost(HEALTH_WAIT).until(() -> cluster.health(node).statusCode() == 503);
                JsonNode health = WsClient.parse(cluster.health(node).body());
                assertEquals("DOWN", health.path("status").asText());
                assertFalse(health.path("reason").asText().isEmpty(), health::toString);
            }
            HttpResponse<String> refused = cluster.publish(b, topic, "\"lost?\"");
            assertEquals(503, refused.statusCode(), refused::body);
            assertEquals("unavailable", WsClient.parse(refused.body()).path("error").asText());
            publisher.publish(topic, json().put("lost", "?"), "p-1");
            JsonNode error = publisher.next("error");
            assertEquals("unavailable", error.path("code").asText());
            assertEquals("p-1", error.path("id").asText());
            // clients are told what happened, never where Redis is or what its driver said
            for (String told : List.of(WsClient.parse(refused.body()).path("message").asText(), error.path("message").asText())) {
                assertFalse(told.contains("127.0.0.1") || told.contains(String.valueOf(cluster.redis().port()))
                        || told.toLowerCase(java.util.Locale.ROOT).contains("lettuce"), told);
            }
            subscriber.send(json().put("type", "ping").put("id", "still-there"));
            assertEquals("still-there", subscriber.next("pong").path("id").asText(), "sessions stay open, told nothing else");

            cluster.redis().restart();
            for (Node node : List.of(a, b)) {
                Awaitility.await().atMost(HEALTH_WAIT).until(() -> cluster.health(node).statusCode() == 200);
            }
            publisher.publish(topic, json().put("n", 2), "p-2");
            assertEquals(2, publisher.until(f -> f.path("type").asText().equals("ack")).path("seq").asLong());
            JsonNode message = subscriber.next("message");
            assertEquals(2, message.path("seq").asLong(), "the refused publishes were not stored; the subscription works again");
            try (WsClient late = cluster.connect(a, "push", "late")) {
                late.send(json().put("type", "subscribe").put("topic", topic).put("since", 0).put("epoch", epoch));
                assertTrue(late.next("subscribed").path("recovered").asBoolean(), "Redis kept the stream: same epoch");
            }
        }
    }

    @Test
    void redisRestartedEmptyStartsNewEpochsAndClientsAreToldTheyMissedMessages() {
        cluster = ClusterNodes.start(2);
        Node a = cluster.node(0);
        Node b = cluster.node(1);
        String topic = "failure.redis-empty";
        try (WsClient subscriber = cluster.connect(a, "push", "subscriber")) {
            String epoch = subscriber.subscribe(topic).next("subscribed").path("epoch").asText();
            for (int i = 1; i <= 3; i++) {
                assertEquals(202, cluster.publish(b, topic, String.valueOf(i)).statusCode());
            }
            assertEquals(List.of(1L, 2L, 3L), seqs(subscriber.messages(3)));

            cluster.redis().stop(false);
            cluster.redis().restart();
            for (Node node : List.of(a, b)) {
                Awaitility.await().atMost(HEALTH_WAIT).until(() -> cluster.health(node).statusCode() == 200);
            }
            HttpResponse<String> response = cluster.publish(b, topic, "\"again\"");
            assertEquals(202, response.statusCode(), response::body);
            assertEquals(1, WsClient.parse(response.body()).path("seq").asLong(), "the stream starts again");

            JsonNode restarted = subscriber.next("subscribed");
            assertFalse(restarted.path("recovered").asBoolean(), restarted::toString);
            String newEpoch = restarted.path("epoch").asText();
            assertNotEquals(epoch, newEpoch);
            JsonNode message = subscriber.next("message");
            assertEquals(1, message.path("seq").asLong());
            assertEquals("again", message.path("data").asText());

            try (WsClient resuming = cluster.connect(b, "push", "resuming")) {
                resuming.send(json().put("type", "subscribe").put("topic", topic).put("since", 3).put("epoch", epoch));
                JsonNode subscribed = resuming.next("subscribed");
                assertFalse(subscribed.path("recovered").asBoolean(), subscribed::toString);
                assertEquals(newEpoch, subscribed.path("epoch").asText());
                assertEquals(List.of(1L), seqs(resuming.messages(1)));
            }
        }
    }
}
