package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.ClusterNodes;
import io.herald.testing.ClusterNodes.Node;
import io.herald.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 7 with everything up: three Herald processes sharing one redis-server behave as one
 * node would, whichever node each client and publisher happens to reach (no sticky sessions).
 * The cluster lives for the class; every test has topics of its own.
 */
class ClusterIT {

    private static ClusterNodes cluster;
    private static Node a;
    private static Node b;
    private static Node c;

    @BeforeAll
    static void startCluster() {
        cluster = ClusterNodes.start(3);
        a = cluster.node(0);
        b = cluster.node(1);
        c = cluster.node(2);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("seq").asLong()).toList();
    }

    private static List<String> ids(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("id").asText()).toList();
    }

    private static JsonNode accepted(HttpResponse<String> response) {
        assertEquals(202, response.statusCode(), response::body);
        return WsClient.parse(response.body());
    }

    @Test
    void messagesPublishedOnEveryNodeReachEverySubscriberOnceInTheSameGaplessOrder() {
        String topic = "cluster.order";
        List<WsClient> subscribers = List.of(cluster.connect(a, "push", "s1"), cluster.connect(b, "push", "s2"),
                cluster.connect(c, "push", "s3"));
        try {
            subscribers.forEach(s -> s.subscribe(topic).next("subscribed"));
            int each = 40;
            List<CompletableFuture<Void>> publishers = new ArrayList<>();
            for (Node node : List.of(a, b, c)) {
                publishers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        accepted(cluster.publish(node, topic, json().put("via", node.name()).put("n", i).toString()));
                    }
                }));
            }
            publishers.forEach(CompletableFuture::join);
            List<List<JsonNode>> received = subscribers.stream().map(s -> s.messages(3 * each)).toList();
            assertEquals(LongStream.rangeClosed(1, 3 * each).boxed().toList(), seqs(received.get(0)));
            for (List<JsonNode> messages : received) {
                assertEquals(ids(received.get(0)), ids(messages), "every node delivers the same messages in one order");
            }
        } finally {
            subscribers.forEach(WsClient::close);
        }
    }

    @Test
    void aClientResumesWithSinceOnAnotherNodeAndMissesNothing() {
        String topic = "cluster.resume";
        String epoch;
        long seen;
        try (WsClient first = cluster.connect(a, "push", "resumer")) {
            epoch = first.subscribe(topic).next("subscribed").path("epoch").asText();
            for (int i = 1; i <= 3; i++) {
                accepted(cluster.publish(b, topic, String.valueOf(i)));
            }
            seen = first.messages(3).get(2).path("seq").asLong();
        }
        for (int i = 4; i <= 6; i++) {
            accepted(cluster.publish(c, topic, String.valueOf(i)));
        }
        try (WsClient back = cluster.connect(b, "push", "resumer")) {
            back.send(json().put("type", "subscribe").put("topic", topic).put("since", seen).put("epoch", epoch));
            JsonNode subscribed = back.next("subscribed");
            assertTrue(subscribed.path("recovered").asBoolean(), subscribed::toString);
            assertEquals(epoch, subscribed.path("epoch").asText());
            assertEquals(6, subscribed.path("seq").asLong());
            assertEquals(List.of(4L, 5L, 6L), seqs(back.messages(3)));
            accepted(cluster.publish(a, topic, "7"));
            assertEquals(7, back.next("message").path("seq").asLong(), "then live, from a third node");
        }
    }

    @Test
    void presenceSnapshotsAndJoinsAndLeavesSpanNodes() {
        try (WsClient alice = cluster.connect(a, "chat/cluster-room", "alice")) {
            JsonNode own = alice.next("presence");
            String aliceName = own.path("members").get(0).asText();
            try (WsClient bob = cluster.connect(b, "chat/cluster-room", "bob")) {
                JsonNode snapshot = bob.next("presence");
                assertEquals(2, snapshot.path("members").size(), snapshot::toString);
                assertTrue(snapshot.toString().contains(aliceName), snapshot::toString);
                JsonNode join = alice.next("presence");
                assertEquals("join", join.path("event").asText());
                String bobName = join.path("user").asText();

                bob.send(json().put("type", "publish").put("id", "c-1").set("data", json().put("text", "hi")));
                JsonNode atAlice = alice.next("message");
                assertEquals(bobName, atAlice.path("from").asText());
                assertEquals(1, atAlice.path("seq").asLong());
            }
            JsonNode leave = alice.next("presence");
            assertEquals("leave", leave.path("event").asText());
        }
    }

    @Test
    void aPushToAUserReachesItsSessionsOnEveryNode() {
        try (WsClient tab1 = cluster.connect(a, "push", "carol"); WsClient tab2 = cluster.connect(b, "push", "carol")) {
            tab1.subscribe("user:carol").next("subscribed");
            tab2.subscribe("user:carol").next("subscribed");
            JsonNode sent = accepted(cluster.rest(c, "POST", "/api/users/carol/messages", "{\"note\":\"hi\"}"));
            for (WsClient tab : List.of(tab1, tab2)) {
                JsonNode message = tab.next("message");
                assertEquals(sent.path("id"), message.path("id"));
                assertEquals("user:carol", message.path("topic").asText());
            }
        }
    }

    @Test
    void anIdempotentRetryOnAnotherNodeGetsTheFirstResultAndHistoryIsTheSameEverywhere() {
        String topic = "cluster.idempotent";
        JsonNode first = accepted(cluster.publish(a, topic, "{\"n\":1}", "Idempotency-Key", "k-1"));
        JsonNode retry = accepted(cluster.publish(b, topic, "{\"n\":1}", "Idempotency-Key", "k-1"));
        assertEquals(first, retry);
        accepted(cluster.publish(c, topic, "{\"n\":2}"));
        List<String> histories = new ArrayList<>();
        for (Node node : List.of(a, b, c)) {
            HttpResponse<String> history = cluster.rest(node, "GET", "/api/topics/" + topic + "/messages?since=0", null);
            assertEquals(200, history.statusCode(), history::body);
            histories.add(history.body());
        }
        assertEquals(2, WsClient.parse(histories.get(0)).path("messages").size());
        assertEquals(List.of(histories.get(0), histories.get(0), histories.get(0)), histories);
    }
}
