package io.herald.rest;

import io.herald.core.TopicNames;
import io.herald.protocol.ErrorCode;
import io.herald.session.HeraldNode;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** A publish through the API, to a topic or to a user's topic. */
final class Publishing {

    private Publishing() {
    }

    static void publish(String topic, String idempotencyKey, InputStream body, AsyncResponse response) {
        HeraldNode node = HeraldNode.current();
        if (!TopicNames.isValidTopic(topic)) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, TopicNames.RULE);
        }
        String data = node.codec().compactJson(Requests.body(body, node.config().maxMessageBytes()));
        if (data == null) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "the body must be one JSON value");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 256)) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "Idempotency-Key must be 1-256 characters");
        }
        Requests.answer(response, node.publishAsServer(topic, data, idempotencyKey),
                message -> Response.accepted(node.codec().publishedBody(message)).build());
    }
}
