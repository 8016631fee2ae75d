package io.herald.endpoint;

import io.herald.security.Refusal;
import io.herald.session.HeraldNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The WAR's adapter for the {@link io.herald.security.HandshakeGuard}: it sees WebSocket upgrades
 * before the container's WebSocket filter does (web.xml declares it, and declared filters run ahead
 * of the ones containers add for WebSocket), and answers refusals with a complete HTTP response.
 * Relying on the containers would not do: a refused {@code checkOrigin} is a 403 on Payara but a
 * 404 on WildFly, and neither says why.
 */
public final class HandshakeServletFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        HeraldNode node = HeraldNode.current();
        Refusal refusal = node.handshakeGuard().check();
        if (refusal == null) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = node.codec().errorBody(refusal.code(), refusal.message()).getBytes(StandardCharsets.UTF_8);
        response.setStatus(refusal.status());
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.setHeader("Connection", "close");
        response.getOutputStream().write(body);
    }
}
