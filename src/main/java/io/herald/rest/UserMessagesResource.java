package io.herald.rest;

import io.herald.core.TopicNames;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/** {@code /api/users/{user}/messages}: push to every session of one user (topic {@code user:{user}}). */
@Path("users/{user}/messages")
public class UserMessagesResource {

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public void publish(@HeaderParam("Authorization") String authorization, @PathParam("user") String user,
                        @HeaderParam("Idempotency-Key") String idempotencyKey, InputStream body,
                        @Suspended AsyncResponse response) {
        Publishing.publish(authorization, TopicNames.userTopic(user), idempotencyKey, body, response);
    }
}
