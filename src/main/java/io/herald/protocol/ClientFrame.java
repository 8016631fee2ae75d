package io.herald.protocol;

/** A frame a client sends; {@link Invalid} stands for any frame that could not be understood. */
public sealed interface ClientFrame {

    /** The client's correlation id, echoed in the answer; null if it sent none. */
    String id();

    /** @param since null when the client asked for live messages only */
    record Subscribe(String topic, Long since, String epoch, String id) implements ClientFrame {
    }

    record Unsubscribe(String topic, String id) implements ClientFrame {
    }

    /** @param topic null on a chat connection, where the room decides it; data is JSON text */
    record Publish(String topic, String data, String id) implements ClientFrame {
    }

    record Ping(String id) implements ClientFrame {
    }

    /** @param topic the frame's topic when it had a readable one, for the error to name it */
    record Invalid(String reason, String id, String topic) implements ClientFrame {
    }

    /** A message larger than the configured maximum; it is not parsed, and closes the connection. */
    record TooLarge(long bytes) implements ClientFrame {
        @Override
        public String id() {
            return null;
        }
    }
}
