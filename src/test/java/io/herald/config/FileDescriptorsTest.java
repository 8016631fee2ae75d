package io.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** HERALD_MAX_CONNECTIONS' default stays below the file-descriptor limit, so that 503 comes before the kernel refuses. */
class FileDescriptorsTest {

    @Test
    void theDefaultLeavesATenthOfTheLimitAndAtLeast256Descriptors() {
        assertEquals(18_000, FileDescriptors.defaultMaxConnections(20_000));
        assertEquals(768, FileDescriptors.defaultMaxConnections(1024));
        assertEquals(50_000, FileDescriptors.defaultMaxConnections(1_048_576));
        assertEquals(50_000, FileDescriptors.defaultMaxConnections(-1));
        assertEquals(1, FileDescriptors.defaultMaxConnections(100));
    }

    @Test
    void thisProcessesDefaultIsBelowItsOwnLimit() {
        long limit = FileDescriptors.limit();
        int max = HeraldConfig.load(HeraldConfig.Runtime.STANDALONE,
                new Settings(new java.util.Properties(), java.util.Map.of())).maxConnections();
        assertTrue(limit < 0 || max < limit, max + " connections against a limit of " + limit);
    }
}
