package io.herald.session;

import io.herald.core.TopicNames;
import io.herald.protocol.ClientFrame;
import io.herald.protocol.ClientFrame.Publish;
import io.herald.protocol.ClientFrame.Subscribe;
import io.herald.protocol.ClientFrame.Unsubscribe;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ServerFrame;

/** A connection on {@code /ws/push}: subscribe, unsubscribe, publish, resume. */
public final class PushSession extends ClientSession {

    PushSession(HeraldNode node, Connection connection) {
        super(node, connection);
    }

    @Override
    protected void handle(ClientFrame frame) {
        if (frame instanceof Subscribe subscribe) {
            subscribe(subscribe);
        } else if (frame instanceof Unsubscribe unsubscribe) {
            unsubscribe(unsubscribe);
        } else if (frame instanceof Publish publish) {
            if (validTopic(publish.topic(), publish.id())) {
                publish(publish.topic(), publish.data(), publish.id());
            }
        } else {
            badRequest("unexpected frame", frame.id(), null);
        }
    }

    private void subscribe(Subscribe frame) {
        String topic = frame.topic();
        if (!validTopic(topic, frame.id())) {
            return;
        }
        if (!connection.identity().access().maySubscribe(topic)) {
            connection.sendError(ErrorCode.FORBIDDEN, "not allowed to subscribe to " + topic, frame.id(), topic);
            return;
        }
        Subscription existing = connection.subscriptions().get(topic);
        if (existing == null && connection.subscriptions().size() >= node.config().maxSubscriptions()) {
            connection.sendError(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "at most " + node.config().maxSubscriptions()
                    + " subscriptions per connection", frame.id(), topic);
            return;
        }
        if (existing != null) {
            // idempotent: confirm the subscription there is, without replaying or duplicating anything
            existing.active().thenAccept(s -> connection.send(
                    new ServerFrame.Subscribed(topic, s.lastSeq(), s.epoch(), true, frame.id())));
            return;
        }
        Subscription subscription = node.hub().subscribe(connection, topic, frame.since(), frame.epoch(), frame.id());
        connection.subscriptions().put(topic, subscription);
        subscription.active().whenComplete((s, error) -> {
            if (error != null) {
                connection.subscriptions().remove(topic, subscription);
                failed("subscribe", error, frame.id(), topic);
            }
        });
    }

    private void unsubscribe(Unsubscribe frame) {
        String topic = frame.topic();
        if (!validTopic(topic, frame.id())) {
            return;
        }
        Subscription subscription = connection.subscriptions().remove(topic);
        if (subscription != null) {
            release(subscription);
        }
        connection.send(new ServerFrame.Unsubscribed(topic, frame.id()));
    }

    private boolean validTopic(String topic, String requestId) {
        if (topic == null) {
            badRequest("\"topic\" is required", requestId, null);
            return false;
        }
        if (!TopicNames.isValidTopic(topic)) {
            badRequest(TopicNames.RULE, requestId, topic);
            return false;
        }
        return true;
    }
}
