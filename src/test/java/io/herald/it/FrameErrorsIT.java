package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The frame-level close codes of SPEC section 4. */
class FrameErrorsIT {

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start("HERALD_MAX_MESSAGE_BYTES", "1024");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBinaryFrameOnPushClosesWith1003() {
        try (WsClient client = server.push()) {
            client.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, client.awaitClose());
        }
    }

    @Test
    void aBinaryFrameOnChatClosesWith1003() {
        try (WsClient client = WsClient.connect(server.ws("chat/binary"))) {
            client.next("welcome");
            client.sendBinary(new byte[] {1});
            assertEquals(1003, client.awaitClose());
        }
    }

    @Test
    void aMessageOverTheMaximumSizeClosesWith1009() {
        try (WsClient client = server.push()) {
            client.publish("big", json().put("blob", "x".repeat(1100)), null);
            assertEquals(1009, client.awaitClose());
        }
    }

    @Test
    void theLimitCountsTheWholeReassembledMessageNotOneFragment() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
            raw.read(); // welcome
            byte[] part = ("{\"type\":\"publish\",\"topic\":\"t\",\"data\":\"" + "y".repeat(600)).getBytes(StandardCharsets.UTF_8);
            raw.send(RawWebSocket.TEXT, part, false);
            raw.send(0x0, ("y".repeat(600) + "\"}").getBytes(StandardCharsets.UTF_8), true);
            assertEquals(1009, raw.readUntilClose());
        }
    }

    @Test
    void aMessageJustUnderTheLimitIsAccepted() {
        try (WsClient client = server.push()) {
            client.publish("fits", json().put("blob", "x".repeat(900)), "ok");
            assertEquals("ok", client.next("ack").get("id").asText());
        }
    }

    @Test
    void invalidUtf8ClosesWith1007() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
            raw.read(); // welcome
            raw.send(RawWebSocket.TEXT, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, true);
            assertEquals(1007, raw.readUntilClose());
        }
    }

    @Test
    void aFrameSplitIntoManyFragmentsAndWrittenByteByByteIsStillOneFrame() throws IOException {
        try (RawWebSocket raw = RawWebSocket.open(server.port(), server.wsTarget("push"))) {
            raw.read(); // welcome
            byte[] text = "{\"type\":\"ping\",\"id\":\"split\"}".getBytes(StandardCharsets.UTF_8);
            raw.send(RawWebSocket.TEXT, java.util.Arrays.copyOfRange(text, 0, 5), false);
            raw.send(0x0, java.util.Arrays.copyOfRange(text, 5, 12), false);
            raw.send(0x0, java.util.Arrays.copyOfRange(text, 12, text.length), true);
            assertEquals("{\"type\":\"pong\",\"id\":\"split\"}", raw.read().text());
        }
    }
}
