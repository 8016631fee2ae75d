package io.herald.core;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class PublicationTest {

    /** An owner is a token's sub, which may hold any separator: no split of the text may pass for another. */
    @Test
    void scopedKeysOfDifferentOwnersNeverMeet() {
        assertNotEquals(Publication.scopedKey("api", "a/b", "c"), Publication.scopedKey("api", "a", "b/c"));
        assertNotEquals(Publication.scopedKey("api", "a:1", "x"), Publication.scopedKey("api", "a", "1:x"));
        assertNotEquals(Publication.scopedKey("api", "1:a", "x"), Publication.scopedKey("api", "1", "a:x"));
        assertNotEquals(Publication.scopedKey("api", "s1", "k"), Publication.scopedKey("ws", "s1", "k"));
    }
}
