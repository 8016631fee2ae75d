package io.herald.session;

import io.herald.config.HeraldConfig;
import io.herald.core.Broker;
import io.herald.core.Ids;
import io.herald.core.InMemoryBroker;
import io.herald.core.TopicNames;
import io.herald.core.Transport;
import io.herald.protocol.FrameCodec;
import io.herald.protocol.ServerFrame;
import io.herald.security.Guard;
import io.herald.security.Identity;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One running Herald: its settings, broker, local fan-out and the sessions it opens. The WAR and the
 * standalone launcher each make one and hand it their endpoints' connections.
 */
public final class HeraldNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeraldNode.class.getName());

    private final HeraldConfig config;
    private final Broker broker;
    private final FrameCodec codec = new FrameCodec();
    private final Hub hub;
    private final Guard guard = new Guard();
    private final Ids sessionIds = new Ids();
    private final ScheduledExecutorService housekeeping;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    public HeraldNode(HeraldConfig config) {
        this.config = config;
        InMemoryBroker memory = new InMemoryBroker(config.historySize(), config.historyTtl(), Clock.systemUTC());
        this.broker = memory;
        this.hub = new Hub(broker, codec, config.historySize());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long sweepEvery = Math.max(1, Math.min(60, config.historyTtl().toSeconds()));
        housekeeping.scheduleWithFixedDelay(memory::sweep, sweepEvery, sweepEvery, TimeUnit.SECONDS);
        // every second, so that pings go out close to their time and idle clients are cut promptly
        housekeeping.scheduleWithFixedDelay(this::checkLiveness, 1, 1, TimeUnit.SECONDS);
        LOG.info(() -> "Herald node " + config.node() + " started: in-memory broker, history "
                + config.historySize() + " messages / " + config.historyTtl().toSeconds() + " s");
    }

    public HeraldConfig config() {
        return config;
    }

    public FrameCodec codec() {
        return codec;
    }

    Broker broker() {
        return broker;
    }

    Hub hub() {
        return hub;
    }

    /** Admits a client that opened {@code /ws/push}, and greets it. */
    public PushSession openPush(Transport<ServerFrame> transport) {
        Connection connection = connect(transport, guard.admit());
        return opened(new PushSession(this, connection));
    }

    /**
     * Admits a client into chat room {@code room}, greets it and joins it. Null when the room name is
     * not valid, in which case nothing was sent.
     */
    public ChatSession openChat(String room, Transport<ServerFrame> transport) {
        if (!TopicNames.isValidRoom(room)) {
            return null;
        }
        Connection connection = connect(transport, guard.admit());
        ChatSession session = opened(new ChatSession(this, connection, TopicNames.chatTopic(room)));
        session.enter();
        return session;
    }

    private Connection connect(Transport<ServerFrame> transport, Identity identity) {
        Connection connection = new Connection(sessionIds.next(), identity, transport, config.sendQueue());
        connection.send(new ServerFrame.Welcome(connection.id(), identity.user(), config.node(),
                config.heartbeat().toMillis()));
        return connection;
    }

    private <S extends ClientSession> S opened(S session) {
        sessions.add(session);
        return session;
    }

    /** Called once by each session as it closes. */
    void released(ClientSession session) {
        sessions.remove(session);
    }

    /** Sessions open on this node. */
    public int openSessions() {
        return sessions.size();
    }

    private void checkLiveness() {
        long now = System.nanoTime();
        long heartbeat = config.heartbeat().toNanos();
        long idle = config.idleTimeout().toNanos();
        for (ClientSession session : sessions) {
            session.connection().checkLiveness(now, heartbeat, idle);
        }
    }

    /** Topics with subscribers on this node. */
    public int localTopicCount() {
        return hub.topicCount();
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        broker.close();
    }
}
