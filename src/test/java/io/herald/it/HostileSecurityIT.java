package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.Survival;
import io.herald.testing.Tokens;
import io.herald.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The security side of hostile input: bad tokens of every kind, forged origins, oversized headers,
 * deeply nested and huge JSON, bad REST bodies and headers. Each is answered as SPEC says while a
 * healthy client keeps getting everything, and nothing is left behind (see {@link Survival}).
 */
class HostileSecurityIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HeraldServer server;

    @BeforeAll
    static void start() {
        // a short keep-alive (idle timeout + heartbeat) so that the HTTP client's pooled connections go
        server = HeraldServer.start("HERALD_HEARTBEAT", "1", "HERALD_IDLE_TIMEOUT", "3");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> badTokens() {
        String good = Tokens.token("mallory", "sub:*");
        String[] parts = good.split("\\.");
        return List.of(
                new PlainJWT(new PlainHeader(), Tokens.claims("mallory", "admin", Duration.ofHours(1)).build()).serialize(),
                parts[0] + "." + parts[1] + ".",
                parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse(),
                "eyJhbGciOiJIUzI1NiJ9." + "A".repeat(6000) + ".sig",
                "%ZZ%00%ff",
                "null",
                "..",
                Tokens.sign(Tokens.claims("old", null, Duration.ofDays(-1)).build()));
    }

    @Test
    void badTokensAndForgedOriginsAreRefusedBeforeTheUpgradeAndLeaveNothingBehind() throws Exception {
        Survival.survives(server, () -> {
            for (int round = 0; round < 25; round++) {
                for (String token : badTokens()) {
                    try (RawWebSocket ws = RawWebSocket.open(server.port(), "/herald/ws/push?access_token=" + token)) {
                        assertEquals(401, ws.status(), "token of " + token.length() + " chars");
                        assertTrue(ws.serverHasClosed());
                    }
                }
                for (String origin : List.of("null", "https://evil.example", "http://127.0.0.1:1", "\u00ff\u00fe")) {
                    try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"), "Origin: " + origin)) {
                        assertEquals(403, ws.status(), origin);
                    }
                }
            }
        });
    }

    @Test
    void oversizedHeadersAreTurnedAwayWithoutAnUpgrade() throws Exception {
        Survival.survives(server, () -> {
            for (String header : List.of("Authorization: Bearer " + "x".repeat(64 * 1024),
                    "Origin: http://" + "o".repeat(64 * 1024), "X-Filler: " + "f".repeat(256 * 1024))) {
                try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"), header)) {
                    assertTrue(ws.status() >= 400, ws.head());
                } catch (IOException closedOnUs) {
                    // Grizzly may drop a connection whose headers overflow its buffer: no upgrade either way
                }
            }
            assertEquals(0, server.standalone().node().openSessions() - 2);
        });
    }

    @Test
    void deeplyNestedAndHugeJsonIsABadRequestAndTheConnectionLivesOn() throws Exception {
        Survival.survives(server, () -> {
            try (WsClient client = server.push()) {
                String deep = "[".repeat(100_000) + "]".repeat(100_000);
                client.send("{\"type\":\"publish\",\"topic\":\"t\",\"data\":" + deep.substring(0, 70_000) + "}");
                int code = client.awaitClose();
                assertEquals(1009, code, "over HERALD_MAX_MESSAGE_BYTES: closed for size");
            }
            try (WsClient client = server.push()) {
                String deep = "[".repeat(20_000) + "]".repeat(20_000);
                client.send("{\"type\":\"publish\",\"topic\":\"t\",\"id\":\"deep\",\"data\":" + deep + "}");
                assertEquals("bad_request", client.next("error").get("code").asText());
                client.send(json().put("type", "ping").put("id", "after"));
                assertEquals("after", client.next("pong").get("id").asText());
            }
        });
    }

    private static HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String... headers)
            throws Exception {
        HttpRequest.Builder request = server.api(path).POST(body);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(code, WsClient.parse(response.body()).get("error").asText());
    }

    @Test
    void badRestBodiesAndHeadersGetJsonErrors() throws Exception {
        // the client's own threads (selector, pool) start on first use, in this JVM: not the server's to count
        assertEquals(202, post("/topics/warm-up/messages", HttpRequest.BodyPublishers.ofString("1")).statusCode());
        Survival.survives(server, () -> {
            String path = "/topics/hostile/messages";
            assertError(post(path, HttpRequest.BodyPublishers.ofString("[".repeat(5000) + "]".repeat(5000))),
                    400, "bad_request");
            assertError(post(path, HttpRequest.BodyPublishers.ofString("{\"a\":")), 400, "bad_request");
            assertError(post(path, HttpRequest.BodyPublishers.ofString("")), 400, "bad_request");
            assertError(post(path, HttpRequest.BodyPublishers.ofByteArray(new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'})),
                    400, "bad_request");
            assertError(post(path, HttpRequest.BodyPublishers.ofString("\"" + "x".repeat(70_000) + "\"")), 413, "too_large");
            assertError(post(path, HttpRequest.BodyPublishers.ofString("1"), "Idempotency-Key", "k".repeat(1000)),
                    400, "bad_request");
            assertError(post("/topics/bad%20topic/messages", HttpRequest.BodyPublishers.ofString("1")), 400, "bad_request");
            assertError(post(path, HttpRequest.BodyPublishers.ofString("1"), "Authorization", "Bearer "),
                    401, "unauthorized");
            assertEquals(202, post(path, HttpRequest.BodyPublishers.ofString("{\"still\":\"fine\"}"),
                    "Content-Type", "text/x-anything").statusCode());
        });
    }

    /**
     * The probe's room bypass: a token that opens chat.public only was upgraded into chat.secret
     * through spellings of the path that the check read raw and the container then decoded. Every
     * spelling is refused before the upgrade now; only the canonical one of an allowed room opens.
     */
    @Test
    void aRoomIsEnteredOnlyWithItsScopeWhateverThePathSpelling() throws Exception {
        String token = Tokens.token("mallory", "sub:chat.public");
        try (RawWebSocket ws = RawWebSocket.open(server.port(), "/herald/ws/chat/public?access_token=" + token)) {
            assertEquals(101, ws.status(), "the token opens the room it names");
        }
        Survival.survives(server, () -> {
            for (String path : List.of("/herald/ws/chat/secret", "/herald/ws/chat/secre%74", "/herald/ws/chat/secret;x=1",
                    "/herald/ws/%63hat/secret", "/herald/ws/chat/secret/", "/herald/ws//chat/secret",
                    "/herald/ws/chat/./secret", "/herald/./ws/chat/secret", "/herald/ws/chat/%73ecret",
                    "/%68erald/ws/chat/secret", "/herald;x/ws/chat/secret", "/herald/ws/chat/SECRET/..")) {
                try (RawWebSocket ws = RawWebSocket.open(server.port(), path + "?access_token=" + token)) {
                    int status = ws.status();
                    assertTrue(status == 400 || status == 403 || status == 404, path + " answered " + ws.head());
                    assertTrue(ws.serverHasClosed(), path);
                }
            }
        });
    }

    @Test
    void aSecondOriginHeaderIsRefused() throws Exception {
        Survival.survives(server, () -> {
            String own = "http://127.0.0.1:" + server.port();
            try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"), "Origin: " + own)) {
                assertEquals(101, ws.status());
            }
            try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"), "Origin: " + own,
                    "Origin: https://evil.example")) {
                assertEquals(403, ws.status());
                assertEquals("forbidden", WsClient.parse(ws.body()).get("error").asText());
            }
        });
    }
}
