package io.herald.security;

/**
 * What a WebSocket handshake asks for, read from its path exactly as sent (below the base path,
 * before any decoding). Only the canonical spellings are accepted: containers decode
 * percent-escapes, drop {@code ;parameters} and forgive trailing or doubled slashes each in their
 * own way, so a check made on any other spelling could be about another path than the one the
 * container then routes (docs/protocol.md section 1).
 */
public sealed interface HandshakePath {

    String PUSH = "/ws/push";
    String ECHO = "/ws/echo";
    String CHAT = "/ws/chat/";

    record Push() implements HandshakePath {
    }

    record Echo() implements HandshakePath {
    }

    /** @param room the room name, not yet checked against the naming rule */
    record Chat(String room) implements HandshakePath {
    }

    /** A path that is not one of Herald's endpoints as they are spelled. */
    record Unknown() implements HandshakePath {
    }

    static HandshakePath of(String rawPath) {
        if (PUSH.equals(rawPath)) {
            return new Push();
        }
        if (ECHO.equals(rawPath)) {
            return new Echo();
        }
        if (rawPath != null && rawPath.startsWith(CHAT)) {
            return new Chat(rawPath.substring(CHAT.length()));
        }
        return new Unknown();
    }
}
