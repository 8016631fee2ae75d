package io.herald.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    @Timeout(60) // a server holding on to it would leave the sends below blocked for ever
    void anEchoClientThatNeverReadsItsRepliesIsClosedRatherThanHeldOnTo() throws IOException {
        try (HeraldServer server = HeraldServer.start("HERALD_ECHO", "true");
             RawWebSocket stuck = RawWebSocket.open(server.port(), "/herald/ws/echo", 4096)) {
            byte[] big = new byte[12 * 1024 * 1024];
            // the replies to the first ones fill every buffer on the way; a later one waits, then gives up
            try {
                for (int i = 0; i < 3; i++) {
                    stuck.send(RawWebSocket.BINARY, big, true);
                }
            } catch (IOException reset) {
                return; // the server gave up on it and dropped the connection while it was still sending
            }
            // 1013 when the close frame makes it out behind the unread reply; else the socket just ends
            int code = stuck.readUntilClose();
            assertTrue(code == 1013 || code == -1 && stuck.serverHasClosed(), "closed, got " + code);
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
