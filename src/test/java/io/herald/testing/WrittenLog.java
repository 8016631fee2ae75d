package io.herald.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records the server in this process writes while it is open: those at the default level
 * (INFO) or above, which are what an operator's logs would get.
 */
public final class WrittenLog extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public WrittenLog() {
        Logger.getLogger("").addHandler(this);
    }

    public List<LogRecord> records() {
        return records;
    }

    /** Whether any record carries a stack trace. */
    public boolean anyStackTrace() {
        return records.stream().anyMatch(r -> r.getThrown() != null);
    }

    /** One line per record, for failure messages. */
    public String describe() {
        StringBuilder all = new StringBuilder();
        for (LogRecord r : records) {
            all.append('\n').append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ")
                    .append(r.getMessage()).append(r.getThrown() != null ? " + stack trace of " + r.getThrown() : "");
        }
        return all.toString();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
        // nothing buffered
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
