package io.herald.cluster;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * This node's part of presence, which lives in Redis for every node to see. It remembers its own
 * sessions, so that it can put them back if other nodes took it for dead while it was cut off from
 * Redis, and retries leaves that Redis missed, so that no session stays present after it closed.
 */
final class NodePresence {

    private record Entry(String topic, String session, String user) {
    }

    private final RedisAsyncCommands<String, String> commands;
    private final String instance;
    private final Script join;
    private final Script leave;
    /** topic -> session -> user, for this node's sessions only. */
    private final ConcurrentHashMap<String, Map<String, String>> local = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Entry> owedLeaves = new ConcurrentLinkedQueue<>();

    NodePresence(RedisAsyncCommands<String, String> commands, String instance) {
        this.commands = commands;
        this.instance = instance;
        this.join = Script.load(commands, "join", ScriptOutputType.MULTI);
        this.leave = Script.load(commands, "leave", ScriptOutputType.INTEGER);
    }

    CompletionStage<List<String>> join(String topic, String user, String session) {
        local.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).put(session, user);
        return record(new Entry(topic, session, user)).whenComplete((members, error) -> {
            if (error != null) {
                forget(topic, session);
            }
        });
    }

    CompletionStage<Void> leave(String topic, String user, String session) {
        Entry entry = new Entry(topic, session, user);
        return remove(entry, forget(topic, session)).whenComplete((ignored, error) -> {
            if (error != null) {
                owedLeaves.add(entry);
            }
        });
    }

    /** After Redis dropped this node's presence: records every local session again. */
    void rejoinAll() {
        local.forEach((topic, sessions) -> sessions.forEach((session, user) -> record(new Entry(topic, session, user))));
    }

    /** Retries the leaves that failed while Redis was away; those that fail again wait for the next call. */
    void retryLeaves() {
        for (int owed = owedLeaves.size(); owed > 0; owed--) {
            Entry entry = owedLeaves.poll();
            if (entry == null) {
                return;
            }
            remove(entry, !local.containsKey(entry.topic())).whenComplete((ignored, error) -> {
                if (error != null) {
                    owedLeaves.add(entry);
                }
            });
        }
    }

    private CompletionStage<List<String>> record(Entry entry) {
        return join.<List<Object>>run(commands, keys(entry.topic()), entry.session(), instance, entry.user(),
                entry.topic(), Keys.CHANNEL).thenApply(members -> members.stream().map(String::valueOf).sorted().toList());
    }

    private CompletionStage<Void> remove(Entry entry, boolean lastOfNode) {
        return leave.<Long>run(commands, keys(entry.topic()), entry.session(), entry.user(), entry.topic(), Keys.CHANNEL,
                lastOfNode ? "1" : "0").thenApply(ignored -> null);
    }

    /** True when that was this node's last session in the topic. */
    private boolean forget(String topic, String session) {
        boolean[] last = {false};
        local.computeIfPresent(topic, (t, sessions) -> {
            sessions.remove(session);
            last[0] = sessions.isEmpty();
            return last[0] ? null : sessions;
        });
        return last[0];
    }

    private String[] keys(String topic) {
        return new String[] {Keys.sessions(topic), Keys.users(topic), Keys.nodeTopics(instance)};
    }
}
