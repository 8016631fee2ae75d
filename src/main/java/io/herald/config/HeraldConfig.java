package io.herald.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Every setting of a Herald node, read and checked at start-up. A bad value stops start-up with a
 * {@link ConfigException} that names the setting, rather than surfacing later as odd behaviour.
 *
 * @param dev dev mode: see SPEC section 5; never on in a WAR
 * @param echo whether {@code /ws/echo} is served
 * @param security tokens, origins and TLS (SPEC section 5)
 * @param idempotencyKeys the most idempotency keys a topic keeps (docs/protocol.md, "Idempotent
 *     publish"): past it the oldest are forgotten before their 5 minutes
 * @param redisUrl null for a single node with an in-memory broker; else the Redis every node shares
 */
public record HeraldConfig(
        String host,
        int port,
        String node,
        Duration heartbeat,
        Duration idleTimeout,
        int historySize,
        Duration historyTtl,
        int idempotencyKeys,
        int maxMessageBytes,
        int sendQueue,
        int rate,
        int rateBurst,
        int maxSubscriptions,
        int maxConnections,
        int maxConnectionsPerUser,
        int sendQueueBytes,
        boolean dev,
        boolean echo,
        SecuritySettings security,
        String redisUrl) {

    /** Where Herald runs; some defaults differ. */
    public enum Runtime { STANDALONE, WAR }

    /** The echo endpoint takes messages up to this size whatever HERALD_MAX_MESSAGE_BYTES says. */
    public static final int ECHO_MAX_BYTES = 16 * 1024 * 1024;

    public static HeraldConfig load(Runtime runtime, Settings settings) {
        SettingsReader r = new SettingsReader(settings);
        String host = r.string("HERALD_HOST", "127.0.0.1");
        int port = r.integer("HERALD_PORT", 8080, 0, 65535);
        // in a WAR the port is the app server's business: the host name alone names the node
        String node = r.string("HERALD_NODE", runtime == Runtime.WAR ? hostName() : hostName() + ":" + port);
        Duration heartbeat = Duration.ofSeconds(r.integer("HERALD_HEARTBEAT", 25, 1, 3600));
        Duration idleTimeout = Duration.ofSeconds(r.integer("HERALD_IDLE_TIMEOUT", 60, 2, 24 * 3600));
        if (idleTimeout.compareTo(heartbeat) <= 0) {
            // a client that only answers pings would be cut off
            throw new ConfigException("HERALD_IDLE_TIMEOUT (" + idleTimeout.toSeconds()
                    + " s) must be longer than HERALD_HEARTBEAT (" + heartbeat.toSeconds() + " s)");
        }
        int historySize = r.integer("HERALD_HISTORY_SIZE", 1000, 1, 1_000_000);
        Duration historyTtl = Duration.ofSeconds(r.integer("HERALD_HISTORY_TTL", 3600, 1, 30 * 24 * 3600));
        int idempotencyKeys = r.integer("HERALD_IDEMPOTENCY_KEYS", 10_000, 1, 1_000_000);
        int maxMessageBytes = r.integer("HERALD_MAX_MESSAGE_BYTES", 65536, 256, ECHO_MAX_BYTES);
        int sendQueue = r.integer("HERALD_SEND_QUEUE", 1024, 1, 1_000_000);
        int rate = r.integer("HERALD_RATE", 50, 1, 1_000_000);
        int rateBurst = r.integer("HERALD_RATE_BURST", 2 * rate, 1, 2_000_000);
        int maxSubscriptions = r.integer("HERALD_MAX_SUBSCRIPTIONS", 200, 1, 1_000_000);
        int maxConnections = r.integer("HERALD_MAX_CONNECTIONS", FileDescriptors.defaultMaxConnections(), 1, 10_000_000);
        int maxConnectionsPerUser = r.integer("HERALD_MAX_CONNECTIONS_PER_USER", 100, 1, 10_000_000);
        // a client must be able to take at least two of the largest messages, with their envelopes
        int leastQueueBytes = 2 * maxMessageBytes + 64 * 1024;
        int sendQueueBytes = r.integer("HERALD_SEND_QUEUE_BYTES", Math.max(4 * 1024 * 1024, leastQueueBytes),
                64 * 1024, 1 << 30);
        if (sendQueueBytes < leastQueueBytes) {
            throw new ConfigException("HERALD_SEND_QUEUE_BYTES (" + sendQueueBytes + ") must be at least twice "
                    + "HERALD_MAX_MESSAGE_BYTES (" + maxMessageBytes + ") plus 65536");
        }
        boolean keyConfigured = r.string("HERALD_JWT_SECRET", null) != null
                || r.string("HERALD_JWT_PUBLIC_KEY", null) != null;
        // SPEC section 5: the launcher run with no key is dev mode; a WAR never is
        boolean dev = r.bool("HERALD_DEV", runtime == Runtime.STANDALONE && !keyConfigured);
        if (dev && runtime == Runtime.WAR) {
            throw new ConfigException("HERALD_DEV: dev mode is for the standalone launcher only, never a WAR");
        }
        boolean echo = r.bool("HERALD_ECHO", dev);
        SecuritySettings security = SecuritySettings.load(r, dev);
        String redisUrl = r.redisUrl("HERALD_REDIS_URL");
        return new HeraldConfig(host, port, node, heartbeat, idleTimeout, historySize, historyTtl, idempotencyKeys,
                maxMessageBytes, sendQueue, rate, rateBurst, maxSubscriptions, maxConnections, maxConnectionsPerUser,
                sendQueueBytes, dev, echo, security, redisUrl);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "herald";
        }
    }
}
