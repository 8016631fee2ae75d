package io.herald.container;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.testing.RawWebSocket;
import io.herald.testing.Tokens;
import io.herald.testing.WsClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Herald's WAR on a real app server (Payara Micro 6, Payara Micro 7 or WildFly: the failsafe
 * execution chooses), spoken to over real sockets by the JDK's clients: what SPEC.md promises for
 * every runtime, checked where the containers differ (Tyrus and Jersey on Payara, Undertow and
 * RESTEasy on WildFly). One class, so one deployment: on Payara Micro each deployment is a boot.
 * The server lives for the whole class, so every test uses topics and rooms of its own.
 */
@ExtendWith(ArquillianExtension.class)
class HeraldWarIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WsClient.WAIT).build();
    private static final int MAX_MESSAGE_BYTES = 65536;

    /**
     * The WAR that {@code package} built, as it is (its WEB-INF/lib, its descriptors, its packaging
     * excludes), plus a servlet standing for co-deployed application code. The name matters: both
     * servers would take the context root from it if the descriptors did not set it.
     */
    @Deployment(testable = false)
    static WebArchive herald() {
        File war = new File(System.getProperty("herald.war", "target/herald.war"));
        return ShrinkWrap.create(ZipImporter.class, "herald.war").importFrom(war).as(WebArchive.class)
                .addClass(CdiPublishServlet.class);
    }

    @ArquillianResource
    private URL base;

    /** What the users of {@link #ws(String)} may do: anything that does not need admin. */
    private static final String USER_SCOPE = "sub:* pub:*";
    private static final AtomicInteger USERS = new AtomicInteger();

    /** For a user of its own; built from host and port only, so a wrong context root fails rather than being followed. */
    private URI ws(String path) {
        return ws(path, Tokens.token("user-" + USERS.incrementAndGet(), USER_SCOPE));
    }

    private URI ws(String path, String token) {
        return URI.create("ws://" + base.getHost() + ":" + base.getPort() + wsTarget(path, token));
    }

    private static String wsTarget(String path, String token) {
        return "/herald/ws/" + path + (token == null ? "" : "?access_token=" + token);
    }

    private URI http(String path) {
        return URI.create("http://" + base.getHost() + ":" + base.getPort() + "/herald" + path);
    }

    private WsClient push() {
        WsClient client = WsClient.connect(ws("push"));
        client.next("welcome");
        return client;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(WsClient.WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request as an application's back end sends it: with an admin's token. */
    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(http(path)).header("Authorization", "Bearer " + Tokens.token("backend", "admin"));
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return send(api(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(api(path));
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> response.headers() + " " + response.body());
        JsonNode body = WsClient.parse(response.body());
        assertEquals(code, body.path("error").asText(), body::toString);
        assertFalse(body.path("message").asText().isEmpty(), body::toString);
    }

    /** Publishes {@code count} messages {"n":1}… through the API. */
    private void publishAll(String topic, int count) throws IOException, InterruptedException {
        for (int i = 1; i <= count; i++) {
            assertEquals(202, post("/api/topics/" + topic + "/messages", "{\"n\":" + i + "}").statusCode());
        }
    }

    private static List<Long> seqs(List<JsonNode> messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.path("seq").asLong()));
        return seqs;
    }

    // ---- endpoints

    @Test
    void theContextRootIsHerald() {
        assertEquals("/herald/", base.getPath());
    }

    @Test
    void pushSendsWelcomeFirstThenSubscribedThenEveryPublishAsMessageAndAck() {
        try (WsClient subscriber = WsClient.connect(ws("push")); WsClient publisher = WsClient.connect(ws("push"))) {
            JsonNode welcome = subscriber.next("welcome");
            assertTrue(welcome.path("session").isTextual(), welcome::toString);
            assertTrue(welcome.path("user").isTextual(), welcome::toString);
            assertTrue(welcome.path("node").isTextual(), welcome::toString);
            assertEquals(25000, welcome.path("heartbeat").asInt(), welcome::toString);
            String publisherName = publisher.next("welcome").path("user").asText();

            subscriber.send(json().put("type", "subscribe").put("topic", "push.basic").put("id", "s-1"));
            JsonNode subscribed = subscriber.next("subscribed");
            assertEquals("push.basic", subscribed.path("topic").asText());
            assertEquals("s-1", subscribed.path("id").asText());
            assertEquals(0, subscribed.path("seq").asLong());
            assertTrue(subscribed.path("recovered").asBoolean());

            publisher.publish("push.basic", json().put("n", 1), "c-1");
            JsonNode ack = publisher.next("ack");
            assertEquals("c-1", ack.path("id").asText());
            assertEquals(1, ack.path("seq").asLong());

            JsonNode message = subscriber.next("message");
            assertEquals("push.basic", message.path("topic").asText());
            assertEquals(1, message.path("seq").asLong());
            assertEquals(publisherName, message.path("from").asText());
            assertTrue(message.path("time").isIntegralNumber(), message::toString);
            assertTrue(message.path("id").isTextual(), message::toString);
            assertEquals(json().put("n", 1), message.path("data"));
        }
    }

    @Test
    void chatSendsWelcomePresenceAndTheLastMessagesThenJoinsAndLeaves() throws Exception {
        publishAll("chat.history", 3);
        try (WsClient alice = WsClient.connect(ws("chat/history"))) {
            String aliceName = alice.next("welcome").path("user").asText();
            JsonNode snapshot = alice.next("presence");
            assertEquals("chat.history", snapshot.path("topic").asText());
            assertEquals(json().arrayNode().add(aliceName), snapshot.path("members"));
            assertEquals(List.of(1L, 2L, 3L), seqs(alice.messages(3)));

            String bobName;
            try (WsClient bob = WsClient.connect(ws("chat/history"))) {
                bobName = bob.next("welcome").path("user").asText();
                assertEquals(2, bob.next("presence").path("members").size());
                assertEquals(List.of(1L, 2L, 3L), seqs(bob.messages(3)));
                JsonNode join = alice.next("presence");
                assertEquals("join", join.path("event").asText());
                assertEquals(bobName, join.path("user").asText());

                bob.send(json().put("type", "publish").put("id", "c-2").set("data", json().put("text", "hi")));
                JsonNode atAlice = alice.next("message");
                assertEquals(4, atAlice.path("seq").asLong());
                assertEquals(bobName, atAlice.path("from").asText());
                assertEquals("hi", atAlice.path("data").path("text").asText());
                assertEquals("c-2", bob.until(f -> f.path("type").asText().equals("ack")).path("id").asText());
            }
            JsonNode leave = alice.next("presence");
            assertEquals("leave", leave.path("event").asText());
            assertEquals(bobName, leave.path("user").asText());
        }
    }

    // ---- server-config/: what an operator applies to the server, applied to this one

    /**
     * The server runs with its server-config/ files applied (Payara: post-boot-commands.asadmin;
     * WildFly: herald.cli, by the build), which pins herald.heartbeat=25, herald.echo=false,
     * herald.idle.timeout and herald.max.connections as system properties. The pom starts the
     * server with HERALD_HEARTBEAT=20, HERALD_ECHO=true and the other two unparseable in its
     * environment: the pinned values must win, as they would over an operator's environment
     * (without the pins the WAR would not have deployed at all). HeraldApplicationConfig leaves the
     * echo endpoint out of a WAR when echo is off.
     */
    @Test
    void theSettingsServerConfigPinsBeatTheServersEnvironment() {
        try (WsClient client = WsClient.connect(ws("push"))) {
            assertEquals(25000, client.next("welcome").path("heartbeat").asInt(), "herald.heartbeat=25, not 20");
        }
        CompletionException failure = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                .buildAsync(ws("echo"), new WebSocket.Listener() { })
                .orTimeout(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS)
                .join());
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        assertEquals(404, refused.getResponse().statusCode(), "herald.echo=false");
    }

    /**
     * Payara Micro runs boot command files to the end whatever fails, and only logs a failure. So
     * its log must hold no failed boot command, and a success for each {@code set} of the pre-boot
     * file (src/test/payara/tls-preboot.sh's: pre-boot-commands.asadmin's listener tuning, which no
     * quick test can observe, and tls.asadmin with CI's keystore and port) and of
     * post-boot-commands.asadmin. Their
     * other lines are checked by their effect: {@link #theSettingsServerConfigPinsBeatTheServersEnvironment},
     * {@link #httpsAndWssUseTheKeystoreServerConfigsTlsFileConfigured}. On WildFly, jboss-cli fails
     * the build itself.
     */
    @Test
    void everyPayaraBootCommandSucceeded() throws IOException {
        assumeTrue(System.getProperty("payara.log") != null, "Payara only");
        List<String> bootCommands = payaraLog().stream().filter(e -> e.contains("Boot Command ")).toList();
        assertFalse(bootCommands.isEmpty(), "no boot command in " + System.getProperty("payara.log"));
        for (String entry : bootCommands) {
            assertTrue(entry.contains("returned with result SUCCESS"), entry);
        }
        String preboot = System.getProperty("payara.preboot");
        assertTrue(Files.readString(Path.of(preboot)).contains("http-listener.http.timeout-seconds"),
                "the pre-boot file holds pre-boot-commands.asadmin's listener tuning: " + preboot);
        for (String file : new String[] {preboot, System.getProperty("payara.postboot")}) {
            List<String> sets = Files.readAllLines(Path.of(file)).stream()
                    .map(String::trim).filter(line -> line.startsWith("set ")).toList();
            for (String set : sets) {
                String assignment = set.substring("set ".length()).trim();
                assertTrue(bootCommands.stream().anyMatch(e -> e.contains("Boot Command set returned with result SUCCESS")
                        && e.contains(assignment)), () -> "no success logged for: " + set + " (" + file + ")");
            }
        }
    }

    /**
     * Payara Micro's log (--logtofile, see arquillian.xml), one element per entry: an entry starts
     * with a "[2026-…] [] [INFO] …" header and may span several lines.
     */
    private static List<String> payaraLog() throws IOException {
        Path log = Path.of(System.getProperty("payara.log"));
        List<String> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(log.getParent())) {
            // Micro's file handler adds a generation number to the name: payara-micro.log.0
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(log.getFileName().toString())
                    && !f.toString().endsWith(".lck")).sorted().toList()) {
                entries.addAll(List.of(Files.readString(file).split("\\R(?=\\[\\d{4}-)")));
            }
        }
        return entries;
    }

    /**
     * server-config's TLS file, applied by the build with a keystore made for it: on WildFly
     * tls.cli (src/test/wildfly/apply-server-config.sh), https on 8443 + the same port offset as
     * HTTP; on Payara Micro tls.asadmin (src/test/payara/tls-preboot.sh), on a free port the log
     * names. https and wss work there, and the client trusts that keystore's certificate only, so
     * the server's own self-signed one would fail the handshake.
     */
    @Test
    void httpsAndWssUseTheKeystoreServerConfigsTlsFileConfigured() throws Exception {
        char[] password = System.getProperty("test.tls.password").toCharArray();
        KeyStore keystore = KeyStore.getInstance(Path.of(System.getProperty("test.tls.keystore")).toFile(), password);
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("herald", keystore.getCertificate("herald"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(WsClient.WAIT).build();
        String authority = base.getHost() + ":" + httpsPort();

        HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create("https://" + authority + "/herald/api/health"))
                .timeout(WsClient.WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health::body);
        assertEquals(json().put("status", "UP"), WsClient.parse(health.body()));

        URI wss = URI.create("wss://" + authority + wsTarget("push", Tokens.token("tls-user", USER_SCOPE)));
        try (WsClient client = WsClient.connect(wss, https)) {
            assertEquals("tls-user", client.next("welcome").path("user").asText());
        }
    }

    private int httpsPort() throws IOException {
        if (System.getProperty("payara.log") == null) {
            // WildFly's https socket binding is 8443, moved by the same offset as http's 8080
            return base.getPort() - 8080 + 8443;
        }
        Pattern bound = Pattern.compile("Network Listener https-listener started in: \\d+ms - bound to \\[[^\\]]*:(\\d+)]");
        return payaraLog().stream().map(bound::matcher).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1)))
                .reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("Payara's log names no port for https-listener"));
    }

    // ---- REST API

    @Test
    void aRestPublishIsAcceptedAndReachesWebSocketSubscribersFromTheCaller() throws Exception {
        try (WsClient subscriber = push()) {
            subscriber.subscribe("rest.publish").next("subscribed");
            HttpResponse<String> response = post("/api/topics/rest.publish/messages", "{\"price\":10.50}");
            assertEquals(202, response.statusCode(), response::body);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            JsonNode accepted = WsClient.parse(response.body());
            assertEquals("rest.publish", accepted.path("topic").asText());
            assertEquals(1, accepted.path("seq").asLong());
            assertTrue(accepted.path("id").isTextual(), accepted::toString);

            JsonNode message = subscriber.next("message");
            assertEquals(accepted.path("id"), message.path("id"));
            assertEquals(1, message.path("seq").asLong());
            assertEquals("backend", message.path("from").asText(), "the caller's sub");
            assertEquals("10.50", message.path("data").path("price").decimalValue().toPlainString());
        }
    }

    @Test
    void restHistoryAnswersTheMessagesAfterSinceUpToLimit() throws Exception {
        publishAll("rest.history", 5);
        HttpResponse<String> response = get("/api/topics/rest.history/messages?since=2&limit=2");
        assertEquals(200, response.statusCode(), response::body);
        JsonNode history = WsClient.parse(response.body());
        assertEquals("rest.history", history.path("topic").asText());
        assertEquals(5, history.path("seq").asLong());
        assertFalse(history.path("epoch").asText().isEmpty(), history::toString);
        JsonNode messages = history.path("messages");
        assertEquals(2, messages.size(), history::toString);
        assertEquals("message", messages.get(0).path("type").asText());
        assertEquals(3, messages.get(0).path("seq").asLong());
        assertEquals(3, messages.get(0).path("data").path("n").asInt());
        assertEquals("backend", messages.get(0).path("from").asText());
        assertEquals(4, messages.get(1).path("seq").asLong());
        assertEquals(5, WsClient.parse(get("/api/topics/rest.history/messages").body()).path("messages").size());
    }

    @Test
    void aRestUserMessageReachesTheUsersTopic() throws Exception {
        // carol's own tab: SPEC section 5 lets a user subscribe to its own user: topic only
        try (WsClient tab = WsClient.connect(ws("push", Tokens.token("carol", USER_SCOPE)))) {
            tab.next("welcome");
            tab.subscribe("user:carol").next("subscribed");
            HttpResponse<String> response = post("/api/users/carol/messages", "{\"note\":\"hi\"}");
            assertEquals(202, response.statusCode(), response::body);
            assertEquals("user:carol", WsClient.parse(response.body()).path("topic").asText());
            JsonNode message = tab.next("message");
            assertEquals("user:carol", message.path("topic").asText());
            assertEquals("backend", message.path("from").asText());
            assertEquals("hi", message.path("data").path("note").asText());
        }
    }

    @Test
    void healthIsUp() throws Exception {
        HttpResponse<String> health = get("/api/health");
        assertEquals(200, health.statusCode(), health::body);
        assertTrue(health.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(json().put("status", "UP"), WsClient.parse(health.body()));
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        post("/api/topics/rest.metrics/messages", "1");
        HttpResponse<String> metrics = get("/api/metrics");
        assertEquals(200, metrics.statusCode(), metrics::body);
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                () -> metrics.headers().toString());
        assertTrue(metrics.body().contains("# TYPE herald_messages_published_total counter"), metrics::body);
        assertTrue(metrics.body().contains("herald_sessions{"), metrics::body);
    }

    /** Jersey and RESTEasy each have their own error pages: Herald must answer every error itself. */
    @Test
    void everyRestErrorIsJsonWithSpecsStatus() throws Exception {
        assertJsonError(post("/api/topics/bad%20topic/messages", "{}"), 400, "bad_request");
        assertJsonError(post("/api/topics/rest.errors/messages", "{not json"), 400, "bad_request");
        assertJsonError(post("/api/topics/rest.errors/messages", ""), 400, "bad_request");
        assertJsonError(post("/api/topics/rest.errors/messages",
                "\"" + "x".repeat(MAX_MESSAGE_BYTES) + "\""), 413, "too_large");
        assertJsonError(get("/api/topics/rest.errors/messages?since=-1"), 400, "bad_request");
        assertJsonError(get("/api/no/such/thing"), 404, "not_found");
        assertJsonError(send(HttpRequest.newBuilder(http("/api/health")).DELETE()), 405, "bad_request");
        assertEquals(0, WsClient.parse(get("/api/topics/rest.errors/messages").body()).path("seq").asLong(),
                "nothing was stored");
    }

    /**
     * Payara 7.2025.1 answers 503 to every request whose path holds a ':', encoded or not, before
     * the application sees it: its authorization module builds a JACC permission from the path and
     * fails (payara/Payara#7777, eclipse-ee4j/exousia#37; Payara 6 is not affected). Nothing in the
     * WAR runs that early. So there a topic with a ':' cannot be named in a REST path (WebSocket
     * frames carry topics in JSON and are not affected; /api/users/{user} has no ':'). The other
     * servers serve it. If this fails on payara7, Payara has fixed it: drop the exception.
     */
    @Test
    void aColonInThePathIsRefusedBeforeHeraldOnPayara7() throws Exception {
        boolean payara7 = "payara7".equals(System.getProperty("arquillian.launch"));
        for (String topic : new String[] {"orders:42", "orders%3A42"}) {
            HttpResponse<String> response = post("/api/topics/" + topic + "/messages", "{}");
            assertEquals(payara7 ? 503 : 202, response.statusCode(), response::body);
        }
        if (!payara7) {
            assertEquals(2, WsClient.parse(get("/api/topics/orders:42/messages").body()).path("seq").asLong());
            try (RawWebSocket refused = RawWebSocket.open(base.getPort(), wsTarget("chat/bad:room", Tokens.token("colon", USER_SCOPE)))) {
                assertRefused(refused, 400, "bad_request");
            }
        }
    }

    // ---- Java API through the server's CDI

    @Test
    void anInjectedHeraldPublishesAsServerAndReturnsTheSeq() throws Exception {
        try (WsClient subscriber = push()) {
            subscriber.subscribe("cdi.publish").next("subscribed");
            HttpResponse<String> response = post("/test/cdi-publish?topic=cdi.publish", "");
            assertEquals(200, response.statusCode(), response::body);
            assertEquals("1", response.body().trim());
            JsonNode message = subscriber.next("message");
            assertEquals(1, message.path("seq").asLong());
            assertEquals("server", message.path("from").asText());
            assertEquals(json().put("via", "cdi"), message.path("data"));
        }
    }

    // ---- history and resume

    @Test
    void resumingWithSinceAndTheRightEpochReplaysWhatFollowsWithRecoveredTrue() throws Exception {
        String epoch;
        try (WsClient first = push()) {
            epoch = first.subscribe("resume.right").next("subscribed").path("epoch").asText();
        }
        publishAll("resume.right", 3);
        try (WsClient back = push()) {
            back.send(json().put("type", "subscribe").put("topic", "resume.right").put("since", 1).put("epoch", epoch));
            JsonNode subscribed = back.next("subscribed");
            assertTrue(subscribed.path("recovered").asBoolean(), subscribed::toString);
            assertEquals(3, subscribed.path("seq").asLong());
            assertEquals(epoch, subscribed.path("epoch").asText());
            assertEquals(List.of(2L, 3L), seqs(back.messages(2)));
            publishAll("resume.right", 1);
            assertEquals(4, back.next("message").path("seq").asLong(), "then live");
        }
    }

    @Test
    void resumingWithAWrongEpochReplaysFromTheStartWithRecoveredFalse() throws Exception {
        publishAll("resume.wrong", 3);
        try (WsClient back = push()) {
            back.send(json().put("type", "subscribe").put("topic", "resume.wrong").put("since", 2).put("epoch", "nope"));
            JsonNode subscribed = back.next("subscribed");
            assertFalse(subscribed.path("recovered").asBoolean(), subscribed::toString);
            assertEquals(List.of(1L, 2L, 3L), seqs(back.messages(3)));
        }
    }

    // ---- SPEC section 4: errors and close codes, whatever the container

    @Test
    void textThatIsNotJsonIsABadRequestAndTheConnectionStaysOpen() {
        try (WsClient client = push()) {
            client.send("this is not JSON");
            assertEquals("bad_request", client.next("error").path("code").asText());
            client.send(json().put("type", "ping").put("id", "p-1"));
            assertEquals("p-1", client.next("pong").path("id").asText());
            assertFalse(client.isClosed());
        }
    }

    @Test
    void aBinaryFrameClosesWith1003OnPushAndChat() {
        try (WsClient client = push()) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, client.awaitClose());
        }
        try (WsClient client = WsClient.connect(ws("chat/binary"))) {
            client.next("welcome");
            client.sendBinary(new byte[] {1});
            assertEquals(1003, client.awaitClose());
        }
    }

    @Test
    void aMessageOfExactlyTheMaximumSizeIsAccepted() {
        String prefix = "{\"type\":\"publish\",\"topic\":\"size.fits\",\"id\":\"ok\",\"data\":\"";
        String suffix = "\"}";
        int fill = MAX_MESSAGE_BYTES - prefix.length() - suffix.length();
        // two-byte characters: the limit is in UTF-8 bytes, not chars
        String frame = prefix + "é".repeat(fill / 2) + "x".repeat(fill % 2) + suffix;
        assertEquals(MAX_MESSAGE_BYTES, frame.getBytes(StandardCharsets.UTF_8).length);
        try (WsClient client = push()) {
            client.send(frame);
            assertEquals("ok", client.next("ack").path("id").asText());
        }
    }

    @Test
    void aMessageOverTheMaximumSizeClosesWith1009() {
        try (WsClient client = push()) {
            client.publish("size.over", json().put("blob", "x".repeat(MAX_MESSAGE_BYTES)), null);
            assertEquals(1009, client.awaitClose());
        }
    }

    /** The limit is on the whole message: fragments each under it still add up to too much. */
    @Test
    void aFragmentedMessageOverTheMaximumSizeClosesWith1009() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(base.getPort(), wsTarget("push", Tokens.token("raw", USER_SCOPE)))) {
            assertEquals(101, raw.status());
            raw.read(); // welcome
            byte[] half = "y".repeat(MAX_MESSAGE_BYTES / 2 + 100).getBytes(StandardCharsets.UTF_8);
            raw.send(RawWebSocket.TEXT, "{\"type\":\"publish\",\"topic\":\"size.frag\",\"data\":\"".getBytes(StandardCharsets.UTF_8), false);
            raw.send(0x0, half, false);
            raw.send(0x0, half, false);
            raw.send(0x0, "\"}".getBytes(StandardCharsets.UTF_8), true);
            assertEquals(1009, raw.readUntilClose());
        }
    }

    /** A raw connection to /ws/push past its welcome. */
    private RawWebSocket rawPush(String user) throws IOException {
        RawWebSocket raw = RawWebSocket.open(base.getPort(), wsTarget("push", Tokens.token(user, USER_SCOPE)));
        assertEquals(101, raw.status(), raw::head);
        assertEquals("welcome", WsClient.parse(raw.read().text()).path("type").asText());
        return raw;
    }

    /** Another client is served as usual: one hostile connection harms no other. */
    private void othersAreStillServed() {
        try (WsClient other = push()) {
            other.send(json().put("type", "ping").put("id", "still-here"));
            assertEquals("still-here", other.next("pong").path("id").asText());
        }
    }

    /**
     * docs/protocol.md section 8: a frame whose header declares more than HERALD_MAX_MESSAGE_BYTES
     * is closed with 1009 from its header, without waiting for (or buffering) its payload: only
     * the header of a 100 MB frame is ever sent here.
     */
    @Test
    void aFrameDeclaring100MbIsClosedWith1009AtItsHeader() throws IOException {
        try (RawWebSocket raw = rawPush("huge-frame")) {
            raw.sendHeader(RawWebSocket.TEXT, true, 100_000_000L);
            assertEquals(1009, raw.readUntilClose());
        }
        othersAreStillServed();
    }

    @Test
    void aFrameDeclaringOneByteOverTheMaximumIsClosedWith1009AtItsHeader() throws IOException {
        try (RawWebSocket raw = rawPush("max-plus-one")) {
            raw.sendHeader(RawWebSocket.TEXT, true, MAX_MESSAGE_BYTES + 1);
            assertEquals(1009, raw.readUntilClose());
        }
        othersAreStillServed();
    }

    /** A continuation whose header takes the message over the maximum: 1009 before its payload. */
    @Test
    void aContinuationDeclaringTooMuchIsClosedWith1009AtItsHeader() throws IOException {
        try (RawWebSocket raw = rawPush("frag-header")) {
            raw.send(RawWebSocket.TEXT, "y".repeat(MAX_MESSAGE_BYTES / 2).getBytes(StandardCharsets.UTF_8), false);
            raw.sendHeader(0x0, true, MAX_MESSAGE_BYTES / 2 + 1);
            assertEquals(1009, raw.readUntilClose());
        }
        othersAreStillServed();
    }

    /** RFC 6455 section 5.1: a server closes on an unmasked client frame, with 1002. */
    @Test
    void anUnmaskedClientFrameIsClosedWith1002() throws IOException {
        try (RawWebSocket raw = rawPush("unmasked")) {
            raw.sendUnmasked(RawWebSocket.TEXT, "{\"type\":\"ping\",\"id\":\"p\"}".getBytes(StandardCharsets.UTF_8), true);
            assertEquals(1002, raw.readUntilClose());
        }
        othersAreStillServed();
    }

    @Test
    void invalidUtf8ClosesWith1007() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(base.getPort(), wsTarget("push", Tokens.token("raw", USER_SCOPE)))) {
            assertEquals(101, raw.status());
            raw.read(); // welcome
            raw.send(RawWebSocket.TEXT, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, true);
            assertEquals(1007, raw.readUntilClose());
        }
    }

    /**
     * docs/protocol.md section 5: an invalid room name is refused at the handshake, before any
     * session opens. Not with a ':' in the name: see {@link #aColonInThePathIsRefusedBeforeHeraldOnPayara7}.
     */
    @Test
    void anInvalidRoomNameIsRefusedWith400AtTheHandshake() throws IOException {
        for (String room : new String[] {"bad!room", "r".repeat(101)}) {
            try (RawWebSocket ws = RawWebSocket.open(base.getPort(), wsTarget("chat/" + room, Tokens.token("rooms", USER_SCOPE)))) {
                assertRefused(ws, 400, "bad_request");
            }
        }
    }

    @Test
    void twentyBadFramesInARowCloseWith1008() {
        try (WsClient client = push()) {
            for (int i = 0; i < 20; i++) {
                client.send("bad " + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("bad_request", client.next("error").path("code").asText());
            }
            assertEquals(1008, client.awaitClose());
        }
    }

    @Test
    void frameErrorsNameTheIdAndTopicAndKeepTheConnection() {
        try (WsClient client = push()) {
            ObjectNode bad = json().put("type", "subscribe").put("topic", "no spaces").put("id", "s-9");
            JsonNode error = client.send(bad).next("error");
            assertEquals("bad_request", error.path("code").asText());
            assertEquals("s-9", error.path("id").asText());
            assertEquals("no spaces", error.path("topic").asText());
            client.send(json().put("type", "nonsense").put("id", "x-1"));
            assertEquals("bad_request", client.next("error").path("code").asText());
            client.send(json().put("type", "ping").put("id", "p-2"));
            assertEquals("p-2", client.next("pong").path("id").asText());
        }
    }

    // ---- security (SPEC section 5): refused before the upgrade, the same on every server

    /** A refusal as SPEC wants it, whatever the container would have answered by itself. */
    private static void assertRefused(RawWebSocket ws, int status, String code) throws IOException {
        assertEquals(status, ws.status(), ws::head);
        assertEquals("close", ws.header("Connection"), ws::head);
        assertTrue(ws.header("Content-Type").startsWith("application/json"), ws::head);
        String body = ws.body();
        assertEquals(Integer.parseInt(ws.header("Content-Length")), body.getBytes(StandardCharsets.UTF_8).length);
        assertEquals(code, WsClient.parse(body).path("error").asText(), body);
    }

    /** A value of the node's Prometheus metrics, such as {@code herald_handshakes_refused_total}. */
    private double metric(String name) throws IOException, InterruptedException {
        for (String line : get("/api/metrics").body().split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }

    @Test
    void aHandshakeWithoutAValidTokenIsRefusedWith401AndOpensNoSession() throws Exception {
        double refusedBefore = metric("herald_handshakes_refused_total");
        double sessionsBefore = metric("herald_sessions");
        String expired = Tokens.sign(Tokens.claims("late", null, Duration.ofSeconds(-60)).build());
        for (String token : new String[] {null, "garbage", expired, Tokens.token("x", null) + "x"}) {
            for (String path : new String[] {"push", "chat/lobby"}) {
                try (RawWebSocket ws = RawWebSocket.open(base.getPort(), wsTarget(path, token))) {
                    assertRefused(ws, 401, "unauthorized");
                }
            }
        }
        assertEquals(refusedBefore + 8, metric("herald_handshakes_refused_total"));
        assertTrue(metric("herald_sessions") <= sessionsBefore, "no session was opened for a refused handshake");
    }

    /** WildFly would answer a refused origin with 404 by itself, Payara with a bare 403. */
    @Test
    void aForeignOriginIsRefusedWith403AndTheSameOriginIsAdmitted() throws IOException {
        String token = Tokens.token("browser", null);
        for (String origin : new String[] {"https://evil.example", "null"}) {
            try (RawWebSocket ws = RawWebSocket.open(base.getPort(), wsTarget("push", token), "Origin: " + origin)) {
                assertRefused(ws, 403, "forbidden");
            }
        }
        try (RawWebSocket ws = RawWebSocket.open(base.getPort(), wsTarget("push", token),
                "Origin: http://127.0.0.1:" + base.getPort())) {
            assertEquals(101, ws.status(), ws::head);
        }
    }

    /** The identity the handshake filter established is the session's, from a header token too. */
    @Test
    void theTokensUserIsTheSessionsUserFromTheQueryOrABearerHeader() {
        try (WsClient fromQuery = WsClient.connect(ws("push", Tokens.token("query-user", null)))) {
            assertEquals("query-user", fromQuery.next("welcome").path("user").asText());
        }
        try (WsClient fromHeader = WsClient.connect(ws("push", null), HTTP,
                "Authorization", "Bearer " + Tokens.token("header-user", null))) {
            assertEquals("header-user", fromHeader.next("welcome").path("user").asText());
        }
    }

    @Test
    void scopesApplyToFramesRoomsAndTheApi() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(base.getPort(), wsTarget("chat/vip", Tokens.token("g", "sub:chat.lobby")))) {
            assertRefused(ws, 403, "forbidden");
        }
        try (WsClient alice = WsClient.connect(ws("push", Tokens.token("alice", "sub:news.* pub:news.eu")))) {
            alice.next("welcome");
            alice.send(json().put("type", "subscribe").put("topic", "user:bob").put("id", "s-1"));
            assertEquals("forbidden", alice.next("error").path("code").asText());
            alice.send(json().put("type", "subscribe").put("topic", "user:alice").put("id", "s-2"));
            assertEquals("s-2", alice.next("subscribed").path("id").asText());
            alice.publish("news.us", json(), "p-1");
            assertEquals("forbidden", alice.next("error").path("code").asText());
        }
        assertJsonError(send(HttpRequest.newBuilder(http("/api/topics/news/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("1"))), 401, "unauthorized");
        assertJsonError(send(HttpRequest.newBuilder(http("/api/users/bob/messages"))
                .header("Authorization", "Bearer " + Tokens.token("w", "pub:*"))
                .POST(HttpRequest.BodyPublishers.ofString("1"))), 403, "forbidden");
        assertJsonError(send(HttpRequest.newBuilder(http("/api/dev/token"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"x\"}"))), 404, "not_found");
    }

    // ---- paths as sent: a room is entered only with its scope, however its path is spelled

    /**
     * Spellings of {@code /herald/ws/chat/secret} (or of paths a container may normalise into it)
     * that are not the canonical one. docs/protocol.md section 1: Herald takes only canonical paths
     * (400 for a bad room, 404 otherwise); a container may answer some itself before Herald's filter
     * (any 4xx, or Payara's 301 for a parameter on the context root). The room must never be
     * entered: no 101 for any of them.
     */
    private static final String[] NON_CANONICAL_SECRET_ROOM = {
        "/herald/ws/chat/secre%74", "/herald/ws/chat/%73ecret", "/herald/ws/chat/secret;x=1",
        "/herald/ws/chat/secret;", "/herald/ws/chat;x=1/secret", "/herald/ws;x=1/chat/secret",
        "/herald;x=1/ws/chat/secret", "/herald/ws/%63hat/secret", "/herald/ws/%43hat/secret",
        "/herald/ws/chat/secret/", "/herald/ws//chat/secret", "/herald/ws/chat//secret",
        "/herald//ws/chat/secret", "/herald/ws/chat/./secret", "/herald/./ws/chat/secret",
        "/herald/ws/chat/x/../secret", "/herald/ws/x/../chat/secret", "/herald/ws/chat/%2e/secret",
        "/herald/ws/chat/%2E/secret", "/herald/ws/chat/x/%2e%2e/secret", "/herald/ws/chat/x/%2E%2E/secret",
        "/herald/ws/chat%2Fsecret", "/herald/ws/chat%2fsecret", "/herald/ws%2Fchat%2Fsecret",
        "/herald/ws/chat/x%2F..%2Fsecret", "/herald/ws/chat/secret%3Bx=1", "/%68erald/ws/chat/secret",
        "/herald%2Fws/chat/secret", "/herald/ws/chat/x/%C0%AE%C0%AE/secret", "/herald/ws/chat%5Csecret",
        "/herald/ws/chat/secret%00", "/herald/ws/chat/secret%2F",
    };

    /** What a handshake led to, for the failure message: the status, and on 101 what followed. */
    private static String outcome(RawWebSocket ws) throws IOException {
        if (ws.status() != 101) {
            return "HTTP " + ws.status();
        }
        StringBuilder seen = new StringBuilder("101");
        try {
            for (int i = 0; i < 2; i++) {
                RawWebSocket.Frame frame = ws.read();
                if (frame.opcode() == RawWebSocket.CLOSE) {
                    return seen.append(" close ").append(frame.closeCode()).toString();
                }
                JsonNode json = WsClient.parse(frame.text());
                seen.append(' ').append(json.path("type").asText()).append(json.has("topic") ? " " + json.path("topic").asText() : "");
            }
        } catch (IOException e) {
            seen.append(" then ").append(e.getClass().getSimpleName());
        }
        return seen.toString();
    }

    /**
     * The probe of issue #12: a token that opens chat.public only was upgraded into chat.secret
     * through escapes, parameters and slashes. A member of chat.secret must see nobody join.
     */
    @Test
    void noSpellingOfARoomsPathEntersItWithoutItsScope() throws IOException {
        String publicOnly = Tokens.token("outsider", "sub:chat.public");
        try (WsClient member = WsClient.connect(ws("chat/secret", Tokens.token("insider", "sub:chat.secret")))) {
            member.next("welcome");
            member.next("presence");
            try (RawWebSocket canonical = RawWebSocket.open(base.getPort(), "/herald/ws/chat/secret?access_token=" + publicOnly)) {
                assertRefused(canonical, 403, "forbidden");
            }
            List<String> entered = new ArrayList<>();
            for (String path : NON_CANONICAL_SECRET_ROOM) {
                try (RawWebSocket ws = RawWebSocket.open(base.getPort(), path + "?access_token=" + publicOnly)) {
                    // Payara redirects a parameter on the context root itself (301): no upgrade either
                    if (ws.status() < 300 || ws.status() > 499) {
                        entered.add(path + " -> " + outcome(ws));
                    }
                }
            }
            assertEquals(List.of(), entered, "not refused with a 4xx before the upgrade");
            member.send(json().put("type", "ping").put("id", "after"));
            JsonNode next = member.next();
            assertEquals("pong", next.path("type").asText(), () -> "nobody joined chat.secret: " + next);
        }
        try (WsClient allowed = WsClient.connect(ws("chat/public", publicOnly))) {
            assertEquals("outsider", allowed.next("welcome").path("user").asText(), "the scope opens its own room");
        }
    }

    /** Herald's own refusals of non-canonical paths, where the container leaves them to it. */
    @Test
    void herald400sABadRoomSpellingAnd404sAnyOtherNonCanonicalPath() throws IOException {
        String token = Tokens.token("speller", USER_SCOPE);
        for (String path : new String[] {"/herald/ws/chat/secre%74", "/herald/ws/chat/a%20b"}) {
            try (RawWebSocket ws = RawWebSocket.open(base.getPort(), path + "?access_token=" + token)) {
                assertRefused(ws, 400, "bad_request");
            }
        }
        for (String path : new String[] {"/herald/ws/%70ush", "/herald/ws/push/"}) {
            try (RawWebSocket ws = RawWebSocket.open(base.getPort(), path + "?access_token=" + token)) {
                assertRefused(ws, 404, "not_found");
            }
        }
    }

    /** Which of several Origin headers a container reads is its own choice: more than one is 403. */
    @Test
    void twoOriginHeadersAreRefusedWith403WhicheverComesFirst() throws IOException {
        String token = Tokens.token("two-origins", USER_SCOPE);
        String same = "Origin: http://127.0.0.1:" + base.getPort();
        String foreign = "Origin: https://evil.example";
        for (String[] origins : new String[][] {{same, foreign}, {foreign, same}, {same, same}}) {
            try (RawWebSocket ws = RawWebSocket.open(base.getPort(), wsTarget("push", token), origins)) {
                assertRefused(ws, 403, "forbidden");
            }
        }
    }

    /** exp 8 s ago is still good for the 10 s leeway, for 2 s more: then 4001. */
    @Test
    void aConnectionWhoseTokenRunsOutIsClosedWith4001() {
        String expiring = Tokens.sign(Tokens.claims("brief", null, Duration.ofSeconds(-8)).build());
        try (WsClient client = WsClient.connect(ws("push", expiring))) {
            client.next("welcome");
            assertEquals(4001, client.awaitClose());
        }
    }
}
