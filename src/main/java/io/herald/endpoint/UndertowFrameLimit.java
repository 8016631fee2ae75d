package io.herald.endpoint;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.handlers.ServletRequestContext;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * {@link FrameLimitFilter}'s frame guard on WildFly, where Undertow upgrades beneath the Servlet
 * API (docs/protocol.md section 8: 1009 or 1002 from a frame's header, before its payload is
 * read). Undertow alone loads it, through META-INF/services/io.undertow.servlet.ServletExtension:
 * no other runtime ever loads a class that refers to Undertow.
 *
 * <p>Undertow's WebSocket filter hands the connection an upgrade listener that it calls once the
 * 101 response is out, with the raw connection. As the exchange completes, before that call, the
 * listener is swapped for one that first puts the filter's guard under the connection's input.
 * The listener is only reachable through HttpServerConnection's protected accessors: if a later
 * Undertow lacks them, connections are upgraded unguarded, with a warning (Undertow then judges
 * a frame's size once it has read its payload, docs/security.md).
 */
public final class UndertowFrameLimit implements ServletExtension {

    private static final Logger LOG = Logger.getLogger(UndertowFrameLimit.class.getName());
    private static final Method GET_LISTENER = accessor(HttpServerConnection.class, "getUpgradeListener");
    private static final Method SET_LISTENER = accessor(HttpServerConnection.class, "setUpgradeListener", HttpUpgradeListener.class);

    @Override
    public void handleDeployment(DeploymentInfo deployment, ServletContext context) {
        if (GET_LISTENER == null || SET_LISTENER == null) {
            LOG.warning("this Undertow hides its upgrade listener: WebSocket frames are judged by Undertow alone");
            return;
        }
        deployment.addInitialHandlerChainWrapper(UndertowFrameLimit::guarding);
    }

    private static HttpHandler guarding(HttpHandler next) {
        return exchange -> {
            if (exchange.getRequestHeaders().contains(Headers.UPGRADE)) {
                exchange.addExchangeCompleteListener((done, proceed) -> {
                    guardUpgrade(done);
                    proceed.proceed();
                });
            }
            next.handleRequest(exchange);
        };
    }

    /** As an upgrade that FrameLimitFilter admitted completes: its listener first guards the input. */
    private static void guardUpgrade(HttpServerExchange exchange) {
        ServletRequestContext servlet = exchange.getAttachment(ServletRequestContext.ATTACHMENT_KEY);
        if (exchange.getStatusCode() != StatusCodes.SWITCHING_PROTOCOLS || servlet == null
                || !(servlet.getOriginalRequest().getAttribute(FrameLimitFilter.GUARD) instanceof Supplier<?> guards)) {
            return;
        }
        if (!(exchange.getConnection() instanceof HttpServerConnection connection)) {
            return; // WebSocket upgrades are HTTP/1.1's
        }
        try {
            HttpUpgradeListener webSocket = (HttpUpgradeListener) GET_LISTENER.invoke(connection);
            if (webSocket == null) {
                return;
            }
            SET_LISTENER.invoke(connection, (HttpUpgradeListener) (upgraded, upgrade) -> {
                guard(upgraded, (FrameGuard) guards.get(), connection);
                webSocket.handleUpgrade(upgraded, upgrade);
            });
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "cannot guard a WebSocket connection's frames: upgrading unguarded");
        }
    }

    private static void guard(StreamConnection upgraded, FrameGuard guard, ServerConnection connection) {
        guard.connected(upgraded);
        connection.addCloseListener(closed -> guard.forget());
        ConduitStreamSourceChannel input = upgraded.getSourceChannel();
        input.setConduit(new GuardedSourceConduit(input.getConduit(), guard));
    }

    private static Method accessor(Class<?> type, String name, Class<?>... parameters) {
        try {
            Method method = type.getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, e, () -> type.getName() + "." + name + " is not reachable");
            return null;
        }
    }
}
