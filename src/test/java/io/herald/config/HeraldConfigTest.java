package io.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeraldConfigTest {

    private static HeraldConfig load(HeraldConfig.Runtime runtime, Map<String, String> env, String... props) {
        Properties properties = new Properties();
        for (int i = 0; i < props.length; i += 2) {
            properties.setProperty(props[i], props[i + 1]);
        }
        return HeraldConfig.load(runtime, new Settings(properties, env));
    }

    @Test
    void defaultsAreSpecsDefaults() {
        HeraldConfig c = load(HeraldConfig.Runtime.STANDALONE, Map.of());
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(Duration.ofSeconds(25), c.heartbeat());
        assertEquals(Duration.ofSeconds(60), c.idleTimeout());
        assertEquals(1000, c.historySize());
        assertEquals(Duration.ofSeconds(3600), c.historyTtl());
        assertEquals(10_000, c.idempotencyKeys());
        assertEquals(65536, c.maxMessageBytes());
        assertEquals(1024, c.sendQueue());
        assertEquals(4 * 1024 * 1024, c.sendQueueBytes());
        assertEquals(100, c.maxConnectionsPerUser());
        assertTrue(c.dev(), "the standalone launcher defaults to dev mode");
        assertTrue(c.echo(), "echo follows dev mode");
        assertTrue(c.node().endsWith(":8080"));
    }

    @Test
    void theWarIsNeverInDevModeAndHasNoEchoByDefault() {
        HeraldConfig c = load(HeraldConfig.Runtime.WAR, Map.of());
        assertFalse(c.dev());
        assertFalse(c.echo());
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(HeraldConfig.Runtime.WAR, Map.of("HERALD_DEV", "true")));
        assertTrue(e.getMessage().startsWith("HERALD_DEV"));
    }

    /** A client must be able to take the largest message twice over, or the bound would cut off every client. */
    @Test
    void theSendQueuesByteBoundMustHoldTwoOfTheLargestMessages() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(HeraldConfig.Runtime.STANDALONE,
                Map.of("HERALD_MAX_MESSAGE_BYTES", "1048576", "HERALD_SEND_QUEUE_BYTES", "1048576")));
        assertTrue(e.getMessage().startsWith("HERALD_SEND_QUEUE_BYTES"), e.getMessage());
        assertEquals(2 * 16777216 + 65536, load(HeraldConfig.Runtime.STANDALONE,
                Map.of("HERALD_MAX_MESSAGE_BYTES", "16777216")).sendQueueBytes(), "the default grows with the messages");
        assertEquals(2 * 1048576 + 65536, load(HeraldConfig.Runtime.STANDALONE, Map.of("HERALD_MAX_MESSAGE_BYTES", "1048576",
                "HERALD_SEND_QUEUE_BYTES", String.valueOf(2 * 1048576 + 65536))).sendQueueBytes());
    }

    @Test
    void theSystemPropertyWinsOverTheEnvironment() {
        HeraldConfig c = load(HeraldConfig.Runtime.STANDALONE, Map.of("HERALD_PORT", "9000", "HERALD_HISTORY_SIZE", "7"),
                "herald.port", "9100");
        assertEquals(9100, c.port());
        assertEquals(7, c.historySize());
    }

    @ParameterizedTest
    @CsvSource({
        "HERALD_PORT, abc", "HERALD_PORT, 70000", "HERALD_HEARTBEAT, 0", "HERALD_HISTORY_SIZE, -1",
        "HERALD_HISTORY_TTL, 1.5", "HERALD_MAX_MESSAGE_BYTES, 99999999999", "HERALD_SEND_QUEUE, 0",
        "HERALD_ECHO, yes", "HERALD_DEV, 1", "HERALD_IDLE_TIMEOUT, 25", "HERALD_RATE, 0",
        "HERALD_MAX_SUBSCRIPTIONS, none", "HERALD_REDIS_URL, localhost:6379", "HERALD_REDIS_URL, http://redis:6379",
        "HERALD_REDIS_URL, redis://", "HERALD_SEND_QUEUE_BYTES, 1000", "HERALD_MAX_CONNECTIONS_PER_USER, 0",
        "HERALD_IDEMPOTENCY_KEYS, 0",
    })
    void aBadValueStopsStartUpNamingTheSetting(String name, String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(HeraldConfig.Runtime.STANDALONE, Map.of(name, value)));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
        assertTrue(e.getMessage().contains(value), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "HERALD_JWT_SECRET, too-short-secret",
        "HERALD_JWT_PUBLIC_KEY, -----BEGIN PUBLIC KEY-----\\nnot-base64!\\n-----END PUBLIC KEY-----",
        "HERALD_JWT_PUBLIC_KEY, /no/such/key.pem",
        "HERALD_JWT_LEEWAY, -1",
        "HERALD_DEFAULT_SCOPE, sub:* everything",
        "HERALD_ALLOWED_ORIGINS, 'https://ok.example,not-an-origin'",
        "HERALD_TLS_KEYSTORE, /no/such/keystore.p12",
    })
    void aBadSecuritySettingStopsStartUpNamingIt(String name, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(HeraldConfig.Runtime.WAR,
                Map.of(name, value, "HERALD_TLS_PASSWORD", "x")));
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }

    @Test
    void theLauncherWithoutAKeyIsInDevModeWithARandomSecretAndWithAKeyIsNot() {
        HeraldConfig dev = load(HeraldConfig.Runtime.STANDALONE, Map.of());
        assertTrue(dev.dev());
        assertTrue(dev.security().generatedSecret());
        assertEquals(48, dev.security().hmacSecret().length);
        HeraldConfig another = load(HeraldConfig.Runtime.STANDALONE, Map.of());
        assertFalse(java.util.Arrays.equals(dev.security().hmacSecret(), another.security().hmacSecret()));
        HeraldConfig keyed = load(HeraldConfig.Runtime.STANDALONE, Map.of("HERALD_JWT_SECRET", "x".repeat(32)));
        assertFalse(keyed.dev());
        assertFalse(keyed.echo());
        HeraldConfig war = load(HeraldConfig.Runtime.WAR, Map.of());
        assertFalse(war.security().hasKey());
    }

    @Test
    void eitherASecretOrAPublicKeyNotBothAndDevModeCannotMintWithAPublicKey() {
        assertThrows(ConfigException.class, () -> load(HeraldConfig.Runtime.WAR,
                Map.of("HERALD_JWT_SECRET", "x".repeat(32), "HERALD_JWT_PUBLIC_KEY", "whatever")));
        ConfigException e = assertThrows(ConfigException.class, () -> load(HeraldConfig.Runtime.STANDALONE,
                Map.of("HERALD_DEV", "true", "HERALD_JWT_PUBLIC_KEY",
                        io.herald.security.TokenVerifierTest.pem(rsa()))));
        assertTrue(e.getMessage().startsWith("HERALD_DEV"), e.getMessage());
    }

    private static java.security.KeyPair rsa() {
        try {
            return java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSecretNeverShowsInTheSettingsText() {
        HeraldConfig c = load(HeraldConfig.Runtime.WAR, Map.of("HERALD_JWT_SECRET", "s3cr3t-".repeat(6)));
        assertFalse(c.toString().contains("s3cr3t"), c.toString());
    }

    @Test
    void redisIsOffUnlessARedisUrlIsGiven() {
        assertEquals(null, load(HeraldConfig.Runtime.WAR, Map.of()).redisUrl());
        assertEquals("rediss://u:p@redis.internal:6380/2",
                load(HeraldConfig.Runtime.WAR, Map.of("HERALD_REDIS_URL", "rediss://u:p@redis.internal:6380/2")).redisUrl());
    }
}
