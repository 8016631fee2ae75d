package io.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code java -jar target/herald-standalone.jar}, as a user runs it (SPEC sections 6 and 8). */
class LauncherIT {

    private static final Path JAR = Path.of("target", "herald-standalone.jar");
    /** What an operator installs with the jar: herald.env and the systemd unit that reads it. */
    private static final Path SERVER_CONFIG = Path.of("server-config", "standalone");
    private static final Pattern UP = Pattern.compile("Herald is up: ws://([0-9.]+):(\\d+)/herald/ws/push");

    private static Process launch(String... env) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            settings.put(env[i], env[i + 1]);
        }
        return launch(settings);
    }

    private static Process launch(Map<String, String> env) throws IOException {
        assertTrue(Files.isRegularFile(JAR), "mvn package builds " + JAR);
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /**
     * The HERALD_* settings of a systemd EnvironmentFile, read as systemd reads the lines
     * herald.env uses: KEY=value, '#' starts a comment line, surrounding double quotes stripped.
     * With {@code commentedOut}, also the settings of lines "#HERALD_X=value" (the documented
     * defaults and examples), as if an operator uncommented them all.
     */
    private static Map<String, String> environmentFile(Path file, boolean commentedOut) throws IOException {
        Pattern setting = Pattern.compile(commentedOut ? "#?(HERALD_[A-Z_]+)=(.*)" : "(HERALD_[A-Z_]+)=(.*)");
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = setting.matcher(line.trim());
            if (m.matches()) {
                String value = m.group(2).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                env.put(m.group(1), value);
            }
        }
        return env;
    }

    /**
     * Reads the process's output on a thread of its own (a blocking read must not take a shared
     * pool's only thread) until a line matches; every line read is kept.
     */
    private static Matcher awaitLine(Process process, Pattern pattern, List<String> lines) throws InterruptedException {
        BlockingQueue<String> read = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(read::add);
            } catch (IOException | UncheckedIOException e) {
                read.add("(output ended: " + e + ")");
            }
        }, "launcher-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String line = read.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            lines.add(line);
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                return m;
            }
        }
        throw new AssertionError("the launcher never printed " + pattern + ": " + lines);
    }

    /**
     * server-config/standalone/herald.env as shipped (its one active line turns dev mode off), on a
     * free port instead of 8080: Herald starts and serves, not in dev mode (no echo endpoint, no
     * dev tokens); SIGTERM stops it with the exit status herald.service counts as success (143).
     */
    @Test
    void theExampleEnvironmentFileStartsHeraldOutOfDevMode() throws Exception {
        Map<String, String> env = environmentFile(SERVER_CONFIG.resolve("herald.env"), false);
        assertEquals("false", env.get("HERALD_DEV"), () -> "herald.env pins dev mode off: " + env);
        env.put("HERALD_PORT", "0");
        Process process = launch(env);
        List<String> lines = new ArrayList<>();
        try {
            Matcher up = awaitLine(process, UP, lines);
            int port = Integer.parseInt(up.group(2));
            assertTrue(lines.stream().noneMatch(l -> l.contains("DEV MODE")), lines::toString);
            assertFalse(lines.get(lines.size() - 1).contains("/ws/echo"), "echo follows dev mode: " + lines);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/herald/api/health"))
                            .timeout(WsClient.WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health::body);
            assertEquals(WsClient.json().put("status", "UP"), WsClient.parse(health.body()));
            HttpResponse<String> devToken = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/herald/api/dev/token"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"mallory\"}"))
                            .timeout(WsClient.WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, devToken.statusCode(), () -> "no dev tokens outside dev mode: " + devToken.body());
            assertEquals("not_found", WsClient.parse(devToken.body()).path("error").asText(), devToken.body());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
        }
        assertEquals(143, process.exitValue(), "herald.service: SuccessExitStatus=143");
    }

    /**
     * Every value herald.env documents, uncommented at once, is one Herald accepts. Left out: those
     * that need something outside (a keystore file, a Redis server) and the port (8080 may be taken).
     */
    @Test
    void everyValueTheExampleEnvironmentFileDocumentsIsAccepted() throws Exception {
        Map<String, String> env = environmentFile(SERVER_CONFIG.resolve("herald.env"), true);
        assertTrue(env.size() > 15, () -> "herald.env lists every setting: " + env.keySet());
        env.keySet().removeAll(List.of("HERALD_TLS_KEYSTORE", "HERALD_REDIS_URL"));
        env.put("HERALD_PORT", "0");
        Process process = launch(env);
        try {
            awaitLine(process, UP, new ArrayList<>());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
        }
    }

    /** server-config/standalone/herald.service passes systemd's own check, without a warning. */
    @Test
    void theSystemdUnitVerifiesClean() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "needs systemd-analyze");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")), "the unit runs /usr/bin/java, which verify checks");
        Process verify = new ProcessBuilder(analyze.toString(), "verify",
                SERVER_CONFIG.resolve("herald.service").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, verify.exitValue(), output);
        assertEquals("", output.strip(), "systemd-analyze verify reports what it ignores, with status 0 all the same");
    }

    @Test
    void aBadSettingStopsStartUpWithAMessageNamingIt() throws Exception {
        Process process = launch("HERALD_SEND_QUEUE", "lots");
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue());
        assertTrue(output.contains("HERALD_SEND_QUEUE"), output);
        assertTrue(output.contains("lots"), output);
    }

    @Test
    void theJarServesHeraldUnderHeraldOnTheConfiguredHostOnly() throws Exception {
        Process process = launch("HERALD_PORT", "0", "HERALD_HOST", "127.0.0.1");
        List<String> lines = new ArrayList<>();
        try {
            Matcher up = awaitLine(process, UP, lines);
            int port = Integer.parseInt(up.group(2));
            assertTrue(lines.stream().anyMatch(l -> l.contains("DEV MODE")), "dev mode says so loudly: " + lines);

            HttpClient http = HttpClient.newHttpClient();
            // dev mode still admits no one without a token, and hands out tokens to anyone who asks
            try (RawWebSocket anonymous = RawWebSocket.open(port, "/herald/ws/push")) {
                assertEquals(401, anonymous.status());
            }
            HttpResponse<String> issued = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/herald/api/dev/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"dev-alice\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, issued.statusCode(), issued.body());
            String token = WsClient.parse(issued.body()).get("token").asText();
            try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port
                    + "/herald/ws/push?access_token=" + token))) {
                assertEquals("dev-alice", client.next("welcome").get("user").asText());
            }
            HttpResponse<Void> root = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(302, root.statusCode());
            assertEquals("/herald/", root.headers().firstValue("Location").orElseThrow());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/herald/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Herald"));

            // bound to 127.0.0.1 only: another loopback address finds nobody listening
            assertThrows(ConnectException.class, () -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.2", port), 5000);
                }
            });
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher stops on SIGTERM");
        }
    }
}
