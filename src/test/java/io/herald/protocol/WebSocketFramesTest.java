package io.herald.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {

    /** The payload length the frame's header announces (RFC 6455 section 5.2), and its header size. */
    private static long[] header(byte[] frame) {
        int code = frame[1] & 0x7F;
        if (code <= 125) {
            return new long[] {code, 2};
        }
        if (code == 126) {
            return new long[] {((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF), 4};
        }
        long n = 0;
        for (int i = 0; i < 8; i++) {
            n = (n << 8) | (frame[2 + i] & 0xFF);
        }
        return new long[] {n, 10};
    }

    @Test
    void everyLengthClassIsAFinalUnmaskedTextFrameAroundTheUtf8Bytes() {
        for (int length : new int[] {0, 1, 125, 126, 127, 65535, 65536, 70000}) {
            String text = "é".repeat(length / 2) + "x".repeat(length % 2);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            byte[] frame = WebSocketFrames.text(text);
            assertEquals((byte) 0x81, frame[0], "FIN and opcode 1");
            assertEquals(0, frame[1] & 0x80, "a server's frames are not masked");
            long[] h = header(frame);
            assertEquals(utf8.length, h[0], "length for " + length);
            assertEquals(utf8.length <= 125 ? 2 : utf8.length <= 65535 ? 4 : 10, h[1]);
            assertArrayEquals(utf8, Arrays.copyOfRange(frame, (int) h[1], frame.length));
        }
    }

    @Test
    void aCloseFrameCarriesItsCodeThenItsReason() {
        byte[] frame = WebSocketFrames.close(1009, "too big");
        assertArrayEquals(new byte[] {(byte) 0x88, 9, 0x03, (byte) 0xF1, 't', 'o', 'o', ' ', 'b', 'i', 'g'}, frame);
        assertEquals(125, WebSocketFrames.close(1002, "r".repeat(123)).length - 2, "the longest a control frame takes");
        assertThrows(IllegalArgumentException.class,
                () -> WebSocketFrames.close(1002, "r".repeat(124)));
    }

    @Test
    void aDeliveryCarriesItsJsonAsAReadyFrame() {
        FrameCodec codec = new FrameCodec();
        ServerFrame.Delivery d = codec.delivery(new io.herald.core.Message("t", 1, "id", 5, "u", "{\"a\":\"ü\"}"));
        assertArrayEquals(WebSocketFrames.text(d.json()), d.wire());
        assertEquals(d, new ServerFrame.Delivery(d.message(), d.json()), "equality ignores the frame bytes");
    }
}
