package io.herald.session;

import io.herald.core.Broker;
import io.herald.core.HistoryPage;
import io.herald.core.Message;
import io.herald.core.PresenceChange;
import io.herald.core.TopicListener;
import io.herald.protocol.FrameCodec;
import io.herald.protocol.ServerFrame;
import io.herald.protocol.ServerFrame.Delivery;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's side of fan-out: it listens to the broker once per topic that has local subscribers,
 * encodes each message once, and hands the same frame to every local subscription. It also runs
 * the resume rules of SPEC section 3 when a subscription starts.
 */
final class Hub implements TopicListener {

    /**
     * Topics with at least this many local subscribers have their writes batched: see
     * {@link #onMessage}. Smaller ones (a user's own topic, a small room) write at once.
     */
    static final int BATCHED_FANOUT = 16;

    /** A chat room's recent messages sent on joining, at most (docs/protocol.md section 5). */
    static final int CHAT_REPLAY = 50;

    /** The subscriptions of one topic on this node, and whether the broker's feed is in effect yet. */
    private static final class LocalTopic {
        final CopyOnWriteArrayList<Subscription> subscriptions = new CopyOnWriteArrayList<>();
        CompletionStage<Void> listening;
        /** Flush requests not yet served; the one that makes it 1 starts a flushing task. */
        final AtomicInteger flushesOwed = new AtomicInteger();

        /** Flushes every subscription until no message is left unflushed, including new ones. */
        void flushAll() {
            int served = flushesOwed.get();
            while (true) {
                for (Subscription subscription : subscriptions) {
                    subscription.flush();
                }
                int left = flushesOwed.addAndGet(-served);
                if (left == 0) {
                    return;
                }
                served = left;
            }
        }
    }

    private final Broker broker;
    private final EncodedMessages encoded;
    private final int historySize;
    private final NodeMetrics metrics;
    private final ConcurrentHashMap<String, LocalTopic> topics = new ConcurrentHashMap<>();
    private final Executor flusher;

    /**
     * @param flusher runs the writes of large topics (see {@link #onMessage}); null to write every
     *     message at once on the thread that delivers it
     */
    Hub(Broker broker, FrameCodec codec, int historySize, NodeMetrics metrics, Executor flusher) {
        this.broker = broker;
        this.metrics = metrics;
        this.encoded = new EncodedMessages(codec, EncodedMessages.defaultBudget());
        this.historySize = historySize;
        this.flusher = flusher;
    }

    Hub(Broker broker, FrameCodec codec, int historySize, NodeMetrics metrics) {
        this(broker, codec, historySize, metrics, null);
    }

    /**
     * Fans a message out. A small topic's subscribers get it written at once. A large topic's
     * (at least {@value #BATCHED_FANOUT} local subscribers) get it queued, and one flushing task
     * per topic, on the flusher, then writes to each connection everything waiting for it: when
     * messages come faster than one pass over the subscribers takes, the ones that arrived during
     * a pass leave together in the next, as one write per connection instead of one per message.
     * Order and the slow-consumer bound are the outboxes' as before; the publisher does not wait.
     */
    @Override
    public void onMessage(Message message) {
        LocalTopic local = topics.get(message.topic());
        if (local == null) {
            return;
        }
        Delivery delivery = encoded.of(message);
        if (flusher == null || local.subscriptions.size() < BATCHED_FANOUT) {
            for (Subscription subscription : local.subscriptions) {
                subscription.deliver(delivery);
            }
        } else {
            for (Subscription subscription : local.subscriptions) {
                subscription.offer(delivery);
            }
            if (local.flushesOwed.getAndIncrement() == 0) {
                try {
                    flusher.execute(local::flushAll);
                } catch (RejectedExecutionException e) {
                    local.flushAll(); // the node is stopping: write on this thread
                }
            }
        }
        metrics.delivered(local.subscriptions.size());
    }

    @Override
    public void onPresence(PresenceChange change) {
        LocalTopic local = topics.get(change.topic());
        if (local == null) {
            return;
        }
        ServerFrame.PresenceEvent event = new ServerFrame.PresenceEvent(change.topic(), change.joined(), change.user());
        for (Subscription subscription : local.subscriptions) {
            // the user's own sessions learn of themselves from the snapshot they get on joining
            if (subscription.presence() && !subscription.connection().user().equals(change.user())) {
                subscription.deliverPresence(event);
            }
        }
    }

    /** Every local subscriber is told that the topic starts again, and follows it from seq 1. */
    @Override
    public void onStreamRestarted(String topic, String epoch) {
        LocalTopic local = topics.get(topic);
        if (local == null) {
            return;
        }
        for (Subscription subscription : local.subscriptions) {
            subscription.restart(epoch);
        }
    }

    /**
     * Subscribes {@code connection} to {@code topic}, resuming after {@code since} (null: live only)
     * in {@code epoch} (null: trust {@code since}). Sends {@code subscribed}, the replay, then live
     * messages, with no gap and no duplicate (docs/protocol.md section 4).
     */
    Subscription subscribe(Connection connection, String topic, Long since, String epoch, String requestId) {
        Subscription subscription = subscription(connection, topic, false);
        register(subscription)
                .thenCompose(ignored -> broker.read(topic, since == null ? Long.MAX_VALUE : since,
                        Subscription.REPLAY_PAGE))
                .thenCompose(page -> {
                    boolean trusted = since == null
                            || since <= page.latestSeq() && (epoch == null || epoch.equals(page.epoch()));
                    if (trusted) {
                        boolean recovered = since == null || page.holdsEverythingAfter(since);
                        long from = since == null ? page.latestSeq() : since;
                        return CompletableFuture.completedFuture(new Resume(page, recovered, from));
                    }
                    // the client's position belongs to a lost stream: give it everything there is
                    return broker.read(topic, 0, Subscription.REPLAY_PAGE).thenApply(all -> new Resume(all, false, 0));
                })
                .thenAccept(resume -> {
                    HistoryPage page = resume.page();
                    ServerFrame subscribed = new ServerFrame.Subscribed(topic, page.latestSeq(), page.epoch(),
                            resume.recovered(), requestId);
                    subscription.activate(List.of(subscribed), page, resume.from());
                })
                .whenComplete((ignored, error) -> failIfBroken(subscription, error));
        return subscription;
    }

    /** @param from the seq after which the replay starts */
    private record Resume(HistoryPage page, boolean recovered, long from) {
    }

    /**
     * Joins {@code connection} to a chat room's topic: presence snapshot (itself included), the last
     * messages, then live messages and presence changes.
     */
    Subscription join(Connection connection, String topic) {
        Subscription subscription = subscription(connection, topic, true);
        register(subscription)
                .thenCompose(ignored -> broker.join(topic, connection.user(), connection.id()))
                .thenCompose(members -> broker.recent(topic, Math.min(CHAT_REPLAY, historySize))
                        .thenAccept(page -> subscription.activate(
                                List.of(new ServerFrame.PresenceSnapshot(topic, members)), page,
                                page.messages().isEmpty() ? page.latestSeq() : page.messages().get(0).seq() - 1)))
                .whenComplete((ignored, error) -> failIfBroken(subscription, error));
        return subscription;
    }

    /** A subscription whose replay reads this topic's history and shares its encoded frames. */
    private Subscription subscription(Connection connection, String topic, boolean presence) {
        Subscription[] made = new Subscription[1];
        made[0] = new Subscription(connection, topic, presence,
                after -> broker.read(topic, after, Subscription.REPLAY_PAGE), encoded::of, error -> {
                    // the client was told it is subscribed: it is told that it is not any more
                    unregister(made[0]);
                    connection.subscriptions().remove(topic, made[0]);
                    connection.failed("replay", error, null, topic);
                });
        return made[0];
    }

    private void failIfBroken(Subscription subscription, Throwable error) {
        if (error != null) {
            unregister(subscription);
            subscription.active().completeExceptionally(error);
        }
    }

    /** Stops a subscription's delivery and, for the topic's last local subscriber, the broker feed. */
    void unregister(Subscription subscription) {
        subscription.cancel();
        String topic = subscription.topic();
        topics.computeIfPresent(topic, (name, local) -> {
            local.subscriptions.remove(subscription);
            if (local.subscriptions.isEmpty()) {
                broker.unlisten(topic, this);
                return null;
            }
            return local;
        });
    }

    /** Number of topics with local subscribers. */
    int topicCount() {
        return topics.size();
    }

    private CompletionStage<Void> register(Subscription subscription) {
        String topic = subscription.topic();
        LocalTopic local = topics.compute(topic, (name, existing) -> {
            LocalTopic t = existing != null ? existing : new LocalTopic();
            if (existing == null) {
                t.listening = broker.listen(topic, this);
            }
            t.subscriptions.add(subscription);
            return t;
        });
        return Objects.requireNonNull(local.listening);
    }

}
