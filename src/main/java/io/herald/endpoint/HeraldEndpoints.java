package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import io.herald.security.Identity;
import io.herald.session.HeraldNode;
import jakarta.websocket.Session;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * What the runtimes need to know of the endpoints: which classes a configuration serves, and how an
 * opening session learns what its handshake decided.
 */
public final class HeraldEndpoints {

    /**
     * What the handshake left for the session it opened.
     *
     * @param identity who the client is; null if no handshake check ran (a broken deployment)
     * @param abort drops the TCP connection (see {@link io.herald.core.Transport#abort()}); null where
     *     the runtime cannot
     */
    public record Admission(Identity identity, Runnable abort) {
    }

    /** In a WAR, the handshake's servlet filter hands the identity over as the request's principal. */
    private static volatile Function<Session, Admission> admissions = ws ->
            new Admission(ws.getUserPrincipal() instanceof AdmittedPrincipal admitted ? admitted.identity() : null,
                    null);

    private static volatile Function<Session, FrameWriter> frameWriters = ws -> null;

    private HeraldEndpoints() {
    }

    /**
     * Tells the endpoints how to write ready-made frames to a session (null for a session that must
     * go through the container's encoder); the launcher can, the WAR sends through the standard API.
     */
    public static void writesFramesWith(Function<Session, FrameWriter> forSession) {
        frameWriters = forSession;
    }

    /** The frame writer of an opening session, or null to send through the container's API. */
    static FrameWriter frameWriter(Session ws) {
        return frameWriters.apply(ws);
    }

    /** Tells the endpoints how to find what the handshake of an opening session decided. */
    public static void admitsWith(Function<Session, Admission> forOpeningSession) {
        admissions = forOpeningSession;
    }

    /**
     * Called from {@code @OnOpen}, on the thread that opens the session. In a WAR whose container
     * upgrades through the Servlet API, the session also takes over its connection's frame guard.
     */
    static Admission admission(Session ws) {
        FrameGuard.opened(ws);
        return admissions.apply(ws);
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
