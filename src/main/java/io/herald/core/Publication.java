package io.herald.core;

/**
 * A request to append {@code data} (JSON text) to {@code topic}.
 *
 * @param idempotencyKey null, or a key under which a retry within {@link Broker#IDEMPOTENCY_WINDOW}
 *     returns the first result instead of storing the message again. Brokers keep keys per topic;
 *     callers make them per publisher with {@link #scopedKey}.
 */
public record Publication(String topic, String from, String data, String idempotencyKey) {

    /**
     * {@code key} as {@code owner}'s own, so that one publisher's key never answers another's
     * publish. Unambiguous whatever {@code owner} and {@code key} hold ({@code owner} may contain
     * any separator): its length comes first, so two different (scope, owner, key) never give one
     * text.
     *
     * @param scope where keys come from, a fixed name without {@code ':'}, e.g. "api" or "ws"
     */
    public static String scopedKey(String scope, String owner, String key) {
        return scope + ":" + owner.length() + ":" + owner + ":" + key;
    }
}
