package io.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.TopicNames;
import io.herald.testing.HeraldServer;
import io.herald.testing.WrittenLog;
import io.herald.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the launcher answers when something is wrong (issue #12, finding 7c): JSON that names the
 * problem, never the parser or the server, and what it logs meanwhile (7b).
 */
class ErrorAnswersIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> INTERNALS = List.of("Grizzly", "grizzly", "Jersey", "Tyrus", "Jackson",
            "com.fasterxml", "java.", "Exception", "Unexpected character", "Unrecognized token", "was expecting");

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_DEV", "false");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.http(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON error body with {@code code}, and nothing in the answer that names what serves it. */
    private static JsonNode assertJsonError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        assertTrue(response.headers().firstValue("Server").isEmpty(), response.headers().toString());
        assertTrue(response.headers().firstValue("X-Powered-By").isEmpty(), response.headers().toString());
        JsonNode body = WsClient.parse(response.body());
        assertEquals(code, body.path("error").asText(), response.body());
        assertNoInternals(body.path("message").asText());
        return body;
    }

    private static void assertNoInternals(String text) {
        for (String internal : INTERNALS) {
            assertFalse(text.contains(internal), text);
        }
    }

    @Test
    void anUnknownPathIsA404NotFoundInsideTheApiAndOutside() throws Exception {
        assertJsonError(get("/herald/api/no/such/thing"), 404, "not_found");
        assertJsonError(get("/herald/no-such-page.html"), 404, "not_found");
        assertJsonError(get("/no/such/thing"), 404, "not_found");
        HttpResponse<String> devToken = HTTP.send(HttpRequest.newBuilder(server.http("/herald/api/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"mallory\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertJsonError(devToken, 404, "not_found");
    }

    @Test
    void anEncodedSlashInAPathIsAJsonAnswerNotAnEmpty500() throws Exception {
        HttpResponse<String> history = HTTP.send(server.api("/topics/a%2Fb/messages").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(TopicNames.RULE, assertJsonError(history, 400, "bad_request").path("message").asText());
        HttpResponse<String> publish = HTTP.send(server.api("/topics/a%2Fb/messages")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertJsonError(publish, 400, "bad_request");
        assertJsonError(get("/herald/a%2Fb.html"), 404, "not_found");
    }

    @Test
    void whatFailsBeforeHeraldsCodeIsJsonToo() throws Exception {
        // the REST container cannot make a URI of a malformed escape in the query (no client sends one)
        String answer = raw("GET /herald/api/health?%ZZ=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
        assertTrue(answer.contains("\r\nContent-Type: application/json"), answer);
        assertEquals("internal", WsClient.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4)).path("error").asText());
        assertNoInternals(answer);
    }

    @Test
    void aFrameThatIsNotJsonIsAnsweredWithWhereItGoesWrong() {
        try (WsClient client = server.push()) {
            client.send("{\"type\": x}");
            JsonNode error = client.next("error");
            assertEquals("bad_request", error.path("code").asText());
            assertEquals("frame is not valid JSON at line 1, column 11", error.path("message").asText());
        }
    }

    /** Sends {@code request} on a connection of its own and reads the answer until the server closes. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) WsClient.WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (IOException reset) {
                // the server may reset a connection it gives up on
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void brokenRequestsFromManyConnectionsAreLoggedAtMostOnceEachAndWithoutStackTraces() throws Exception {
        int connections = 0;
        try (WrittenLog log = new WrittenLog()) {
            for (int i = 0; i < 100; i++) {
                raw("POST /herald/api/topics/t/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n");
                String answer = raw("GET /herald/api/health?%ZZ=" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertNoInternals(answer);
                connections += 2;
            }
            assertFalse(log.anyStackTrace(), log.describe());
            assertTrue(log.records().size() <= connections, log.records().size() + " records for " + connections
                    + " connections:" + log.describe());
        }
    }
}
