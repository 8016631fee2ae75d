package io.herald.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Stores topics' streams (seq, epoch, history, idempotency keys, presence) and carries their live
 * traffic to the listeners of this node. The in-memory implementation serves one node; a shared
 * store such as Redis serves a cluster through the same contract.
 *
 * <p>Every method is non-blocking: results come as {@link CompletionStage}s, which fail with
 * {@link BrokerUnavailableException} when the backing store cannot be reached.
 */
public interface Broker extends AutoCloseable {

    /** How long a publication's idempotency key is remembered. */
    Duration IDEMPOTENCY_WINDOW = Duration.ofMinutes(5);

    /** Assigns the next seq, stores the message in history and delivers it to every listener. */
    CompletionStage<Message> publish(Publication publication);

    /**
     * Reads at most {@code limit} messages with seq greater than {@code afterSeq}. Opens the stream
     * (fixing its epoch) if the topic has none yet.
     */
    CompletionStage<HistoryPage> read(String topic, long afterSeq, int limit);

    /** Reads the last {@code count} messages of a topic. Opens the stream like {@link #read}. */
    CompletionStage<HistoryPage> recent(String topic, int count);

    /**
     * Starts delivering a topic's live messages and presence changes to {@code listener}. The
     * returned stage completes once delivery is in effect: anything published afterwards reaches it.
     */
    CompletionStage<Void> listen(String topic, TopicListener listener);

    void unlisten(String topic, TopicListener listener);

    /** Records a session of {@code user} as present; answers the members afterwards. */
    CompletionStage<List<String>> join(String topic, String user, String sessionId);

    CompletionStage<Void> leave(String topic, String user, String sessionId);

    /** Null when the broker works; otherwise why it does not (for health checks). */
    String problem();

    @Override
    void close();
}
