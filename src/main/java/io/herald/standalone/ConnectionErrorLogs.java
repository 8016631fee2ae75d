package io.herald.standalone;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps what Grizzly and Tyrus log when one connection fails to one line without a stack trace,
 * unless their loggers are set to FINE. These are the failures a client causes at will, once per
 * connection, which then closes: a broken chunked body or a malformed query ({@code ?%ZZ})
 * reaches Grizzly's filter chain or the REST container as an exception, and bytes Tyrus cannot
 * frame reach it as one. A full stack trace each time let a client write megabytes of log a second
 * (issue #12); an operator who needs them sets the logger named in the line to FINE.
 */
final class ConnectionErrorLogs implements Filter {

    /** Held here, not only by the log manager, which would let them go with their filters. */
    private static final List<Logger> LOGGERS = List.of(
            Logger.getLogger("org.glassfish.grizzly.filterchain.DefaultFilterChain"),
            Logger.getLogger("org.glassfish.grizzly.http.server.HttpHandler"),
            Logger.getLogger("org.glassfish.tyrus.core.TyrusEndpointWrapper"));

    private static final int MAX_TEXT = 300;

    private final Logger logger;

    private ConnectionErrorLogs(Logger logger) {
        this.logger = logger;
    }

    /** Applies to the loggers concerned, once per process. */
    static synchronized void install() {
        for (Logger logger : LOGGERS) {
            if (!(logger.getFilter() instanceof ConnectionErrorLogs)) {
                logger.setFilter(new ConnectionErrorLogs(logger));
            }
        }
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable error = record.getThrown();
        if (error != null && !logger.isLoggable(Level.FINE)) {
            record.setThrown(null);
            Object[] parameters = record.getParameters();
            if (parameters == null || parameters.length == 0) { // else the message is a pattern, left as it is
                record.setMessage(record.getMessage() + ": " + oneLine(error));
            }
        }
        return true;
    }

    /** The error's class and message, which may quote what the client sent: on one line, and not all of it. */
    private static String oneLine(Throwable error) {
        String text = error.toString().replaceAll("[\\r\\n\\t]+", " ");
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
