package io.herald.core;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes identifiers. Message and session ids are a random per-process prefix and a counter: unique
 * across nodes without coordination, and far cheaper than a random UUID per message.
 */
public final class Ids {

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix = random(10);
    private final AtomicLong counter = new AtomicLong();

    /** A fresh id, unique among all ids of all generators. */
    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }

    /** A random lowercase alphanumeric string of the given length. */
    public static String random(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    /** A new stream epoch. */
    public static String epoch() {
        return random(8);
    }
}
