package io.herald.cluster;

/**
 * Herald's names in Redis. Every key of one topic carries the hash tag {@code {topic}}, so that a
 * topic's keys stay in one slot of a Redis Cluster and one script may touch them all.
 */
final class Keys {

    static final String PREFIX = "herald:";
    /** The one channel every node subscribes to: one subscription per node, whatever its clients. */
    static final String CHANNEL = PREFIX + "fanout";
    /** Node instances by the time of their last heartbeat. */
    static final String NODES = PREFIX + "nodes";

    private Keys() {
    }

    static String meta(String topic) {
        return PREFIX + "{" + topic + "}:meta";
    }

    static String log(String topic) {
        return PREFIX + "{" + topic + "}:log";
    }

    /** The topic's idempotency records, by key (see publish.lua). */
    static String idempotency(String topic) {
        return PREFIX + "{" + topic + "}:idem";
    }

    /** The topic's idempotency keys by seq, oldest first, for expiry and the bound on their number. */
    static String idempotencyOrder(String topic) {
        return PREFIX + "{" + topic + "}:idem-order";
    }

    /** Must agree with heartbeat.lua, which builds the presence keys of dead nodes' topics itself. */
    static String sessions(String topic) {
        return PREFIX + "{" + topic + "}:sessions";
    }

    static String users(String topic) {
        return PREFIX + "{" + topic + "}:users";
    }

    static String nodeTopics(String instance) {
        return PREFIX + "node:" + instance + ":topics";
    }
}
