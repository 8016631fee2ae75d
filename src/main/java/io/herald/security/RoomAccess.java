package io.herald.security;

import io.herald.core.TopicNames;
import io.herald.protocol.ErrorCode;

/**
 * Who may enter a chat room: the one rule, asked before the upgrade (on the path as sent) and again
 * by the chat endpoint (on the room name as the container decoded it), so that no spelling of a
 * path can reach a room its token does not open (docs/protocol.md section 5).
 */
public final class RoomAccess {

    private RoomAccess() {
    }

    /** Null if {@code room} is a valid room name; else why not (checked before the token, which costs more). */
    public static Refusal nameRefusal(String room) {
        return TopicNames.isValidRoom(room) ? null : new Refusal(400, ErrorCode.BAD_REQUEST, TopicNames.ROOM_RULE);
    }

    /** Null if {@code identity} may enter {@code room}; else why not. */
    public static Refusal refusal(Identity identity, String room) {
        Refusal badName = nameRefusal(room);
        if (badName != null) {
            return badName;
        }
        if (!identity.access().maySubscribe(TopicNames.chatTopic(room))) {
            // no room name in the text: it must fit a close frame's 123-byte reason too
            return new Refusal(403, ErrorCode.FORBIDDEN, "this token may not join the room");
        }
        return null;
    }
}
