package io.herald.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.standalone.DemoTicker;
import io.herald.testing.HeraldServer;
import io.herald.testing.Tokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * herald.js and the demo page in real headless Chromium (issue 6): starts Herald in-process in dev
 * mode (the demo page gets its tokens from {@code POST /api/dev/token}) with the demo ticker, and
 * runs the Node tests of {@code src/test/browser} ({@code node --test}, driving Debian's Chromium
 * through playwright-core) against it.
 *
 * <p>Needs {@code node} (20+), {@code /usr/bin/chromium} and {@code npm ci --prefix src/test/browser}.
 * With CI=true a missing one fails the build, so that CI cannot go green without running the
 * browser; elsewhere the test is skipped with a message saying what to install.
 */
class BrowserIT {

    private static final Path BROWSER_TESTS = Path.of("src", "test", "browser");
    private static final Path CHROMIUM = Path.of(System.getProperty("herald.chromium", "/usr/bin/chromium"));
    /**
     * Dev mode, as the demo page expects it: {@code POST /api/dev/token} hands out tokens, signed with
     * {@link Tokens#SECRET} (which the test fixture sets), so tokens minted here are good too. A 1 s
     * heartbeat lets the client's watchdog (2 silent intervals) be tested in seconds; the idle
     * timeout must stay above it, and long enough that a frozen test connection is the client's to
     * detect. A 1 s leeway lets a short-lived token expire during a test without a long wait.
     */
    private static final String[] SETTINGS = {"HERALD_DEV", "true", "HERALD_HEARTBEAT", "1", "HERALD_IDLE_TIMEOUT", "6",
        "HERALD_JWT_LEEWAY", "1"};
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(8);
    private static final String INSTALL_HINT = "apt-get install -y chromium nodejs npm && npm ci --prefix src/test/browser";

    @Test
    void theJarAndTheWarShipTheClientAndTheDemo() throws IOException {
        Path jar = Path.of("target", "herald-standalone.jar");
        Path war = Path.of("target", "herald.war");
        assertTrue(Files.isRegularFile(jar) && Files.isRegularFile(war), "mvn package builds " + jar + " and " + war);
        List<String> files = List.of("herald.js", "herald.d.ts", "index.html", "demo.js", "demo.css");
        try (JarFile standalone = new JarFile(jar.toFile()); ZipFile webArchive = new ZipFile(war.toFile())) {
            for (String file : files) {
                assertTrue(standalone.getEntry("webapp/" + file) != null, "the launcher serves /herald/" + file);
                assertTrue(webArchive.getEntry(file) != null, "the WAR serves /herald/" + file);
            }
            assertTrue(standalone.getEntry("io/herald/standalone/DemoTicker.class") != null, "the launcher has the demo ticker");
        }
    }

    @Test
    void heraldJsAndTheDemoPageInChromium() throws Exception {
        String node = requireToolchain();
        List<String> command = new ArrayList<>(List.of(node));
        if (nodeMajor(node) < 22) {
            command.add("--experimental-websocket"); // Node 22 has a global WebSocket by default
        }
        // one file at a time: the restart test must not pull the server from under another file's test
        command.addAll(List.of("--test", "--test-concurrency=1", "--test-timeout=120000", "--test-reporter=spec"));
        try (Stream<Path> files = Files.list(BROWSER_TESTS.resolve("test"))) {
            files.map(f -> BROWSER_TESTS.relativize(f).toString()).filter(f -> f.endsWith(".test.mjs")).sorted()
                    .forEach(command::add);
        }

        try (LiveServer live = new LiveServer(); Control control = new Control(live)) {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(BROWSER_TESTS.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.put("HERALD_BASE_URL", "http://127.0.0.1:" + live.port());
            env.put("HERALD_CONTROL_URL", control.url());
            env.put("HERALD_CHROMIUM", CHROMIUM.toString());
            env.put("HERALD_SCREENSHOT", Path.of("docs", "demo.png").toAbsolutePath().toString());
            System.out.println("BrowserIT: " + String.join(" ", command) + "  (in " + BROWSER_TESTS + ", Herald on port "
                    + live.port() + ")");
            Process process = builder.start();
            Deque<String> tail = new ArrayDeque<>();
            Thread echo = echo(process, tail);
            boolean finished = process.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            echo.join(TimeUnit.SECONDS.toMillis(10));
            String output;
            synchronized (tail) {
                output = String.join("\n", tail);
            }
            assertTrue(finished, "the browser tests did not finish within " + NODE_TIMEOUT + ":\n" + output);
            assertEquals(0, process.exitValue(), "node --test failed (its output is above):\n" + output);
        }
    }

    /** Node's output goes to ours line by line as it comes (a hung test shows where it hangs); the end is kept for the failure message. */
    private static Thread echo(Process process, Deque<String> tail) {
        Thread thread = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println(line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 150) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                System.out.println("(node output ended: " + e + ")");
            }
        }, "browser-tests-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** The node binary, or fails (CI) / skips (elsewhere) saying what is missing. */
    private static String requireToolchain() {
        List<String> missing = new ArrayList<>();
        String node = "node";
        try {
            if (nodeMajor(node) < 20) {
                missing.add("Node 20 or newer (found " + nodeVersion(node) + ")");
            }
        } catch (IOException e) {
            missing.add("node on the PATH");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (Debian's chromium package)");
        }
        if (!Files.isDirectory(BROWSER_TESTS.resolve(Path.of("node_modules", "playwright-core")))) {
            missing.add("playwright-core in " + BROWSER_TESTS + "/node_modules");
        }
        if (!missing.isEmpty()) {
            String message = "browser tests need " + String.join(", ", missing) + ". Install with: " + INSTALL_HINT;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: a CI run must not pass without its browser tests)");
            }
            System.out.println("BrowserIT skipped: " + message);
            Assumptions.abort(message);
        }
        return node;
    }

    private static String nodeVersion(String node) throws IOException {
        Process process = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
        try {
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(node + " --version failed: " + version);
            }
            return version;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static int nodeMajor(String node) throws IOException {
        String version = nodeVersion(node);
        try {
            return Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected node --version: " + version, e);
        }
    }

    /** Herald with the demo ticker, which a test can replace by a fresh in-memory one on the same port. */
    private static final class LiveServer implements AutoCloseable {
        private HeraldServer server;
        private DemoTicker ticker;
        private final int port;

        LiveServer() {
            server = HeraldServer.start(SETTINGS);
            port = server.port();
            ticker = new DemoTicker(server.standalone().herald()).start();
        }

        int port() {
            return port;
        }

        /** Like a process restart: every topic's stream (seq, epoch, history) is gone. */
        synchronized void restart() {
            ticker.close();
            server.close();
            String[] settings = Arrays.copyOf(SETTINGS, SETTINGS.length + 2);
            settings[SETTINGS.length] = "HERALD_PORT";
            settings[SETTINGS.length + 1] = String.valueOf(port);
            // the old listener's port may take a moment to be free again
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .ignoreException(UncheckedIOException.class)
                    .until(() -> {
                        server = HeraldServer.start(settings);
                        return true;
                    });
            ticker = new DemoTicker(server.standalone().herald()).start();
        }

        @Override
        public synchronized void close() {
            ticker.close();
            server.close();
        }
    }

    /**
     * How a Node test asks for what only Java can do, at the moment it needs it: {@code POST /restart}
     * restarts the server; {@code POST /token?user=U&scope=S&seconds=N} answers {@code {"token":"…"}}
     * with a token that expires N seconds from now (dev tokens live an hour), signed like the server's.
     */
    private static final class Control implements AutoCloseable {
        private final HttpServer http;

        Control(LiveServer live) throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/restart", exchange -> {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    respond(exchange, 405, "POST only");
                    return;
                }
                try {
                    live.restart();
                    respond(exchange, 200, "restarted on port " + live.port());
                } catch (RuntimeException e) {
                    respond(exchange, 500, "restart failed: " + e);
                }
            });
            http.createContext("/token", exchange -> {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    respond(exchange, 405, "POST only");
                    return;
                }
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                String user = query.get("user");
                long seconds;
                try {
                    seconds = Long.parseLong(query.getOrDefault("seconds", ""));
                } catch (NumberFormatException e) {
                    seconds = -1;
                }
                if (user == null || user.isEmpty() || seconds <= 0) {
                    respond(exchange, 400, "needs user and seconds > 0");
                    return;
                }
                String token = Tokens.sign(Tokens.claims(user, query.get("scope"), Duration.ofSeconds(seconds)).build());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                respond(exchange, 200, "{\"token\":\"" + token + "\"}");
            });
            http.start();
        }

        private static Map<String, String> query(String raw) {
            Map<String, String> values = new HashMap<>();
            if (raw == null) {
                return values;
            }
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return values;
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        private static void respond(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
