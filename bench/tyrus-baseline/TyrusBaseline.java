import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.tyrus.server.Server;

/**
 * The ceiling of Herald's container: a bare Tyrus (2.1.6, Grizzly) endpoint doing the same job as
 * Herald's /ws/push for the benchmark — topics, one seq per topic, a message frame shaped like
 * Herald's, an ack — and nothing else: no limits, no history, no resume, no auth. It sends per
 * session, as a plain Jakarta WebSocket application would: {@code getAsyncRemote().sendText} of
 * the same String to every subscriber.
 *
 * <p>Run against the jars in Herald's standalone jar (Tyrus, Grizzly):
 * {@code java -cp target/herald-standalone.jar bench/tyrus-baseline/TyrusBaseline.java PORT}
 */
public class TyrusBaseline {

    static final Map<String, Topic> TOPICS = new ConcurrentHashMap<>();
    static final AtomicLong IDS = new AtomicLong();
    static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"(\\w+)\"");
    static final Pattern TOPIC = Pattern.compile("\"topic\"\\s*:\\s*\"([A-Za-z0-9._:-]+)\"");
    static final Pattern REQ = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*)\"");

    static final class Topic {
        final CopyOnWriteArrayList<Session> subs = new CopyOnWriteArrayList<>();
        long seq;
    }

    @ServerEndpoint("/ws/push")
    public static class Push {
        private final Set<String> mine = ConcurrentHashMap.newKeySet();

        @OnMessage
        public void text(String text, Session session) {
            String type = find(TYPE, text);
            String name = find(TOPIC, text);
            if ("subscribe".equals(type) && name != null) {
                Topic t = TOPICS.computeIfAbsent(name, n -> new Topic());
                t.subs.add(session);
                mine.add(name);
                long seq;
                synchronized (t) {
                    seq = t.seq;
                }
                session.getAsyncRemote().sendText("{\"type\":\"subscribed\",\"topic\":\"" + name + "\",\"seq\":" + seq
                        + ",\"recovered\":true}");
            } else if ("publish".equals(type) && name != null) {
                String data = dataOf(text);
                Topic t = TOPICS.computeIfAbsent(name, n -> new Topic());
                String req = find(REQ, text);
                long seq;
                synchronized (t) { // one publish at a time per topic keeps every subscriber's order
                    seq = ++t.seq;
                    String frame = "{\"type\":\"message\",\"topic\":\"" + name + "\",\"seq\":" + seq + ",\"id\":\""
                            + Long.toString(IDS.incrementAndGet(), 36) + "\",\"time\":" + System.currentTimeMillis()
                            + ",\"from\":\"bench\",\"data\":" + data + "}";
                    for (Session s : t.subs) {
                        if (s.isOpen()) {
                            s.getAsyncRemote().sendText(frame);
                        }
                    }
                }
                session.getAsyncRemote().sendText("{\"type\":\"ack\",\"id\":" + (req == null ? "null" : "\"" + req + "\"")
                        + ",\"topic\":\"" + name + "\",\"seq\":" + seq + "}");
            } else if ("ping".equals(type)) {
                session.getAsyncRemote().sendText("{\"type\":\"pong\"}");
            }
        }

        @OnClose
        public void close(Session session) {
            for (String name : mine) {
                Topic t = TOPICS.get(name);
                if (t != null) {
                    t.subs.remove(session);
                }
            }
        }

        @OnError
        public void error(Session session, Throwable error) {
            // a client went away; nothing to do
        }
    }

    static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** The raw JSON of "data": the benchmark's publisher always puts it last. */
    static String dataOf(String text) {
        int i = text.indexOf("\"data\":");
        return i < 0 ? "null" : text.substring(i + 7, text.lastIndexOf('}'));
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8091;
        Server server = new Server("127.0.0.1", port, "/herald", Map.of(), Push.class);
        server.start();
        System.out.println("tyrus baseline listening on " + port);
        Thread.currentThread().join();
    }
}
