package io.herald.core;

/**
 * A request to append {@code data} (JSON text) to {@code topic}.
 *
 * @param idempotencyKey null, or a key under which a retry within {@link Broker#IDEMPOTENCY_WINDOW}
 *     returns the first result instead of storing the message again
 */
public record Publication(String topic, String from, String data, String idempotencyKey) {
}
