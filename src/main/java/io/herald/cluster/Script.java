package io.herald.cluster;

import io.herald.core.BrokerUnavailableException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script of {@code io/herald/cluster/}, run by its SHA1. Redis forgets scripts when it
 * restarts: the first NOSCRIPT answer after that sends the script's text, which Redis caches again.
 */
final class Script {

    private final String name;
    private final String body;
    private final String sha;
    private final ScriptOutputType output;

    private Script(String name, String body, String sha, ScriptOutputType output) {
        this.name = name;
        this.body = body;
        this.sha = sha;
        this.output = output;
    }

    /** Loads {@code name}.lua, after the shared {@code prelude} scripts. */
    static Script load(RedisAsyncCommands<String, String> commands, String name, ScriptOutputType output,
            String... prelude) {
        StringBuilder body = new StringBuilder();
        for (String part : prelude) {
            body.append(resource(part)).append('\n');
        }
        body.append(resource(name));
        String text = body.toString();
        return new Script(name, text, commands.digest(text), output);
    }

    <T> CompletionStage<T> run(RedisAsyncCommands<String, String> commands, String[] keys, String... args) {
        CompletionStage<T> first = commands.<T>evalsha(sha, output, keys, args);
        return first.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedStage(value);
            }
            if (unwrap(error) instanceof RedisNoScriptException) {
                return commands.<T>eval(body, output, keys, args);
            }
            return CompletableFuture.<T>failedStage(error);
        }).thenCompose(stage -> stage).exceptionally(error -> {
            throw translate(name, error);
        });
    }

    /**
     * Errors of the connection (refused, closed, timed out, not connected) mean Redis cannot be
     * reached: {@link BrokerUnavailableException}. An error Redis answered is a bug, and stays one.
     */
    static RuntimeException translate(String what, Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof BrokerUnavailableException unavailable) {
            return unavailable;
        }
        boolean answered = cause instanceof RedisCommandExecutionException
                && !(cause instanceof RedisLoadingException || cause instanceof RedisBusyException);
        if (answered) {
            return new IllegalStateException("Redis refused " + what + ": " + cause.getMessage(), cause);
        }
        // clients read this message in unavailable errors and 503 bodies: it names no host or driver
        // text, which the cause keeps for the logs
        return new BrokerUnavailableException("the message store cannot be reached; try again later", cause);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String resource(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name + ".lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
