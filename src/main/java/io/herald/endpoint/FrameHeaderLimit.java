package io.herald.endpoint;

/**
 * Follows the frames a client sends, header by header, as the bytes arrive, and says where the
 * first frame that breaks a rule starts: a data frame whose declared length takes its message over
 * the limit (docs/protocol.md section 8: 1009 from the header, before the payload is read), or an
 * unmasked frame (RFC 6455 section 5.1: 1002). Payloads are skipped, never held; everything else
 * about a frame is left to the container. Not thread-safe: one per connection, fed in order.
 */
final class FrameHeaderLimit {

    /** What the first refused frame broke. */
    enum Breach { NONE, TOO_BIG, UNMASKED }

    private static final int MAX_HEADER = 14;

    private final long maxMessageBytes;
    private final byte[] header = new byte[MAX_HEADER];
    private int headerRead;
    private long payloadLeft;
    /** Payload bytes of the fragmented data message in progress, its frames so far. */
    private long messageBytes;
    private Breach breach = Breach.NONE;

    FrameHeaderLimit(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    long maxMessageBytes() {
        return maxMessageBytes;
    }

    Breach breach() {
        return breach;
    }

    /**
     * Reads {@code length} bytes of the client's stream. Returns how many of them come before the
     * refused frame's first byte in this chunk: all of them while no frame is refused.
     */
    int inspect(byte[] bytes, int offset, int length) {
        if (breach != Breach.NONE) {
            return 0;
        }
        int end = offset + length;
        int frameStart = offset; // a header begun in an earlier chunk counts from this one's start
        int i = offset;
        while (i < end) {
            if (payloadLeft > 0) {
                int skipped = (int) Math.min(payloadLeft, end - i);
                payloadLeft -= skipped;
                i += skipped;
                continue;
            }
            if (headerRead == 0) {
                frameStart = i;
            }
            header[headerRead++] = bytes[i++];
            if (headerRead >= 2 && headerRead == headerLength()) {
                headerRead = 0;
                breach = judge();
                if (breach != Breach.NONE) {
                    return frameStart - offset;
                }
            }
        }
        return length;
    }

    private int headerLength() {
        int code = header[1] & 0x7f;
        return 2 + (code == 126 ? 2 : code == 127 ? 8 : 0) + (masked() ? 4 : 0);
    }

    private boolean masked() {
        return (header[1] & 0x80) != 0;
    }

    private Breach judge() {
        if (!masked()) {
            return Breach.UNMASKED;
        }
        long declared = declaredLength();
        int opcode = header[0] & 0x0f;
        boolean fin = (header[0] & 0x80) != 0;
        if (opcode < 0x8) {
            // a length with the top bit set is no length (RFC 6455 section 5.2): as good as too big
            long total = opcode == 0 ? messageBytes + declared : declared;
            if (declared < 0 || total > maxMessageBytes) {
                return Breach.TOO_BIG;
            }
            messageBytes = fin ? 0 : total;
        }
        payloadLeft = Math.max(declared, 0); // control frames over 125 bytes: the container refuses them
        return Breach.NONE;
    }

    private long declaredLength() {
        int code = header[1] & 0x7f;
        if (code < 126) {
            return code;
        }
        int bytes = code == 126 ? 2 : 8;
        long length = 0;
        for (int k = 0; k < bytes; k++) {
            length = (length << 8) | (header[2 + k] & 0xff);
        }
        return length;
    }
}
