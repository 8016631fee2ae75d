package io.herald.standalone;

import io.herald.endpoint.FrameWriter;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.ByteBufferWrapper;
import org.glassfish.grizzly.nio.NIOTransport;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.core.TyrusRemoteEndpoint;
import org.glassfish.tyrus.core.TyrusWebSocket;

/**
 * Ready-made frames straight to a Tyrus session's Grizzly connection: what Tyrus' own broadcast
 * does ({@code TyrusEndpointWrapper.broadcast}: one frame, {@code sendRawFrame} of the same bytes
 * to every session), but with a completion callback, which Herald's bounded per-session queue
 * needs and {@code sendRawFrame} does not give. Per delivery this skips the encoder lookup, the
 * UTF-8 conversion, the frame copy and Tyrus' send lock.
 *
 * <p>Without TLS the frame goes straight onto the connection's write queue, where Grizzly's filter
 * chain would have put it, skipping Tyrus' per-connection task queue and the chain (a context, six
 * filters) on every delivery. With TLS it must pass the chain to be encrypted. Order is kept either
 * way: a session has one frame in flight at a time, and the next starts only once Grizzly reports
 * the last one written.
 *
 * <p>The connection is not public API in Tyrus 2.1: it is reached once per session by reflection.
 * Where that fails (another Tyrus or container, a session with extensions such as
 * permessage-deflate, which must process every frame), the session sends through the standard API.
 */
final class TyrusFrameWriters implements Function<Session, FrameWriter> {

    private static final Logger LOG = Logger.getLogger(TyrusFrameWriters.class.getName());

    private final Field webSocket;
    private final Method protocolHandler;
    private final Field writer;
    private final Field grizzlyConnection;
    private final boolean encrypted;

    private TyrusFrameWriters(Field webSocket, Method protocolHandler, Field writer, Field grizzlyConnection,
                              boolean encrypted) {
        this.webSocket = webSocket;
        this.protocolHandler = protocolHandler;
        this.writer = writer;
        this.grizzlyConnection = grizzlyConnection;
        this.encrypted = encrypted;
    }

    /**
     * The writers, or one that always says "use the standard API" if this Tyrus is not the expected one.
     *
     * @param encrypted whether the connections are TLS, so that every write must pass Grizzly's chain
     */
    static Function<Session, FrameWriter> create(boolean encrypted) {
        try {
            Field webSocket = TyrusRemoteEndpoint.class.getDeclaredField("webSocket");
            Method protocolHandler = TyrusWebSocket.class.getDeclaredMethod("getProtocolHandler");
            Field writer = ProtocolHandler.class.getDeclaredField("writer");
            Field grizzlyConnection = GrizzlyWriter.class.getDeclaredField("connection");
            webSocket.setAccessible(true);
            protocolHandler.setAccessible(true);
            writer.setAccessible(true);
            grizzlyConnection.setAccessible(true);
            return new TyrusFrameWriters(webSocket, protocolHandler, writer, grizzlyConnection, encrypted);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "this Tyrus' connection cannot be reached; sending through the standard API", e);
            return session -> null;
        }
    }

    @Override
    public FrameWriter apply(Session session) {
        try {
            if (!(session.getAsyncRemote() instanceof TyrusRemoteEndpoint remote)) {
                return null;
            }
            ProtocolHandler handler = (ProtocolHandler) protocolHandler.invoke(webSocket.get(remote));
            if (handler == null || handler.hasExtensions()
                    || !(writer.get(handler) instanceof GrizzlyWriter tyrus)
                    || !(grizzlyConnection.get(tyrus) instanceof Connection<?> connection)
                    || !(connection.getTransport() instanceof NIOTransport transport)) {
                return null;
            }
            return new Direct(connection, encrypted ? null : transport.getAsyncQueueIO().getWriter());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.FINE, e, () -> "session " + session.getId() + ": sending through the standard API");
            return null;
        }
    }

    /** @param queue the connection's write queue; null to write through Grizzly's filter chain (TLS) */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private record Direct(Connection connection, org.glassfish.grizzly.Writer queue) implements FrameWriter {
        @Override
        public void write(byte[] frame, Consumer<Throwable> done) {
            // a view and a wrapper of their own per write: Grizzly moves the position, never the
            // bytes; and not a wrapper from Grizzly's pools, which it would try to return there
            ByteBufferWrapper message = new ByteBufferWrapper(ByteBuffer.wrap(frame));
            EmptyCompletionHandler<WriteResult<WritableMessage, ?>> written = new EmptyCompletionHandler<>() {
                @Override
                public void completed(WriteResult<WritableMessage, ?> result) {
                    done.accept(null);
                }

                @Override
                public void failed(Throwable error) {
                    done.accept(error);
                }

                @Override
                public void cancelled() {
                    done.accept(new CancellationException("write cancelled"));
                }
            };
            if (queue == null) {
                connection.write(message, written);
            } else {
                queue.write(connection, message, written);
            }
        }
    }
}
