package io.herald.security;

/** What one connection's user may do with topics. */
public interface Access {

    /** Allows everything: anonymous users until authentication lands (see {@link Guard}). */
    Access EVERYTHING = new Access() {
        @Override
        public boolean maySubscribe(String topic) {
            return true;
        }

        @Override
        public boolean mayPublish(String topic) {
            return true;
        }
    };

    boolean maySubscribe(String topic);

    boolean mayPublish(String topic);
}
