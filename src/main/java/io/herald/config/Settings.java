package io.herald.config;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where setting values come from: the system property {@code herald.x.y} wins over the environment
 * variable {@code HERALD_X_Y}. Values are trimmed; blank counts as unset.
 */
public final class Settings {

    private final Properties properties;
    private final Map<String, String> environment;

    public Settings(Properties properties, Map<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    public static Settings fromSystem() {
        return new Settings(System.getProperties(), System.getenv());
    }

    /** The system property that sets {@code HERALD_X_Y}: {@code herald.x.y}. */
    public static String propertyName(String variable) {
        return variable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The raw value of a setting, or null when unset. */
    public String get(String variable) {
        String value = properties.getProperty(propertyName(variable));
        if (value == null || value.isBlank()) {
            value = environment.get(variable);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }
}
