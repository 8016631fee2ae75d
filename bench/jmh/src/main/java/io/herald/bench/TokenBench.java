package io.herald.bench;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.security.Identity;
import io.herald.security.TokenVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** HS256 token verification, as every handshake and REST call does it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenBench {

    private static final String SECRET = "herald-bench-secret-0123456789-abcdefghijklmnop";

    private TokenVerifier verifier;
    private String token;

    @Setup
    public void setUp() throws Exception {
        Properties p = new Properties();
        p.setProperty("herald.jwt.secret", SECRET);
        verifier = new TokenVerifier(HeraldConfig.load(HeraldConfig.Runtime.WAR, new Settings(p, Map.of())).security());
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"sub\":\"alice\",\"exp\":" + (System.currentTimeMillis() / 1000 + 86400)
                + ",\"scope\":\"sub:news.* pub:chat.*\"}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = b64.encodeToString(mac.doFinal((header + "." + claims).getBytes(StandardCharsets.US_ASCII)));
        token = header + "." + claims + "." + sig;
    }

    @Benchmark
    public Identity verifyHs256() throws Exception {
        return verifier.verify(token);
    }
}
