package io.herald.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Herald settings each server-config/ file pins as system properties. The integration tests
 * run post-boot-commands.asadmin on Payara Micro and herald.cli on WildFly; payara-server.asadmin
 * (Payara Server, which no test starts) must pin the same, and all must be values Herald accepts.
 */
class ServerConfigFilesTest {

    private static final Path DIR = Path.of("server-config");
    /** create-system-properties a=1:b=2, where '\' escapes a ':' or '=' inside a value. */
    private static final Pattern ASADMIN = Pattern.compile("create-system-properties\\s+(.+)");
    private static final Pattern ASADMIN_PROPERTY = Pattern.compile("((?:[^:\\\\]|\\\\.)+?)=((?:[^:\\\\]|\\\\.)*)(?::|$)");
    /** /system-property=herald.x:add(value=1) and its write-attribute(name=value, value=1) twin. */
    private static final Pattern CLI = Pattern.compile(
            "/system-property=([\\w.]+):(?:add\\(value=(.*)\\)|write-attribute\\(name=value, value=(.*)\\))");

    private static Map<String, String> asadmin(String file) throws IOException {
        Map<String, String> pinned = new TreeMap<>();
        for (String line : Files.readAllLines(DIR.resolve(file))) {
            Matcher command = ASADMIN.matcher(line.trim());
            if (command.matches()) {
                Matcher property = ASADMIN_PROPERTY.matcher(command.group(1));
                while (property.find()) {
                    pinned.put(property.group(1), property.group(2).replaceAll("\\\\(.)", "$1"));
                }
            }
        }
        return pinned;
    }

    private static Map<String, String> cli(String file) throws IOException {
        Map<String, String> added = new TreeMap<>();
        Map<String, String> written = new TreeMap<>();
        for (String line : Files.readAllLines(DIR.resolve(file))) {
            Matcher m = CLI.matcher(line.trim());
            if (m.matches()) {
                if (m.group(2) != null) {
                    added.put(m.group(1), m.group(2));
                } else {
                    written.put(m.group(1), m.group(3));
                }
            }
        }
        assertEquals(added, written, "each property's add and write-attribute set the same value");
        return added;
    }

    @Test
    void everyServerPinsTheSameSettingsAndHeraldAcceptsThem() throws IOException {
        Map<String, String> micro = asadmin("payara/post-boot-commands.asadmin");
        assertFalse(micro.isEmpty());
        assertEquals(micro, asadmin("payara/payara-server.asadmin"), "Payara Server as Payara Micro");
        assertEquals(micro, cli("wildfly/herald.cli"), "WildFly as Payara Micro");

        Properties properties = new Properties();
        properties.putAll(micro);
        HeraldConfig config = HeraldConfig.load(HeraldConfig.Runtime.WAR, new Settings(properties, Map.of()));
        assertEquals(micro.get("herald.heartbeat"), String.valueOf(config.heartbeat().toSeconds()));
    }
}
