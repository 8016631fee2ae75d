package io.herald.session;

import io.herald.cluster.RedisBroker;
import io.herald.config.HeraldConfig;
import io.herald.core.Broker;
import io.herald.core.HistoryPage;
import io.herald.core.Message;
import io.herald.core.Publication;
import io.herald.core.Ids;
import io.herald.core.InMemoryBroker;
import io.herald.core.TopicNames;
import io.herald.core.Transport;
import io.herald.protocol.FrameCodec;
import io.herald.protocol.ServerFrame;
import io.herald.security.Authenticator;
import io.herald.security.DevTokens;
import io.herald.security.HandshakeGuard;
import io.herald.security.Identity;
import io.herald.security.OriginPolicy;
import io.herald.security.Refusal;
import io.herald.security.RoomAccess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One running Herald: its settings, broker, local fan-out and the sessions it opens. The WAR and the
 * standalone launcher each make one and hand it their endpoints' connections.
 */
public final class HeraldNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeraldNode.class.getName());
    /** The {@code from} of messages the application publishes in-process (Herald, CDI). */
    public static final String SERVER_USER = "server";

    /**
     * The running node of this application. The containers, not Herald, instantiate endpoints,
     * decoders, encoders and JAX-RS resources (the standalone launcher has no CDI, and Tyrus ignores
     * a configurator given at registration for annotated classes), so the WAR's listener or the
     * launcher installs the node here: one per application class loader.
     */
    private static HeraldNode current;

    private final HeraldConfig config;
    private final Broker broker;
    private final FrameCodec codec = new FrameCodec();
    private final Hub hub;
    private final Authenticator authenticator;
    private final DevTokens devTokens;
    private final Ids sessionIds = new Ids();
    private final ScheduledExecutorService housekeeping;
    /** Writes the messages of large topics, a pass over their subscribers at a time (see Hub). */
    private final ExecutorService flusher;
    private static final int FLUSHERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final AtomicInteger FLUSHER_NUMBERS = new AtomicInteger();
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    /** Open sessions per user, for HERALD_MAX_CONNECTIONS_PER_USER; users with none are absent. */
    private final ConcurrentHashMap<String, Integer> userSessions = new ConcurrentHashMap<>();
    private final HandshakeGuard handshakeGuard;
    private final NodeMetrics metrics;
    private volatile boolean accepting = true;

    public HeraldNode(HeraldConfig config) {
        this.config = config;
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-housekeeping");
            t.setDaemon(true);
            return t;
        });
        this.broker = openBroker(config, housekeeping);
        this.metrics = new NodeMetrics(config.node(), sessions::size, this::localTopicCount, this::queuedWeight);
        this.flusher = Executors.newFixedThreadPool(FLUSHERS, r -> {
            Thread t = new Thread(r, "herald-flush-" + FLUSHER_NUMBERS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.hub = new Hub(broker, codec, config.historySize(), metrics, flusher);
        this.authenticator = new Authenticator(config.security());
        this.devTokens = config.dev() ? new DevTokens(config.security().hmacSecret(), Clock.systemUTC()) : null;
        this.handshakeGuard = new HandshakeGuard(
                new HandshakeGuard.Limits(config.maxConnections(), config.maxConnectionsPerUser()),
                new HandshakeGuard.Load(sessions::size, user -> userSessions.getOrDefault(user, 0)), () -> accepting,
                new OriginPolicy(config.security().allowedOrigins()), authenticator, metrics::handshakeRefused);
        // every second, so that pings go out close to their time and idle clients are cut promptly
        housekeeping.scheduleWithFixedDelay(this::checkLiveness, 1, 1, TimeUnit.SECONDS);
        LOG.info(() -> "Herald node " + config.node() + " started: " + (config.redisUrl() == null ? "in-memory" : "Redis")
                + " broker, history " + config.historySize() + " messages / " + config.historyTtl().toSeconds()
                + " s, tokens " + (config.security().hasKey() ? config.security().algorithm() : "none"));
        if (!config.security().hasKey()) {
            LOG.severe("no token key is configured (HERALD_JWT_SECRET or HERALD_JWT_PUBLIC_KEY): every WebSocket "
                    + "connection and API call will be refused with 401. Set one of them; see docs/operations.md");
        }
    }

    /** Redis when HERALD_REDIS_URL is set (a cluster), else memory, swept by {@code housekeeping}. */
    private static Broker openBroker(HeraldConfig config, ScheduledExecutorService housekeeping) {
        if (config.redisUrl() != null) {
            return new RedisBroker(new RedisBroker.Options(config.redisUrl(), config.node(), config.historySize(),
                    config.historyTtl(), config.idempotencyKeys()));
        }
        InMemoryBroker memory = new InMemoryBroker(config.historySize(), config.historyTtl(), config.idempotencyKeys(),
                Clock.systemUTC());
        long sweepEvery = Math.max(1, Math.min(60, config.historyTtl().toSeconds()));
        housekeeping.scheduleWithFixedDelay(memory::sweep, sweepEvery, sweepEvery, TimeUnit.SECONDS);
        return memory;
    }

    /** Makes {@code node} this application's node; there can be only one at a time. */
    public static synchronized void install(HeraldNode node) {
        if (current != null) {
            throw new IllegalStateException("a Herald node (" + current.config.node()
                    + ") is already running in this application; stop it first");
        }
        current = node;
    }

    public static synchronized void uninstall(HeraldNode node) {
        if (current == node) {
            current = null;
        }
    }

    /** This application's running node. */
    public static synchronized HeraldNode current() {
        if (current == null) {
            throw new IllegalStateException("Herald is not running: no node is installed");
        }
        return current;
    }

    public HeraldConfig config() {
        return config;
    }

    public FrameCodec codec() {
        return codec;
    }

    Broker broker() {
        return broker;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    /** Publishes and counts it; every publish of this node, from any client or API, goes here. */
    CompletionStage<Message> publish(Publication publication) {
        return broker.publish(publication).whenComplete((message, error) -> {
            if (error == null) {
                metrics.published();
            }
        });
    }

    /**
     * Publishes on behalf of the application in-process (Herald, CDI): {@code from} is
     * {@value #SERVER_USER}. REST callers publish as their token's {@code sub} instead, through
     * {@link #publishAs} (docs/protocol.md section 2, {@code from}).
     *
     * @see #publishAs
     */
    public CompletionStage<Message> publishAsServer(String topic, String data, String idempotencyKey) {
        return publishAs(SERVER_USER, topic, data, idempotencyKey);
    }

    /**
     * Publishes as {@code user}, an API caller's {@code sub}, which is the message's {@code from}.
     *
     * @param data JSON text
     * @param idempotencyKey null, or a key of {@code user}'s under which a retry within 5 minutes
     *     gets the first result; another publisher's same key is another key (docs/protocol.md,
     *     "Idempotent publish")
     * @throws IllegalArgumentException if the topic name is not valid
     */
    public CompletionStage<Message> publishAs(String user, String topic, String data, String idempotencyKey) {
        if (!TopicNames.isValidTopic(topic)) {
            throw new IllegalArgumentException(TopicNames.RULE);
        }
        return publish(new Publication(topic, user, data,
                idempotencyKey == null ? null : Publication.scopedKey("api", user, idempotencyKey)));
    }

    /** Reads a topic's history: messages after {@code since}, at most {@code limit}. */
    public CompletionStage<HistoryPage> history(String topic, long since, int limit) {
        if (!TopicNames.isValidTopic(topic)) {
            throw new IllegalArgumentException(TopicNames.RULE);
        }
        return broker.read(topic, since, limit);
    }

    /** Null when the node can serve; otherwise why not (for health checks). */
    public String problem() {
        return broker.problem();
    }

    Hub hub() {
        return hub;
    }

    /** Checks tokens for every runtime and API. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /** Dev mode's token issuer; null outside dev mode. */
    public DevTokens devTokens() {
        return devTokens;
    }

    /** Opens a session for a client on {@code /ws/push} that the handshake admitted, and greets it. */
    public PushSession openPush(Transport<ServerFrame> transport, Identity identity) {
        return welcomed(new PushSession(this, connection(transport, identity)));
    }

    /**
     * Admits a client into chat room {@code room}, greets it and joins it.
     *
     * @throws IllegalArgumentException if {@link RoomAccess} does not let {@code identity} in, which
     *     the runtime must have asked first
     */
    public ChatSession openChat(String room, Transport<ServerFrame> transport, Identity identity) {
        Refusal refusal = RoomAccess.refusal(identity, room);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal.message());
        }
        ChatSession session = welcomed(new ChatSession(this, connection(transport, identity),
                TopicNames.chatTopic(room)));
        session.enter();
        return session;
    }

    private Connection connection(Transport<ServerFrame> transport, Identity identity) {
        return new Connection(sessionIds.next(), identity, transport, config.sendQueue(), config.sendQueueBytes(),
                housekeeping, metrics);
    }

    /** Counts the session as open, then greets it: a client that has its welcome is counted. */
    private <S extends ClientSession> S welcomed(S session) {
        sessions.add(session);
        Connection connection = session.connection();
        userSessions.merge(connection.user(), 1, Integer::sum);
        connection.send(new ServerFrame.Welcome(connection.id(), connection.user(), config.node(),
                config.heartbeat().toMillis()));
        return session;
    }

    /** Runs {@code task} once, after {@code delay}, on the node's housekeeping thread. */
    public void schedule(Runnable task, Duration delay) {
        housekeeping.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called once by each session as it closes. */
    void released(ClientSession session) {
        if (sessions.remove(session)) {
            userSessions.computeIfPresent(session.connection().user(), (user, n) -> n == 1 ? null : n - 1);
        }
        synchronized (sessions) {
            sessions.notifyAll();
        }
    }

    /** What every runtime asks before it upgrades a connection. */
    public HandshakeGuard handshakeGuard() {
        return handshakeGuard;
    }

    /**
     * Stops taking connections, lets every session send what is queued for it, closes each with
     * 1001, and waits up to {@code grace} for them to go. True if all went in time.
     */
    public boolean shutdown(Duration grace) {
        accepting = false;
        int open = sessions.size();
        LOG.info(() -> "shutting down: closing " + open + " sessions with 1001 going away");
        for (ClientSession session : sessions) {
            session.connection().closeWhenFlushed(Connection.GOING_AWAY, "going away");
        }
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (sessions) {
            while (!sessions.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warning(() -> sessions.size() + " sessions still open after " + grace.toSeconds()
                            + " s of shutdown; dropping them");
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(sessions, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Sessions open on this node. */
    public int openSessions() {
        return sessions.size();
    }

    /** What waits to be sent to this node's clients, summed over their send queues (see ServerFrame#weight). */
    public long queuedWeight() {
        long weight = 0;
        for (ClientSession session : sessions) {
            weight += session.connection().queuedWeight();
        }
        return weight;
    }

    private void checkLiveness() {
        Instant wallClock = Instant.now();
        long now = System.nanoTime();
        long heartbeat = config.heartbeat().toNanos();
        long idle = config.idleTimeout().toNanos();
        for (ClientSession session : sessions) {
            session.connection().checkLiveness(wallClock, now, heartbeat, idle);
        }
    }

    /**
     * Drops {@code transport}'s TCP connection if it still stands after the close grace: for a
     * close handshake started outside a session (the echo endpoint's).
     */
    public void abortUnlessClosed(Transport<?> transport) {
        housekeeping.schedule(transport::abort, Connection.CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Topics with subscribers on this node. */
    public int localTopicCount() {
        return hub.topicCount();
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        flusher.shutdown();
        broker.close();
    }
}
