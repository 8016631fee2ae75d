package io.herald.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * How an endpoint answers errors the container reports. The session is a stand-in: what is under
 * test is the decision (close 1011 and log with the session id, or let a broken connection go).
 */
class EndpointSupportTest {

    private final List<CloseReason> closes = new ArrayList<>();

    private Session session(boolean open) {
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> "s-42";
                    case "isOpen" -> open;
                    case "close" -> {
                        closes.add((CloseReason) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private List<LogRecord> capture(Runnable action) {
        Logger logger = Logger.getLogger(EndpointSupport.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return records;
    }

    @Test
    void anUnexpectedErrorClosesWith1011AndIsLoggedWithTheSessionId() {
        List<LogRecord> logged = capture(() -> EndpointSupport.error(session(true), null, new IllegalStateException("bug")));
        assertEquals(1, closes.size());
        assertEquals(1011, closes.get(0).getCloseCode().getCode());
        assertEquals(Level.SEVERE, logged.get(0).getLevel());
        assertTrue(logged.get(0).getMessage().contains("s-42"));
    }

    @Test
    void aBrokenConnectionIsNotAServerError() {
        List<LogRecord> logged = capture(() -> EndpointSupport.error(session(true), null, new IOException("reset")));
        assertEquals(List.of(), closes);
        assertTrue(logged.stream().noneMatch(r -> r.getLevel() == Level.SEVERE));
    }
}
