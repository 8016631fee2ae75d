package io.herald.standalone;

import io.herald.endpoint.HeraldEndpoints;
import io.herald.protocol.FrameCodec;
import io.herald.security.HandshakeGuard;
import io.herald.security.HandshakeOutcome;
import io.herald.security.HandshakeRequest;
import io.herald.security.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.filterchain.FilterChainEvent;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpEvents;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Sits in front of Tyrus on the launcher's one port. It asks the {@link HandshakeGuard} about every
 * WebSocket upgrade and answers a refusal itself with a complete HTTP response (status,
 * Content-Length, {@code Connection: close}) — Tyrus' own refusals leave clients hanging. For an
 * accepted upgrade it hands the identity and the connection's abort to the endpoint opened on the
 * same thread, and it
 * counts the connections it has seen, for tests of what is left behind.
 */
final class HandshakeFilter extends BaseFilter implements AddOn {

    /**
     * What was decided for the upgrade this thread is handling, read by the endpoint's @OnOpen:
     * Tyrus opens the session on the thread that passes the upgrade request on from here.
     */
    private static final ThreadLocal<HeraldEndpoints.Admission> UPGRADING = new ThreadLocal<>();

    private final HandshakeGuard guard;
    private final FrameCodec codec;
    private final String basePath;
    /** Open connections, and whether each has been upgraded to WebSocket. */
    private final Map<Connection<?>, Boolean> open = new ConcurrentHashMap<>();

    HandshakeFilter(HandshakeGuard guard, FrameCodec codec, String basePath) {
        this.guard = guard;
        this.codec = codec;
        this.basePath = basePath;
    }

    /** Goes in before Tyrus' filter: register this add-on before Tyrus' one. */
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class), this);
    }

    /** What was decided for the upgrade in progress on this thread. */
    static HeraldEndpoints.Admission currentAdmission() {
        HeraldEndpoints.Admission admission = UPGRADING.get();
        return admission != null ? admission : new HeraldEndpoints.Admission(null, null);
    }

    /** TCP connections open on the listener. */
    int openConnections() {
        return open.size();
    }

    /** Upgraded connections for which Grizzly still holds the HTTP request. */
    long upgradedHoldingHttpRequests() {
        return open.entrySet().stream().filter(e -> e.getValue() && UpgradedConnections.holdsHttpRequest(e.getKey())).count();
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) {
        Connection<?> connection = ctx.getConnection();
        open.put(connection, Boolean.FALSE);
        connection.addCloseListener((Connection.CloseListener) (closed, type) -> open.remove(closed));
        return ctx.getInvokeAction();
    }

    /**
     * Turns down upgrades to anything but WebSocket, such as the JDK HttpClient's {@code Upgrade:
     * h2c}: HTTP/2 is not served here, and unless the request is told so while its headers are
     * parsed, Grizzly hands its body on as upgraded raw bytes and the request hangs.
     */
    @Override
    public NextAction handleEvent(FilterChainContext ctx, FilterChainEvent event) {
        if (event.type() == HttpEvents.IncomingHttpUpgradeEvent.TYPE) {
            HttpHeader header = ((HttpEvents.IncomingHttpUpgradeEvent) event).getHttpHeader();
            if (!"websocket".equalsIgnoreCase(header.getUpgrade())) {
                header.setIgnoreContentModifiers(false);
                header.getUpgradeDC().recycle();
                header.getHeaders().removeHeader(Header.Upgrade);
            }
        }
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        Connection<?> connection = ctx.getConnection();
        UPGRADING.remove();
        if (open.getOrDefault(connection, Boolean.FALSE) || !(ctx.getMessage() instanceof HttpContent content)
                || !(content.getHttpHeader() instanceof HttpRequestPacket request)) {
            return ctx.getInvokeAction();
        }
        if (!"websocket".equalsIgnoreCase(request.getUpgrade())) {
            return ctx.getInvokeAction();
        }
        String path = request.getRequestURI();
        List<String> origins = new ArrayList<>(1);
        request.getHeaders().values("Origin").forEach(origins::add);
        // the URI as sent, undecoded: the guard accepts only canonical spellings of its paths
        HandshakeOutcome outcome = guard.check(new HandshakeRequest(
                path.startsWith(basePath) ? path.substring(basePath.length()) : path,
                origins, request.getHeader(Header.Host), request.getHeader(Header.Authorization),
                request.getQueryString()));
        if (outcome instanceof Refusal refusal) {
            refuse(ctx, request, refusal);
            return ctx.getStopAction();
        }
        open.replace(connection, Boolean.TRUE);
        UpgradedConnections.upgrading(ctx);
        UPGRADING.set(new HeraldEndpoints.Admission(((HandshakeOutcome.Admitted) outcome).identity(), () -> {
            if (connection.isOpen()) {
                connection.terminateSilently();
            }
        }));
        return ctx.getInvokeAction();
    }

    private void refuse(FilterChainContext ctx, HttpRequestPacket request, Refusal refusal) {
        byte[] body = codec.errorBody(refusal.code(), refusal.message()).getBytes(StandardCharsets.UTF_8);
        HttpResponsePacket response = request.getResponse();
        response.setStatus(refusal.status());
        // straight into the headers: this write does not pass HttpServerFilter, which renders the content type
        response.getHeaders().addValue(Header.ContentType).setString("application/json");
        response.setContentLength(body.length);
        response.setHeader(Header.Connection, "close");
        HttpContent reply = HttpContent.builder(response)
                .content(Buffers.wrap(ctx.getMemoryManager(), body))
                .last(true)
                .build();
        Connection<?> connection = ctx.getConnection();
        ctx.write(reply, new EmptyCompletionHandler<WriteResult>() {
            @Override
            public void completed(WriteResult result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable error) {
                connection.terminateSilently();
            }
        });
    }
}
