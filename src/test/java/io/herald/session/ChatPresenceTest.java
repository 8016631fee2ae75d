package io.herald.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.herald.protocol.ServerFrame;
import io.herald.protocol.ServerFrame.PresenceEvent;
import io.herald.protocol.ServerFrame.PresenceSnapshot;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Presence is per user, not per tab (SPEC section 3). */
class ChatPresenceTest {

    private final HeraldNode node = NodeFixture.node("HERALD_RATE", "1000");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private int sessions;

    @AfterEach
    void close() {
        timer.shutdownNow();
        node.close();
    }

    private ChatSession join(String user, RecordingTransport transport) {
        Connection connection = new Connection("s" + (++sessions), NodeFixture.admin(user), transport, 100, 1 << 20,
                timer, node.metrics());
        ChatSession session = new ChatSession(node, connection, "chat.lobby");
        session.enter();
        return session;
    }

    @Test
    void aSecondTabMakesNoJoinAndTheLeaveComesWithTheLastTab() {
        RecordingTransport bob = new RecordingTransport();
        join("bob", bob);
        RecordingTransport aliceTab1 = new RecordingTransport();
        ChatSession tab1 = join("alice", aliceTab1);
        RecordingTransport aliceTab2 = new RecordingTransport();
        ChatSession tab2 = join("alice", aliceTab2);

        assertEquals(List.of("alice", "bob"), aliceTab2.all(PresenceSnapshot.class).get(0).members());
        assertEquals(List.of(new PresenceEvent("chat.lobby", true, "alice")), bob.all(PresenceEvent.class));
        assertEquals(List.of(), aliceTab1.all(PresenceEvent.class), "a user's own tabs hear nothing of it");

        tab1.close();
        assertEquals(1, bob.all(PresenceEvent.class).size(), "alice is still there in tab 2");
        tab2.close();
        await().until(() -> bob.all(PresenceEvent.class).size() == 2);
        assertEquals(new PresenceEvent("chat.lobby", false, "alice"), bob.all(PresenceEvent.class).get(1));
    }

    @Test
    void theSnapshotComesBeforeTheRecentMessages() {
        RecordingTransport first = new RecordingTransport();
        ChatSession talker = join("carol", first);
        for (int i = 0; i < 60; i++) {
            talker.onFrame(new io.herald.protocol.ClientFrame.Publish(null, String.valueOf(i), null));
        }
        RecordingTransport late = new RecordingTransport();
        join("dave", late);
        List<ServerFrame> frames = late.frames();
        assertEquals(PresenceSnapshot.class, frames.get(0).getClass());
        assertEquals(List.of("carol", "dave"), ((PresenceSnapshot) frames.get(0)).members());
        List<Long> seqs = late.seqs();
        assertEquals(50, seqs.size(), "the last 50 messages");
        assertEquals(11L, seqs.get(0));
        assertEquals(60L, seqs.get(49));
    }
}
