package io.herald.core;

/**
 * One stored message of a topic. {@code data} is the payload as compact JSON text: the core never
 * looks inside it, and keeping it as text lets a broadcast be encoded once and shared by every
 * subscriber.
 */
public record Message(String topic, long seq, String id, long time, String from, String data) {
}
