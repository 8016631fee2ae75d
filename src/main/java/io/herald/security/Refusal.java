package io.herald.security;

import io.herald.protocol.ErrorCode;

/** Why a WebSocket handshake is turned away, as the HTTP status and JSON error body it gets. */
public record Refusal(int status, ErrorCode code, String message) implements HandshakeOutcome {
}
