package io.herald.security;

/** What one connection's or request's user may do with topics. */
public interface Access {

    boolean maySubscribe(String topic);

    boolean mayPublish(String topic);
}
