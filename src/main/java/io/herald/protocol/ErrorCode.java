package io.herald.protocol;

import java.util.Locale;

/** The {@code code} of an {@code error} frame or an error response body. */
public enum ErrorCode {
    BAD_REQUEST,
    FORBIDDEN,
    RATE_LIMITED,
    TOO_MANY_SUBSCRIPTIONS,
    TOO_MANY_CONNECTIONS,
    NOT_FOUND,
    UNAUTHORIZED,
    TOO_LARGE,
    UNAVAILABLE,
    CONFLICT,
    INTERNAL;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The code as it is written on the wire, e.g. {@code bad_request}. */
    public String wire() {
        return wire;
    }
}
