package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import io.herald.session.HeraldNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where the endpoints find the running node. The container, not Herald, instantiates annotated
 * endpoints, decoders and encoders (the standalone launcher has no CDI to inject into them, and
 * Tyrus ignores a configurator passed at registration for annotated classes), so the node that the
 * WAR's listener or the launcher starts is installed here: one node per application class loader.
 */
public final class HeraldEndpoints {

    private static volatile HeraldNode node;
    private static volatile Supplier<Runnable> aborts = () -> null;

    private HeraldEndpoints() {
    }

    /** Makes {@code running} the node of this application; there can be only one at a time. */
    public static synchronized void install(HeraldNode running) {
        if (node != null) {
            throw new IllegalStateException("a Herald node (" + node.config().node()
                    + ") is already running in this application; stop it first");
        }
        node = running;
    }

    /**
     * Tells the endpoints how to drop the TCP connection of the handshake being completed on the
     * calling thread (see {@link io.herald.core.Transport#abort()}); the launcher can, the WAR cannot.
     */
    public static void abortsWith(Supplier<Runnable> forCurrentHandshake) {
        aborts = forCurrentHandshake;
    }

    public static synchronized void uninstall(HeraldNode stopped) {
        if (node == stopped) {
            node = null;
            aborts = () -> null;
        }
    }

    /** The transport of a session being opened, on the thread that opens it. */
    static SessionTransport transport(jakarta.websocket.Session session) {
        return new SessionTransport(session, aborts.get());
    }

    static HeraldNode node() {
        HeraldNode current = node;
        if (current == null) {
            throw new IllegalStateException("Herald is not running: no node is installed");
        }
        return current;
    }

    /** The endpoint classes that a node with this configuration serves. */
    public static Set<Class<?>> classes(HeraldConfig config) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        classes.add(PushEndpoint.class);
        classes.add(ChatEndpoint.class);
        if (config.echo()) {
            classes.add(EchoEndpoint.class);
        }
        return classes;
    }
}
