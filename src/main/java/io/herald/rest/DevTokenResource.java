package io.herald.rest;

import io.herald.protocol.ErrorCode;
import io.herald.security.DevTokens;
import io.herald.session.HeraldNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code POST /api/dev/token} (dev mode only): {@code {"user":"alice","scope":"..."}} gives
 * {@code {"token":"..."}}, so the demo page and a developer's first curl need no token issuer.
 * Outside dev mode it does not exist: 404, like any unknown path.
 */
@Path("dev/token")
public class DevTokenResource {

    private static final int MAX_BODY_BYTES = 4096;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public String issue(InputStream body) {
        HeraldNode node = HeraldNode.current();
        DevTokens tokens = node.devTokens();
        if (tokens == null) {
            throw new NotFoundException(); // answered as any unknown path is, by ErrorResponses
        }
        Map<String, Object> request = node.codec().readObject(Requests.body(body, MAX_BODY_BYTES));
        if (request == null) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "the body must be a JSON object {\"user\",\"scope\"}");
        }
        if (!(request.get("user") instanceof String user) || user.isBlank() || user.length() > 200) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "\"user\" must be a string of 1-200 characters");
        }
        Object scope = request.get("scope");
        if (scope != null && !(scope instanceof String)) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "\"scope\" must be a string such as \"sub:* pub:chat.*\"");
        }
        return node.codec().toJson(Map.of("token", tokens.mint(user, (String) scope)));
    }
}
