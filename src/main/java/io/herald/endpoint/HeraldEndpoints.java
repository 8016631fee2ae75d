package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import io.herald.session.HeraldNode;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the runtimes need to know of the endpoints: which classes a configuration serves, and how to
 * make a session's transport.
 */
public final class HeraldEndpoints {

    private static volatile Supplier<Runnable> aborts = () -> null;
    private static volatile Function<jakarta.websocket.Session, FrameWriter> frameWriters = session -> null;

    private HeraldEndpoints() {
    }

    /**
     * Tells the endpoints how to drop the TCP connection of the handshake being completed on the
     * calling thread (see {@link io.herald.core.Transport#abort()}); the launcher can, the WAR cannot.
     */
    public static void abortsWith(Supplier<Runnable> forCurrentHandshake) {
        aborts = forCurrentHandshake;
    }

    /**
     * Tells the endpoints how to write ready-made frames to a session (null for a session that must
     * go through the container's encoder); the launcher can, the WAR sends through the standard API.
     */
    public static void writesFramesWith(Function<jakarta.websocket.Session, FrameWriter> forSession) {
        frameWriters = forSession;
    }

    /** The transport of a session being opened, on the thread that opens it. */
    static SessionTransport transport(jakarta.websocket.Session session) {
        return new SessionTransport(session, aborts.get(), frameWriters.apply(session), node().codec());
    }

    static HeraldNode node() {
        return HeraldNode.current();
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
