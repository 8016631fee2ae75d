package io.herald.bench;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.core.Transport;
import io.herald.protocol.ClientFrame;
import io.herald.protocol.ServerFrame;
import io.herald.session.HeraldNode;
import io.herald.session.PushSession;
import io.herald.security.Identity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publish to N local subscribers through a real node (in-memory broker, hub, subscriptions,
 * outboxes), with transports that complete every send at once: Herald's own cost per publish,
 * without the network. Divide by N for the cost per delivery.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanoutBench {

    @Param({"1", "100", "1000"})
    public int subscribers;

    private HeraldNode node;
    private final List<PushSession> sessions = new ArrayList<>();
    private long sent;

    /** Completes every send on the calling thread, as a socket with room in its buffer does. */
    private final class Immediate implements Transport<ServerFrame> {
        @Override
        public void send(ServerFrame frame, Consumer<Throwable> done) {
            sent++;
            done.accept(null);
        }

        @Override
        public void ping() {
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public void abort() {
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Properties p = new Properties();
        p.setProperty("herald.node", "jmh");
        p.setProperty("herald.dev", "false");
        p.setProperty("herald.history.size", "100");
        p.setProperty("herald.jwt.secret", "herald-bench-secret-0123456789-abcdefghijklmnop");
        node = new HeraldNode(HeraldConfig.load(HeraldConfig.Runtime.STANDALONE, new Settings(p, Map.of())));
        HeraldNode.install(node);
        for (int i = 0; i < subscribers; i++) {
            PushSession s = node.openPush(new Immediate(), new Identity("bench" + i, io.herald.security.Scope.parse("bench" + i, "admin"), Instant.MAX));
            s.onFrame(new ClientFrame.Subscribe("bench.fanout", null, null, null));
            sessions.add(s);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sessions.forEach(PushSession::close);
        HeraldNode.uninstall(node);
        node.close();
    }

    @Benchmark
    public Object publish() {
        return node.publishAsServer("bench.fanout", "{\"t\":1,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxx\"}", null);
    }
}
