package io.herald.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} process on a free loopback port, without persistence unless asked
 * for a snapshot at shutdown. Missing the binary fails the test: the cluster tests never skip.
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static RedisServer start() {
        assertTrue(Files.isExecutable(BINARY), BINARY + " is missing: apt-get install redis-server (.ci/run does)");
        try {
            RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("herald-redis"));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "--port", String.valueOf(port), "--save", "", "--appendonly", "no",
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--dbfilename", "dump.rdb")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Awaitility.await("redis-server answers on " + port).atMost(Duration.ofSeconds(20)).until(this::answers);
    }

    private boolean answers() {
        assertTrue(process.isAlive(), () -> "redis-server exited: " + log());
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("PING\r\n".getBytes());
            byte[] reply = socket.getInputStream().readNBytes(7);
            return new String(reply).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Runs commands on a connection of its own, closed afterwards. */
    public void run(Consumer<RedisCommands<String, String>> commands) {
        call(c -> {
            commands.accept(c);
            return null;
        });
    }

    /** Runs commands on a connection of its own, closed afterwards, and returns what they answer. */
    public <T> T call(Function<RedisCommands<String, String>, T> commands) {
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return commands.apply(connection.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Stops the server; with {@code keepData} it writes a snapshot that {@link #restart()} loads. */
    public void stop(boolean keepData) {
        try {
            if (keepData) {
                run(RedisCommands::save);
            } else {
                Files.deleteIfExists(dir.resolve("dump.rdb"));
            }
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "redis-server stops on SIGTERM");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts again on the same port, loading the snapshot {@link #stop(boolean)} left, if any. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes every pub/sub connection: what a network blip does to a node's subscription. */
    public void killPubSubClients() {
        run(c -> c.clientKill(KillArgs.Builder.typePubsub()));
    }

    public void flushAll() {
        run(RedisCommands::flushall);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory left behind is no failure
        }
    }
}
