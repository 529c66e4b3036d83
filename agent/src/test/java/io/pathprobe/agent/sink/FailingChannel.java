package io.pathprobe.agent.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.IntPredicate;

/**
 * A file channel that fails writes as a full disk does: a failing write puts half its bytes into the file, then
 * throws. {@code failing} is asked with the write's number; {@code truncates} says whether truncation works.
 */
final class FailingChannel extends FileChannel {
    private final FileChannel c;
    private final IntPredicate failing;
    private final boolean truncates;
    private int writes;

    FailingChannel(FileChannel c, IntPredicate failing, boolean truncates) {
        this.c = c;
        this.failing = failing;
        this.truncates = truncates;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (failing.test(writes++)) {
            ByteBuffer half = src.duplicate();
            half.limit(src.position() + Math.max(1, src.remaining() / 2));
            int n = c.write(half);
            src.position(src.position() + n);
            throw new IOException("No space left on device");
        }
        return c.write(src);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (!truncates) {
            throw new IOException("Input/output error");
        }
        c.truncate(size);
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return c.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return c.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public long position() throws IOException {
        return c.position();
    }

    @Override
    public FileChannel position(long p) throws IOException {
        c.position(p);
        return this;
    }

    @Override
    public long size() throws IOException {
        return c.size();
    }

    @Override
    public void force(boolean metaData) throws IOException {
        c.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return c.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return c.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return c.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return c.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return c.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return c.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        c.close();
    }
}
