package io.herald.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC section 5's origin rules. */
class OriginPolicyTest {

    private final OriginPolicy sameOrigin = new OriginPolicy(List.of());

    @Test
    void byDefaultTheOriginMustNameTheRequestsHostAndPortWhateverTheScheme() {
        assertTrue(sameOrigin.allows("http://app.example:8080", "app.example:8080"));
        assertTrue(sameOrigin.allows("https://APP.example:8080", "app.example:8080"));
        assertTrue(sameOrigin.allows("https://app.example", "app.example"));
        assertTrue(sameOrigin.allows("http://app.example", "app.example:80"));
        assertTrue(sameOrigin.allows("https://app.example:443", "app.example"));
        assertFalse(sameOrigin.allows("http://app.example:8081", "app.example:8080"));
        assertFalse(sameOrigin.allows("http://evil.example:8080", "app.example:8080"));
        assertFalse(sameOrigin.allows("http://app.example.evil.example:8080", "app.example:8080"));
        assertFalse(sameOrigin.allows("http://app.example:8080", null));
    }

    @Test
    void clientsWithoutAnOriginAreAdmittedAndNullIsNot() {
        assertTrue(sameOrigin.allows(null, "app.example"));
        assertFalse(sameOrigin.allows("null", "app.example"));
        assertTrue(new OriginPolicy(List.of("null")).allows("null", "app.example"));
    }

    @Test
    void aListReplacesTheDefault() {
        OriginPolicy listed = new OriginPolicy(List.of("https://app.example", "http://localhost:3000"));
        assertTrue(listed.allows("https://app.example", "herald.internal:8080"));
        assertTrue(listed.allows("https://app.example:443", "herald.internal:8080"));
        assertTrue(listed.allows("http://localhost:3000", "herald.internal:8080"));
        assertFalse(listed.allows("http://app.example", "herald.internal:8080"));
        assertFalse(listed.allows("http://herald.internal:8080", "herald.internal:8080"));
        assertTrue(new OriginPolicy(List.of("*")).allows("https://anyone.example", "h"));
        assertTrue(new OriginPolicy(List.of("*")).allows("null", "h"));
    }

    @Test
    void malformedOriginsAreRefused() {
        for (String junk : List.of("", "app.example", "http://", "http://user@app.example", "http://app.example/path",
                "javascript:alert(1)", "http://app.example:99999", "\u0000")) {
            assertFalse(sameOrigin.allows(junk, "app.example"), junk);
        }
    }
}
