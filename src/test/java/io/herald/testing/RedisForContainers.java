package io.herald.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * In the app-server executions of failsafe ({@code -Dherald.test.redis=true}), starts one real
 * redis-server before any test class, so before Arquillian starts the server: arquillian.xml passes
 * its URL, {@code herald.test.redis.url}, to the server's JVM as {@code herald.redis.url}, and the
 * WAR runs as a cluster node. Elsewhere it does nothing.
 */
public final class RedisForContainers implements LauncherSessionListener {

    public static final String URL_PROPERTY = "herald.test.redis.url";
    private RedisServer redis;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (Boolean.getBoolean("herald.test.redis")) {
            redis = RedisServer.start();
            System.setProperty(URL_PROPERTY, redis.url());
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (redis != null) {
            redis.close();
        }
    }
}
