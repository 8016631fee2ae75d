package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.session.HeraldNode;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.time.Duration;

/** Starts the WAR's node when the application deploys, and stops it on undeploy. */
@WebListener
public final class HeraldWebListener implements ServletContextListener {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private HeraldNode node;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        node = new HeraldNode(HeraldConfig.load(HeraldConfig.Runtime.WAR, Settings.fromSystem()));
        HeraldNode.install(node);
    }

    /** Undeploy and server shutdown: clients get what is queued for them and 1001, as standalone. */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        node.shutdown(SHUTDOWN_GRACE);
        HeraldNode.uninstall(node);
        node.close();
    }
}
