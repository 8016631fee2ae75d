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

    /**
     * One unmasked close frame (RFC 6455 section 5.5.1) with {@code code} and {@code reason}, which
     * must be ASCII of at most 123 characters: a control frame carries at most 125 bytes.
     */
    public static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
        if (text.length > 123) {
            throw new IllegalArgumentException("a close reason is at most 123 bytes: " + reason);
        }
        byte[] frame = new byte[4 + text.length];
        frame[0] = (byte) 0x88; // FIN, opcode 8 (close)
        frame[1] = (byte) (2 + text.length);
        frame[2] = (byte) (code >>> 8);
        frame[3] = (byte) code;
        System.arraycopy(text, 0, frame, 4, text.length);
        return frame;
    }
}
