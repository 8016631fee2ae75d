package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.HeraldServer;
import io.herald.testing.WsClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC sections 2 and 3 on {@code /ws/push}, against the real standalone launcher. */
class PushProtocolIT {

    private static HeraldServer server;
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_HISTORY_SIZE", "20", "HERALD_RATE", "10000");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String topic() {
        return "it.push." + TOPICS.incrementAndGet();
    }

    private static JsonNode subscribe(WsClient client, String topic, Long since, String epoch, String id) {
        var frame = json().put("type", "subscribe").put("topic", topic);
        if (since != null) {
            frame.put("since", since);
        }
        if (epoch != null) {
            frame.put("epoch", epoch);
        }
        if (id != null) {
            frame.put("id", id);
        }
        client.send(frame);
        return client.next("subscribed");
    }

    private static void publishAll(WsClient publisher, String topic, int count) {
        for (int i = 1; i <= count; i++) {
            publisher.publish(topic, json().put("n", i), null);
        }
        for (int i = 1; i <= count; i++) {
            publisher.next("ack");
        }
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("seq").asLong()).toList();
    }

    @Test
    void welcomeIsTheFirstFrameAndNamesSessionUserNodeAndHeartbeat() {
        try (WsClient client = WsClient.connect(server.ws("push"))) {
            JsonNode welcome = client.next("welcome");
            assertFalse(welcome.get("session").asText().isEmpty());
            assertFalse(welcome.get("user").asText().isEmpty());
            assertEquals("test-node", welcome.get("node").asText());
            assertEquals(25000, welcome.get("heartbeat").asLong());
        }
    }

    @Test
    void subscribeWithoutSinceAnswersTheLatestSeqThenOnlyNewMessages() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            publishAll(publisher, topic, 3);
            JsonNode subscribed = subscribe(subscriber, topic, null, null, "s-1");
            assertEquals(3, subscribed.get("seq").asLong());
            assertTrue(subscribed.get("recovered").asBoolean());
            assertEquals("s-1", subscribed.get("id").asText());
            publisher.publish(topic, json().put("n", 4), null);
            assertEquals(4, subscriber.next("message").get("seq").asLong());
        }
    }

    @Test
    void aPublishIsAckedWithItsSeqAndReachesEverySubscriberThePublisherIncluded() {
        String topic = topic();
        try (WsClient a = server.push(); WsClient b = server.push()) {
            subscribe(a, topic, null, null, null);
            subscribe(b, topic, null, null, null);
            a.publish(topic, json().put("hello", "world"), "c-1");
            // the ack and the publisher's own copy may come in either order
            List<JsonNode> atPublisher = List.of(a.next(), a.next());
            JsonNode ack = atPublisher.stream().filter(f -> f.get("type").asText().equals("ack")).findFirst().orElseThrow();
            JsonNode atA = atPublisher.stream().filter(f -> f.get("type").asText().equals("message")).findFirst().orElseThrow();
            assertEquals("c-1", ack.get("id").asText());
            assertEquals(topic, ack.get("topic").asText());
            assertEquals(1, ack.get("seq").asLong());
            JsonNode atB = b.next("message");
            assertEquals(atB, atA, "every subscriber gets the same message");
            assertEquals(topic, atB.get("topic").asText());
            assertEquals(1, atB.get("seq").asLong());
            assertEquals(json().put("hello", "world"), atB.get("data"));
        }
    }

    @Test
    void aMessageCarriesAServerAssignedUniqueIdTheTimeAndThePublishingUser() {
        String topic = topic();
        String publisherUser = "ann";
        try (WsClient publisher = server.push(publisherUser, HeraldServer.USER_SCOPE); WsClient subscriber = server.push()) {
            subscribe(subscriber, topic, null, null, null);
            long before = System.currentTimeMillis();
            publishAll(publisher, topic, 5);
            List<JsonNode> messages = subscriber.messages(5);
            Set<String> ids = new HashSet<>();
            for (JsonNode m : messages) {
                assertTrue(ids.add(m.get("id").asText()));
                assertTrue(m.get("time").asLong() >= before - 1000 && m.get("time").asLong() <= System.currentTimeMillis());
                assertEquals(publisherUser, m.get("from").asText());
            }
        }
    }

    @Test
    void everyTopicHasItsOwnGaplessSequence() {
        String t1 = topic();
        String t2 = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            subscribe(subscriber, t1, null, null, null);
            subscribe(subscriber, t2, null, null, null);
            for (int i = 0; i < 10; i++) {
                publisher.publish(i % 2 == 0 ? t1 : t2, json(), null);
            }
            List<JsonNode> messages = subscriber.messages(10);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(messages.stream().filter(m -> m.get("topic").asText().equals(t1)).toList()));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(messages.stream().filter(m -> m.get("topic").asText().equals(t2)).toList()));
        }
    }

    @Test
    void oneConnectionsPublishesKeepTheirOrder() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            subscribe(subscriber, topic, null, null, null);
            for (int i = 0; i < 200; i++) {
                publisher.publish(topic, json().put("n", i), null);
            }
            List<JsonNode> messages = subscriber.messages(200);
            for (int i = 0; i < 200; i++) {
                assertEquals(i, messages.get(i).get("data").get("n").asInt());
                assertEquals(i + 1, messages.get(i).get("seq").asLong());
            }
        }
    }

    @Test
    void subscribeWithSinceReplaysWhatFollowsThenGoesLive() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            publishAll(publisher, topic, 6);
            JsonNode subscribed = subscribe(subscriber, topic, 4L, null, null);
            assertEquals(6, subscribed.get("seq").asLong());
            assertTrue(subscribed.get("recovered").asBoolean());
            assertEquals(List.of(5L, 6L), seqs(subscriber.messages(2)));
            publisher.publish(topic, json(), null);
            assertEquals(7, subscriber.next("message").get("seq").asLong());
        }
    }

    @Test
    void sinceZeroAsksForAllHistory() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            publishAll(publisher, topic, 3);
            assertTrue(subscribe(subscriber, topic, 0L, null, null).get("recovered").asBoolean());
            assertEquals(List.of(1L, 2L, 3L), seqs(subscriber.messages(3)));
        }
    }

    @Test
    void resumingWithTheRightEpochIsRecovered() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient first = server.push()) {
            String epoch = subscribe(first, topic, null, null, null).get("epoch").asText();
            publishAll(publisher, topic, 3);
            first.messages(3);
            try (WsClient again = server.push()) {
                JsonNode subscribed = subscribe(again, topic, 1L, epoch, null);
                assertTrue(subscribed.get("recovered").asBoolean());
                assertEquals(epoch, subscribed.get("epoch").asText());
                assertEquals(List.of(2L, 3L), seqs(again.messages(2)));
            }
        }
    }

    @Test
    void theEpochIsFixedFromTheFirstSubscribeSoAClientOfAnEmptyTopicMissesNothing() {
        String topic = topic();
        try (WsClient early = server.push(); WsClient publisher = server.push()) {
            JsonNode subscribed = subscribe(early, topic, null, null, null);
            assertEquals(0, subscribed.get("seq").asLong());
            String epoch = subscribed.get("epoch").asText();
            publishAll(publisher, topic, 2);
            try (WsClient resumed = server.push()) {
                JsonNode again = subscribe(resumed, topic, 0L, epoch, null);
                assertEquals(epoch, again.get("epoch").asText());
                assertTrue(again.get("recovered").asBoolean());
                assertEquals(List.of(1L, 2L), seqs(resumed.messages(2)));
            }
        }
    }

    @Test
    void aWrongEpochReplaysHistoryFromTheStartWithRecoveredFalse() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            publishAll(publisher, topic, 3);
            JsonNode subscribed = subscribe(subscriber, topic, 2L, "not-the-epoch", null);
            assertFalse(subscribed.get("recovered").asBoolean());
            assertNotEquals("not-the-epoch", subscribed.get("epoch").asText());
            assertEquals(List.of(1L, 2L, 3L), seqs(subscriber.messages(3)));
        }
    }

    @Test
    void aSinceAboveTheLatestSeqIsTreatedLikeAWrongEpoch() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            publishAll(publisher, topic, 2);
            JsonNode subscribed = subscribe(subscriber, topic, 9L, null, null);
            assertFalse(subscribed.get("recovered").asBoolean());
            assertEquals(List.of(1L, 2L), seqs(subscriber.messages(2)));
        }
    }

    @Test
    void whenHistoryNoLongerHoldsTheNextMessageHeraldSendsWhatItHasWithRecoveredFalse() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            publishAll(publisher, topic, 25); // history holds 20: seqs 6..25
            JsonNode subscribed = subscribe(subscriber, topic, 2L, null, null);
            assertFalse(subscribed.get("recovered").asBoolean());
            List<Long> seqs = seqs(subscriber.messages(20));
            assertEquals(6L, seqs.get(0));
            assertEquals(25L, seqs.get(19));
        }
    }

    @Test
    void subscribingTwiceIsIdempotent() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            subscribe(subscriber, topic, null, null, "first");
            JsonNode second = subscribe(subscriber, topic, 0L, null, "second");
            assertEquals("second", second.get("id").asText());
            publisher.publish(topic, json(), null);
            publisher.publish(topic, json(), null);
            assertEquals(List.of(1L, 2L), seqs(subscriber.messages(2)));
            subscriber.send(json().put("type", "ping").put("id", "p"));
            assertEquals("pong", subscriber.next().get("type").asText(), "no message came twice");
        }
    }

    @Test
    void unsubscribeStopsDeliveryAndEchoesTheId() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            subscribe(subscriber, topic, null, null, null);
            subscriber.send(json().put("type", "unsubscribe").put("topic", topic).put("id", "u-1"));
            JsonNode unsubscribed = subscriber.next("unsubscribed");
            assertEquals(topic, unsubscribed.get("topic").asText());
            assertEquals("u-1", unsubscribed.get("id").asText());
            publishAll(publisher, topic, 1);
            subscriber.send(json().put("type", "ping").put("id", "p"));
            assertEquals("pong", subscriber.next().get("type").asText(), "nothing arrived after unsubscribe");
        }
    }

    @Test
    void aPublishRepeatedWithTheSameIdOnTheSameConnectionIsStoredOnce() {
        String topic = topic();
        try (WsClient publisher = server.push(); WsClient subscriber = server.push()) {
            subscribe(subscriber, topic, null, null, null);
            publisher.publish(topic, json().put("n", 1), "retry-me");
            publisher.publish(topic, json().put("n", 1), "retry-me");
            assertEquals(1, publisher.next("ack").get("seq").asLong());
            assertEquals(1, publisher.next("ack").get("seq").asLong(), "the retry gets the first result");
            publisher.publish(topic, json().put("n", 2), "other");
            assertEquals(2, publisher.next("ack").get("seq").asLong());
            assertEquals(List.of(1L, 2L), seqs(subscriber.messages(2)));
        }
    }

    @Test
    void theSameIdWithOtherDataIsAConflictAndTheFirstStaysTheOnlyOne() {
        String topic = topic();
        try (WsClient publisher = server.push()) {
            publisher.publish(topic, json().put("n", 1), "p-1");
            assertEquals(1, publisher.next("ack").get("seq").asLong());
            publisher.publish(topic, json().put("n", 2), "p-1");
            JsonNode error = publisher.next("error");
            assertEquals("conflict", error.get("code").asText());
            assertEquals("p-1", error.get("id").asText());
            assertEquals(topic, error.get("topic").asText());
            publisher.publish(topic, json().put("n", 1), "p-1");
            assertEquals(1, publisher.next("ack").get("seq").asLong(), "the first data still gets the first result");
            publisher.publish(topic, json().put("n", 3), "p-2");
            assertEquals(2, publisher.next("ack").get("seq").asLong(), "the conflict took no seq");
        }
    }

    @Test
    void theSameIdOnAnotherConnectionIsANewPublish() {
        String topic = topic();
        try (WsClient a = server.push(); WsClient b = server.push()) {
            a.publish(topic, json(), "same");
            assertEquals(1, a.next("ack").get("seq").asLong());
            b.publish(topic, json(), "same");
            assertEquals(2, b.next("ack").get("seq").asLong());
        }
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheId() {
        try (WsClient client = server.push()) {
            client.send(json().put("type", "ping").put("id", "p-1"));
            assertEquals("p-1", client.next("pong").get("id").asText());
        }
    }

    @Test
    void unknownExtraFieldsAreIgnored() {
        String topic = topic();
        try (WsClient client = server.push()) {
            client.send(json().put("type", "subscribe").put("topic", topic).put("future", "feature"));
            assertEquals(topic, client.next("subscribed").get("topic").asText());
        }
    }

    @Test
    void userTopicsAreDeliveredOnlyToSessionsThatSubscribed() {
        try (WsClient publisher = server.push("ops", "admin"); WsClient subscribed = server.push("zoe", HeraldServer.USER_SCOPE);
             WsClient bystander = server.push()) {
            subscribe(subscribed, "user:zoe", null, null, null);
            publisher.publish("user:zoe", json().put("note", 1), null);
            assertEquals("user:zoe", subscribed.next("message").get("topic").asText());
            bystander.send(json().put("type", "ping"));
            assertEquals("pong", bystander.next().get("type").asText());
        }
    }

    @Test
    void aBadFrameIsABadRequestNamingIdAndTopicAndTheConnectionStaysOpen() {
        try (WsClient client = server.push()) {
            client.send("this is not json");
            JsonNode error = client.next("error");
            assertEquals("bad_request", error.get("code").asText());
            assertFalse(error.get("message").asText().isEmpty());
            assertNull(error.get("id"));

            client.send(json().put("type", "dance").put("id", "d-1"));
            assertEquals("d-1", client.next("error").get("id").asText());

            client.send(json().put("type", "subscribe").put("topic", "bad topic!").put("id", "s-9"));
            JsonNode badTopic = client.next("error");
            assertEquals("bad_request", badTopic.get("code").asText());
            assertEquals("s-9", badTopic.get("id").asText());
            assertEquals("bad topic!", badTopic.get("topic").asText());

            client.send(json().put("type", "subscribe").put("topic", "x".repeat(129)));
            assertEquals("bad_request", client.next("error").get("code").asText());

            client.send(json().put("type", "publish").put("topic", "t").put("id", "no-data"));
            assertEquals("no-data", client.next("error").get("id").asText());

            client.send(json().put("type", "ping").put("id", "still-here"));
            assertEquals("still-here", client.next("pong").get("id").asText());
        }
    }

    @Test
    void aSinceThatIsNotANonNegativeIntegerIsABadRequest() {
        String topic = topic();
        try (WsClient client = server.push()) {
            for (String since : List.of("-1", "1.5", "\"3\"", "true")) {
                client.send("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"since\":" + since + ",\"id\":\"s\"}");
                JsonNode error = client.next("error");
                assertEquals("bad_request", error.get("code").asText(), since);
                assertEquals(topic, error.get("topic").asText());
            }
        }
    }
}
