package io.herald.security;

/** What the {@link HandshakeGuard} decided: upgrade as this identity, or answer with this refusal. */
public sealed interface HandshakeOutcome permits HandshakeOutcome.Admitted, Refusal {

    record Admitted(Identity identity) implements HandshakeOutcome {
    }
}
