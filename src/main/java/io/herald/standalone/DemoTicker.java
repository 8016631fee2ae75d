package io.herald.standalone;

import io.herald.Herald;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fake stock prices for the demo page: every period (one second by default) one message on
 * {@value #TOPIC} with a quote per symbol, {@code {"quotes":[{"symbol":"HRLD","price":123.45,
 * "change":0.12}, …]}}. Meant for dev mode only: nothing real should subscribe to made-up prices.
 */
public final class DemoTicker implements AutoCloseable {

    public static final String TOPIC = "demo.ticker";

    private static final Logger LOG = Logger.getLogger(DemoTicker.class.getName());
    private static final Map<String, String> OPENING_PRICES = openingPrices();
    /** Largest move per tick, as a fraction of the price: lively on screen without drifting off to zero. */
    private static final double MAX_MOVE = 0.006;

    private final Herald herald;
    private final Duration period;
    private final Random random = new Random();
    private final Map<String, BigDecimal> prices = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;
    /** Failures in a row: a broker outage is logged once when it starts and once when it ends, not every tick. */
    private int failures;

    public DemoTicker(Herald herald) {
        this(herald, Duration.ofSeconds(1));
    }

    public DemoTicker(Herald herald, Duration period) {
        this.herald = Objects.requireNonNull(herald, "herald");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.period = period;
        OPENING_PRICES.forEach((symbol, price) -> prices.put(symbol, new BigDecimal(price)));
    }

    /** Starts publishing on a daemon thread of its own (it never keeps the JVM alive); idempotent. */
    public synchronized DemoTicker start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "herald-demo-ticker");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleAtFixedRate(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info(() -> "demo ticker: fake stock prices on topic " + TOPIC + " every " + period.toMillis() + " ms");
        }
        return this;
    }

    /** Stops publishing; a tick in progress is interrupted. */
    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void tick() {
        // an exception escaping a scheduleAtFixedRate task would silently cancel every later tick
        try {
            herald.publish(TOPIC, Map.of("quotes", nextQuotes()));
            if (failures > 0) {
                LOG.info(() -> "demo ticker: publishing again after " + failures + " failed ticks");
                failures = 0;
            }
        } catch (RuntimeException e) {
            if (failures++ == 0) {
                LOG.log(Level.WARNING, "demo ticker: cannot publish to " + TOPIC + "; will keep trying", e);
            }
        }
    }

    private List<Map<String, Object>> nextQuotes() {
        List<Map<String, Object>> quotes = new ArrayList<>(prices.size());
        for (Map.Entry<String, BigDecimal> entry : prices.entrySet()) {
            BigDecimal old = entry.getValue();
            double move = (random.nextDouble() * 2 - 1) * MAX_MOVE;
            BigDecimal price = old.multiply(BigDecimal.valueOf(1 + move)).setScale(2, RoundingMode.HALF_EVEN);
            if (price.signum() <= 0) {
                price = new BigDecimal("0.01");
            }
            entry.setValue(price);
            Map<String, Object> quote = new LinkedHashMap<>();
            quote.put("symbol", entry.getKey());
            quote.put("price", price);
            quote.put("change", price.subtract(old));
            quotes.add(quote);
        }
        return quotes;
    }

    private static Map<String, String> openingPrices() {
        Map<String, String> opening = new LinkedHashMap<>();
        opening.put("HRLD", "128.40");
        opening.put("ACME", "42.17");
        opening.put("GLBX", "311.05");
        opening.put("INIT", "18.92");
        opening.put("NOVA", "77.60");
        return opening;
    }
}
