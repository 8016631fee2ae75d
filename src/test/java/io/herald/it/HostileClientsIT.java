package io.herald.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.Survival;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Broken and hostile clients (issue: Herald under stress): while they do their worst, a healthy
 * subscriber keeps getting every message, and afterwards the server's sessions, connections,
 * threads, file descriptors and heap are back to where they were.
 */
class HostileClientsIT {

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_HEARTBEAT", "1", "HERALD_IDLE_TIMEOUT", "3", "HERALD_SEND_QUEUE", "64",
                "HERALD_MAX_MESSAGE_BYTES", "65536");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Reads what is left (a welcome, pings, a close frame…) until the server ends the connection. */
    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        byte[] drain = new byte[8192];
        try {
            while (socket.getInputStream().read(drain) >= 0) {
                // not yet
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }


    @Test
    void aFloodOfFramesIsRateLimitedAndTheFlooderDroppedWhenItStopsReading() throws Exception {
        Survival.survives(server, () -> {
            try (RawWebSocket flooder = RawWebSocket.open(server.port(), server.wsTarget("push"), 4096)) {
                flooder.read();
                byte[] frame = "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
                try {
                    for (int i = 0; i < 20_000; i++) {
                        flooder.send(RawWebSocket.TEXT, frame, true);
                    }
                } catch (IOException dropped) {
                    // the server gave up on it: that is the point
                }
            }
        });
    }

    @Test
    void halfOpenAndSilentSocketsAreReleased() throws Exception {
        Survival.survives(server, () -> {
            List<Socket> silent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"));
                silent.add(ws.socket()); // upgraded, then never a byte more, never a pong
            }
            for (int i = 0; i < 20; i++) {
                Socket tcpOnly = new Socket();
                tcpOnly.connect(new InetSocketAddress("127.0.0.1", server.port()));
                tcpOnly.getOutputStream().write("GET /herald/ws/push HTTP/1.1\r\nHost: x\r\nUpg".getBytes(StandardCharsets.US_ASCII));
                silent.add(tcpOnly); // a handshake that never ends
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> server.standalone().node().openSessions() == 2);
            for (Socket socket : silent) {
                assertTrue(closedByServer(socket), "the server closed the silent socket");
                socket.close();
            }
        });
    }

    @Test
    void framesSplitByteByByteAndHugeFragmentedMessagesAreHandled() throws Exception {
        Survival.survives(server, () -> {
            try (RawWebSocket slowTyper = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
                slowTyper.read();
                byte[] ping = "{\"type\":\"ping\",\"id\":\"typed\"}".getBytes(StandardCharsets.UTF_8);
                java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
                framed.write(0x81);
                framed.write(0x80 | ping.length);
                framed.write(new byte[4]); // zero mask
                framed.write(ping);
                for (byte b : framed.toByteArray()) {
                    slowTyper.write(new byte[] {b});
                }
                assertEquals("{\"type\":\"pong\",\"id\":\"typed\"}", slowTyper.read().text());
            }
            try (RawWebSocket giant = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
                giant.read();
                byte[] chunk = new byte[16 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'a');
                int code = -1;
                try {
                    giant.send(RawWebSocket.TEXT, chunk, false);
                    for (int i = 0; i < 320; i++) { // 5 MiB in all, far over the 64 KiB limit
                        giant.send(0x0, chunk, false);
                    }
                    giant.send(0x0, chunk, true);
                } catch (IOException closedOnUs) {
                    // the server closed before we finished: expected
                }
                code = giant.readUntilClose();
                // refused at the header of the fragment that passes the limit: the close comes before the TCP end
                assertEquals(1009, code, "closed for size");
            }
        });
    }

    @Test
    void connectAndCloseStormsAndGarbageLeaveNothingBehind() throws Exception {
        Survival.survives(server, () -> {
            Random random = new Random(42);
            for (int i = 0; i < 300; i++) {
                switch (i % 4) {
                    case 0 -> {
                        try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
                            ws.read();
                        }
                    }
                    case 1 -> {
                        try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("chat/storm"))) {
                            ws.read();
                            ws.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
                        }
                    }
                    case 2 -> {
                        try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
                            byte[] garbage = new byte[256];
                            random.nextBytes(garbage);
                            ws.write(garbage);
                        } catch (IOException ignored) {
                            // the server may reset us first
                        }
                    }
                    default -> {
                        try (Socket socket = new Socket("127.0.0.1", server.port())) {
                            socket.getOutputStream().write(new byte[] {1, 2, 3});
                        }
                    }
                }
            }
        });
    }
}
