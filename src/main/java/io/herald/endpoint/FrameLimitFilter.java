package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import io.herald.session.HeraldNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import java.io.IOException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Judges every client frame by its header, before the container's WebSocket implementation reads
 * its payload (docs/protocol.md section 8: 1009 for a frame over the limit, 1002 for an unmasked
 * one). Where the container upgrades through the Servlet API, as Tyrus does on Payara, the
 * request it upgrades is wrapped here so that its upgrade handler is given the connection through a
 * {@link GuardedUpgrade}. Tyrus itself would buffer a frame up to 4 MiB and more before judging it
 * (docs/security.md). Undertow (WildFly) upgrades beneath the Servlet API: there the guard is left
 * in a request attribute, {@link #GUARD}, for {@link UndertowFrameLimit} to apply to the upgraded
 * connection. web.xml maps it after the handshake filter, whose principal it needs.
 */
public final class FrameLimitFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(FrameLimitFilter.class.getName());
    private static final String ECHO_PATH = "/ws/echo";

    /** The request attribute holding how to make the upgraded connection's {@link FrameGuard}. */
    static final String GUARD = FrameGuard.class.getName();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        HeraldConfig config = HeraldNode.current().config();
        boolean echo = ECHO_PATH.equals(request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo()));
        int max = echo ? HeraldConfig.ECHO_MAX_BYTES : config.maxMessageBytes();
        // made only once the upgrade happens: a guard waits in FrameGuard's registry for its session
        Supplier<FrameGuard> guard = () -> new FrameGuard(max, request.getUserPrincipal());
        request.setAttribute(GUARD, guard);
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public <T extends HttpUpgradeHandler> T upgrade(Class<T> type) throws IOException, ServletException {
                T webSocketHandler;
                try {
                    webSocketHandler = type.getConstructor().newInstance();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.log(Level.WARNING, e, () -> "cannot guard " + type.getName() + "'s frames: upgrading unguarded");
                    return super.upgrade(type);
                }
                super.upgrade(GuardedUpgrade.class).guard(webSocketHandler, guard.get());
                return webSocketHandler;
            }
        }, response);
    }
}
