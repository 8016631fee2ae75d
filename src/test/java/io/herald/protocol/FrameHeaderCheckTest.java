package io.herald.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameHeaderCheckTest {

    private static final int LIMIT = 1000;
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int PING = 0x9;

    /** A client frame's header (RFC 6455 section 5.2), masked unless told otherwise, declaring {@code length}. */
    private static byte[] header(int opcode, boolean fin, long length, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int mask = masked ? 0x80 : 0;
        if (length >= 0 && length < 126) {
            out.write(mask | (int) length);
        } else if (length >= 0 && length <= 0xFFFF) {
            out.write(mask | 126);
            out.write((int) (length >>> 8));
            out.write((int) length);
        } else {
            out.write(mask | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(length).array());
        }
        if (masked) {
            out.writeBytes(new byte[] {7, 8, 9, 10});
        }
        return out.toByteArray();
    }

    /** A whole masked frame: its header and {@code length} payload bytes. */
    private static byte[] frame(int opcode, boolean fin, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header(opcode, fin, length, true));
        out.writeBytes(new byte[length]);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** What {@code check} accepts of {@code bytes} read at once, as an offset into them. */
    private static int accepted(FrameHeaderCheck check, byte[] bytes) {
        // a position and limit of their own, as Grizzly's buffers have
        ByteBuffer buffer = ByteBuffer.wrap(concat(new byte[3], bytes, new byte[5]), 3, bytes.length);
        return check.check(buffer) - 3;
    }

    @Test
    void framesOfEveryLengthClassUpToTheLimitPassHoweverTheyAreSplit() {
        byte[] stream = concat(frame(TEXT, true, 0), frame(TEXT, true, 125), frame(TEXT, true, 126),
                frame(TEXT, true, LIMIT), frame(PING, true, 125), frame(TEXT, false, 600),
                frame(PING, true, 3), frame(CONTINUATION, true, 400), frame(0x2, true, 999),
                header(TEXT, true, 70_000, true)); // a length in 8 bytes, just at the limit
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            FrameHeaderCheck check = new FrameHeaderCheck(70_000);
            int at = 0;
            while (at < stream.length) {
                int n = round == 0 ? 1 : Math.min(stream.length - at, 1 + random.nextInt(40));
                byte[] read = Arrays.copyOfRange(stream, at, at + n);
                assertEquals(n, accepted(check, read), "round " + round + " at " + at);
                at += n;
            }
            assertNull(check.breach());
        }
    }

    @Test
    void aFrameOverTheLimitIsRefusedAtItsHeaderAndWhatCameBeforeItPasses() {
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        byte[] fine = frame(TEXT, true, LIMIT);
        assertEquals(fine.length, accepted(check, concat(fine, header(TEXT, true, LIMIT + 1, true), new byte[50])));
        assertEquals(FrameHeaderCheck.Breach.TOO_BIG, check.breach());
        assertEquals(1009, check.breach().code());
        assertEquals("message over 1000 bytes", check.reason());
        assertEquals(0, accepted(check, frame(TEXT, true, 1)), "nothing passes once refused");
    }

    @Test
    void aHugeLengthIsRefusedWhenItsLastByteArrivesNotLater() {
        byte[] header = header(TEXT, true, 100_000_000L, true);
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        for (int i = 0; i < 9; i++) {
            assertEquals(1, accepted(check, new byte[] {header[i]}), "byte " + i);
        }
        assertNull(check.breach());
        assertEquals(0, accepted(check, new byte[] {header[9]}), "the header began in an earlier read");
        assertEquals(FrameHeaderCheck.Breach.TOO_BIG, check.breach());
    }

    @Test
    void fragmentsAddUpAndTheOneThatCrossesTheLimitIsRefused() {
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        byte[] first = frame(TEXT, false, 600);
        byte[] ping = frame(PING, true, 100); // control frames between fragments do not count
        byte[] second = frame(CONTINUATION, false, 400);
        assertEquals(first.length + ping.length + second.length,
                accepted(check, concat(first, ping, second, header(CONTINUATION, true, 1, true))));
        assertEquals(FrameHeaderCheck.Breach.TOO_BIG, check.breach());
    }

    @Test
    void aNewMessageStartsItsCountAfresh() {
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        byte[] stream = concat(frame(TEXT, false, 600), frame(CONTINUATION, true, 400),
                frame(TEXT, false, 600), frame(CONTINUATION, true, 400));
        assertEquals(stream.length, accepted(check, stream));
        assertNull(check.breach());
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() {
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        byte[] fine = frame(TEXT, true, 10);
        assertEquals(fine.length, accepted(check, concat(fine, header(TEXT, true, 2, false), new byte[] {'{', '}'})));
        assertEquals(FrameHeaderCheck.Breach.UNMASKED, check.breach());
        assertEquals(1002, check.breach().code());
    }

    @Test
    void aControlFrameOver125BytesIsAProtocolError() {
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        assertEquals(0, accepted(check, header(PING, true, 126, true)));
        assertEquals(FrameHeaderCheck.Breach.CONTROL_TOO_LONG, check.breach());
        assertEquals(1002, check.breach().code());
    }

    @Test
    void aLengthWithItsTopBitSetIsAProtocolErrorNotANegativeSize() {
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        assertEquals(0, accepted(check, header(TEXT, true, Long.MIN_VALUE + 5, true)));
        assertEquals(FrameHeaderCheck.Breach.BAD_LENGTH, check.breach());
    }

    @Test
    void aContinuationCannotOverflowTheCountPastTheLimit() {
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        byte[] first = frame(TEXT, false, 10);
        assertEquals(first.length, accepted(check, concat(first, header(CONTINUATION, true, Long.MAX_VALUE - 5, true))));
        assertEquals(FrameHeaderCheck.Breach.TOO_BIG, check.breach());
    }

    /** A ping between two fragments of a message (allowed, RFC 6455 section 5.4) is not part of its size. */
    @Test
    void controlFramesBetweenFragmentsDoNotCount() {
        byte[] first = frame(TEXT, false, 600);
        byte[] ping = frame(PING, true, 100);
        byte[] last = frame(CONTINUATION, true, 400);
        byte[] fits = concat(first, ping, last);
        assertEquals(fits.length, accepted(new FrameHeaderCheck(LIMIT), fits));
        byte[] middle = frame(CONTINUATION, false, 300);
        byte[] over = concat(first, ping, middle, header(CONTINUATION, true, 101, true));
        FrameHeaderCheck check = new FrameHeaderCheck(LIMIT);
        assertEquals(first.length + ping.length + middle.length, accepted(check, over));
        assertEquals(FrameHeaderCheck.Breach.TOO_BIG, check.breach());
    }
}
