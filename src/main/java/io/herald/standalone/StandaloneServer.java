package io.herald.standalone;

import io.herald.Herald;
import io.herald.config.HeraldConfig;
import io.herald.config.SecuritySettings;
import io.herald.rest.HeraldApi;
import io.herald.endpoint.EchoEndpoint;
import io.herald.endpoint.HeraldEndpoints;
import io.herald.session.HeraldNode;
import jakarta.websocket.DeploymentException;
import jakarta.ws.rs.ApplicationPath;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.CLStaticHttpHandler;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpHandlerRegistration;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLContextConfigurator;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.HttpStatus;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.server.ContainerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Herald on one Grizzly server and one port: Tyrus WebSocket endpoints and static files under
 * {@value #BASE_PATH}, and a redirect from {@code /} to it.
 */
public final class StandaloneServer implements AutoCloseable {

    public static final String BASE_PATH = "/herald";
    /** HeraldApi's {@code @ApplicationPath}, which the WAR's container applies by itself. */
    private static final String API_PATH = HeraldApi.class.getAnnotation(ApplicationPath.class).value();
    private static final String LISTENER = "herald";
    private static final String ECHO_PATH = EchoEndpoint.class.getAnnotation(ServerEndpoint.class).value();
    /**
     * Frames up to the echo endpoint's 16 MiB plus headers; Tyrus' default of 4 MiB closes larger ones.
     * A frame over its endpoint's limit is refused at its header ({@link UpgradedConnections}), so
     * Tyrus buffers at most one frame within that limit.
     */
    private static final int INCOMING_BUFFER = HeraldConfig.ECHO_MAX_BYTES + 64 * 1024;

    /** How long shutdown waits for clients to take their last messages and close. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final HttpServer http;
    private final HeraldNode node;
    private final HandshakeFilter handshakes;
    private final EndpointContainer endpoints;

    private StandaloneServer(HttpServer http, HeraldNode node, HandshakeFilter handshakes,
                             EndpointContainer endpoints) {
        this.http = http;
        this.node = node;
        this.handshakes = handshakes;
        this.endpoints = endpoints;
    }

    /** Starts a node with {@code config} and serves it; port 0 picks a free port. */
    public static StandaloneServer start(HeraldConfig config) throws IOException {
        ConnectionErrorLogs.install();
        HeraldNode node = new HeraldNode(config);
        HeraldNode.install(node);
        HeraldEndpoints.admitsWith(ws -> HandshakeFilter.currentAdmission());
        HeraldEndpoints.writesFramesWith(TyrusFrameWriters.create(config.security().tls() != null));
        HandshakeFilter handshakes = new HandshakeFilter(node.handshakeGuard(), node.codec(), BASE_PATH);
        HttpServer http = new HttpServer();
        EndpointContainer endpoints = endpoints(config);
        boolean started = false;
        try {
            NetworkListener listener = new NetworkListener(LISTENER, config.host(), config.port());
            // A safety net for connections no session looks after (stalled or idle HTTP): longer than
            // the idle timeout, so that WebSockets, which the heartbeat keeps busy and Herald closes
            // itself when silent, never meet it.
            listener.getKeepAlive().setIdleTimeoutInSeconds(
                    (int) (config.idleTimeout().toSeconds() + config.heartbeat().toSeconds()));
            // handlers must not run on the selector threads: a blocking send there (the echo
            // endpoint's) waits for a write only that selector could complete
            listener.getTransport().setIOStrategy(WorkerThreadIOStrategy.getInstance());
            if (config.security().tls() != null) {
                secure(listener, config.security().tls());
            }
            http.addListener(listener);
            listener.registerAddOn(new UpgradedConnections(config.maxMessageBytes(), BASE_PATH + ECHO_PATH,
                    HeraldConfig.ECHO_MAX_BYTES));
            listener.registerAddOn(handshakes); // before Tyrus', so that it sees upgrades first
            listener.registerAddOn(webSocketAddOn(endpoints));
            serveHttp(http, node);
            http.start();
            StandaloneServer server = new StandaloneServer(http, node, handshakes, endpoints);
            started = true;
            return server;
        } finally {
            if (!started) {
                http.shutdownNow();
                endpoints.shutdown();
                HeraldNode.uninstall(node);
                node.close();
            }
        }
    }

    /**
     * Static files, the REST API and the redirect from {@code /}. Grizzly gives a request to the
     * handler with the longest matching context path; what it answers itself is JSON
     * ({@link JsonErrorPages}). An encoded slash ({@code %2F}) counts as a slash while Grizzly
     * finds the handler and is left encoded to it: Grizzly's default answers any path with one
     * with an empty 500, where a topic or user name with a slash should get the API's own 400.
     */
    private static void serveHttp(HttpServer http, HeraldNode node) {
        ServerConfiguration handlers = http.getServerConfiguration();
        handlers.setDefaultErrorPageGenerator(new JsonErrorPages(node.codec()));
        HttpHandler files = new CLStaticHttpHandler(StandaloneServer.class.getClassLoader(), "/webapp/");
        HttpHandler api = ContainerFactory.createContainer(GrizzlyHttpContainer.class,
                ResourceConfig.forApplicationClass(HeraldApi.class));
        HttpHandler root = new RootRedirect();
        for (HttpHandler handler : List.of(http.getHttpHandler(), files, api, root)) {
            handler.setAllowEncodedSlash(true);
        }
        handlers.addHttpHandler(files, HttpHandlerRegistration.builder().contextPath(BASE_PATH).build());
        handlers.addHttpHandler(api, HttpHandlerRegistration.builder().contextPath(BASE_PATH + "/" + API_PATH).build());
        handlers.addHttpHandler(root, HttpHandlerRegistration.ROOT);
    }

    /** {@code wss://} and {@code https://} on the one port: Grizzly's SSL filter goes under everything else. */
    private static void secure(NetworkListener listener, SecuritySettings.Tls tls) {
        SSLContextConfigurator context = new SSLContextConfigurator();
        context.setKeyStoreFile(tls.keystore().toString());
        context.setKeyStorePass(tls.password());
        context.setKeyStoreType("PKCS12");
        listener.setSecure(true);
        listener.setSSLEngineConfig(new SSLEngineConfigurator(context.createSSLContext(true), false, false, false));
    }

    /** Whether clients connect with {@code wss://} and {@code https://}. */
    public boolean secure() {
        return http.getListener(LISTENER).isSecure();
    }

    public int port() {
        return http.getListener(LISTENER).getPort();
    }

    public HeraldNode node() {
        return node;
    }

    /** Publishing from Java code that embeds the launcher: the same API as the WAR's CDI bean. */
    public Herald herald() {
        return new Herald(node);
    }

    /** TCP connections open on the port, WebSocket or not. */
    public int openConnections() {
        return handshakes.openConnections();
    }

    /** WebSocket connections whose upgrade request is still held in memory (none, once each is set up). */
    long upgradedHoldingHttpRequests() {
        return handshakes.upgradedHoldingHttpRequests();
    }

    /**
     * Stops gracefully: new handshakes are refused with 503, every client gets what was queued for
     * it and a 1001 close, then the port is closed — within about ten seconds.
     */
    @Override
    public void close() {
        node.shutdown(SHUTDOWN_GRACE);
        http.shutdownNow();
        endpoints.shutdown(); // Tyrus' executors, which would otherwise outlive the server
        HeraldNode.uninstall(node);
        node.close();
    }

    private static EndpointContainer endpoints(HeraldConfig config) {
        EndpointContainer container = new EndpointContainer();
        for (Class<?> endpoint : HeraldEndpoints.classes(config)) {
            try {
                container.register(endpoint);
            } catch (DeploymentException e) {
                throw new IllegalStateException("cannot deploy " + endpoint.getName(), e);
            }
        }
        return container;
    }

    /**
     * Tyrus' Grizzly add-on, which puts the WebSocket upgrade filter in front of our HTTP server.
     * Its constructor is package-private in Tyrus 2.1 (public from 2.2), and Tyrus' own server
     * insists on owning the HttpServer; this is the one reflective step that lets both share a port.
     */
    private static AddOn webSocketAddOn(ServerContainer container) {
        try {
            Constructor<WebSocketAddOn> constructor =
                    WebSocketAddOn.class.getDeclaredConstructor(ServerContainer.class, String.class);
            constructor.setAccessible(true);
            return constructor.newInstance(container, BASE_PATH);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException e) {
            throw new IllegalStateException("this Tyrus version's Grizzly add-on cannot be created", e);
        }
    }

    /** A Tyrus server container whose endpoints are served by our HttpServer, not one of its own. */
    private static final class EndpointContainer extends TyrusServerContainer {
        private final WebSocketEngine engine = TyrusWebSocketEngine.builder(this)
                .incomingBufferSize(INCOMING_BUFFER)
                .build();

        EndpointContainer() {
            super((Set<Class<?>>) Set.<Class<?>>of());
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, BASE_PATH);
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, BASE_PATH);
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of();
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }
    }

    /** {@code /} leads to Herald's page; anything else outside {@value #BASE_PATH} is not ours. */
    private static final class RootRedirect extends HttpHandler {
        @Override
        public void service(Request request, Response response) throws IOException {
            if ("/".equals(request.getRequestURI())) {
                response.setStatus(HttpStatus.FOUND_302);
                response.setHeader("Location", BASE_PATH + "/");
                response.setContentLength(0);
            } else {
                response.sendError(HttpStatus.NOT_FOUND_404.getStatusCode());
            }
        }
    }
}
