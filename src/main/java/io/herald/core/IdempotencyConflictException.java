package io.herald.core;

/**
 * A publication under an idempotency key that its publisher already used on the topic, within
 * {@link Broker#IDEMPOTENCY_WINDOW}, for a different message: nothing is stored, and the publisher
 * is told so rather than given another message's result (docs/protocol.md, "Idempotent publish").
 */
public final class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String topic) {
        super("this idempotency key was already used on " + topic + " for different data", null, false, false);
    }
}
