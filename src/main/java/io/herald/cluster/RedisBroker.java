package io.herald.cluster;

import io.herald.core.Broker;
import io.herald.core.BrokerUnavailableException;
import io.herald.core.HistoryPage;
import io.herald.core.IdempotencyRecord;
import io.herald.core.Ids;
import io.herald.core.Message;
import io.herald.core.Publication;
import io.herald.core.TopicListener;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker of a cluster: seq, epoch, history, idempotency keys and presence live in Redis, shared
 * by every node. Each publish is one Lua script (atomic per topic) that ends by publishing the
 * message on one channel to which every node subscribes once; each node hands what it hears to
 * its own listeners through a {@link TopicFeed} per topic, which fills gaps from the stream.
 *
 * <p>When Redis cannot be reached, commands fail at once (or after {@link #COMMAND_TIMEOUT}) with
 * {@link BrokerUnavailableException} and {@link #problem()} says why; Lettuce reconnects by itself,
 * and once the channel is subscribed again every feed catches up from the streams.
 */
public final class RedisBroker implements Broker {

    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());
    /** Under the 5 s within which SPEC section 7 wants a publish answered when Redis is away. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);
    /** How often a node says it is alive, checks Redis, and repairs what an outage broke. */
    static final Duration TICK = Duration.ofSeconds(1);
    /** A node silent this long is dead: its users leave (SPEC: within 30 s). */
    static final Duration NODE_DEAD_AFTER = Duration.ofSeconds(15);
    /** Longest history read in one command when a feed catches up. */
    private static final int CATCH_UP_BATCH = 1000;

    /**
     * @param url the Redis URL ({@code HERALD_REDIS_URL})
     * @param node this node's name; the process adds a random part, so that a restarted node is a
     *     new instance to the others
     * @param idempotencyKeys the most idempotency keys kept per topic; the oldest go first
     */
    public record Options(String url, String node, int historySize, Duration historyTtl, int idempotencyKeys) {
    }

    private final Options options;
    private final String instance;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final Script publish;
    private final Script read;
    private final Script heartbeat;
    private final NodePresence presence;
    private final ConcurrentHashMap<String, TopicFeed> feeds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final Ids ids = new Ids();
    private final long historyTtlMillis;
    /** Topic metadata (epoch, seq) outlives its history by a day, so quiet topics keep their epoch. */
    private final long metaTtlMillis;
    private volatile String commandProblem;
    private volatile String channelProblem;

    /**
     * Connects to Redis and subscribes to the fan-out channel.
     *
     * @throws BrokerUnavailableException if Redis cannot be reached now
     */
    public RedisBroker(Options options) {
        this.options = options;
        this.instance = options.node() + "/" + Ids.random(6);
        this.historyTtlMillis = options.historyTtl().toMillis();
        this.metaTtlMillis = historyTtlMillis + Duration.ofDays(1).toMillis();
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // back within 2 s of Redis' return, not Lettuce's default of up to 30 s
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(options.url()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // fail at once while disconnected, rather than queue and answer late or never
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        client.addListener(new ConnectionWatch());
        try {
            this.connection = client.connect();
            this.commands = connection.async();
            this.pubsub = client.connectPubSub();
            pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String text) {
                    heard(text);
                }
            });
            pubsub.sync().subscribe(Keys.CHANNEL);
        } catch (RuntimeException e) {
            shutdownClient();
            throw new BrokerUnavailableException("cannot connect to Redis at " + redacted() + ": " + e.getMessage(), e);
        }
        this.publish = Script.load(commands, "publish", ScriptOutputType.VALUE, "streams");
        this.read = Script.load(commands, "read", ScriptOutputType.MULTI, "streams");
        this.heartbeat = Script.load(commands, "heartbeat", ScriptOutputType.INTEGER);
        this.presence = new NodePresence(commands, instance);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-redis");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(() -> "Redis broker connected to " + redacted() + " as node instance " + instance);
    }

    @Override
    public CompletionStage<Message> publish(Publication p) {
        String topic = p.topic();
        String key = p.idempotencyKey();
        String fingerprint = key == null ? "" : IdempotencyRecord.fingerprint(p);
        String[] keys = {Keys.meta(topic), Keys.log(topic), Keys.idempotency(topic), Keys.idempotencyOrder(topic)};
        return publish.<String>run(commands, keys, Ids.epoch(), ids.next(), p.from(), String.valueOf(p.from().length()),
                p.data(), String.valueOf(options.historySize()), String.valueOf(historyTtlMillis),
                String.valueOf(metaTtlMillis), key == null ? "0" : "1", key == null ? "" : key,
                fingerprint, String.valueOf(IDEMPOTENCY_WINDOW.toMillis()), String.valueOf(options.idempotencyKeys()),
                topic, Keys.CHANNEL)
                .thenApply(text -> Wire.published(text, p, fingerprint));
    }

    @Override
    public CompletionStage<HistoryPage> read(String topic, long afterSeq, int limit) {
        return readStream(topic, "after", afterSeq, limit);
    }

    @Override
    public CompletionStage<HistoryPage> recent(String topic, int count) {
        return readStream(topic, "recent", count, count);
    }

    private CompletionStage<HistoryPage> readStream(String topic, String mode, long seqOrCount, int limit) {
        return read.<List<Object>>run(commands, new String[] {Keys.meta(topic), Keys.log(topic)}, Ids.epoch(), mode,
                String.valueOf(seqOrCount), String.valueOf(limit), String.valueOf(historyTtlMillis),
                String.valueOf(metaTtlMillis))
                .thenApply(fields -> {
                    List<Message> messages = new ArrayList<>((fields.size() - 3) / 5);
                    for (int i = 3; i < fields.size(); i += 5) {
                        messages.add(Wire.listed(topic, fields, i));
                    }
                    return new HistoryPage(topic, (String) fields.get(0), Long.parseLong((String) fields.get(1)),
                            Long.parseLong((String) fields.get(2)), messages);
                });
    }

    @Override
    public CompletionStage<Void> listen(String topic, TopicListener listener) {
        TopicFeed feed = feeds.compute(topic, (name, existing) -> {
            TopicFeed f = existing != null ? existing
                    : new TopicFeed(name, (t, after) -> read(t, after, Math.min(options.historySize(), CATCH_UP_BATCH)));
            f.add(listener);
            return f;
        });
        return feed.start();
    }

    @Override
    public void unlisten(String topic, TopicListener listener) {
        feeds.computeIfPresent(topic, (name, feed) -> feed.remove(listener) ? null : feed);
    }

    @Override
    public CompletionStage<List<String>> join(String topic, String user, String sessionId) {
        return presence.join(topic, user, sessionId);
    }

    @Override
    public CompletionStage<Void> leave(String topic, String user, String sessionId) {
        return presence.leave(topic, user, sessionId);
    }

    @Override
    public String problem() {
        String command = commandProblem;
        return command != null ? command : channelProblem;
    }

    /** On the fan-out connection's thread: hands a message or presence change to its topic's feed. */
    private void heard(String text) {
        try {
            Wire.Event event = Wire.decode(text);
            TopicFeed feed = feeds.get(event.topic());
            if (feed == null) {
                return;
            }
            if (event instanceof Wire.Published published) {
                feed.onPublished(published);
            } else if (event instanceof Wire.Presence change) {
                feed.onPresence(change.change());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot use a message of channel " + Keys.CHANNEL, e);
        }
    }

    /**
     * Every second, on the broker's own thread (it may wait on Redis): heartbeat and health, then
     * whatever an outage left to repair.
     */
    private void tick() {
        try {
            Long added = heartbeat.<Long>run(commands, new String[] {Keys.NODES}, instance,
                    String.valueOf(NODE_DEAD_AFTER.toMillis()), String.valueOf(3 * TICK.toMillis()), "0",
                    Keys.PREFIX, Keys.CHANNEL).toCompletableFuture().get(2 * COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (commandProblem != null) {
                LOG.info(() -> "Redis at " + redacted() + " answers again");
                commandProblem = null;
            }
            if (added == 1) {
                presence.rejoinAll(); // new, or taken for dead by the others while cut off
            }
            presence.retryLeaves();
            if (channelProblem != null) {
                resubscribe();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return;
            }
            if (commandProblem == null) {
                LOG.warning(() -> "Redis at " + redacted() + " does not answer: " + e);
            }
            commandProblem = "Redis at " + redacted() + " does not answer";
        }
    }

    /**
     * Subscribes the fan-out channel again (Lettuce does so too on reconnecting; twice is harmless,
     * and here we know when it is in effect), then lets every feed catch up with what the channel
     * dropped meanwhile.
     */
    private void resubscribe() {
        if (!pubsub.isOpen()) {
            return;
        }
        pubsub.sync().subscribe(Keys.CHANNEL);
        channelProblem = null;
        feeds.values().forEach(TopicFeed::resync);
        LOG.info(() -> "subscribed to " + Keys.CHANNEL + " again; " + feeds.size() + " topics catching up");
    }

    /** Notices lost connections at once, rather than at the next tick. */
    private final class ConnectionWatch implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
            if (handler == pubsub) {
                channelProblem = "lost the pub/sub connection to Redis at " + redacted();
            } else if (handler == connection) {
                commandProblem = "lost the connection to Redis at " + redacted();
            }
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
            // nothing: the next tick checks that Redis answers and resubscribes
        }
    }

    /** The URL without its password, for logs and health answers. */
    private String redacted() {
        return options.url().replaceFirst("//[^@/]*@", "//");
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            // say goodbye: this instance's sessions leave every presence now, not when taken for dead
            heartbeat.<Long>run(commands, new String[] {Keys.NODES}, instance, String.valueOf(NODE_DEAD_AFTER.toMillis()),
                    String.valueOf(3 * TICK.toMillis()), "1", Keys.PREFIX, Keys.CHANNEL)
                    .toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.fine(() -> "could not remove node instance " + instance + " from Redis: " + e);
        }
        shutdownClient();
    }

    private void shutdownClient() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
