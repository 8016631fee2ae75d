package io.herald.rest;

import io.herald.session.HeraldNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** {@code /api/metrics}: the node's metrics in the Prometheus text format. */
@Path("metrics")
public class MetricsResource {

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String metrics() {
        return HeraldNode.current().metrics().scrape();
    }
}
