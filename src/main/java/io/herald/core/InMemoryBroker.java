package io.herald.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The broker of a single node: every stream lives in this process's memory and is lost with it
 * (a restart gives every topic a new epoch, which resuming clients are told of).
 */
public final class InMemoryBroker implements Broker {

    private final ConcurrentHashMap<String, TopicLog> topics = new ConcurrentHashMap<>();
    private final int historySize;
    private final long historyTtlMillis;
    private final int idempotencyKeys;
    private final Clock clock;
    private final Ids ids = new Ids();

    /** @param idempotencyKeys the most idempotency keys kept per topic; the oldest go first */
    public InMemoryBroker(int historySize, Duration historyTtl, int idempotencyKeys, Clock clock) {
        this.historySize = historySize;
        this.historyTtlMillis = historyTtl.toMillis();
        this.idempotencyKeys = idempotencyKeys;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Message> publish(Publication publication) {
        // hashed before the topic's lock is taken: other publishers to the topic need not wait for it
        String fingerprint = publication.idempotencyKey() == null ? null : IdempotencyRecord.fingerprint(publication);
        try {
            return CompletableFuture.completedFuture(withLog(publication.topic(),
                    log -> log.append(publication, fingerprint)));
        } catch (IdempotencyConflictException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<HistoryPage> read(String topic, long afterSeq, int limit) {
        return CompletableFuture.completedFuture(withLog(topic, log -> log.read(afterSeq, limit)));
    }

    @Override
    public CompletionStage<HistoryPage> recent(String topic, int count) {
        return CompletableFuture.completedFuture(withLog(topic, log -> log.read(log.latest - count, count)));
    }

    @Override
    public CompletionStage<Void> listen(String topic, TopicListener listener) {
        withLog(topic, log -> log.listeners.add(listener));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void unlisten(String topic, TopicListener listener) {
        TopicLog log = topics.get(topic);
        if (log != null) {
            log.listeners.remove(listener);
        }
    }

    @Override
    public CompletionStage<List<String>> join(String topic, String user, String sessionId) {
        return CompletableFuture.completedFuture(withLog(topic, log -> log.join(user, sessionId)));
    }

    @Override
    public CompletionStage<Void> leave(String topic, String user, String sessionId) {
        TopicLog log = topics.get(topic);
        if (log != null) {
            withLog(topic, l -> l.leave(user, sessionId));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String problem() {
        return null;
    }

    /**
     * Drops expired history and idempotency keys, and forgets topics that hold nothing any more, so
     * that memory follows live traffic rather than every topic ever named.
     */
    public void sweep() {
        long now = clock.millis();
        for (String name : topics.keySet()) {
            topics.computeIfPresent(name, (k, log) -> {
                synchronized (log) {
                    log.prune(now);
                    if (log.isIdle()) {
                        log.removed = true;
                        return null;
                    }
                    return log;
                }
            });
        }
    }

    /** Number of topics held in memory. */
    public int topicCount() {
        return topics.size();
    }

    /** Idempotency keys a topic holds now (for tests of their bound). */
    int idempotencyKeyCount(String topic) {
        TopicLog log = topics.get(topic);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.idempotent.size();
        }
    }

    @Override
    public void close() {
        topics.clear();
    }

    private interface LogAction<T> {
        T apply(TopicLog log);
    }

    /** Runs {@code action} under the topic's lock, then drains what it dispatched, lock released. */
    private <T> T withLog(String topic, LogAction<T> action) {
        while (true) {
            TopicLog log = topics.computeIfAbsent(topic, TopicLog::new);
            T result;
            boolean mustDrain;
            synchronized (log) {
                if (log.removed) {
                    continue;
                }
                log.prune(clock.millis());
                result = action.apply(log);
                mustDrain = log.drainOwed;
                log.drainOwed = false;
            }
            if (mustDrain) {
                log.dispatcher.drain();
            }
            return result;
        }
    }

    private record Stored(Message message, long storedAt) {
    }

    /** One topic's stream. Fields are guarded by the instance's monitor. */
    private final class TopicLog {
        final String topic;
        final String epoch = Ids.epoch();
        final ArrayDeque<Stored> history = new ArrayDeque<>();
        /** Oldest first: what expires, or goes when the topic holds too many, comes first. */
        final LinkedHashMap<String, IdempotencyRecord> idempotent = new LinkedHashMap<>();
        final Map<String, Set<String>> present = new HashMap<>();
        final CopyOnWriteArrayList<TopicListener> listeners = new CopyOnWriteArrayList<>();
        final SerialDispatcher dispatcher = new SerialDispatcher();
        long latest;
        boolean removed;
        boolean drainOwed;

        TopicLog(String topic) {
            this.topic = topic;
        }

        /** @param fingerprint of {@code p}, if it has an idempotency key */
        Message append(Publication p, String fingerprint) {
            long now = clock.millis();
            String key = p.idempotencyKey();
            if (key != null) {
                IdempotencyRecord earlier = idempotent.get(key);
                if (earlier != null) {
                    return earlier.answer(p, fingerprint);
                }
            }
            Message message = new Message(topic, ++latest, ids.next(), now, p.from(), p.data());
            Stored stored = new Stored(message, now);
            history.addLast(stored);
            if (history.size() > historySize) {
                history.removeFirst();
            }
            if (key != null) {
                idempotent.put(key, IdempotencyRecord.of(message, fingerprint));
                if (idempotent.size() > idempotencyKeys) {
                    Iterator<IdempotencyRecord> oldest = idempotent.values().iterator();
                    oldest.next();
                    oldest.remove();
                }
            }
            dispatch(() -> listeners.forEach(l -> l.onMessage(message)));
            return message;
        }

        HistoryPage read(long afterSeq, int limit) {
            long oldest = history.isEmpty() ? latest + 1 : history.peekFirst().message().seq();
            List<Message> out = new ArrayList<>(Math.max(0, Math.min(limit, history.size())));
            if (afterSeq < latest) {
                // seqs in history are contiguous, so skip straight to the first wanted one
                long skip = Math.max(0, afterSeq + 1 - oldest);
                Iterator<Stored> it = history.iterator();
                for (long i = 0; i < skip && it.hasNext(); i++) {
                    it.next();
                }
                while (it.hasNext() && out.size() < limit) {
                    out.add(it.next().message());
                }
            }
            return new HistoryPage(topic, epoch, latest, oldest, out);
        }

        List<String> join(String user, String sessionId) {
            Set<String> sessions = present.computeIfAbsent(user, u -> new HashSet<>());
            if (sessions.isEmpty()) {
                PresenceChange change = new PresenceChange(topic, user, true);
                dispatch(() -> listeners.forEach(l -> l.onPresence(change)));
            }
            sessions.add(sessionId);
            List<String> members = new ArrayList<>(present.keySet());
            members.sort(null);
            return members;
        }

        Void leave(String user, String sessionId) {
            Set<String> sessions = present.get(user);
            if (sessions != null && sessions.remove(sessionId) && sessions.isEmpty()) {
                present.remove(user);
                PresenceChange change = new PresenceChange(topic, user, false);
                dispatch(() -> listeners.forEach(l -> l.onPresence(change)));
            }
            return null;
        }

        void dispatch(Runnable task) {
            if (dispatcher.enqueue(task)) {
                drainOwed = true;
            }
        }

        void prune(long now) {
            while (!history.isEmpty() && now - history.peekFirst().storedAt() > historyTtlMillis) {
                history.removeFirst();
            }
            long window = IDEMPOTENCY_WINDOW.toMillis();
            Iterator<IdempotencyRecord> it = idempotent.values().iterator();
            while (it.hasNext() && now - it.next().time() > window) {
                it.remove();
            }
        }

        boolean isIdle() {
            return history.isEmpty() && idempotent.isEmpty() && present.isEmpty() && listeners.isEmpty();
        }
    }
}
