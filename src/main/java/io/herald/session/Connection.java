package io.herald.session;

import io.herald.core.BrokerUnavailableException;
import io.herald.core.IdempotencyConflictException;
import io.herald.core.Outbox;
import io.herald.core.Transport;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ServerFrame;
import io.herald.security.Identity;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One client's WebSocket session, whatever endpoint it is on: who it is, its outbox, its topics. */
public final class Connection implements Outbox.Listener {

    /** Close code for a client that could not keep up with its messages (SPEC section 4). */
    public static final int SLOW_CONSUMER = 4000;
    /** Close code for an idle client and for shutdown (RFC 6455). */
    public static final int GOING_AWAY = 1001;
    /** Close code for a client that keeps sending frames it was told are bad (RFC 6455). */
    public static final int POLICY_VIOLATION = 1008;
    /** Close code for a message over HERALD_MAX_MESSAGE_BYTES (RFC 6455). */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Close code for a connection whose token ran out (SPEC section 4): the client gets a new one. */
    public static final int TOKEN_EXPIRED = 4001;

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final String id;
    private final Identity identity;
    /** How long a close handshake may take before the TCP connection is dropped (SPEC section 4). */
    static final long CLOSE_GRACE_SECONDS = 5;

    private final Transport<ServerFrame> transport;
    private final ScheduledExecutorService timer;
    private final NodeMetrics metrics;
    private final Outbox<ServerFrame> outbox;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastPinged = lastHeard;

    /** Subscriptions with history still to send, in the order they asked; the first one sends. */
    private final ConcurrentLinkedQueue<Subscription> replays = new ConcurrentLinkedQueue<>();
    /** Requests to move replays on; the one that makes it 1 does the moving (see pumpReplays). */
    private final AtomicInteger replayPumps = new AtomicInteger();

    /**
     * @param sendQueue live frames that may wait for the client ({@code HERALD_SEND_QUEUE})
     * @param sendQueueBytes what everything waiting may weigh ({@code HERALD_SEND_QUEUE_BYTES})
     */
    Connection(String id, Identity identity, Transport<ServerFrame> transport, int sendQueue, int sendQueueBytes,
               ScheduledExecutorService timer, NodeMetrics metrics) {
        this.id = id;
        this.timer = timer;
        this.metrics = metrics;
        this.identity = identity;
        this.transport = transport;
        this.outbox = new Outbox<>(transport, sendQueue, sendQueueBytes, ServerFrame::weight, this);
    }

    public String id() {
        return id;
    }

    public Identity identity() {
        return identity;
    }

    public String user() {
        return identity.user();
    }

    Outbox<ServerFrame> outbox() {
        return outbox;
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    /** Queues a frame for this client and starts sending. */
    public void send(ServerFrame frame) {
        outbox.enqueue(frame);
        outbox.flush();
    }

    /** Adds a subscription whose replay is to be sent, after those already waiting. */
    void replay(Subscription subscription) {
        replays.add(subscription);
        pumpReplays();
    }

    /** Whether some subscription's replay is waiting or being sent. */
    boolean replaying() {
        return !replays.isEmpty();
    }

    /**
     * Moves the waiting replays into the outbox as far as it has room, and starts sending. Called
     * from any thread (the subscriber's, a send's completion, a history read's); one at a time moves
     * them, and a call that comes meanwhile, from another thread or from within, makes it go round
     * once more instead of waiting or recursing. Nothing here blocks or holds a lock across I/O.
     */
    void pumpReplays() {
        if (replayPumps.getAndIncrement() != 0) {
            return;
        }
        int served;
        do {
            served = replayPumps.get();
            moveReplays();
            outbox.flush();
        } while (replayPumps.addAndGet(-served) != 0);
    }

    private void moveReplays() {
        Subscription first;
        while ((first = replays.peek()) != null) {
            switch (first.replayStep()) {
                case LIVE -> replays.poll();
                case BLOCKED -> {
                    return;
                }
                case NEEDS_PAGE -> {
                    first.readPage(); // its completion calls pumpReplays again
                    return;
                }
            }
        }
    }

    @Override
    public void onRoomForReplay() {
        if (!replays.isEmpty()) {
            pumpReplays();
        }
    }

    /** What is queued for this client and waits to be sent, as {@link ServerFrame#weight()} counts it. */
    public long queuedWeight() {
        return outbox.weight();
    }

    /**
     * Answers a request that the broker could not serve: {@code unavailable} if it is away,
     * {@code conflict} for an idempotency key reused with other data, else {@code internal}.
     */
    void failed(String what, Throwable error, String requestId, String topic) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof BrokerUnavailableException) {
            sendError(ErrorCode.UNAVAILABLE, cause.getMessage(), requestId, topic);
        } else if (cause instanceof IdempotencyConflictException) {
            sendError(ErrorCode.CONFLICT, cause.getMessage(), requestId, topic);
        } else {
            LOG.log(Level.SEVERE, cause, () -> this + ": " + what + " on " + topic + " failed");
            sendError(ErrorCode.INTERNAL, what + " failed on the server", requestId, topic);
        }
    }

    /** The client showed it is alive: a frame or a pong. */
    public void heard() {
        lastHeard = System.nanoTime();
    }

    /**
     * Closes a connection whose token has run out (4001) or that has been silent too long (1001),
     * so that half-open connections do not hold resources for ever; pings a client due for it.
     */
    void checkLiveness(Instant wallClock, long now, long heartbeatNanos, long idleNanos) {
        if (wallClock.isAfter(identity.validUntil())) {
            LOG.fine(() -> this + ": token expired; closing");
            close(TOKEN_EXPIRED, "token expired");
        } else if (now - lastHeard > idleNanos) {
            LOG.fine(() -> this + ": silent for longer than the idle timeout; closing");
            close(GOING_AWAY, "idle timeout");
        } else if (now - lastPinged >= heartbeatNanos) {
            lastPinged = now;
            transport.ping();
        }
    }

    /**
     * Closes the connection once what is queued for it has been sent, or, if that takes longer than
     * the grace (a client that reads nothing), drops the queue and closes anyway.
     */
    void closeWhenFlushed(int code, String reason) {
        outbox.closeAfterFlush(() -> closeTransport(code, reason));
        timer.schedule(() -> {
            if (!outbox.isClosed()) {
                close(code, reason);
            }
        }, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Closes the connection with a WebSocket close code; queued frames are dropped. */
    void close(int code, String reason) {
        outbox.close();
        closeTransport(code, reason);
    }

    /** Starts the close handshake, and drops the connection if it still stands after the grace. */
    private void closeTransport(int code, String reason) {
        transport.close(code, reason);
        timer.schedule(transport::abort, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    void sendError(ErrorCode code, String message, String requestId, String topic) {
        send(new ServerFrame.Error(code, message, requestId, topic));
    }

    @Override
    public void onOverflow() {
        LOG.warning(() -> "session " + id + " (" + user() + "): more than the send queue's capacity waiting; "
                + "closing it as a slow consumer");
        metrics.slowConsumer();
        closeTransport(SLOW_CONSUMER, "slow consumer");
    }

    @Override
    public void onSendFailed(Throwable error) {
        LOG.log(Level.FINE, error, () -> "session " + id + ": send failed; the connection is gone");
    }

    @Override
    public String toString() {
        return "session " + id + " (" + user() + ")";
    }
}
