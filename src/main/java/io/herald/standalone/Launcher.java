package io.herald.standalone;

import io.herald.config.ConfigException;
import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.core.BrokerUnavailableException;
import java.io.IOException;
import java.util.logging.Logger;

/** {@code java -jar herald-standalone.jar}: one Herald node on one port, settings from SPEC section 6. */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        }
        Logger log = Logger.getLogger(Launcher.class.getName());
        HeraldConfig config;
        try {
            config = HeraldConfig.load(HeraldConfig.Runtime.STANDALONE, Settings.fromSystem());
        } catch (ConfigException e) {
            System.err.println("Herald cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        StandaloneServer server;
        try {
            server = StandaloneServer.start(config);
        } catch (IOException e) {
            System.err.println("Herald cannot start: cannot listen on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (BrokerUnavailableException e) {
            System.err.println("Herald cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        // dev mode's demo page shows a live ticker; nothing publishes it outside dev mode
        DemoTicker ticker = config.dev() ? new DemoTicker(server.herald()).start() : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ticker != null) {
                ticker.close();
            }
            server.close();
        }, "herald-shutdown"));
        String http = (server.secure() ? "https://" : "http://") + config.host() + ":" + server.port()
                + StandaloneServer.BASE_PATH;
        String ws = http.replaceFirst("^http", "ws");
        if (config.dev()) {
            log.warning("\n*****************************************************************************\n"
                    + "*** DEV MODE: tokens are signed with " + (config.security().generatedSecret() ? "a secret made up at start" : "HERALD_JWT_SECRET") + "; anyone can get one\n"
                    + "*** from POST " + http + "/api/dev/token, /ws/echo is on and a demo ticker runs.\n"
                    + "*** Never run dev mode in production: set HERALD_JWT_SECRET or HERALD_JWT_PUBLIC_KEY.\n"
                    + "*****************************************************************************");
        }
        log.info(() -> "Herald is up: " + ws + "/ws/push, " + ws + "/ws/chat/{room}"
                + (config.echo() ? ", " + ws + "/ws/echo" : "") + ", " + http + "/api, demo " + http + "/ (node "
                + config.node() + ")");
        // Grizzly's threads are daemons: main keeps the process alive until a signal stops it
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
