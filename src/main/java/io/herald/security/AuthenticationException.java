package io.herald.security;

/** A client could not be authenticated; the message says why, in words fit to send back to it. */
public final class AuthenticationException extends Exception {

    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
