package io.herald.session;

import io.herald.protocol.ClientFrame;
import io.herald.protocol.ClientFrame.Publish;

/**
 * A connection on {@code /ws/chat/{room}}: it is in one room from open to close, and only
 * publishes there.
 */
public final class ChatSession extends ClientSession {

    private final String topic;

    ChatSession(HeraldNode node, Connection connection, String topic) {
        super(node, connection);
        this.topic = topic;
    }

    /** Joins the room: presence snapshot, recent messages, then live traffic. */
    void enter() {
        Subscription subscription = node.hub().join(connection, topic);
        connection.subscriptions().put(topic, subscription);
        subscription.active().whenComplete((s, error) -> {
            if (error != null) {
                connection.subscriptions().remove(topic, subscription);
                failed("join", error, null, topic);
            }
        });
    }

    @Override
    protected void handle(ClientFrame frame) {
        if (frame instanceof Publish publish) {
            if (publish.topic() != null && !publish.topic().equals(topic)) {
                badRequest("a chat connection publishes to its own room, " + topic, publish.id(), publish.topic());
            } else {
                publish(topic, publish.data(), publish.id());
            }
        } else {
            badRequest("a chat connection takes only publish and ping", frame.id(), topicOf(frame));
        }
    }

    @Override
    protected void release(Subscription subscription) {
        super.release(subscription);
        node.broker().leave(subscription.topic(), connection.user(), connection.id());
    }
}
