package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.Herald;
import io.herald.testing.HeraldServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API (SPEC section 1) and the Java API (section 9) on the standalone launcher. */
class RestApiIT {

    /** The JDK client as most Java code uses it: it asks every request to upgrade to h2c. */
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_HISTORY_SIZE", "1500", "HERALD_MAX_MESSAGE_BYTES", "1024");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String topic() {
        return "it.rest." + TOPICS.incrementAndGet();
    }

    /** As the back end: {@code sub} "backend", admin. */
    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return send(server.api(path), body, headers);
    }

    /** As {@code user} with {@code scope}. */
    private static HttpResponse<String> postAs(String user, String scope, String path, String body, String... headers)
            throws Exception {
        return send(server.api(path).setHeader("Authorization", "Bearer " + Tokens.token(user, scope)), body, headers);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String body, String... headers)
            throws Exception {
        request.POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(server.api(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = WsClient.parse(response.body());
        assertEquals(code, body.get("error").asText());
        assertTrue(!body.get("message").asText().isEmpty());
    }

    @Test
    void aRestPublishIsAcceptedWithSeqAndIdAndReachesWebSocketSubscribersFromTheCaller() throws Exception {
        String topic = topic();
        try (WsClient subscriber = server.push()) {
            subscriber.subscribe(topic).next("subscribed");
            HttpResponse<String> response = post("/topics/" + topic + "/messages", "{\"price\":10.50}");
            assertEquals(202, response.statusCode());
            JsonNode accepted = WsClient.parse(response.body());
            assertEquals(topic, accepted.get("topic").asText());
            assertEquals(1, accepted.get("seq").asLong());
            JsonNode message = subscriber.next("message");
            assertEquals(accepted.get("id"), message.get("id"), "the same id in the answer and the delivery");
            assertEquals("backend", message.get("from").asText(), "the caller's sub");
            assertEquals("10.50", message.get("data").get("price").decimalValue().toPlainString());
        }
    }

    @Test
    void anyJsonValueIsABody() throws Exception {
        String topic = topic();
        for (String body : new String[] {"42", "\"text\"", "[1,2]", "null", "true"}) {
            assertEquals(202, post("/topics/" + topic + "/messages", body).statusCode(), body);
        }
    }

    @Test
    void historyAnswersMessagesAfterSinceShapedLikeMessageFrames() throws Exception {
        String topic = topic();
        for (int i = 1; i <= 5; i++) {
            post("/topics/" + topic + "/messages", "{\"n\":" + i + "}");
        }
        JsonNode history = WsClient.parse(get("/topics/" + topic + "/messages?since=2&limit=2").body());
        assertEquals(topic, history.get("topic").asText());
        assertEquals(5, history.get("seq").asLong());
        assertTrue(!history.get("epoch").asText().isEmpty());
        assertEquals(2, history.get("messages").size());
        JsonNode first = history.get("messages").get(0);
        assertEquals("message", first.get("type").asText());
        assertEquals(3, first.get("seq").asLong());
        assertEquals(3, first.get("data").get("n").asInt());
        assertEquals(5, WsClient.parse(get("/topics/" + topic + "/messages").body()).get("messages").size(),
                "since defaults to 0");
    }

    @Test
    void aLimitOver1000CountsAs1000() throws Exception {
        String topic = topic();
        Herald herald = server.standalone().herald();
        for (int i = 0; i < 1100; i++) {
            herald.publish(topic, Map.of("n", i));
        }
        assertEquals(1000, WsClient.parse(get("/topics/" + topic + "/messages?limit=5000").body()).get("messages").size());
        assertEquals(100, WsClient.parse(get("/topics/" + topic + "/messages").body()).get("messages").size(),
                "limit defaults to 100");
    }

    @Test
    void theSameIdempotencyKeyIsStoredOnceAndTheRetryGetsTheFirstResult() throws Exception {
        String topic = topic();
        HttpResponse<String> first = post("/topics/" + topic + "/messages", "{}", "Idempotency-Key", "order-7");
        HttpResponse<String> retry = post("/topics/" + topic + "/messages", "{}", "Idempotency-Key", "order-7");
        assertEquals(WsClient.parse(first.body()), WsClient.parse(retry.body()));
        assertEquals(1, WsClient.parse(get("/topics/" + topic + "/messages").body()).get("messages").size());
    }

    @Test
    void aKeyReusedForOtherDataIs409ConflictAndStoresNothing() throws Exception {
        String topic = topic();
        String path = "/topics/" + topic + "/messages";
        HttpResponse<String> first = post(path, "{\"n\":1}", "Idempotency-Key", "order-8");
        assertEquals(202, first.statusCode(), first.body());
        assertError(post(path, "{\"n\":2}", "Idempotency-Key", "order-8"), 409, "conflict");
        HttpResponse<String> retry = post(path, "{\"n\":1}", "Idempotency-Key", "order-8");
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals(WsClient.parse(first.body()), WsClient.parse(retry.body()));
        JsonNode history = WsClient.parse(get(path).body());
        assertEquals(1, history.get("seq").asLong(), "the conflict stored nothing");
        assertEquals(1, history.get("messages").get(0).get("data").get("n").asInt());
    }

    /**
     * The probe's case: a user with {@code pub:orders.*} used the back end's key first, and the back
     * end's publish was answered with the user's message and never stored. Each caller's key is its
     * own, and each message is from its caller.
     */
    @Test
    void twoCallersWithTheSameKeyEachHaveTheirOwnMessageStoredFromThemselves() throws Exception {
        String topic = "orders." + TOPICS.incrementAndGet();
        String path = "/topics/" + topic + "/messages";
        try (WsClient subscriber = server.push()) {
            subscriber.subscribe(topic).next("subscribed");
            HttpResponse<String> mallory = postAs("mallory", "pub:orders.*", path, "{\"by\":\"mallory\"}",
                    "Idempotency-Key", "order-42-shipped");
            HttpResponse<String> backend = post(path, "{\"by\":\"backend\"}", "Idempotency-Key", "order-42-shipped");
            assertEquals(202, mallory.statusCode(), mallory.body());
            assertEquals(202, backend.statusCode(), backend.body());
            assertEquals(1, WsClient.parse(mallory.body()).get("seq").asLong());
            assertEquals(2, WsClient.parse(backend.body()).get("seq").asLong());
            List<JsonNode> messages = subscriber.messages(2);
            assertEquals(List.of("mallory", "backend"), messages.stream().map(m -> m.get("from").asText()).toList());
            assertEquals(List.of("mallory", "backend"), messages.stream().map(m -> m.get("data").get("by").asText()).toList());
        }
        // subs may hold the separator of the key's scope: "a/b" with "c" is not "a" with "b/c"
        HttpResponse<String> slash = postAs("a/b", "pub:orders.*", path, "1", "Idempotency-Key", "c");
        HttpResponse<String> split = postAs("a", "pub:orders.*", path, "1", "Idempotency-Key", "b/c");
        assertEquals(3, WsClient.parse(slash.body()).get("seq").asLong(), slash.body());
        assertEquals(4, WsClient.parse(split.body()).get("seq").asLong(), split.body());
    }

    @Test
    void userMessagesReachEverySessionSubscribedToTheUsersTopicFromTheCaller() throws Exception {
        try (WsClient tab1 = server.push("alice", null); WsClient tab2 = server.push("alice", null)) {
            tab1.subscribe("user:alice").next("subscribed");
            tab2.subscribe("user:alice").next("subscribed");
            assertEquals(202, post("/users/alice/messages", "{\"note\":\"hi\"}").statusCode());
            JsonNode message = tab1.next("message");
            assertEquals("user:alice", message.get("topic").asText());
            assertEquals("backend", message.get("from").asText());
            assertEquals("hi", tab2.next("message").get("data").get("note").asText());
        }
    }

    @Test
    void badInputGetsAJsonErrorWithSpecsStatus() throws Exception {
        assertError(post("/topics/bad%20topic/messages", "{}"), 400, "bad_request");
        assertError(post("/topics/t/messages", "{not json"), 400, "bad_request");
        assertError(post("/topics/t/messages", ""), 400, "bad_request");
        assertError(post("/topics/t/messages", "{\"blob\":\"" + "x".repeat(2000) + "\"}"), 413, "too_large");
        assertError(get("/topics/t/messages?since=-1"), 400, "bad_request");
        assertError(get("/topics/t/messages?limit=lots"), 400, "bad_request");
        assertError(get("/no/such/thing"), 404, "not_found");
        assertError(post("/users/" + "u".repeat(200) + "/messages", "{}"), 400, "bad_request");
    }

    @Test
    void healthIsUpAndMetricsArePrometheusText() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals(json().put("status", "UP"), WsClient.parse(health.body()));
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        assertTrue(metrics.body().contains("# TYPE herald_messages_published_total counter"), metrics.body());
        assertTrue(metrics.body().contains("herald_sessions{node=\"test-node\"}"), metrics.body());
    }

    @Test
    void theJavaApiPublishesAsServerAndReturnsTheSeq() {
        String topic = topic();
        Herald herald = server.standalone().herald();
        try (WsClient subscriber = server.push()) {
            subscriber.subscribe(topic).next("subscribed");
            assertEquals(1, herald.publish(topic, Map.of("k", "v")));
            assertEquals(2, herald.publishJson(topic, "[1, 2]"));
            JsonNode first = subscriber.next("message");
            assertEquals("server", first.get("from").asText());
            assertEquals("v", first.get("data").get("k").asText());
            assertEquals(json().arrayNode().add(1).add(2), subscriber.next("message").get("data"));
            try (WsClient bob = server.push("bob", null)) {
                bob.subscribe("user:bob").next("subscribed");
                herald.notifyUser("bob", "ping");
                assertEquals("ping", bob.next("message").get("data").asText());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> herald.publish("bad topic", 1));
        assertThrows(IllegalArgumentException.class, () -> herald.publishJson(topic, "{oops"));
    }
}
