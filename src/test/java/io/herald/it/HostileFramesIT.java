package io.herald.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.config.HeraldConfig;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.Survival;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
