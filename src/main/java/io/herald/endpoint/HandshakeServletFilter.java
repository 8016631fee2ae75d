package io.herald.endpoint;

import io.herald.security.HandshakeOutcome;
import io.herald.security.HandshakeRequest;
import io.herald.security.Refusal;
import io.herald.session.HeraldNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;

/**
 * The WAR's adapter for the {@link io.herald.security.HandshakeGuard}: it sees WebSocket upgrades
 * before the container's WebSocket filter does (web.xml declares it, and declared filters run ahead
 * of the ones containers add for WebSocket), and answers refusals with a complete HTTP response.
 * Relying on the containers would not do: a refused {@code checkOrigin} is a 403 on Payara but a
 * 404 on WildFly, and neither says why. An admitted client's identity goes on to the session as
 * the request's principal.
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
        // the URI as sent, not the decoded servlet path: the guard accepts only canonical spellings,
        // so that no escape, parameter or slash makes it judge another path than the one routed
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        HandshakeOutcome outcome = node.handshakeGuard().check(new HandshakeRequest(path,
                Collections.list(request.getHeaders("Origin")), request.getHeader("Host"),
                request.getHeader("Authorization"), request.getQueryString()));
        if (outcome instanceof HandshakeOutcome.Admitted admitted) {
            AdmittedPrincipal principal = new AdmittedPrincipal(admitted.identity());
            chain.doFilter(new HttpServletRequestWrapper(request) {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }
            }, response);
            return;
        }
        Refusal refusal = (Refusal) outcome;
        byte[] body = node.codec().errorBody(refusal.code(), refusal.message()).getBytes(StandardCharsets.UTF_8);
        response.setStatus(refusal.status());
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.setHeader("Connection", "close");
        response.getOutputStream().write(body);
    }
}
