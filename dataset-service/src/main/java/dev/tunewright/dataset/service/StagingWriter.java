package dev.tunewright.dataset.service;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Writes bytes to a staging file and hashes them on a thread of its own (see {@link StagingThreads}), so that the
 * thread producing them spends its time producing: SHA-256 and the file writes are a quarter of an upload's work
 * and most of cutting splits, and the second core is otherwise idle meanwhile. Chunks are copied into a small ring
 * of recycled buffers (1 MiB in all), so a slow disk slows the producer down instead of filling memory.
 */
final class StagingWriter implements AutoCloseable {

    private static final int CHUNK_BYTES = 1 << 16;
    private static final int CHUNKS = 16;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(CHUNKS);
    private final Future<String> sha256;
    private long bytes;
    private boolean finished;

    StagingWriter(Path file, ExecutorService executor) {
        for (int i = 0; i < CHUNKS; i++) {
            free.add(ByteBuffer.allocate(CHUNK_BYTES));
        }
        sha256 = executor.submit(() -> drain(file));
    }

    /** Queues a copy of {@code b[off, off + len)}; fails with the writer's error if it has failed. */
    void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            ByteBuffer chunk = take(free);
            int n = Math.min(len, chunk.capacity());
            chunk.clear();
            chunk.put(b, off, n).flip();
            put(chunk);
            bytes += n;
            off += n;
            len -= n;
        }
    }

    long bytes() {
        return bytes;
    }

    /** This writer as a stream to write into; closing the stream neither finishes nor stops the writer. */
    OutputStream stream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                StagingWriter.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                StagingWriter.this.write(b, off, len);
            }
        };
    }

    /** Waits until every byte is on disk; the content's SHA-256 in hex. */
    String finish() throws IOException {
        finished = true;
        put(END);
        return result();
    }

    /** Stops the writer if it was not finished (the staged file is the caller's to delete). */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            sha256.cancel(true);
            try {
                sha256.get();
            } catch (Exception stopped) {
                // cancelled on purpose: the upload failed and its bytes are thrown away
            }
        }
    }

    private String drain(Path file) throws Exception {
        MessageDigest digest = FileService.sha256();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (ByteBuffer chunk = full.take(); chunk != END; chunk = full.take()) {
                digest.update(chunk.array(), 0, chunk.limit());
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
                free.put(chunk);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Hands a chunk to the writer, giving up if the writer stopped (its error is then rethrown). */
    private void put(ByteBuffer chunk) throws IOException {
        try {
            while (!full.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (sha256.isDone()) {
                    result();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging an upload");
        }
    }

    private ByteBuffer take(BlockingQueue<ByteBuffer> queue) throws IOException {
        try {
            ByteBuffer chunk;
            while ((chunk = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS)) == null) {
                if (sha256.isDone()) {
                    result();
                }
            }
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging an upload");
        }
    }

    private String result() throws IOException {
        try {
            String hex = sha256.get();
            if (!finished) {
                throw new IOException("the staging writer stopped before the upload ended");
            }
            return hex;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while staging an upload");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("staging the upload failed", e.getCause());
        }
    }
}
