package io.herald.rest;

import io.herald.security.Identity;
import io.herald.protocol.ErrorCode;
import io.herald.session.HeraldNode;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** A publish through the API, to a topic or to a user's topic. */
final class Publishing {

    private Publishing() {
    }

    /**
     * Checks (401, 400, 403, 413, in that order), then publishes as the caller: {@code from} is its
     * {@code sub}, and its idempotency key is its own (409 if it reuses one for other data).
     */
    static void publish(String authorization, String topic, String idempotencyKey, InputStream body,
                        AsyncResponse response) {
        HeraldNode node = HeraldNode.current();
        Identity caller = Requests.caller(node, authorization);
        Requests.topic(topic);
        Requests.require(caller.access().mayPublish(topic), "publish to " + topic);
        String data = node.codec().compactJson(Requests.body(body, node.config().maxMessageBytes()));
        if (data == null) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "the body must be one JSON value");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 256)) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "Idempotency-Key must be 1-256 characters");
        }
        Requests.answer(response, node.publishAs(caller.user(), topic, data, idempotencyKey),
                message -> Response.accepted(node.codec().publishedBody(message)).build());
    }
}
