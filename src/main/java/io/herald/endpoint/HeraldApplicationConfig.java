package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.HashSet;
import java.util.Set;

/** In the WAR, chooses which of the scanned endpoints to deploy: {@code /ws/echo} only when enabled. */
public final class HeraldApplicationConfig implements ServerApplicationConfig {

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        return Set.of();
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        Set<Class<?>> wanted = new HashSet<>(HeraldEndpoints.classes(
                HeraldConfig.load(HeraldConfig.Runtime.WAR, Settings.fromSystem())));
        wanted.retainAll(scanned);
        return wanted;
    }
}
