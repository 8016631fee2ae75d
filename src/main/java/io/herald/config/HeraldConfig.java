package io.herald.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * Every setting of a Herald node, read and checked at start-up. A bad value stops start-up with a
 * {@link ConfigException} that names the setting, rather than surfacing later as odd behaviour.
 *
 * @param dev dev mode: see SPEC section 5; never on in a WAR
 * @param echo whether {@code /ws/echo} is served
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
        int maxMessageBytes,
        int sendQueue,
        int rate,
        int rateBurst,
        int maxSubscriptions,
        int maxConnections,
        boolean dev,
        boolean echo,
        String redisUrl) {

    /** Where Herald runs; some defaults differ. */
    public enum Runtime { STANDALONE, WAR }

    /** The echo endpoint takes messages up to this size whatever HERALD_MAX_MESSAGE_BYTES says. */
    public static final int ECHO_MAX_BYTES = 16 * 1024 * 1024;

    public static HeraldConfig load(Runtime runtime, Settings settings) {
        Reader r = new Reader(settings);
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
        int maxMessageBytes = r.integer("HERALD_MAX_MESSAGE_BYTES", 65536, 256, ECHO_MAX_BYTES);
        int sendQueue = r.integer("HERALD_SEND_QUEUE", 1024, 1, 1_000_000);
        int rate = r.integer("HERALD_RATE", 50, 1, 1_000_000);
        int rateBurst = r.integer("HERALD_RATE_BURST", 2 * rate, 1, 2_000_000);
        int maxSubscriptions = r.integer("HERALD_MAX_SUBSCRIPTIONS", 200, 1, 1_000_000);
        int maxConnections = r.integer("HERALD_MAX_CONNECTIONS", 50_000, 1, 10_000_000);
        boolean dev = r.bool("HERALD_DEV", runtime == Runtime.STANDALONE);
        if (dev && runtime == Runtime.WAR) {
            throw new ConfigException("HERALD_DEV: dev mode is for the standalone launcher only, never a WAR");
        }
        boolean echo = r.bool("HERALD_ECHO", dev);
        String redisUrl = r.redisUrl("HERALD_REDIS_URL");
        return new HeraldConfig(host, port, node, heartbeat, idleTimeout, historySize, historyTtl, maxMessageBytes,
                sendQueue, rate, rateBurst, maxSubscriptions, maxConnections, dev, echo, redisUrl);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "herald";
        }
    }

    /** Parses values, naming the setting in every complaint. */
    private static final class Reader {
        private final Settings settings;

        Reader(Settings settings) {
            this.settings = settings;
        }

        String string(String name, String fallback) {
            String value = settings.get(name);
            return value == null ? fallback : value;
        }

        int integer(String name, int fallback, int min, int max) {
            String value = settings.get(name);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below, with the range
            }
            throw new ConfigException(name + " (or -D" + Settings.propertyName(name) + "): \"" + value
                    + "\" is not a whole number from " + min + " to " + max);
        }

        /** A {@code redis://} or {@code rediss://} URL with a host, or null when unset. */
        String redisUrl(String name) {
            String value = settings.get(name);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme();
                if (("redis".equals(scheme) || "rediss".equals(scheme)) && uri.getHost() != null) {
                    return value;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            throw new ConfigException(name + " (or -D" + Settings.propertyName(name) + "): \"" + value
                    + "\" is not a Redis URL such as redis://127.0.0.1:6379 or rediss://user:password@host:6380/0");
        }

        boolean bool(String name, boolean fallback) {
            String value = settings.get(name);
            if (value == null) {
                return fallback;
            }
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new ConfigException(name + " (or -D" + Settings.propertyName(name) + "): \""
                        + value + "\" is not true or false");
            };
        }
    }
}
