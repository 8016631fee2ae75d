package io.herald.core;

/** The broker's backing store cannot be reached; the operation was not performed. */
public class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
