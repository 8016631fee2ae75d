package io.herald.rest;

import io.herald.core.BrokerUnavailableException;
import io.herald.core.IdempotencyConflictException;
import io.herald.core.TopicNames;
import io.herald.security.AuthenticationException;
import io.herald.security.HandshakeRequest;
import io.herald.security.Identity;
import io.herald.session.HeraldNode;
import io.herald.protocol.ErrorCode;
import jakarta.ws.rs.container.AsyncResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** What the resources do alike: read bounded bodies, parse numbers, finish asynchronous answers. */
final class Requests {

    /** A request waiting on the broker longer than this is answered 503 (SPEC section 7). */
    static final long BACKEND_TIMEOUT_SECONDS = 5;

    private Requests() {
    }

    /** The caller's identity, from its {@code Authorization: Bearer} header; 401 without a valid one. */
    static Identity caller(HeraldNode node, String authorization) {
        try {
            return node.authenticator().authenticate(HandshakeRequest.bearer(authorization));
        } catch (AuthenticationException e) {
            throw new ApiException(401, ErrorCode.UNAUTHORIZED, e.getMessage());
        }
    }

    /** A valid topic name, or 400. */
    static String topic(String topic) {
        if (!TopicNames.isValidTopic(topic)) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, TopicNames.RULE);
        }
        return topic;
    }

    /** 403 unless {@code allowed}. */
    static void require(boolean allowed, String what) {
        if (!allowed) {
            throw new ApiException(403, ErrorCode.FORBIDDEN, "not allowed to " + what);
        }
    }

    /** Reads a body of at most {@code max} bytes as strict UTF-8; 413 if larger, 400 if not UTF-8. */
    static String body(InputStream in, int max) {
        try {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new ApiException(413, ErrorCode.TOO_LARGE, "the body is over " + max + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "the body is not valid UTF-8");
        } catch (IOException e) {
            // the container's message would name the container, and the client knows what it did
            throw new ApiException(400, ErrorCode.BAD_REQUEST, "the body could not be read");
        }
    }

    /** A non-negative whole number from a query parameter, or {@code fallback} when absent. */
    static long nonNegative(String name, String value, long fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, ErrorCode.BAD_REQUEST, "\"" + name + "\" must be a non-negative integer");
    }

    /**
     * Answers {@code response} when {@code stage} completes: with {@code ok}, 409 for an idempotency
     * key reused for other data, or 503 when the broker is unreachable or slower than
     * {@value #BACKEND_TIMEOUT_SECONDS} s.
     */
    static <T> void answer(AsyncResponse response, CompletionStage<T> stage, Function<T, jakarta.ws.rs.core.Response> ok) {
        response.setTimeout(BACKEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        response.setTimeoutHandler(r -> r.resume(ErrorResponses.json(503, ErrorCode.UNAVAILABLE,
                "the message store did not answer within " + BACKEND_TIMEOUT_SECONDS + " s")));
        stage.whenComplete((value, error) -> {
            if (error == null) {
                response.resume(ok.apply(value));
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof BrokerUnavailableException) {
                response.resume(ErrorResponses.json(503, ErrorCode.UNAVAILABLE, cause.getMessage()));
            } else if (cause instanceof IdempotencyConflictException) {
                response.resume(ErrorResponses.json(409, ErrorCode.CONFLICT, cause.getMessage()));
            } else {
                response.resume(cause);
            }
        });
    }
}
