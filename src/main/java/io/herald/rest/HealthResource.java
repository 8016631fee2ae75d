package io.herald.rest;

import io.herald.session.HeraldNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/health}: 200 {@code {"status":"UP"}}, or 503 with the reason a backend is down. */
@Path("health")
public class HealthResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        HeraldNode node = HeraldNode.current();
        String problem = node.problem();
        return Response.status(problem == null ? 200 : 503).entity(node.codec().healthBody(problem)).build();
    }
}
