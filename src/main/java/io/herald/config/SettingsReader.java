package io.herald.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Parses setting values, naming the setting in every complaint. */
final class SettingsReader {

    private final Settings settings;

    SettingsReader(Settings settings) {
        this.settings = settings;
    }

    String string(String name, String fallback) {
        String value = settings.get(name);
        return value == null ? fallback : value;
    }

    int integer(String name, int fallback, int min, int max) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw invalid(name, "\"" + value + "\" is not a whole number from " + min + " to " + max);
    }

    /** A {@code redis://} or {@code rediss://} URL with a host, or null when unset. */
    String redisUrl(String name) {
        String value = settings.get(name);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (("redis".equals(scheme) || "rediss".equals(scheme)) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw invalid(name, "\"" + value + "\" is not a Redis URL such as redis://127.0.0.1:6379 or "
                + "rediss://user:password@host:6380/0");
    }

    boolean bool(String name, boolean fallback) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "\"" + value + "\" is not true or false");
        };
    }

    ConfigException invalid(String name, String problem) {
        return new ConfigException(name + " (or -D" + Settings.propertyName(name) + "): " + problem);
    }
}
