package io.herald.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** Herald's REST API, under {@code /herald/api} on every runtime. */
@ApplicationPath("api")
public class HeraldApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(TopicMessagesResource.class, UserMessagesResource.class, HealthResource.class,
                MetricsResource.class, DevTokenResource.class, ErrorResponses.class);
    }
}
