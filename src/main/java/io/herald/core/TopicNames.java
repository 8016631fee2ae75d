package io.herald.core;

import java.util.regex.Pattern;

/** The naming rules of topics and chat rooms. */
public final class TopicNames {

    /** The rule for topic names, as said to whoever breaks it. */
    public static final String RULE = "topic names are 1-128 characters of A-Z a-z 0-9 . _ - :";
    /** The rule for room names, as said to whoever breaks it. */
    public static final String ROOM_RULE = "room names are 1-100 characters of A-Z a-z 0-9 . _ -, but not . or ..";

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final String USER_PREFIX = "user:";
    private static final String CHAT_PREFIX = "chat.";

    private TopicNames() {
    }

    public static boolean isValidTopic(String name) {
        return name != null && TOPIC.matcher(name).matches();
    }

    /** {@code .} and {@code ..} are path segments, which clients and containers resolve away, never names. */
    public static boolean isValidRoom(String name) {
        return name != null && ROOM.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    public static String chatTopic(String room) {
        return CHAT_PREFIX + room;
    }

    public static String userTopic(String user) {
        return USER_PREFIX + user;
    }

    public static boolean isUserTopic(String topic) {
        return topic.startsWith(USER_PREFIX);
    }
}
