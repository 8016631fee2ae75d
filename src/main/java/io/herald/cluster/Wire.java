package io.herald.cluster;

import io.herald.core.IdempotencyRecord;
import io.herald.core.Message;
import io.herald.core.PresenceChange;
import io.herald.core.Publication;
import java.util.List;

/**
 * The text the Lua scripts publish on the fan-out channel, and publish.lua's answer.
 * Plain lines, not JSON: the scripts build it by concatenation, and {@code data} stays the exact
 * JSON text the publisher sent, never parsed and re-encoded on the way.
 *
 * <pre>
 * m \n topic \n epoch \n seq \n id \n time \n length of from \n from data     a message
 * p \n topic \n j|l \n user                                                   a presence change
 * </pre>
 * Topics, epochs, numbers and ids hold no line breaks; {@code from} and {@code user} may, hence the
 * length of {@code from} and {@code user} last.
 */
final class Wire {

    /** Something a node hears on the fan-out channel. */
    sealed interface Event permits Published, Presence {
        String topic();
    }

    record Published(Message message, String epoch) implements Event {
        @Override
        public String topic() {
            return message.topic();
        }
    }

    record Presence(PresenceChange change) implements Event {
        @Override
        public String topic() {
            return change.topic();
        }
    }

    private Wire() {
    }

    static Event decode(String text) {
        if (text.startsWith("p\n")) {
            String[] parts = text.split("\n", 4);
            return new Presence(new PresenceChange(parts[1], parts[3], parts[2].equals("j")));
        }
        if (!text.startsWith("m\n")) {
            throw new IllegalArgumentException("not a Herald fan-out message: " + abbreviated(text));
        }
        String[] parts = text.split("\n", 8);
        int fromLength = Integer.parseInt(parts[6]);
        String rest = parts[7];
        Message message = new Message(parts[1], Long.parseLong(parts[3]), parts[4], Long.parseLong(parts[5]),
                rest.substring(0, fromLength), rest.substring(fromLength));
        return new Published(message, parts[2]);
    }

    /**
     * What publish.lua answers to {@code p}: the message it published, or, when {@code p}'s
     * idempotency key was used before, {@code k} and that key's record (time, seq, id, fingerprint
     * on lines of their own), which answers {@code p} as the first message or a conflict.
     *
     * @param fingerprint {@link IdempotencyRecord#fingerprint} of {@code p}
     * @throws io.herald.core.IdempotencyConflictException if the key was used for other data
     */
    static Message published(String text, Publication p, String fingerprint) {
        if (text.startsWith("k\n")) {
            String[] parts = text.split("\n", 5);
            IdempotencyRecord first = new IdempotencyRecord(Long.parseLong(parts[2]), parts[3], Long.parseLong(parts[1]),
                    parts[4]);
            return first.answer(p, fingerprint);
        }
        return ((Published) decode(text)).message();
    }

    /** A message as read.lua lists it: seq, id, time, from, data from {@code offset} on. */
    static Message listed(String topic, List<Object> fields, int offset) {
        return new Message(topic, Long.parseLong((String) fields.get(offset)), (String) fields.get(offset + 1),
                Long.parseLong((String) fields.get(offset + 2)), (String) fields.get(offset + 3),
                (String) fields.get(offset + 4));
    }

    private static String abbreviated(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
