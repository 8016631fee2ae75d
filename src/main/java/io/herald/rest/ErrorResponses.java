package io.herald.rest;

import io.herald.protocol.ErrorCode;
import io.herald.session.HeraldNode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every error of the API is a JSON body {@code {"error":"code","message":"..."}}: Herald's own, and
 * the framework's (unknown path, wrong method or media type), which would otherwise be HTML that
 * differs between Jersey and RESTEasy.
 */
@Provider
public final class ErrorResponses implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof ApiException api) {
            return json(api.status(), api.code(), api.getMessage());
        }
        if (error instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status == 404) {
                return json(404, ErrorCode.NOT_FOUND, "no such resource");
            }
            return json(status, status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST,
                    web.getResponse().getStatusInfo().getReasonPhrase());
        }
        LOG.log(Level.SEVERE, "REST request failed", error);
        return json(500, ErrorCode.INTERNAL, "the request failed on the server");
    }

    static Response json(int status, ErrorCode code, String message) {
        Response.ResponseBuilder response = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(HeraldNode.current().codec().errorBody(code, message));
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer"); // RFC 6750: how to authenticate
        }
        return response.build();
    }
}
