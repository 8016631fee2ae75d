package io.herald.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FrameHeaderLimitTest {

    private static final int MAX = 1000;

    /** A client frame: header, masking key (if masked), payload of zeros. */
    private static byte[] frame(int opcode, boolean fin, long declared, boolean masked, int payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int mask = masked ? 0x80 : 0;
        if (declared >= 0 && declared < 126) {
            out.write(mask | (int) declared);
        } else if (declared >= 0 && declared <= 0xffff) {
            out.write(mask | 126);
            out.write((int) (declared >>> 8));
            out.write((int) declared & 0xff);
        } else {
            out.write(mask | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(declared).array());
        }
        if (masked) {
            out.writeBytes(new byte[] {1, 2, 3, 4});
        }
        out.writeBytes(new byte[payload]);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Feeds the stream in chunks of {@code chunk} bytes; returns how many bytes were let through. */
    private static int feed(FrameHeaderLimit limit, byte[] stream, int chunk) {
        int passed = 0;
        for (int at = 0; at < stream.length; at += chunk) {
            int length = Math.min(chunk, stream.length - at);
            int through = limit.inspect(stream, at, length);
            passed += through;
            if (through < length) {
                break;
            }
        }
        return passed;
    }

    @Test
    void framesWithinTheLimitPassWhole() {
        byte[] stream = concat(frame(1, true, 125, true, 125), frame(1, true, MAX, true, MAX),
                frame(0x9, true, 4, true, 4), frame(2, true, 300, true, 300));
        for (int chunk : new int[] {1, 3, 7, 100, stream.length}) {
            FrameHeaderLimit limit = new FrameHeaderLimit(MAX);
            assertEquals(stream.length, feed(limit, stream, chunk), "chunk " + chunk);
            assertEquals(FrameHeaderLimit.Breach.NONE, limit.breach());
        }
    }

    @Test
    void aFrameDeclaringMoreThanTheLimitIsRefusedAtItsFirstByteWithoutItsPayload() {
        byte[] good = frame(1, true, 10, true, 10);
        for (long declared : new long[] {MAX + 1, 100_000_000L, Long.MIN_VALUE}) {
            byte[] header = frame(1, true, declared, true, 0);
            byte[] stream = concat(good, header, new byte[50]);
            FrameHeaderLimit whole = new FrameHeaderLimit(MAX);
            assertEquals(good.length, feed(whole, stream, stream.length), "all in one read: up to the frame");
            assertEquals(FrameHeaderLimit.Breach.TOO_BIG, whole.breach());
            for (int chunk : new int[] {1, 5}) {
                FrameHeaderLimit limit = new FrameHeaderLimit(MAX);
                int passed = feed(limit, stream, chunk);
                // a header begun in an earlier read has gone through in part, never whole, never its payload
                assertTrue(passed >= good.length && passed < good.length + header.length, declared + " in chunks of " + chunk);
                assertEquals(FrameHeaderLimit.Breach.TOO_BIG, limit.breach());
            }
        }
    }

    @Test
    void fragmentsCountTogetherAndControlFramesBetweenThemDoNot() {
        byte[] first = frame(1, false, 600, true, 600);
        byte[] ping = frame(0x9, true, 100, true, 100);
        byte[] last = frame(0, true, 400, true, 400);
        byte[] fits = concat(first, ping, last, frame(1, true, MAX, true, MAX));
        assertEquals(fits.length, feed(new FrameHeaderLimit(MAX), fits, 64));

        byte[] middle = frame(0, false, 300, true, 300);
        byte[] over = concat(first, ping, middle, frame(0, true, 101, true, 0));
        FrameHeaderLimit limit = new FrameHeaderLimit(MAX);
        assertEquals(first.length + ping.length + middle.length, feed(limit, over, over.length));
        assertEquals(FrameHeaderLimit.Breach.TOO_BIG, limit.breach());
    }

    @Test
    void anUnmaskedFrameIsRefused() {
        byte[] good = frame(1, true, 20, true, 20);
        byte[] stream = concat(good, frame(1, true, 5, false, 5));
        FrameHeaderLimit limit = new FrameHeaderLimit(MAX);
        assertEquals(good.length, feed(limit, stream, stream.length));
        assertEquals(FrameHeaderLimit.Breach.UNMASKED, limit.breach());
        assertEquals(0, limit.inspect(stream, 0, stream.length), "nothing more once refused");
    }
}
