package io.herald.cdi;

import io.herald.Herald;
import io.herald.session.HeraldNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes {@link Herald} injectable in the application Herald is deployed with. */
@ApplicationScoped
public class HeraldProducer {

    @Produces
    public Herald herald() {
        return new Herald(HeraldNode.current());
    }
}
