package io.herald.endpoint;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The upgrade handler the container runs in place of its WebSocket implementation's own
 * ({@link FrameLimitFilter} swaps them): it hands that one the upgraded connection with its input
 * read through a {@link FrameGuard}, so that a frame breaking the limits never reaches it. The
 * container instantiates this class itself (public, no-argument constructor).
 */
public final class GuardedUpgrade implements HttpUpgradeHandler {

    private HttpUpgradeHandler handler;
    private FrameGuard guard;

    void guard(HttpUpgradeHandler webSocketHandler, FrameGuard frameGuard) {
        this.handler = webSocketHandler;
        this.guard = frameGuard;
    }

    @Override
    public void init(WebConnection connection) {
        guard.connected(connection);
        try {
            handler.init(new Connection(connection, new Input(connection.getInputStream(), guard)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void destroy() {
        guard.forget();
        handler.destroy();
    }

    private record Connection(WebConnection upgraded, ServletInputStream input) implements WebConnection {

        @Override
        public ServletInputStream getInputStream() {
            return input;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return upgraded.getOutputStream();
        }

        @Override
        public void close() throws Exception {
            upgraded.close();
        }
    }

    /**
     * The client's bytes as the guard lets them through: everything up to the first refused frame,
     * then nothing (what still arrives is read and dropped until the connection closes).
     */
    private static final class Input extends ServletInputStream {

        private final ServletInputStream in;
        private final FrameGuard guard;
        private boolean refused;

        Input(ServletInputStream in, FrameGuard guard) {
            this.in = in;
            this.guard = guard;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            int read = in.read(bytes, offset, length);
            if (read <= 0) {
                return read;
            }
            if (refused) {
                return 0;
            }
            int passed = guard.inspect(ByteBuffer.wrap(bytes, offset, read));
            refused = passed < read;
            return passed;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int read = read(one, 0, 1);
            if (read == 0) {
                throw new IOException("input refused");
            }
            return read < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
