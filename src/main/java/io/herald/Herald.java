package io.herald;

import io.herald.core.BrokerUnavailableException;
import io.herald.core.Message;
import io.herald.core.TopicNames;
import io.herald.session.HeraldNode;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishing from Java code deployed beside Herald, without HTTP: {@code @Inject Herald herald} in
 * the WAR's application, {@code StandaloneServer.herald()} when embedding the launcher. Messages are
 * from {@code "server"}; each call returns once the message is stored, with its seq.
 */
public final class Herald {

    /** How long a publish waits for the message store before giving up. */
    private static final long TIMEOUT_SECONDS = 5;

    private final HeraldNode node;

    public Herald(HeraldNode node) {
        this.node = node;
    }

    /**
     * Publishes {@code data} (a map, a record, a string, a number… encoded as JSON) to a topic.
     *
     * @return the message's seq in its topic
     * @throws IllegalArgumentException if the topic name is not valid or data cannot be encoded
     * @throws IllegalStateException if the message store cannot take it (e.g. Redis is down)
     */
    public long publish(String topic, Object data) {
        return publishJson(topic, node.codec().toJson(data));
    }

    /** Publishes {@code json}, which must be one JSON value, to a topic; returns its seq. */
    public long publishJson(String topic, String json) {
        String data = node.codec().compactJson(json);
        if (data == null) {
            throw new IllegalArgumentException("not one JSON value: " + abbreviate(json));
        }
        return await(node.publishAsServer(topic, data, null));
    }

    /** Pushes {@code data} to every session of {@code user} (topic {@code user:{user}}); returns its seq. */
    public long notifyUser(String user, Object data) {
        return publish(TopicNames.userTopic(user), data);
    }

    private static long await(CompletionStage<Message> publishing) {
        try {
            return publishing.toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).seq();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the message store did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BrokerUnavailableException) {
                throw new IllegalStateException(cause.getMessage(), cause);
            }
            throw new IllegalStateException("publish failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 60 ? String.valueOf(s) : s.substring(0, 60) + "…";
    }
}
