package io.herald.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SPEC section 5's scope rules. */
class ScopeTest {

    @Test
    void patternsAreExactNamesOrPrefixesEndingInAStar() {
        Scope scope = Scope.parse("alice", "sub:news.* sub:weather pub:chat.*");
        assertTrue(scope.maySubscribe("news.eu"));
        assertTrue(scope.maySubscribe("news."));
        assertFalse(scope.maySubscribe("news"));
        assertTrue(scope.maySubscribe("weather"));
        assertFalse(scope.maySubscribe("weather.eu"));
        assertTrue(scope.mayPublish("chat.lobby"));
        assertFalse(scope.mayPublish("news.eu"));
    }

    @Test
    void ownUserTopicAlwaysAnotherUsersNeverUnlessAdmin() {
        Scope none = Scope.parse("alice", "");
        assertTrue(none.maySubscribe("user:alice"));
        assertFalse(none.maySubscribe("user:bob"));
        Scope everything = Scope.parse("alice", "sub:* pub:*");
        assertFalse(everything.maySubscribe("user:bob"));
        assertFalse(everything.maySubscribe("user:alice2"));
        assertTrue(everything.maySubscribe("anything"));
        assertTrue(Scope.parse("root", "admin").maySubscribe("user:bob"));
    }

    @Test
    void publishingToAnyUserTopicNeedsAdmin() {
        assertFalse(Scope.parse("alice", "pub:*").mayPublish("user:bob"));
        assertFalse(Scope.parse("alice", "pub:* pub:user:*").mayPublish("user:alice"));
        assertTrue(Scope.parse("ops", "admin").mayPublish("user:bob"));
        assertTrue(Scope.parse("ops", "admin").mayPublish("news"));
    }

    @Test
    void unknownItemsAndExtraSpacesGrantNothing() {
        Scope scope = Scope.parse("alice", "  openid profile sub: pub:  administrator sub:x  ");
        assertTrue(scope.maySubscribe("x"));
        assertFalse(scope.mayPublish("x"));
        assertFalse(scope.maySubscribe("user:bob"));
        assertFalse(scope.admin());
    }
}
