package io.herald.testing;

import static io.herald.testing.WsClient.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs an attack on a live server while a healthy subscriber must keep getting every message, then
 * checks that the server's sessions, connections, threads, file descriptors and heap come back to
 * where they were.
 */
public final class Survival {

    private Survival() {
    }

    public interface Attack {
        void run() throws Exception;
    }

    /**
     * What the server holds, counted from inside its process. Threads of Tyrus' shared scheduler
     * are counted apart: it starts its fixed ten threads lazily, on first use, and never more.
     */
    record Footprint(int sessions, int connections, int threads, long fds, long heap) {
        private static final int TYRUS_SCHEDULER_THREADS = 10;

        private static int threadsOutsideTyrusScheduler() {
            long tyrus = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("tyrus-")).count();
            assertTrue(tyrus <= TYRUS_SCHEDULER_THREADS, "Tyrus' scheduler is bounded, found " + tyrus);
            return Thread.getAllStackTraces().size() - (int) tyrus;
        }

        static Footprint now(HeraldServer server) {
            System.gc();
            long fds;
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                fds = open.count();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return new Footprint(server.standalone().node().openSessions(), server.standalone().openConnections(),
                    threadsOutsideTyrusScheduler(), fds,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
    }

    private static void assertBackTo(HeraldServer server, Footprint before) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Footprint after = Footprint.now(server);
            assertEquals(before.sessions(), after.sessions(), "sessions");
            assertEquals(before.connections(), after.connections(), "TCP connections");
            assertTrue(after.threads() <= before.threads() + 2, "threads: " + before + " -> " + after);
            assertTrue(after.fds() <= before.fds() + 2, "file descriptors: " + before + " -> " + after);
            assertTrue(after.heap() <= before.heap() + 64L * 1024 * 1024, "heap: " + before + " -> " + after);
        });
    }

    /** Runs {@code attack} while a healthy client must keep receiving everything published. */
    public static void survives(HeraldServer server, Attack attack) throws Exception {
        try (WsClient canary = server.push(); WsClient publisher = server.push()) {
            String topic = "canary." + System.nanoTime();
            canary.subscribe(topic).next("subscribed");
            Footprint before = Footprint.now(server);
            publisher.publish(topic, json().put("phase", "before"), null);
            attack.run();
            publisher.publish(topic, json().put("phase", "after"), null);
            List<JsonNode> got = canary.messages(2);
            assertEquals("before", got.get(0).get("data").get("phase").asText());
            assertEquals("after", got.get(1).get("data").get("phase").asText());
            canary.send(json().put("type", "ping").put("id", "alive"));
            assertEquals("alive", canary.next("pong").get("id").asText());
            assertBackTo(server, before);
        }
    }
}
