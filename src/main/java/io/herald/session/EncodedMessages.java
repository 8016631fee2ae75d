package io.herald.session;

import io.herald.core.Message;
import io.herald.protocol.FrameCodec;
import io.herald.protocol.ServerFrame.Delivery;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Message frames already encoded, by message id, so that a message is encoded once however many
 * subscribers get it: live, where every subscriber shares the frame of the fan-out, and on replay,
 * where every resuming subscriber of a topic shares the frames of its history (before, each replay
 * encoded every message again, per subscriber). Least recently used frames go first once the
 * frames held weigh more than the budget, so memory stays bounded whatever history holds.
 */
final class EncodedMessages {

    private final FrameCodec codec;
    private final long budget;
    /** Guarded by itself. In access order: the least recently used first. */
    private final LinkedHashMap<String, Delivery> frames = new LinkedHashMap<>(256, 0.75f, true);
    private long weight;

    /** A sixteenth of the heap, and at most 64 MiB: room for the recent history of the busiest topics. */
    static long defaultBudget() {
        return Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);
    }

    /** @param budget what the frames held may weigh, by {@link Delivery#weight()} */
    EncodedMessages(FrameCodec codec, long budget) {
        this.codec = codec;
        this.budget = budget;
    }

    /** The frame of {@code message}, encoded now if it is not held. */
    Delivery of(Message message) {
        synchronized (frames) {
            Delivery held = frames.get(message.id()); // ids are unique across topics and nodes
            if (held != null) {
                return held;
            }
        }
        Delivery delivery = codec.delivery(message); // encoded outside the lock: it is the costly part
        synchronized (frames) {
            Delivery raced = frames.putIfAbsent(message.id(), delivery);
            if (raced != null) {
                return raced;
            }
            weight += delivery.weight();
            var eldest = frames.entrySet().iterator();
            while (weight > budget && eldest.hasNext()) {
                Map.Entry<String, Delivery> entry = eldest.next();
                weight -= entry.getValue().weight();
                eldest.remove();
            }
        }
        return delivery;
    }

    /** What the frames held weigh now. */
    long weight() {
        synchronized (frames) {
            return weight;
        }
    }
}
