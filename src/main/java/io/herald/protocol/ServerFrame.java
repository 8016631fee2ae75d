package io.herald.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.herald.core.Message;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** A frame Herald sends. Optional fields are null when absent and are then left out. */
public sealed interface ServerFrame {

    /** Writes the frame's fields, {@code type} first, inside an already started JSON object. */
    void writeFields(JsonGenerator g) throws IOException;

    /** About what the frame costs in memory while it waits to be sent: its fields and a fixed part. */
    default int weight() {
        return SMALL_FRAME_WEIGHT;
    }

    /** The weight of a frame of a few short fields: its object and its encoding, about. */
    int SMALL_FRAME_WEIGHT = 256;

    record Welcome(String session, String user, String node, long heartbeatMillis) implements ServerFrame {
        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "welcome");
            g.writeStringField("session", session);
            g.writeStringField("user", user);
            g.writeStringField("node", node);
            g.writeNumberField("heartbeat", heartbeatMillis);
        }
    }

    record Subscribed(String topic, long seq, String epoch, boolean recovered, String id) implements ServerFrame {
        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "subscribed");
            g.writeStringField("topic", topic);
            g.writeNumberField("seq", seq);
            g.writeStringField("epoch", epoch);
            g.writeBooleanField("recovered", recovered);
            optional(g, "id", id);
        }
    }

    record Unsubscribed(String topic, String id) implements ServerFrame {
        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "unsubscribed");
            g.writeStringField("topic", topic);
            optional(g, "id", id);
        }
    }

    /**
     * A message frame, encoded once when it is made and then shared by every subscriber it goes to:
     * as JSON text, and as a whole WebSocket text frame for runtimes that write ready-made frames.
     * Made by {@link FrameCodec#delivery(Message)}.
     */
    record Delivery(Message message, String json, byte[] wire) implements ServerFrame {

        public Delivery(Message message, String json) {
            this(message, json, json == null ? null : WebSocketFrames.text(json));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Delivery d && message.equals(d.message) && Objects.equals(json, d.json);
        }

        @Override
        public int hashCode() {
            return message.hashCode();
        }

        @Override
        public String toString() {
            return "Delivery[" + message + "]";
        }

        /** The encodings it holds, as text and as a frame: a message's payload twice, about. */
        @Override
        public int weight() {
            return SMALL_FRAME_WEIGHT + (json == null ? message.data().length() : json.length())
                    + (wire == null ? 0 : wire.length);
        }

        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "message");
            g.writeStringField("topic", message.topic());
            g.writeNumberField("seq", message.seq());
            g.writeStringField("id", message.id());
            g.writeNumberField("time", message.time());
            g.writeStringField("from", message.from());
            g.writeFieldName("data");
            g.writeRawValue(message.data());
        }
    }

    record Ack(String id, String topic, long seq) implements ServerFrame {
        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "ack");
            optional(g, "id", id);
            g.writeStringField("topic", topic);
            g.writeNumberField("seq", seq);
        }
    }

    record PresenceSnapshot(String topic, List<String> members) implements ServerFrame {
        public PresenceSnapshot {
            members = List.copyOf(members);
        }

        @Override
        public int weight() {
            int weight = SMALL_FRAME_WEIGHT;
            for (String member : members) {
                weight += member.length() + 3;
            }
            return weight;
        }

        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "presence");
            g.writeStringField("topic", topic);
            g.writeArrayFieldStart("members");
            for (String member : members) {
                g.writeString(member);
            }
            g.writeEndArray();
        }
    }

    record PresenceEvent(String topic, boolean joined, String user) implements ServerFrame {
        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "presence");
            g.writeStringField("topic", topic);
            g.writeStringField("event", joined ? "join" : "leave");
            g.writeStringField("user", user);
        }
    }

    record Pong(String id) implements ServerFrame {
        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "pong");
            optional(g, "id", id);
        }
    }

    record Error(ErrorCode code, String message, String id, String topic) implements ServerFrame {
        @Override
        public int weight() {
            return SMALL_FRAME_WEIGHT + message.length();
        }

        @Override
        public void writeFields(JsonGenerator g) throws IOException {
            g.writeStringField("type", "error");
            g.writeStringField("code", code.wire());
            g.writeStringField("message", message);
            optional(g, "id", id);
            optional(g, "topic", topic);
        }
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
