package io.herald.core;

/**
 * Receives a topic's live stream from a {@link Broker}. Calls for one topic never overlap and come
 * in seq order; implementations must not block (they run on the publisher's or the broker's thread).
 */
public interface TopicListener {

    void onMessage(Message message);

    void onPresence(PresenceChange change);

    /**
     * The topic's stream was lost (a shared store restarted empty, or dropped the topic) and starts
     * again from seq 1 in {@code epoch}: seqs delivered before do not continue into the next ones.
     * A broker that never loses a stream with listeners, such as the in-memory one, never calls it.
     */
    default void onStreamRestarted(String topic, String epoch) {
    }
}
