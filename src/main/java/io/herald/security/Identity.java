package io.herald.security;

/** Who is on the other end of a connection or request, and what they may do. */
public record Identity(String user, Access access) {
}
