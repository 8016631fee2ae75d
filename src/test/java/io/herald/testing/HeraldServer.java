package io.herald.testing;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.standalone.StandaloneServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Properties;

/** The real standalone launcher on a free loopback port, with settings given as HERALD_* pairs. */
public final class HeraldServer implements AutoCloseable {

    private final StandaloneServer server;

    private HeraldServer(StandaloneServer server) {
        this.server = server;
    }

    public static HeraldServer start(String... settings) {
        Properties properties = new Properties();
        properties.setProperty("herald.host", "127.0.0.1");
        properties.setProperty("herald.port", "0");
        properties.setProperty("herald.node", "test-node");
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

    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port() + "/herald/ws/" + path);
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    /** A client on {@code /ws/push}, past its welcome frame. */
    public WsClient push() {
        WsClient client = WsClient.connect(ws("push"));
        client.next("welcome");
        return client;
    }

    @Override
    public void close() {
        server.close();
    }
}
