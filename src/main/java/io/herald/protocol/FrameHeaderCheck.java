package io.herald.protocol;

import java.nio.ByteBuffer;

/**
 * Reads the headers of the frames one client sends, and only the headers, so that a frame is
 * refused before its payload is read (docs/protocol.md sections 6 and 8): a data frame that would
 * take its message over the connection's limit (1009), an unmasked frame (RFC 6455 section 5.1),
 * a control frame over 125 bytes or a length with its top bit set (1002). Everything else, the
 * payloads included, is the WebSocket implementation's to read and judge.
 *
 * <p>Every WebSocket connection has one once it has sent a byte, so it holds only where the reader
 * is: a header may arrive split over several reads, a payload over many. The one reader of client
 * frame headers for every runtime that can see the client's bytes before its WebSocket
 * implementation does: the launcher's Grizzly filter, and the WAR's guards on Payara
 * (GuardedUpgrade) and WildFly (UndertowFrameLimit). Not thread-safe: one per connection, fed in
 * order.
 */
public final class FrameHeaderCheck {

    /** What is wrong with the client's frames, once something is. */
    public enum Breach {
        UNMASKED(1002, "client frames must be masked"),
        CONTROL_TOO_LONG(1002, "a control frame carries at most 125 bytes"),
        BAD_LENGTH(1002, "invalid frame length"),
        TOO_BIG(1009, null);

        private final int code;
        private final String reason;

        Breach(int code, String reason) {
            this.code = code;
            this.reason = reason;
        }

        /** The close code to answer it with. */
        public int code() {
            return code;
        }
    }

    private static final int MASKING_KEY = 4;

    private final int limit;
    /** Bytes of the current data message so far (the frames' declared lengths, fragments added up). */
    private long messageBytes;
    /** The current frame's payload bytes still to come; while its header is read, its length so far. */
    private long payload;
    /** Bytes of the current frame's header read; 0 between headers. */
    private int headerRead;
    /** The current header's size, known from its second byte. */
    private int headerSize;
    /** The current header's first byte: FIN, RSV and opcode. */
    private int first;
    private Breach breach;

    /** @param limit the most bytes a data message may have, over all its fragments */
    public FrameHeaderCheck(int limit) {
        this.limit = limit;
    }

    /**
     * Reads the next bytes of the client's stream, without moving {@code bytes}' position, and says
     * how far they are acceptable: up to {@code bytes.limit()} when all is well, else up to where
     * the refused frame's header begins (the position, if it began in an earlier read or something
     * was refused before).
     */
    public int check(ByteBuffer bytes) {
        int at = bytes.position();
        int end = bytes.limit();
        int frameStart = at;
        while (breach == null && at < end) {
            if (headerRead == 0 && payload > 0) {
                int skipped = (int) Math.min(payload, end - at);
                at += skipped;
                payload -= skipped;
                continue;
            }
            if (headerRead == 0) {
                frameStart = at;
            }
            header(bytes.get(at++) & 0xFF);
        }
        return breach == null ? end : frameStart;
    }

    /** What was refused; null while nothing was. */
    public Breach breach() {
        return breach;
    }

    /** The close frame's reason for the breach. */
    public String reason() {
        return breach == Breach.TOO_BIG ? "message over " + limit + " bytes" : breach.reason;
    }

    private void header(int b) {
        int index = headerRead++;
        if (index == 0) {
            first = b;
        } else if (index == 1) {
            if ((b & 0x80) == 0) {
                breach = Breach.UNMASKED;
                return;
            }
            int length = b & 0x7F;
            if (control() && length > 125) {
                breach = Breach.CONTROL_TOO_LONG;
                return;
            }
            headerSize = 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + MASKING_KEY;
            if (length < 126) {
                payload = length;
                lengthRead();
            }
        } else if (index < headerSize - MASKING_KEY) {
            payload = (payload << 8) | b;
            if (index == headerSize - MASKING_KEY - 1) {
                lengthRead();
            }
        } else if (headerRead == headerSize) {
            headerRead = 0; // the masking key is read: the payload follows
        }
    }

    private void lengthRead() {
        if (payload < 0) { // RFC 6455 section 5.2: the most significant bit must be 0
            breach = Breach.BAD_LENGTH;
        } else if (!control()) {
            boolean continuation = (first & 0x0F) == 0;
            // each term is checked alone first, so that the sum cannot overflow
            if (payload > limit || (continuation && messageBytes + payload > limit)) {
                breach = Breach.TOO_BIG;
            } else {
                messageBytes = continuation ? messageBytes + payload : payload;
            }
        }
    }

    private boolean control() {
        return (first & 0x08) != 0;
    }
}
