package io.herald.testing;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.standalone.StandaloneServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real standalone launcher on a free loopback port, with settings given as HERALD_* pairs. It
 * verifies tokens signed with {@link Tokens#SECRET} unless the settings say otherwise.
 */
public final class HeraldServer implements AutoCloseable {

    /** What {@link #ws(String)}'s users may do: anything but what needs admin. */
    public static final String USER_SCOPE = "sub:* pub:*";
    private static final AtomicInteger USERS = new AtomicInteger();

    private final StandaloneServer server;

    private HeraldServer(StandaloneServer server) {
        this.server = server;
    }

    public static HeraldServer start(String... settings) {
        Properties properties = new Properties();
        properties.setProperty("herald.host", "127.0.0.1");
        properties.setProperty("herald.port", "0");
        properties.setProperty("herald.node", "test-node");
        properties.setProperty("herald.jwt.secret", Tokens.SECRET);
        for (int i = 0; i < settings.length; i += 2) {
            properties.setProperty(Settings.propertyName(settings[i]), settings[i + 1]);
        }
        HeraldConfig config = HeraldConfig.load(HeraldConfig.Runtime.STANDALONE, new Settings(properties, Map.of()));
        try {
            return new HeraldServer(StandaloneServer.start(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.port();
    }

    public StandaloneServer standalone() {
        return server;
    }

    /** {@code /herald/ws/{path}} for a user of its own, with {@link #USER_SCOPE}. */
    public URI ws(String path) {
        return ws(path, "user-" + USERS.incrementAndGet(), USER_SCOPE);
    }

    /** {@code /herald/ws/{path}} for {@code user} with {@code scope} (null: the default scope). */
    public URI ws(String path, String user, String scope) {
        return wsWithToken(path, Tokens.token(user, scope));
    }

    public URI wsWithToken(String path, String token) {
        return URI.create(wsBase() + path + "?access_token=" + token);
    }

    /** The request target of {@code /herald/ws/{path}} with a token, for raw clients that write their own requests. */
    public String wsTarget(String path) {
        URI uri = ws(path);
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }

    /** {@code /herald/ws/}, without a token. */
    public String wsBase() {
        return (server.secure() ? "wss" : "ws") + "://127.0.0.1:" + port() + "/herald/ws/";
    }

    public URI http(String path) {
        return URI.create((server.secure() ? "https" : "http") + "://127.0.0.1:" + port() + path);
    }

    /** A request to {@code path} with an admin's bearer token, as an application's back end sends. */
    public HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(http("/herald/api" + path))
                .header("Authorization", "Bearer " + Tokens.token("backend", "admin"));
    }

    /** A client on {@code /ws/push} as a user of its own, past its welcome frame. */
    public WsClient push() {
        return welcomed(ws("push"));
    }

    /** A client on {@code /ws/push} as {@code user} with {@code scope}, past its welcome frame. */
    public WsClient push(String user, String scope) {
        return welcomed(ws("push", user, scope));
    }

    private static WsClient welcomed(URI uri) {
        WsClient client = WsClient.connect(uri);
        client.next("welcome");
        return client;
    }

    @Override
    public void close() {
        server.close();
    }
}
