package io.herald.security;

import io.herald.core.TopicNames;
import java.util.ArrayList;
import java.util.List;

/**
 * A token's {@code scope} claim as SPEC section 5 reads it: {@code sub:PATTERN}, {@code pub:PATTERN}
 * and {@code admin}, where a pattern is a topic name or a prefix ending in {@code *}. Items it does
 * not know (an identity provider's {@code openid}, say) grant nothing.
 *
 * <p>{@code user:} topics are private whatever the patterns say: a user may always read its own,
 * never another's, and only {@code admin} may publish to any of them.
 */
public record Scope(String user, List<String> subscribe, List<String> publish, boolean admin) implements Access {

    public static Scope parse(String user, String claim) {
        List<String> subscribe = new ArrayList<>();
        List<String> publish = new ArrayList<>();
        boolean admin = false;
        for (String item : claim.trim().split("\\s+")) {
            if (item.equals("admin")) {
                admin = true;
            } else if (item.startsWith("sub:") && item.length() > 4) {
                subscribe.add(item.substring(4));
            } else if (item.startsWith("pub:") && item.length() > 4) {
                publish.add(item.substring(4));
            }
        }
        return new Scope(user, List.copyOf(subscribe), List.copyOf(publish), admin);
    }

    @Override
    public boolean maySubscribe(String topic) {
        if (admin || topic.equals(TopicNames.userTopic(user))) {
            return true;
        }
        return !TopicNames.isUserTopic(topic) && matchesAny(subscribe, topic);
    }

    @Override
    public boolean mayPublish(String topic) {
        if (admin) {
            return true;
        }
        return !TopicNames.isUserTopic(topic) && matchesAny(publish, topic);
    }

    private static boolean matchesAny(List<String> patterns, String topic) {
        for (String pattern : patterns) {
            if (pattern.endsWith("*")
                    ? topic.startsWith(pattern.substring(0, pattern.length() - 1))
                    : topic.equals(pattern)) {
                return true;
            }
        }
        return false;
    }
}
