package io.herald.endpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * An upgraded connection's input on Undertow, as its {@link FrameGuard} lets it through (see
 * {@link UndertowFrameLimit}): everything up to the first refused frame, then nothing (what still
 * arrives is read and dropped until the connection closes), as {@link GuardedUpgrade} does with
 * the Servlet API's stream.
 */
final class GuardedSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private final FrameGuard guard;
    private boolean refused;

    GuardedSourceConduit(StreamSourceConduit next, FrameGuard guard) {
        super(next);
        this.guard = guard;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int read = next.read(dst);
        if (read <= 0) {
            return read;
        }
        if (refused) {
            dst.position(start);
            return 0;
        }
        int passed = guard.inspect(dst.duplicate().limit(dst.position()).position(start));
        refused = passed < read;
        dst.position(start + passed);
        return passed;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }
}
