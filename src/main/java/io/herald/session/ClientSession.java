package io.herald.session;

import io.herald.core.Publication;
import io.herald.core.RateLimiter;
import io.herald.protocol.ClientFrame;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ServerFrame;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a client can do on an open connection, shared by the push and chat endpoints: each endpoint
 * says which frames it takes; publishing, pings and error answers work the same on both.
 */
public abstract sealed class ClientSession permits PushSession, ChatSession {

    static final int MAX_CONSECUTIVE_BAD_REQUESTS = 20;

    protected final HeraldNode node;
    protected final Connection connection;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RateLimiter rate;
    /** Only touched by the container's thread for this connection's messages. */
    private int consecutiveBadRequests;

    ClientSession(HeraldNode node, Connection connection) {
        this.node = node;
        this.connection = connection;
        this.rate = new RateLimiter(node.config().rate(), node.config().rateBurst(), System::nanoTime);
    }

    public Connection connection() {
        return connection;
    }

    /** Acts on one frame from the client. Never throws for anything the client sent. */
    public final void onFrame(ClientFrame frame) {
        connection.heard();
        if (consecutiveBadRequests >= MAX_CONSECUTIVE_BAD_REQUESTS) {
            return; // closing once the answers to the bad frames are out: nothing more is answered
        }
        if (frame instanceof ClientFrame.TooLarge tooLarge) {
            connection.close(Connection.MESSAGE_TOO_BIG, "message of " + tooLarge.bytes() + " bytes is over "
                    + node.config().maxMessageBytes());
            return;
        }
        if (!rate.tryAcquire()) {
            node.metrics().rateLimited();
            connection.sendError(ErrorCode.RATE_LIMITED, "more than " + node.config().rate()
                    + " frames a second; frame dropped", frame.id(), topicOf(frame));
            return;
        }
        int badBefore = consecutiveBadRequests;
        if (frame instanceof ClientFrame.Invalid invalid) {
            badRequest(invalid.reason(), invalid.id(), invalid.topic());
        } else if (frame instanceof ClientFrame.Ping ping) {
            connection.send(new ServerFrame.Pong(ping.id()));
        } else {
            handle(frame);
        }
        if (consecutiveBadRequests == badBefore) {
            consecutiveBadRequests = 0; // a frame that was not a bad request
        }
    }

    /** The topic a frame names, if any, for the error that answers it. */
    protected static String topicOf(ClientFrame frame) {
        if (frame instanceof ClientFrame.Subscribe s) {
            return s.topic();
        } else if (frame instanceof ClientFrame.Unsubscribe u) {
            return u.topic();
        } else if (frame instanceof ClientFrame.Publish p) {
            return p.topic();
        } else if (frame instanceof ClientFrame.Invalid i) {
            return i.topic();
        }
        return null;
    }

    /** Frames other than ping and the unreadable ones. */
    protected abstract void handle(ClientFrame frame);

    /** Releases everything the session holds. Safe to call more than once. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        node.released(this);
        connection.outbox().close();
        for (Subscription subscription : connection.subscriptions().values()) {
            release(subscription);
        }
        connection.subscriptions().clear();
    }

    protected void release(Subscription subscription) {
        node.hub().unregister(subscription);
    }

    /**
     * Answers a frame Herald cannot act on. A client that sends nothing else is broken or hostile:
     * {@value #MAX_CONSECUTIVE_BAD_REQUESTS} in a row close the connection with 1008.
     */
    protected final void badRequest(String reason, String requestId, String topic) {
        connection.sendError(ErrorCode.BAD_REQUEST, reason, requestId, topic);
        node.metrics().badRequest();
        if (++consecutiveBadRequests >= MAX_CONSECUTIVE_BAD_REQUESTS) {
            // after the errors already queued, this one included: where sends complete
            // asynchronously (Undertow), closing at once would drop them
            connection.closeWhenFlushed(Connection.POLICY_VIOLATION, MAX_CONSECUTIVE_BAD_REQUESTS + " bad frames in a row");
        }
    }

    /** Publishes as this connection's user and answers with {@code ack} or {@code error}. */
    protected final void publish(String topic, String data, String requestId) {
        if (!connection.identity().access().mayPublish(topic)) {
            connection.sendError(ErrorCode.FORBIDDEN, "not allowed to publish to " + topic, requestId, topic);
            return;
        }
        // a retry of the same id on this connection is stored once (docs/protocol.md, "Idempotent publish")
        String key = requestId == null ? null : Publication.scopedKey("ws", connection.id(), requestId);
        node.publish(new Publication(topic, connection.user(), data, key)).whenComplete((message, error) -> {
            if (error == null) {
                connection.send(new ServerFrame.Ack(requestId, topic, message.seq()));
            } else {
                failed("publish", error, requestId, topic);
            }
        });
    }

    /** Answers a request that the broker could not serve. */
    protected final void failed(String what, Throwable error, String requestId, String topic) {
        connection.failed(what, error, requestId, topic);
    }
}
