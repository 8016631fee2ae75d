package io.herald.endpoint;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.session.HeraldNode;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** Starts the WAR's node when the application deploys, and stops it on undeploy. */
@WebListener
public final class HeraldWebListener implements ServletContextListener {

    private HeraldNode node;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        node = new HeraldNode(HeraldConfig.load(HeraldConfig.Runtime.WAR, Settings.fromSystem()));
        HeraldNode.install(node);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        HeraldNode.uninstall(node);
        node.close();
    }
}
