package io.herald.bench;

import io.herald.core.Message;
import io.herald.protocol.ClientFrame;
import io.herald.protocol.FrameCodec;
import io.herald.protocol.ServerFrame;
import io.herald.protocol.WebSocketFrames;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Frame encode/decode: what every publish (decode) and every broadcast (one encode) costs. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {

    private final FrameCodec codec = new FrameCodec();
    private final String publish = "{\"type\":\"publish\",\"topic\":\"orders.42\",\"id\":\"c-1\","
            + "\"data\":{\"t\":1764079000123456.5,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}";
    private final String subscribe = "{\"type\":\"subscribe\",\"topic\":\"orders.42\",\"since\":17,\"id\":\"s-1\"}";
    private final Message message = new Message("orders.42", 58, "5qtvonmpug2", 1764079000123L, "alice",
            "{\"t\":1764079000123456.5,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}");
    private final ServerFrame ack = new ServerFrame.Ack("c-1", "orders.42", 58);

    @Benchmark
    public ClientFrame decodePublish() {
        return codec.decode(publish, 65536);
    }

    @Benchmark
    public ClientFrame decodeSubscribe() {
        return codec.decode(subscribe, 65536);
    }

    /** A broadcast's one encoding: JSON text and the WebSocket frame shared by every subscriber. */
    @Benchmark
    public ServerFrame.Delivery encodeDelivery() {
        return codec.delivery(message);
    }

    @Benchmark
    public String encodeAck() {
        return codec.encode(ack);
    }

    @Benchmark
    public byte[] frameText() {
        return WebSocketFrames.text(publish);
    }
}
