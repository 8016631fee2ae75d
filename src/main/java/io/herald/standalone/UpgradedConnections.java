package io.herald.standalone;

import java.nio.ByteBuffer;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.ByteBufferArray;
import org.glassfish.tyrus.container.grizzly.client.TaskProcessor;
import org.glassfish.tyrus.spi.ReadHandler;

/**
 * Takes a WebSocket connection's bytes straight from the transport to Tyrus once the upgrade is
 * done, and lets Grizzly's HTTP request for it go.
 *
 * <p>Left to itself, Grizzly keeps the upgrade's whole HTTP request (headers, URI, parsing state,
 * the header bytes: about 9 KB of heap) for the life of the connection, because its HTTP codec
 * wraps every later read in that request before Tyrus' filter unwraps it again. This filter sits
 * just under the codec and does what Tyrus' filter does with an upgraded connection's bytes —
 * queue them on the connection's Tyrus task processor, which its close handling also uses —
 * without the codec, Grizzly's idle-timeout filter, Herald's handshake filter and Tyrus' filter in
 * between. Writes, closes and the handshake itself still take their usual way. So Grizzly's idle
 * timeout, a safety net for stalled HTTP, now counts only writes on a WebSocket: Herald's pings
 * are written every heartbeat, well within it, and Herald times silent clients out itself.
 *
 * <p>Tyrus' per-connection state is not public API in 2.1: it is reached through the Grizzly
 * connection attributes Tyrus registers by name. With another Tyrus, where they are never set,
 * every read takes the usual way and only the memory saving is lost.
 */
final class UpgradedConnections extends BaseFilter implements AddOn {

    private static final Attribute<org.glassfish.tyrus.spi.Connection> TYRUS_CONNECTION = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute("org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter.Connection");
    private static final Attribute<TaskProcessor> TASK_PROCESSOR = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute(TaskProcessor.class.getName() + ".TaskProcessor");
    private static final Attribute<Object> HTTP_REQUEST = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);

    /** Goes in just above the HTTP codec (and so above TLS, when there is TLS). */
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class), this);
    }

    /**
     * Called on the thread that handles an accepted upgrade: once the read that carried it is
     * done, Tyrus has its connection and the HTTP request is dropped, so that an idle WebSocket,
     * which may never send another byte, does not keep it either.
     */
    static void upgrading(FilterChainContext ctx) {
        Connection<?> connection = ctx.getConnection();
        ctx.addCompletionListener(done -> {
            if (TYRUS_CONNECTION.get(connection) != null) {
                HTTP_REQUEST.remove(connection);
            }
        });
    }

    /** Whether Grizzly still holds the HTTP request that opened {@code connection}. */
    static boolean holdsHttpRequest(Connection<?> connection) {
        return HTTP_REQUEST.isSet(connection);
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        Connection<?> connection = ctx.getConnection();
        org.glassfish.tyrus.spi.Connection tyrus = TYRUS_CONNECTION.get(connection);
        TaskProcessor tasks = TASK_PROCESSOR.get(connection);
        if (tyrus == null || tasks == null || HTTP_REQUEST.isSet(connection)) {
            return ctx.getInvokeAction();
        }
        Buffer buffer = ctx.getMessage();
        if (buffer.hasRemaining()) {
            ReadHandler reader = tyrus.getReadHandler();
            if (!buffer.isComposite()) {
                tasks.processTask(new Read(buffer.toByteBuffer(), reader));
            } else {
                ByteBufferArray parts = buffer.toByteBufferArray();
                ByteBuffer[] array = parts.getArray();
                for (int i = 0; i < parts.size(); i++) {
                    tasks.processTask(new Read(array[i], reader));
                }
                parts.recycle();
            }
        }
        return ctx.getStopAction();
    }

    private static final class Read extends TaskProcessor.Task {
        private final ByteBuffer bytes;
        private final ReadHandler reader;

        Read(ByteBuffer bytes, ReadHandler reader) {
            this.bytes = bytes;
            this.reader = reader;
        }

        @Override
        public void execute() {
            reader.handle(bytes);
        }
    }
}
