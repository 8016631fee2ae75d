package io.herald.config;

/** A setting has a value Herald cannot run with; the message names the setting. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
