package io.herald.rest;

import io.herald.protocol.ErrorCode;

/** A request Herald answers with an error status and a JSON body {@code {"error","message"}}. */
final class ApiException extends RuntimeException {

    private final int status;
    private final ErrorCode code;

    ApiException(int status, ErrorCode code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    ErrorCode code() {
        return code;
    }
}
