package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** A transport whose sends complete only when the test says so, or at once. */
    private static final class FakeTransport implements Transport<String> {
        final List<String> sent = new ArrayList<>();
        final Deque<Consumer<Throwable>> inFlight = new ArrayDeque<>();
        boolean completeInline;
        int maxInFlight;
        final List<Integer> closes = new ArrayList<>();

        @Override
        public void send(String frame, Consumer<Throwable> done) {
            sent.add(frame);
            if (completeInline) {
                done.accept(null);
            } else {
                inFlight.add(done);
                maxInFlight = Math.max(maxInFlight, inFlight.size());
            }
        }

        @Override
        public void ping() {
        }

        @Override
        public void abort() {
        }

        @Override
        public void close(int code, String reason) {
            closes.add(code);
        }

        void completeOne() {
            inFlight.poll().accept(null);
        }
    }

    private static final class Events implements Outbox.Listener {
        int overflows;
        final List<Throwable> failures = new ArrayList<>();

        @Override
        public void onOverflow() {
            overflows++;
        }

        @Override
        public void onSendFailed(Throwable error) {
            failures.add(error);
        }
    }

    @Test
    void sendsInOrderWithAtMostOneSendInFlight() {
        FakeTransport transport = new FakeTransport();
        Outbox<String> outbox = new Outbox<>(transport, 100, new Events());
        for (int i = 0; i < 10; i++) {
            outbox.enqueue("m" + i);
            outbox.flush();
        }
        assertEquals(List.of("m0"), transport.sent);
        while (!transport.inFlight.isEmpty()) {
            transport.completeOne();
        }
        assertEquals(10, transport.sent.size());
        for (int i = 0; i < 10; i++) {
            assertEquals("m" + i, transport.sent.get(i));
        }
        assertEquals(1, transport.maxInFlight);
        assertEquals(0, outbox.size());
    }

    @Test
    void sendsThatCompleteOnTheCallingThreadDoNotRecurse() {
        FakeTransport transport = new FakeTransport();
        transport.completeInline = true;
        Outbox<String> outbox = new Outbox<>(transport, 1_000_000, new Events());
        for (int i = 0; i < 200_000; i++) {
            outbox.enqueue("m");
        }
        outbox.flush(); // a recursive drain would overflow the stack here
        assertEquals(200_000, transport.sent.size());
    }

    @Test
    void moreThanCapacityWaitingIsASlowConsumerReportedOnce() {
        FakeTransport transport = new FakeTransport();
        Events events = new Events();
        Outbox<String> outbox = new Outbox<>(transport, 3, events);
        outbox.enqueue("in flight");
        outbox.flush();
        assertTrue(outbox.enqueue("1"));
        assertTrue(outbox.enqueue("2"));
        assertTrue(outbox.enqueue("3"));
        assertFalse(outbox.enqueue("4"), "the fourth waiting frame is one too many");
        assertEquals(0, events.overflows, "enqueue does no I/O and reports nothing");
        outbox.flush();
        outbox.flush();
        assertEquals(1, events.overflows);
        assertTrue(outbox.isClosed());
        assertEquals(0, outbox.size(), "a slow consumer's queue is dropped");
        transport.completeOne();
        assertEquals(List.of("in flight"), transport.sent, "nothing more is sent");
    }

    @Test
    void replayedFramesDoNotCountTowardsTheCapacity() {
        FakeTransport transport = new FakeTransport();
        Events events = new Events();
        Outbox<String> outbox = new Outbox<>(transport, 2, events);
        for (int i = 0; i < 50; i++) {
            outbox.enqueueReplay("r" + i);
        }
        assertTrue(outbox.enqueue("live1"));
        assertTrue(outbox.enqueue("live2"));
        assertFalse(outbox.enqueue("live3"));
    }

    @Test
    void aFailedSendClosesTheOutboxAndIsReported() {
        Events events = new Events();
        RuntimeException broken = new RuntimeException("broken pipe");
        Transport<String> failing = new Transport<>() {
            @Override
            public void send(String frame, Consumer<Throwable> done) {
                done.accept(broken);
            }

            @Override
            public void ping() {
            }

            @Override
            public void abort() {
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        Outbox<String> outbox = new Outbox<>(failing, 10, events);
        outbox.enqueue("a");
        outbox.enqueue("b");
        outbox.flush();
        assertEquals(List.of(broken), events.failures);
        assertTrue(outbox.isClosed());
        assertFalse(outbox.enqueue("c"));
    }

    /** A transport that writes batches: each call's frames are recorded as one write. */
    private static final class BatchingTransport implements Transport<String> {
        final List<List<String>> writes = new ArrayList<>();
        final Deque<Consumer<Throwable>> inFlight = new ArrayDeque<>();

        @Override
        public boolean writesBatches() {
            return true;
        }

        @Override
        public void send(String frame, Consumer<Throwable> done) {
            send(List.of(frame), done);
        }

        @Override
        public void send(List<String> frames, Consumer<Throwable> done) {
            writes.add(List.copyOf(frames));
            inFlight.add(done);
        }

        @Override
        public void ping() {
        }

        @Override
        public void abort() {
        }

        @Override
        public void close(int code, String reason) {
        }
    }

    @Test
    void aBatchingTransportGetsEverythingThatWaitedInOneWriteInOrder() {
        BatchingTransport transport = new BatchingTransport();
        Outbox<String> outbox = new Outbox<>(transport, 1000, new Events());
        outbox.enqueue("a");
        outbox.flush();
        for (int i = 0; i < 100; i++) {
            outbox.enqueue("m" + i);
            outbox.flush(); // a send is in flight: these wait
        }
        assertEquals(List.of(List.of("a")), transport.writes);
        transport.inFlight.poll().accept(null);
        transport.inFlight.poll().accept(null);
        assertEquals(3, transport.writes.size());
        assertEquals(Outbox.MAX_BATCH, transport.writes.get(1).size(), "at most MAX_BATCH frames per write");
        List<String> all = new ArrayList<>();
        transport.writes.forEach(all::addAll);
        List<String> expected = new ArrayList<>(List.of("a"));
        for (int i = 0; i < 100; i++) {
            expected.add("m" + i);
        }
        assertEquals(expected, all);
        assertEquals(0, outbox.size());
    }
}
