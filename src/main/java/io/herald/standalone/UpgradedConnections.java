package io.herald.standalone;

import io.herald.protocol.WebSocketFrames;
import io.herald.protocol.FrameHeaderCheck;
import java.nio.ByteBuffer;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.ByteBufferArray;
import org.glassfish.grizzly.memory.Buffers;
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
 * <p>On the way it reads the frame headers ({@link FrameHeaderCheck}): a frame that takes its
 * message over the endpoint's limit, or breaks the protocol in its header, is answered with a close
 * frame and the connection closed at once, before its payload is read; Tyrus never sees it, and
 * learns of the end as of any closed connection, which runs the endpoint's {@code @OnClose}. So a
 * client cannot make the server buffer a frame larger than the limit (docs/protocol.md section 8).
 *
 * <p>Tyrus' per-connection state is not public API in 2.1: it is reached through the Grizzly
 * connection attributes Tyrus registers by name. With another Tyrus, where they are never set,
 * every read takes the usual way, and only the memory saving and the early refusal are lost:
 * Tyrus then reads a frame whole (up to its incoming buffer) before the size limit applies.
 */
final class UpgradedConnections extends BaseFilter implements AddOn {

    private static final Logger LOG = Logger.getLogger(UpgradedConnections.class.getName());
    private static final Attribute<org.glassfish.tyrus.spi.Connection> TYRUS_CONNECTION = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute("org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter.Connection");
    private static final Attribute<TaskProcessor> TASK_PROCESSOR = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute(TaskProcessor.class.getName() + ".TaskProcessor");
    private static final Attribute<Object> HTTP_REQUEST = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
    /** The message limit of the connection's endpoint, set at the upgrade: one of two shared values. */
    private static final Attribute<Integer> LIMIT = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute(UpgradedConnections.class.getName() + ".limit");
    /** Where the client's frames are, from its first byte after the upgrade on. */
    private static final Attribute<FrameHeaderCheck> HEADERS = Grizzly.DEFAULT_ATTRIBUTE_BUILDER
            .createAttribute(UpgradedConnections.class.getName() + ".headers");

    private final Integer messageLimit;
    private final Integer echoLimit;
    private final String echoPath;

    /**
     * @param messageLimit the largest message on every endpoint but echo ({@code HERALD_MAX_MESSAGE_BYTES})
     * @param echoPath the echo endpoint's request path, whose messages may be up to {@code echoLimit}
     */
    UpgradedConnections(int messageLimit, String echoPath, int echoLimit) {
        this.messageLimit = messageLimit;
        this.echoLimit = echoLimit;
        this.echoPath = echoPath;
    }

    /** Goes in just above the HTTP codec (and so above TLS, when there is TLS). */
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class), this);
    }

    /**
     * Called on the thread that handles an accepted upgrade: notes the message limit of the
     * endpoint asked for, which the frame headers are checked against; and once the read that
     * carried the upgrade is done, Tyrus has its connection and the HTTP request is dropped, so
     * that an idle WebSocket, which may never send another byte, does not keep it either.
     */
    static void upgrading(FilterChainContext ctx) {
        Connection<?> connection = ctx.getConnection();
        FilterChain chain = ctx.getFilterChain();
        int index = chain.indexOfType(UpgradedConnections.class);
        if (index >= 0 && ctx.getMessage() instanceof HttpContent content
                && content.getHttpHeader() instanceof HttpRequestPacket request) {
            LIMIT.set(connection, ((UpgradedConnections) chain.get(index)).limitFor(request.getRequestURI()));
        }
        ctx.addCompletionListener(done -> {
            if (TYRUS_CONNECTION.get(connection) != null) {
                HTTP_REQUEST.remove(connection);
            }
        });
    }

    /** Only the exact echo path gets echo's limit: anything else Tyrus might map there gets the smaller one. */
    private Integer limitFor(String path) {
        return path.equals(echoPath) ? echoLimit : messageLimit;
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
        // Tyrus sets both while it handles the upgrade's read; the client's next bytes may be read
        // before that read's completion listener has run, and must come here all the same
        if (tyrus == null || tasks == null) {
            return ctx.getInvokeAction();
        }
        Buffer buffer = ctx.getMessage();
        if (buffer.hasRemaining()) {
            FrameHeaderCheck headers = headers(connection);
            boolean refusedBefore = headers.breach() != null;
            ReadHandler reader = tyrus.getReadHandler();
            if (!buffer.isComposite()) {
                pass(buffer.toByteBuffer(), headers, tasks, reader);
            } else {
                ByteBufferArray parts = buffer.toByteBufferArray();
                ByteBuffer[] array = parts.getArray();
                for (int i = 0; i < parts.size(); i++) {
                    pass(array[i], headers, tasks, reader);
                }
                parts.recycle();
            }
            if (!refusedBefore && headers.breach() != null) {
                refuse(ctx, headers);
            }
        }
        return ctx.getStopAction();
    }

    private FrameHeaderCheck headers(Connection<?> connection) {
        FrameHeaderCheck headers = HEADERS.get(connection);
        if (headers == null) {
            Integer limit = LIMIT.get(connection);
            headers = new FrameHeaderCheck(limit != null ? limit : messageLimit);
            HEADERS.set(connection, headers);
        }
        return headers;
    }

    /** Hands Tyrus what the header check accepts of {@code bytes}. */
    private static void pass(ByteBuffer bytes, FrameHeaderCheck headers, TaskProcessor tasks, ReadHandler reader) {
        int end = headers.check(bytes);
        if (end > bytes.position()) {
            tasks.processTask(new Read(end < bytes.limit() ? bytes.duplicate().limit(end) : bytes, reader));
        }
    }

    /**
     * Sends the close frame for what the client did wrong, and closes the connection once it is
     * written (down the chain from here, through TLS if there is TLS). Whatever the client sends
     * meanwhile is dropped here, and Tyrus never sees it.
     */
    private static void refuse(FilterChainContext ctx, FrameHeaderCheck headers) {
        Connection<?> connection = ctx.getConnection();
        byte[] close = WebSocketFrames.close(headers.breach().code(), headers.reason());
        LOG.fine(() -> connection.getPeerAddress() + ": closed with " + headers.breach().code() + ", " + headers.reason());
        ctx.write(Buffers.wrap(ctx.getMemoryManager(), close), new EmptyCompletionHandler<WriteResult>() {
            @Override
            public void completed(WriteResult result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable error) {
                connection.terminateSilently();
            }
        });
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
