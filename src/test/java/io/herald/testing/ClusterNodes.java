package io.herald.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster for tests: one real redis-server and Herald nodes, each a {@code java -jar
 * target/herald-standalone.jar} child process of its own (a node is a process: its state is
 * static per class loader). Every WebSocket URL and REST request of the cluster tests is made here,
 * so that authentication has one place to add its token.
 */
public final class ClusterNodes implements AutoCloseable {

    /** Fixed, so that tokens can be signed for the nodes (SPEC section 5: at least 32 bytes). */
    private static final Path JAR = Path.of("target", "herald-standalone.jar");
    private static final Pattern UP = Pattern.compile("Herald is up: ws://([0-9.]+):(\\d+)/herald/ws/push");
    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WsClient.WAIT).build();

    /** One Herald node process. */
    public static final class Node {
        private final String name;
        private final Process process;
        private final int port;
        private final List<String> output;

        private Node(String name, Process process, int port, List<String> output) {
            this.name = name;
            this.process = process;
            this.port = port;
            this.output = output;
        }

        public String name() {
            return name;
        }

        /** Kills the process at once (SIGKILL): no goodbye to clients or Redis. */
        public void kill() {
            process.destroyForcibly();
            try {
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " dies");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        public List<String> output() {
            synchronized (output) {
                return List.copyOf(output);
            }
        }

        @Override
        public String toString() {
            return name + " (port " + port + ")";
        }
    }

    /** Null when the Redis is someone else's. */
    private final RedisServer redis;
    private final String redisUrl;
    private final List<Node> nodes = new ArrayList<>();

    private ClusterNodes(RedisServer redis, String redisUrl) {
        this.redis = redis;
        this.redisUrl = redisUrl;
    }

    /** A Redis of its own and {@code count} nodes named node-1, node-2, … */
    public static ClusterNodes start(int count) {
        RedisServer redis = RedisServer.start();
        return launchAll(new ClusterNodes(redis, redis.url()), count);
    }

    /** {@code count} nodes on a Redis that others use too (and stop). */
    public static ClusterNodes startOn(String redisUrl, int count) {
        return launchAll(new ClusterNodes(null, redisUrl), count);
    }

    private static ClusterNodes launchAll(ClusterNodes cluster, int count) {
        try {
            List<CompletableFuture<Node>> starting = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String name = "node-" + i;
                starting.add(CompletableFuture.supplyAsync(() -> cluster.launch(name)));
            }
            starting.forEach(f -> cluster.nodes.add(f.join()));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public Node node(int index) {
        return nodes.get(index);
    }

    public RedisServer redis() {
        assertTrue(redis != null, "this cluster's Redis is not its own");
        return redis;
    }

    private Node launch(String name) {
        assertTrue(Files.isRegularFile(JAR), "mvn package builds " + JAR);
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", JAR.toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
        builder.environment().put("HERALD_PORT", "0");
        builder.environment().put("HERALD_HOST", "127.0.0.1");
        builder.environment().put("HERALD_NODE", name);
        builder.environment().put("HERALD_REDIS_URL", redisUrl);
        builder.environment().put("HERALD_JWT_SECRET", Tokens.SECRET);
        try {
            Process process = builder.start();
            List<String> output = new ArrayList<>();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (output) {
                            output.add(line);
                        }
                        Matcher up = UP.matcher(line);
                        if (up.find()) {
                            port.complete(Integer.parseInt(up.group(2)));
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
                port.completeExceptionally(new AssertionError(name + " exited before it was up: " + output));
            }, name + "-output");
            reader.setDaemon(true);
            reader.start();
            try {
                // generous: on a shared, loaded machine a JVM may take a minute to start
                return new Node(name, process, port.orTimeout(STARTUP.toSeconds(), TimeUnit.SECONDS).join(), output);
            } catch (RuntimeException e) {
                process.destroyForcibly(); // never leave a node behind
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WebSocket URL of {@code path} (e.g. {@code push}, {@code chat/lobby}) on a node, as {@code user}. */
    public URI wsUrl(Node node, String path, String user) {
        return URI.create("ws://127.0.0.1:" + node.port + "/herald/ws/" + path + "?access_token="
                + Tokens.token(user, HeraldServer.USER_SCOPE));
    }

    /** A client of {@code path} on a node, as {@code user}, past its welcome frame. */
    public WsClient connect(Node node, String path, String user) {
        WsClient client = WsClient.connect(wsUrl(node, path, user));
        client.next("welcome");
        return client;
    }

    /** A REST call to a node: {@code body} null for GET; {@code headers} as name, value pairs. */
    public HttpResponse<String> rest(Node node, String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + "/herald" + path))
                .header("Authorization", "Bearer " + Tokens.token("backend", "admin"))
                .timeout(WsClient.WAIT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** POSTs {@code data} to a topic through a node; answers the REST response. */
    public HttpResponse<String> publish(Node node, String topic, String data, String... headers) {
        return rest(node, "POST", "/api/topics/" + topic + "/messages", data, headers);
    }

    public HttpResponse<String> health(Node node) {
        return rest(node, "GET", "/api/health", null);
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            node.process.destroyForcibly();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
