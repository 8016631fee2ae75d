package io.herald.session;

import io.herald.config.HeraldConfig;
import io.herald.config.Settings;
import io.herald.security.Identity;
import io.herald.security.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

final class NodeFixture {

    private NodeFixture() {
    }

    /** A node with the given HERALD_* settings over the defaults. */
    static HeraldNode node(String... settings) {
        Properties properties = new Properties();
        properties.setProperty("herald.node", "unit");
        for (int i = 0; i < settings.length; i += 2) {
            properties.setProperty(Settings.propertyName(settings[i]), settings[i + 1]);
        }
        return new HeraldNode(HeraldConfig.load(HeraldConfig.Runtime.STANDALONE, new Settings(properties, Map.of())));
    }

    /** A user allowed everything, with a token that does not run out during a test. */
    static Identity admin(String user) {
        return new Identity(user, Scope.parse(user, "admin"), Instant.MAX);
    }
}
