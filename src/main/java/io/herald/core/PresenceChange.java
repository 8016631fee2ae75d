package io.herald.core;

/** A user's first session joined a topic's presence, or its last session left it. */
public record PresenceChange(String topic, String user, boolean joined) {
}
