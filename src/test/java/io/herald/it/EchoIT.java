package io.herald.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code /ws/echo}: on only when HERALD_ECHO is true; echoes text and binary unchanged, up to 16 MiB. */
class EchoIT {

    @Test
    void echoesTextAndBinaryUnchangedAndSendsNothingOfItsOwn() throws IOException {
        try (HeraldServer server = HeraldServer.start("HERALD_ECHO", "true");
             RawWebSocket raw = RawWebSocket.open(server.port(), "/herald/ws/echo")) {
            assertEquals(101, raw.status());
            raw.sendText("not even json ✓");
            RawWebSocket.Frame text = raw.read();
            assertEquals(RawWebSocket.TEXT, text.opcode());
            assertEquals("not even json ✓", text.text());
            byte[] big = new byte[12 * 1024 * 1024];
            new Random(7).nextBytes(big);
            raw.send(RawWebSocket.BINARY, big, true);
            RawWebSocket.Frame binary = raw.read();
            assertEquals(RawWebSocket.BINARY, binary.opcode());
            assertArrayEquals(big, binary.payload());
        }
    }

    @Test
    void echoIsOffUnlessEnabled() throws IOException {
        try (HeraldServer server = HeraldServer.start("HERALD_ECHO", "false");
             RawWebSocket raw = RawWebSocket.open(server.port(), "/herald/ws/echo")) {
            assertEquals(404, raw.status());
        }
    }

    @Test
    void echoIsOnInDevMode() throws IOException {
        try (HeraldServer server = HeraldServer.start("HERALD_DEV", "true");
             RawWebSocket raw = RawWebSocket.open(server.port(), "/herald/ws/echo")) {
            assertEquals(101, raw.status());
            assertNull(null);
        }
    }
}
