package io.herald.config;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The process's file-descriptor limit, which bounds connections: each WebSocket holds one. Past
 * it, the kernel refuses to accept, and a client's handshake hangs instead of getting a 503.
 */
final class FileDescriptors {

    /** Connections Herald takes by default where the limit cannot be read. */
    static final int FALLBACK_MAX_CONNECTIONS = 50_000;

    private FileDescriptors() {
    }

    /**
     * The limit, or -1 where the JVM cannot tell (not a Unix). Read as the platform MBean's
     * attribute rather than through {@code com.sun.management}, which WildFly hides from
     * deployments (the WAR failed to deploy there).
     */
    static long limit() {
        try {
            return ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), "MaxFileDescriptorCount")
                    instanceof Long max ? max : -1;
        } catch (JMException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * {@value #FALLBACK_MAX_CONNECTIONS}, or less where the file-descriptor limit is lower: a tenth of
     * the limit (at least 256) is left for everything else the process opens (jars, logs, Redis,
     * HTTP requests, connections still in their handshake), so that the node says 503 before the
     * kernel stops accepting.
     */
    static int defaultMaxConnections() {
        return defaultMaxConnections(limit());
    }

    static int defaultMaxConnections(long limit) {
        if (limit <= 0) {
            return FALLBACK_MAX_CONNECTIONS;
        }
        long spare = Math.max(256, limit / 10);
        return (int) Math.max(1, Math.min(FALLBACK_MAX_CONNECTIONS, limit - spare));
    }
}
