package io.herald.core;

/**
 * Receives a topic's live stream from a {@link Broker}. Calls for one topic never overlap and come
 * in seq order; implementations must not block (they run on the publisher's or the broker's thread).
 */
public interface TopicListener {

    void onMessage(Message message);

    void onPresence(PresenceChange change);
}
