package io.herald.protocol;

import java.nio.charset.StandardCharsets;

/** RFC 6455 framing of what a server sends, for runtimes that can write ready-made frames. */
public final class WebSocketFrames {

    private WebSocketFrames() {
    }

    /** One final, unmasked text frame (RFC 6455 section 5.2) carrying {@code text} as UTF-8. */
    public static byte[] text(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n <= 125 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81; // FIN, opcode 1 (text)
        if (n <= 125) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }
}
