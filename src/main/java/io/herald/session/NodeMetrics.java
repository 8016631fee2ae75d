package io.herald.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/** A node's metrics, in a Micrometer registry that renders the Prometheus text format. */
public final class NodeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter published;
    private final Counter delivered;
    private final Counter slowConsumers;
    private final Counter rateLimited;
    private final Counter badRequests;
    private final Counter handshakesRefused;

    NodeMetrics(String node, Supplier<Number> sessions, Supplier<Number> localTopics, Supplier<Number> queuedBytes) {
        registry.config().commonTags("node", node);
        Gauge.builder("herald.sessions", sessions).description("open WebSocket sessions").register(registry);
        Gauge.builder("herald.topics.local", localTopics).description("topics with subscribers on this node")
                .register(registry);
        Gauge.builder("herald.send.queue.bytes", queuedBytes)
                .description("what waits to be sent to clients, over all their send queues").baseUnit("bytes")
                .register(registry);
        published = Counter.builder("herald.messages.published").description("messages published through this node")
                .register(registry);
        delivered = Counter.builder("herald.messages.delivered").description("message frames queued to subscribers")
                .register(registry);
        slowConsumers = Counter.builder("herald.slow.consumers").description("sessions closed with 4000")
                .register(registry);
        rateLimited = Counter.builder("herald.frames.rate.limited").description("client frames dropped by the rate limit")
                .register(registry);
        badRequests = Counter.builder("herald.frames.bad").description("client frames answered bad_request")
                .register(registry);
        handshakesRefused = Counter.builder("herald.handshakes.refused").description("WebSocket handshakes refused")
                .register(registry);
    }

    void published() {
        published.increment();
    }

    void delivered(int frames) {
        delivered.increment(frames);
    }

    void slowConsumer() {
        slowConsumers.increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void badRequest() {
        badRequests.increment();
    }

    void handshakeRefused() {
        handshakesRefused.increment();
    }

    /** Everything, in the Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }
}
