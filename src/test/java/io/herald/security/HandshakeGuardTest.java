package io.herald.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.protocol.ErrorCode;
import io.herald.testing.Tokens;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The handshake decisions of docs/protocol.md section 1, taken on the path exactly as sent. */
class HandshakeGuardTest {

    private final Map<String, Integer> perUser = new HashMap<>();
    private final HandshakeGuard guard = new HandshakeGuard(new HandshakeGuard.Limits(10, 2),
            new HandshakeGuard.Load(() -> perUser.values().stream().mapToInt(Integer::intValue).sum(),
                    user -> perUser.getOrDefault(user, 0)),
            () -> true, new OriginPolicy(List.of()), new Authenticator(settings()), () -> { });

    private static io.herald.config.SecuritySettings settings() {
        Properties properties = new Properties();
        properties.setProperty("herald.jwt.secret", Tokens.SECRET);
        return HeraldConfig.load(HeraldConfig.Runtime.STANDALONE, new Settings(properties, Map.of())).security();
    }

    private HandshakeOutcome check(String path, String scope, String... origins) {
        return guard.check(new HandshakeRequest(path, List.of(origins), "h:1",
                "Bearer " + Tokens.token("alice", scope), null));
    }

    private static void assertRefused(int status, ErrorCode code, HandshakeOutcome outcome) {
        Refusal refusal = assertInstanceOf(Refusal.class, outcome);
        assertEquals(status, refusal.status(), refusal.message());
        assertEquals(code, refusal.code());
    }

    @Test
    void aRoomIsJudgedOnThePathAsSentAndOnlyCanonicalSpellingsGetThrough() {
        String scope = "sub:chat.public";
        assertInstanceOf(HandshakeOutcome.Admitted.class, check("/ws/chat/public", scope));
        assertRefused(403, ErrorCode.FORBIDDEN, check("/ws/chat/secret", scope));
        for (String spelling : List.of("/ws/chat/secre%74", "/ws/chat/secret;x=1", "/ws/chat/secret/",
                "/ws/chat//secret", "/ws/chat/./secret", "/ws/chat/%2e%2e", "/ws/chat/..", "/ws/chat/.",
                "/ws/chat/a%2Fb", "/ws/chat/")) {
            assertRefused(400, ErrorCode.BAD_REQUEST, check(spelling, scope));
        }
        for (String spelling : List.of("/ws/%63hat/secret", "/ws/CHAT/secret", "/ws//chat/secret", "/ws/./chat/secret",
                "/ws;x=1/chat/secret", "/ws/push/", "/ws/push;x", "/ws/pus%68", "/herald/ws/chat/secret", "", "/")) {
            assertRefused(404, ErrorCode.NOT_FOUND, check(spelling, scope));
        }
    }

    @Test
    void moreThanOneOriginIsRefusedWhateverTheFirstSays() {
        assertInstanceOf(HandshakeOutcome.Admitted.class, check("/ws/push", "sub:*", "http://h:1"));
        assertRefused(403, ErrorCode.FORBIDDEN, check("/ws/push", "sub:*", "http://h:1", "https://evil.example"));
        assertRefused(403, ErrorCode.FORBIDDEN, check("/ws/push", "sub:*", "http://h:1", "http://h:1"));
    }

    @Test
    void oneUserCannotTakeMoreThanItsShareOfConnections() {
        perUser.put("alice", 2);
        assertRefused(429, ErrorCode.TOO_MANY_CONNECTIONS, check("/ws/push", "sub:*"));
        perUser.put("alice", 1);
        assertInstanceOf(HandshakeOutcome.Admitted.class, check("/ws/push", "sub:*"));
        perUser.put("bob", 9);
        assertRefused(503, ErrorCode.UNAVAILABLE, check("/ws/push", "sub:*"));
    }
}
