package io.herald.rest;

import io.herald.security.Identity;
import io.herald.session.HeraldNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** {@code /api/topics/{topic}/messages}: publish to a topic, and read its history. */
@Path("topics/{topic}/messages")
public class TopicMessagesResource {

    /** History answers at most this many messages, whatever {@code limit} asks. */
    static final int MAX_LIMIT = 1000;

    /** The body is the message's {@code data}: any JSON value. Answers 202 with topic, seq and id. */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public void publish(@HeaderParam("Authorization") String authorization, @PathParam("topic") String topic,
                        @HeaderParam("Idempotency-Key") String idempotencyKey, InputStream body,
                        @Suspended AsyncResponse response) {
        Publishing.publish(authorization, topic, idempotencyKey, body, response);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public void history(@HeaderParam("Authorization") String authorization, @PathParam("topic") String topic,
                        @QueryParam("since") String since, @QueryParam("limit") String limit,
                        @Suspended AsyncResponse response) {
        HeraldNode node = HeraldNode.current();
        Identity caller = Requests.caller(node, authorization);
        Requests.topic(topic);
        Requests.require(caller.access().maySubscribe(topic), "read " + topic);
        long after = Requests.nonNegative("since", since, 0);
        int max = (int) Math.min(MAX_LIMIT, Requests.nonNegative("limit", limit, 100));
        Requests.answer(response, node.history(topic, after, max),
                page -> Response.ok(node.codec().historyBody(page)).build());
    }
}
