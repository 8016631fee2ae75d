package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.TopicNames;
import io.herald.testing.HeraldServer;
import io.herald.testing.RawWebSocket;
import io.herald.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /ws/chat/{room}}: SPEC section 3, chat. */
class ChatIT {

    private static HeraldServer server;

    @BeforeAll
    static void start() {
        server = HeraldServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<String> members(JsonNode presence) {
        List<String> members = new ArrayList<>();
        presence.get("members").forEach(m -> members.add(m.asText()));
        return members;
    }

    @Test
    void joiningSendsWelcomeThenAPresenceSnapshotWithTheJoinerThenTheLast50Messages() {
        try (WsClient talker = WsClient.connect(server.ws("chat/history"))) {
            String talkerName = talker.next("welcome").get("user").asText();
            talker.next("presence");
            for (int i = 1; i <= 60; i++) {
                talker.send(json().put("type", "publish").set("data", json().put("n", i)));
            }
            for (int i = 0; i < 60; i++) {
                talker.until(f -> f.get("type").asText().equals("ack"));
            }
            try (WsClient late = WsClient.connect(server.ws("chat/history"))) {
                String lateName = late.next("welcome").get("user").asText();
                JsonNode snapshot = late.next("presence");
                assertEquals("chat.history", snapshot.get("topic").asText());
                assertTrue(members(snapshot).containsAll(List.of(talkerName, lateName)));
                List<JsonNode> recent = late.messages(50);
                assertEquals(11, recent.get(0).get("seq").asLong());
                assertEquals(60, recent.get(49).get("seq").asLong());
                assertEquals("chat.history", recent.get(0).get("topic").asText());
            }
        }
    }

    @Test
    void joinsAndLeavesReachTheOtherMembers() {
        try (WsClient alice = WsClient.connect(server.ws("chat/lobby"))) {
            alice.next("welcome");
            alice.next("presence");
            String bobName;
            try (WsClient bob = WsClient.connect(server.ws("chat/lobby"))) {
                bobName = bob.next("welcome").get("user").asText();
                JsonNode join = alice.next("presence");
                assertEquals("join", join.get("event").asText());
                assertEquals(bobName, join.get("user").asText());
            }
            JsonNode leave = alice.next("presence");
            assertEquals("leave", leave.get("event").asText());
            assertEquals(bobName, leave.get("user").asText());
        }
    }

    @Test
    void aChatMessageComesBackToItsSenderWithItsSeqAndReachesTheRoom() {
        try (WsClient alice = WsClient.connect(server.ws("chat/talk")); WsClient bob = WsClient.connect(server.ws("chat/talk"))) {
            String aliceName = alice.next("welcome").get("user").asText();
            alice.next("presence");
            bob.next("welcome");
            bob.next("presence");
            alice.next("presence"); // bob's join
            alice.send(json().put("type", "publish").put("id", "c-2").set("data", json().put("text", "hi")));
            JsonNode atBob = bob.next("message");
            assertEquals("chat.talk", atBob.get("topic").asText());
            assertEquals(aliceName, atBob.get("from").asText());
            assertEquals("hi", atBob.get("data").get("text").asText());
            JsonNode a1 = alice.next();
            JsonNode a2 = alice.next();
            JsonNode ack = a1.get("type").asText().equals("ack") ? a1 : a2;
            JsonNode own = a1 == ack ? a2 : a1;
            assertEquals("c-2", ack.get("id").asText());
            assertEquals(atBob.get("seq"), ack.get("seq"));
            assertEquals(atBob, own);
        }
    }

    @Test
    void publishingToTheRoomsTopicThroughPushReachesTheRoom() {
        try (WsClient member = WsClient.connect(server.ws("chat/bridge")); WsClient pusher = server.push()) {
            member.next("welcome");
            member.next("presence");
            pusher.publish("chat.bridge", json().put("from", "push"), null);
            assertEquals("push", member.next("message").get("data").get("from").asText());
        }
    }

    @Test
    void subscribeIsNotAChatFrame() {
        try (WsClient member = WsClient.connect(server.ws("chat/strict"))) {
            member.next("welcome");
            member.next("presence");
            member.send(json().put("type", "subscribe").put("topic", "x").put("id", "nope"));
            JsonNode error = member.next("error");
            assertEquals("bad_request", error.get("code").asText());
            assertEquals("nope", error.get("id").asText());
            assertEquals("x", error.get("topic").asText(), "an error names the frame's topic");
        }
    }

    /** Refused before the upgrade, with the rule: no session is opened for a room that cannot exist. */
    @Test
    void anInvalidRoomNameIsRefusedBeforeTheUpgrade() throws Exception {
        for (String room : List.of("bad:room", "r".repeat(101), "..", "bad%20room")) {
            try (RawWebSocket ws = RawWebSocket.open(server.port(), server.wsTarget("chat/" + room))) {
                assertEquals(400, ws.status(), room);
                JsonNode body = WsClient.parse(ws.body());
                assertEquals("bad_request", body.get("error").asText());
                assertEquals(TopicNames.ROOM_RULE, body.get("message").asText());
            }
        }
    }
}
