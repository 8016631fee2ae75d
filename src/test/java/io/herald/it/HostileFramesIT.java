package io.herald.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.config.HeraldConfig;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.Survival;
import io.herald.testing.WrittenLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames whose header alone is enough to refuse them (issue #12): the launcher answers at the
 * header, before reading a payload, so that no client makes it buffer more than the message limit
 * (docs/protocol.md sections 6 and 8).
 */
class HostileFramesIT {

    private static final int LIMIT = 65536;

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_MAX_MESSAGE_BYTES", String.valueOf(LIMIT), "HERALD_ECHO", "true");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A push connection past its welcome frame. */
    private static RawWebSocket push() throws IOException {
        RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"));
        assertTrue(ws.read().text().contains("\"type\":\"welcome\""));
        return ws;
    }

    @Test
    void aFrameDeclaring100MbIsClosedWith1009BeforeAnyOfItsPayload() throws Exception {
        Survival.survives(server, () -> {
            try (RawWebSocket ws = push()) {
                ws.sendHeader(RawWebSocket.TEXT, true, 100_000_000L);
                assertEquals(1009, ws.readUntilClose());
                assertTrue(ws.serverHasClosed());
            }
        });
    }

    @Test
    void aFrameOneByteOverTheLimitIsClosedWith1009AtItsHeader() throws IOException {
        try (RawWebSocket ws = push()) {
            ws.sendHeader(RawWebSocket.TEXT, true, LIMIT + 1);
            RawWebSocket.Frame close = ws.read();
            assertEquals(RawWebSocket.CLOSE, close.opcode());
            assertEquals(1009, close.closeCode());
            assertEquals("message over " + LIMIT + " bytes", new String(close.payload(), 2, close.payload().length - 2,
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void aLengthWithItsTopBitSetIsAProtocolError() throws IOException {
        try (RawWebSocket ws = push()) {
            ws.sendHeader(RawWebSocket.TEXT, true, -1L); // Tyrus alone tried to allocate it: 1011
            assertEquals(1002, ws.readUntilClose());
        }
    }

    @Test
    void theFragmentThatTakesAMessageOverTheLimitIsRefusedAtItsHeader() throws IOException {
        try (RawWebSocket ws = push()) {
            ws.send(RawWebSocket.TEXT, new byte[40_000], false);
            ws.send(0x0, new byte[20_000], false);
            ws.sendHeader(0x0, true, LIMIT - 60_000 + 1);
            assertEquals(1009, ws.readUntilClose());
        }
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() throws IOException {
        try (RawWebSocket ws = push()) {
            ws.sendUnmasked(RawWebSocket.TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), true);
            assertEquals(1002, ws.readUntilClose());
        }
    }

    @Test
    void manyConnectionsDeclaring16MibAreEachClosedAt1009AndNoLongerRead() throws Exception {
        int clients = 20;
        byte[] chunk = new byte[64 * 1024];
        Survival.survives(server, () -> {
            ExecutorService threads = Executors.newFixedThreadPool(clients);
            try {
                CountDownLatch allConnected = new CountDownLatch(clients);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    done.add(threads.submit(() -> {
                        try (RawWebSocket ws = push()) {
                            allConnected.countDown();
                            allConnected.await();
                            ws.sendHeader(RawWebSocket.TEXT, true, HeraldConfig.ECHO_MAX_BYTES);
                            try {
                                for (int sent = 0; sent < 4 * 1024 * 1024; sent += chunk.length) {
                                    ws.write(chunk);
                                }
                            } catch (IOException refused) {
                                // the server closed the connection while we were still sending
                            }
                            assertEquals(1009, ws.readUntilClose());
                            assertTrue(ws.serverHasClosed(), "the server closed the connection");
                        }
                        return null;
                    }));
                }
                for (Future<?> client : done) {
                    client.get();
                }
            } finally {
                threads.shutdownNow();
            }
        });
    }

    /** Frames a client should never send, each enough to have its connection closed or answered with an error. */
    private static final List<Consumer<RawWebSocket>> BAD_FRAMES = List.of(
            ws -> sendQuietly(ws, w -> w.sendHeader(RawWebSocket.TEXT, true, -1L)),
            ws -> sendQuietly(ws, w -> w.sendHeader(RawWebSocket.TEXT, true, 100_000_000L)),
            ws -> sendQuietly(ws, w -> w.sendHeader(RawWebSocket.TEXT, true, Long.MAX_VALUE)),
            ws -> sendQuietly(ws, w -> w.sendUnmasked(RawWebSocket.TEXT, new byte[] {'{', '}'}, true)),
            ws -> sendQuietly(ws, w -> w.send(RawWebSocket.PING, new byte[126], true)),
            ws -> sendQuietly(ws, w -> w.send(0x3, new byte[] {1}, true)), // a reserved opcode
            ws -> sendQuietly(ws, w -> w.send(0x40 | RawWebSocket.TEXT, new byte[] {'{', '}'}, true)), // RSV1
            ws -> sendQuietly(ws, w -> w.send(0x0, new byte[] {'{', '}'}, true)), // a continuation of nothing
            ws -> sendQuietly(ws, w -> w.send(RawWebSocket.TEXT, new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}, true)),
            ws -> sendQuietly(ws, w -> w.send(RawWebSocket.BINARY, new byte[] {1, 2, 3}, true)),
            ws -> sendQuietly(ws, w -> w.send(RawWebSocket.CLOSE, new byte[] {0x03}, true)), // a 1-byte close body
            ws -> sendQuietly(ws, w -> w.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE7}, true)), // code 999
            ws -> sendQuietly(ws, w -> {
                for (int i = 0; i < 25; i++) {
                    w.sendText("{\"type\": nonsense");
                }
            }),
            ws -> sendQuietly(ws, w -> w.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));

    private interface Send {
        void to(RawWebSocket ws) throws IOException;
    }

    private static void sendQuietly(RawWebSocket ws, Send send) {
        try {
            send.to(ws);
        } catch (IOException closedFirst) {
            // the server may close before everything is written: that is its answer
        }
    }

    @Test
    void badFramesFromManyConnectionsAreLoggedAtMostOnceEachAndWithoutStackTraces() throws Exception {
        int connections = 0;
        try (WrittenLog log = new WrittenLog()) {
            for (int round = 0; round < 10; round++) {
                for (Consumer<RawWebSocket> bad : BAD_FRAMES) {
                    for (String path : List.of(server.wsTarget("push"), server.wsTarget("chat/flood"), "/herald/ws/echo")) {
                        try (RawWebSocket ws = RawWebSocket.open(server.port(), path)) {
                            connections++;
                            bad.accept(ws);
                            // where the bad frame was only answered, the client ends the connection itself
                            sendQuietly(ws, w -> w.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true));
                            assertTrue(ws.serverHasClosed());
                        }
                    }
                }
            }
            int opened = connections;
            await().atMost(Duration.ofSeconds(20)).until(() -> server.standalone().node().openSessions() == 0);
            assertFalse(log.anyStackTrace(), log.describe());
            assertTrue(log.records().size() <= opened, log.records().size() + " records for " + opened + " connections:"
                    + log.describe());
        }
    }

    @Test
    void echoTakesA16MibMessageButNotOneByteMore() throws IOException {
        try (RawWebSocket ws = RawWebSocket.open(server.port(), "/herald/ws/echo")) {
            byte[] largest = new byte[HeraldConfig.ECHO_MAX_BYTES];
            ws.send(RawWebSocket.BINARY, largest, true);
            assertArrayEquals(largest, ws.read().payload());
            ws.sendHeader(RawWebSocket.BINARY, true, HeraldConfig.ECHO_MAX_BYTES + 1L);
            assertEquals(1009, ws.readUntilClose());
        }
    }
}
