package io.herald.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * What a broker keeps of a publication made under an idempotency key, for
 * {@link Broker#IDEMPOTENCY_WINDOW}: enough to answer a retry, never the message itself, whose data
 * may be large and would outlive history (docs/protocol.md, "Idempotent publish").
 *
 * @param fingerprint {@link #fingerprint(Publication)} of the first publication
 */
public record IdempotencyRecord(long seq, String id, long time, String fingerprint) {

    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

    /** @param fingerprint {@link #fingerprint(Publication)} of the publication that made {@code first} */
    public static IdempotencyRecord of(Message first, String fingerprint) {
        return new IdempotencyRecord(first.seq(), first.id(), first.time(), fingerprint);
    }

    /**
     * A digest of what a retry must repeat, {@code from} and {@code data}: 43 characters of base64,
     * without line breaks. SHA-256, so that no publisher can make two different messages pass for
     * each other; {@code from}'s length first, so that no split of one text between the two does.
     */
    public static String fingerprint(Publication publication) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((publication.from().length() + "\n" + publication.from()).getBytes(StandardCharsets.UTF_8));
            digest.update(publication.data().getBytes(StandardCharsets.UTF_8));
            return BASE64.encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The answer to {@code retry}, made under this record's key: the first message, rebuilt from what
     * was kept and from the retry, whose {@code from} and {@code data} are the first's.
     *
     * @param retryFingerprint {@link #fingerprint(Publication)} of {@code retry}
     * @throws IdempotencyConflictException if the retry's {@code from} or {@code data} differ
     */
    public Message answer(Publication retry, String retryFingerprint) {
        if (!fingerprint.equals(retryFingerprint)) {
            throw new IdempotencyConflictException(retry.topic());
        }
        return new Message(retry.topic(), seq, id, time, retry.from(), retry.data());
    }
}
