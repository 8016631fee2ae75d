package io.herald.core;

import java.util.List;

/**
 * A read of a topic's stream.
 *
 * @param epoch the stream's epoch; it changes whenever the stream is lost and seq restarts at 1
 * @param latestSeq the highest seq ever assigned in this epoch (0 if none)
 * @param oldestSeq the seq of the oldest message history still holds ({@code latestSeq + 1} when
 *     history is empty)
 * @param messages the messages read, ascending by seq
 */
public record HistoryPage(String topic, String epoch, long latestSeq, long oldestSeq, List<Message> messages) {

    public HistoryPage {
        messages = List.copyOf(messages);
    }

    /** True when history still holds every message after {@code seq}. */
    public boolean holdsEverythingAfter(long seq) {
        return oldestSeq <= seq + 1;
    }
}
