package io.herald.standalone;

import io.herald.protocol.ErrorCode;
import io.herald.protocol.FrameCodec;
import org.glassfish.grizzly.http.server.ErrorPageGenerator;
import org.glassfish.grizzly.http.server.Request;

/**
 * What Grizzly answers by itself (a path outside the API that has no file, a failure before
 * Herald's code runs) as Herald's JSON error body, like every other error of the launcher. Grizzly's
 * own page names the server and its version, and may show the exception.
 */
final class JsonErrorPages implements ErrorPageGenerator {

    private final FrameCodec codec;

    JsonErrorPages(FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public String generate(Request request, int status, String reasonPhrase, String description, Throwable exception) {
        request.getResponse().setContentType("application/json;charset=UTF-8");
        if (status == 404) {
            return codec.errorBody(ErrorCode.NOT_FOUND, "no such resource");
        }
        return codec.errorBody(status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST,
                reasonPhrase != null ? reasonPhrase : "status " + status);
    }
}
