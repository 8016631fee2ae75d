package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.Tokens;
import io.herald.testing.WsClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SPEC section 5 on the real launcher: handshakes refused before the upgrade with a complete HTTP
 * answer and no session, scopes on every frame and API call, origins, token expiry.
 */
class SecurityIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_JWT_LEEWAY", "0");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String target(String path, String token) {
        return "/herald/ws/" + path + (token == null ? "" : "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** A refusal as SPEC wants it: the status, a JSON error body with its length, the connection closed, no session. */
    private static void assertRefused(RawWebSocket ws, int status, String code) throws Exception {
        assertEquals(status, ws.status(), ws.head());
        assertEquals("close", ws.header("Connection"));
        assertEquals("application/json", ws.header("Content-Type"));
        String body = ws.body();
        assertEquals(Integer.parseInt(ws.header("Content-Length")), body.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(code, WsClient.parse(body).get("error").asText());
        assertTrue(ws.serverHasClosed());
        // A session admitted by an earlier test may still be closing on the server's side.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.standalone().node().openSessions() == 0);
    }

    private static void assertUpgraded(RawWebSocket ws) throws Exception {
        assertEquals(101, ws.status(), ws.head());
        assertEquals("welcome", WsClient.parse(ws.read().text()).get("type").asText());
    }

    @Test
    void aHandshakeWithoutAValidTokenIsRefusedWith401() throws Exception {
        String expired = Tokens.sign(Tokens.claims("late", null, Duration.ofSeconds(-1)).build());
        String foreign = Tokens.sign(Tokens.claims("mallory", "admin", Duration.ofHours(1)).build(), JWSAlgorithm.HS256,
                Tokens.hs256("somebody-elses-secret-of-32-bytes-or-more"));
        for (String token : new String[] {null, "", "not-a-jwt", expired, foreign, Tokens.token("x", null) + "x"}) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", token))) {
                assertRefused(ws, 401, "unauthorized");
            }
        }
        try (RawWebSocket ws = RawWebSocket.open(server.port(), target("chat/lobby", null))) {
            assertRefused(ws, 401, "unauthorized");
        }
        try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", null), "Authorization: Basic dXNlcjpwYXNz")) {
            assertRefused(ws, 401, "unauthorized");
        }
    }

    @Test
    void theTokenMayComeAsABearerHeaderInsteadOfTheQuery() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", null),
                "Authorization: Bearer " + Tokens.token("header-user", null))) {
            assertUpgraded(ws);
        }
        try (WsClient client = WsClient.connect(URI.create(server.wsBase() + "push"), HTTP,
                "Authorization", "Bearer " + Tokens.token("header-user", null))) {
            assertEquals("header-user", client.next("welcome").get("user").asText());
        }
    }

    @Test
    void aForeignOrNullOriginIsRefusedWith403AndTheSameOriginOrNoneIsAdmitted() throws Exception {
        String token = Tokens.token("browser-user", null);
        for (String origin : new String[] {"https://evil.example", "null", "http://127.0.0.1:" + (server.port() + 1),
                "http://127.0.0.1.evil.example:" + server.port(), "garbage"}) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", token), "Origin: " + origin)) {
                assertRefused(ws, 403, "forbidden");
            }
        }
        for (String origin : new String[] {"http://127.0.0.1:" + server.port(), "https://127.0.0.1:" + server.port()}) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", token), "Origin: " + origin)) {
                assertUpgraded(ws);
            }
        }
    }

    @Test
    void listedOriginsReplaceTheDefault() throws Exception {
        server.close();
        server = HeraldServer.start("HERALD_JWT_LEEWAY", "0", "HERALD_ALLOWED_ORIGINS", "https://app.example, null");
        try {
            String token = Tokens.token("browser-user", null);
            for (String origin : new String[] {"https://app.example", "null"}) {
                try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", token), "Origin: " + origin)) {
                    assertUpgraded(ws);
                }
            }
            try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", token),
                    "Origin: http://127.0.0.1:" + server.port())) {
                assertRefused(ws, 403, "forbidden");
            }
        } finally {
            server.close();
            start();
        }
    }

    @Test
    void joiningAChatRoomNeedsASubMatchAndPostingAPubMatch() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(server.port(), target("chat/vip", Tokens.token("guest", "sub:chat.lobby")))) {
            assertRefused(ws, 403, "forbidden");
        }
        try (WsClient reader = WsClient.connect(server.ws("chat/lobby", "reader", "sub:chat.lobby"))) {
            reader.next("welcome");
            reader.next("presence");
            reader.send(json().put("type", "publish").put("data", "hi").put("id", "c-1"));
            JsonNode error = reader.next("error");
            assertEquals("forbidden", error.get("code").asText());
            assertEquals("c-1", error.get("id").asText());
        }
        // the default scope, sub:* pub:chat.*, may talk in any room
        try (WsClient talker = WsClient.connect(server.ws("chat/lobby", "talker", null))) {
            talker.next("welcome");
            talker.next("presence");
            talker.send(json().put("type", "publish").put("data", "hi").put("id", "c-2"));
            assertEquals("c-2", talker.until(f -> f.get("type").asText().equals("ack")).get("id").asText());
        }
    }

    @Test
    void subscribeAndPublishFollowTheTokensScope() {
        try (WsClient alice = server.push("alice", "sub:news.* pub:news.eu")) {
            alice.send(json().put("type", "subscribe").put("topic", "sport").put("id", "s-1"));
            JsonNode refused = alice.next("error");
            assertEquals("forbidden", refused.get("code").asText());
            assertEquals("s-1", refused.get("id").asText());
            assertEquals("sport", refused.get("topic").asText());

            alice.send(json().put("type", "subscribe").put("topic", "user:bob").put("id", "s-2"));
            assertEquals("forbidden", alice.next("error").get("code").asText());
            alice.send(json().put("type", "subscribe").put("topic", "user:alice").put("id", "s-3"));
            assertEquals("s-3", alice.next("subscribed").get("id").asText());

            alice.publish("news.us", json().put("x", 1), "p-1");
            assertEquals("forbidden", alice.next("error").get("code").asText());
            alice.publish("user:alice", json().put("x", 1), "p-2");
            assertEquals("forbidden", alice.next("error").get("code").asText());
            alice.publish("news.eu", json().put("x", 1), "p-3");
            assertEquals("p-3", alice.next("ack").get("id").asText());
        }
        try (WsClient admin = server.push("ops", "admin"); WsClient bob = server.push("bob", "")) {
            bob.subscribe("user:bob").next("subscribed");
            admin.publish("user:bob", json().put("note", "for bob"), "p-4");
            assertEquals("for bob", bob.next("message").get("data").get("note").asText());
        }
    }

    @Test
    void aConnectionWhoseTokenRunsOutIsClosedWith4001() {
        String shortLived = Tokens.sign(Tokens.claims("brief", null, Duration.ofSeconds(2)).build());
        try (WsClient client = WsClient.connect(server.wsWithToken("push", shortLived));
             WsClient lasting = server.push()) {
            client.next("welcome");
            assertEquals(4001, client.awaitClose());
            assertEquals("token expired", client.closeReason());
            lasting.send(json().put("type", "ping").put("id", "still"));
            assertEquals("still", lasting.next("pong").get("id").asText());
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder api(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.http("/herald/api" + path));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, WsClient.parse(response.body()).get("error").asText());
    }

    @Test
    void theApiWantsABearerTokenWithTheRightScope() throws Exception {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"a\":1}");
        HttpResponse<String> anonymous = send(api("/topics/news.eu/messages", null).POST(body));
        assertError(anonymous, 401, "unauthorized");
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertError(send(api("/topics/news.eu/messages", "garbage").POST(body)), 401, "unauthorized");
        assertError(send(api("/topics/news.eu/messages", null).header("Authorization", "Basic YTpi").POST(body)),
                401, "unauthorized");

        String reader = Tokens.token("reader", "sub:news.*");
        assertError(send(api("/topics/news.eu/messages", reader).POST(body)), 403, "forbidden");
        assertEquals(200, send(api("/topics/news.eu/messages", reader).GET()).statusCode());
        assertError(send(api("/topics/sport/messages", reader).GET()), 403, "forbidden");

        String writer = Tokens.token("writer", "pub:news.*");
        assertEquals(202, send(api("/topics/news.eu/messages", writer).POST(body)).statusCode());
        // pub:* does not cover user: topics; admin does
        assertError(send(api("/users/bob/messages", Tokens.token("w", "pub:*")).POST(body)), 403, "forbidden");
        assertEquals(202, send(api("/users/bob/messages", Tokens.token("ops", "admin")).POST(body)).statusCode());

        assertEquals(200, send(api("/health", null).GET()).statusCode());
        assertEquals(200, send(api("/metrics", null).GET()).statusCode());
    }

    @Test
    void theDevTokenEndpointIsNotThereOutsideDevMode() throws Exception {
        assertError(send(api("/dev/token", null).POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"x\"}"))),
                404, "not_found");
        assertFalse(server.standalone().node().config().dev());
    }

    @Test
    void inDevModeTheEndpointIssuesTokensThatWork() throws Exception {
        server.close();
        server = HeraldServer.start("HERALD_JWT_SECRET", "", "HERALD_DEV", "true");
        try {
            for (String bad : new String[] {"", "[]", "{}", "{\"user\":7}", "{\"user\":\"\"}", "{\"user\":\"a\",\"scope\":1}",
                    "{\"user\":\"" + "u".repeat(201) + "\"}"}) {
                assertError(send(api("/dev/token", null).POST(HttpRequest.BodyPublishers.ofString(bad))), 400, "bad_request");
            }
            HttpResponse<String> issued = send(api("/dev/token", null).POST(HttpRequest.BodyPublishers.ofString(
                    "{\"user\":\"dana\",\"scope\":\"sub:demo.*\"}")));
            assertEquals(200, issued.statusCode(), issued.body());
            String token = WsClient.parse(issued.body()).get("token").asText();
            try (WsClient dana = WsClient.connect(server.wsWithToken("push", token))) {
                assertEquals("dana", dana.next("welcome").get("user").asText());
                dana.subscribe("demo.ticker").next("subscribed");
                dana.send(json().put("type", "subscribe").put("topic", "other").put("id", "s"));
                assertEquals("forbidden", dana.next("error").get("code").asText());
            }
            // a token of the tests' secret is not one of this server's
            try (RawWebSocket ws = RawWebSocket.open(server.port(), target("push", Tokens.token("x", null)))) {
                assertRefused(ws, 401, "unauthorized");
            }
        } finally {
            server.close();
            start();
        }
    }
}
