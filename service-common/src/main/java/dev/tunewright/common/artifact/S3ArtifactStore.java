package dev.tunewright.common.artifact;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Artifacts as objects {@code <prefix>sha256/<2 hex>/<64 hex>} in an S3-compatible bucket, for services spread over
 * several machines.
 *
 * <p>An object's key is its content's hash, which is known only once the last byte has been produced, and S3 has no
 * rename. So {@link #put} streams the content into a local staging file while hashing it, then uploads that file
 * under its final key: memory stays bounded by the HTTP buffers whatever the size, nothing is copied on the server,
 * and content that is already stored is not sent again. Content larger than one part goes up as a multipart upload,
 * several parts at a time; a failed upload is aborted, and since S3 makes an object visible only when its upload
 * completes, a reader never sees a partial artifact.
 *
 * <p>Readers stream objects; {@link #localPath} copies one into a local cache first, verifying its SHA-256 on the
 * way, so a damaged object is refused instead of being handed out under its id.
 */
public final class S3ArtifactStore implements ArtifactStore, Closeable {

    /** S3's smallest part (except the last) and most parts per upload. */
    static final long MIN_PART_SIZE = 5L << 20;
    static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path tmp;
    private final Path cache;
    private final long partSize;
    private final ExecutorService uploads;

    /**
     * @param prefix key prefix inside the bucket ({@code ""} for none; a trailing {@code /} is added)
     * @param localDir scratch folder of this process: {@code tmp/} for staging, {@code cache/} for local copies
     */
    public S3ArtifactStore(S3Client s3, String bucket, String prefix, Path localDir, long partSize,
            int uploadConcurrency) throws IOException {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum of " + MIN_PART_SIZE);
        }
        if (uploadConcurrency < 1) {
            throw new IllegalArgumentException("upload concurrency must be at least 1, not " + uploadConcurrency);
        }
        this.s3 = s3;
        this.bucket = bucket;
        String trimmed = prefix.replaceAll("^/+|/+$", "");
        this.prefix = trimmed.isEmpty() ? "" : trimmed + "/";
        Path root = localDir.toAbsolutePath().normalize();
        this.tmp = Files.createDirectories(root.resolve("tmp"));
        this.cache = Files.createDirectories(root.resolve("cache"));
        this.partSize = partSize;
        AtomicInteger threads = new AtomicInteger();
        this.uploads = Executors.newFixedThreadPool(uploadConcurrency, task -> {
            Thread thread = new Thread(task, "artifact-upload-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Stored put(Content content) throws IOException {
        Path staged = stagingFile();
        try {
            Stored stored = HashingOutputStream.write(staged, content);
            upload(staged, stored.sha256(), stored.bytes());
            return stored;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** Uploads the file under its hash; the file stays where it is (the caller deletes its staging files). */
    @Override
    public Stored putFile(Path file, String sha256) throws IOException {
        ArtifactIds.checkSha256(sha256);
        long bytes = Files.size(file);
        upload(file, sha256, bytes);
        return new Stored(ArtifactIds.id(sha256), bytes, sha256);
    }

    /** A local file: S3 has nothing to rename into place, so staging happens on this machine's disk. */
    @Override
    public Path stagingFile() throws IOException {
        return Files.createTempFile(tmp, "upload-", ".part");
    }

    @Override
    public InputStream open(String id) throws IOException {
        String key = key(ArtifactIds.sha256Of(id));
        try {
            return s3.getObject(request -> request.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new FileNotFoundException("artifact " + id + " is not in the store at " + where());
        } catch (SdkException e) {
            throw failure("read artifact " + id, e);
        }
    }

    @Override
    public Path localPath(String id) throws IOException {
        String sha256 = ArtifactIds.sha256Of(id);
        Path cached = cache.resolve(ArtifactIds.relativePath(sha256));
        if (Files.exists(cached)) {
            return cached;
        }
        Path download = Files.createTempFile(tmp, "download-", ".part");
        try {
            String actual;
            try (InputStream in = open(id)) {
                actual = HashingOutputStream.write(download, in::transferTo).sha256();
            }
            if (!actual.equals(sha256)) {
                throw new IOException("artifact " + id + " in the store at " + where()
                        + " does not match its id (its content has sha256 " + actual + "); not used");
            }
            HashingOutputStream.moveIntoPlace(download, cached);
            return cached;
        } finally {
            Files.deleteIfExists(download);
        }
    }

    @Override
    public boolean exists(String id) {
        try {
            return objectExists(key(ArtifactIds.sha256Of(id)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String id) throws IOException {
        String sha256 = ArtifactIds.sha256Of(id);
        try {
            s3.deleteObject(request -> request.bucket(bucket).key(key(sha256)));
        } catch (SdkException e) {
            throw failure("delete artifact " + id, e);
        }
        Files.deleteIfExists(cache.resolve(ArtifactIds.relativePath(sha256)));
    }

    @Override
    public void close() {
        uploads.shutdownNow();
        s3.close();
    }

    /** {@code s3://bucket/prefix}, for messages. */
    String where() {
        return "s3://" + bucket + "/" + prefix;
    }

    String key(String sha256) {
        return prefix + ArtifactIds.relativePath(sha256);
    }

    private boolean objectExists(String key) throws IOException {
        try {
            s3.headObject(request -> request.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("look up " + key, e);
        } catch (SdkException e) {
            throw failure("look up " + key, e);
        }
    }

    private void upload(Path file, String sha256, long bytes) throws IOException {
        String key = key(sha256);
        if (objectExists(key)) {
            return; // content-addressed: these bytes are stored already
        }
        if (bytes <= partSize) {
            try {
                s3.putObject(request -> request.bucket(bucket).key(key).contentLength(bytes), RequestBody.fromFile(file));
            } catch (SdkException e) {
                throw failure("upload " + key, e);
            }
        } else {
            uploadInParts(file, key, bytes);
        }
    }

    private void uploadInParts(Path file, String key, long bytes) throws IOException {
        // Parts grow past the configured size only for content beyond MAX_PARTS of them.
        long size = Math.max(partSize, (bytes + MAX_PARTS - 1) / MAX_PARTS);
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(request -> request.bucket(bucket).key(key)).uploadId();
        } catch (SdkException e) {
            throw failure("start the upload of " + key, e);
        }
        List<Future<CompletedPart>> parts = new ArrayList<>();
        try {
            for (long offset = 0; offset < bytes; offset += size) {
                int number = parts.size() + 1;
                long start = offset;
                long length = Math.min(size, bytes - offset);
                parts.add(uploads.submit(() -> uploadPart(file, key, uploadId, number, start, length)));
            }
            List<CompletedPart> completed = new ArrayList<>(parts.size());
            for (Future<CompletedPart> part : parts) {
                completed.add(result(part, key));
            }
            s3.completeMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(upload -> upload.parts(completed)));
        } catch (IOException | RuntimeException e) {
            parts.forEach(part -> part.cancel(true));
            try {
                s3.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException abort) {
                e.addSuppressed(abort);
            }
            if (e instanceof SdkException sdk) {
                throw failure("upload " + key, sdk);
            }
            throw e;
        }
    }

    private CompletedPart uploadPart(Path file, String key, String uploadId, int number, long offset, long length)
            throws IOException {
        try (FileRange range = new FileRange(file, offset, length)) {
            String etag = s3.uploadPart(request -> request.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(number).contentLength(length),
                    RequestBody.fromContentProvider(range, length, "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(number).eTag(etag).build();
        }
    }

    private CompletedPart result(Future<CompletedPart> part, String key) throws IOException {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof SdkException sdk) {
                throw failure("upload a part of " + key, sdk);
            }
            throw new IOException("upload of a part of " + key + " failed: " + e.getCause(), e.getCause());
        }
    }

    private IOException failure(String what, SdkException e) {
        return new IOException("cannot " + what + " in the artifact store at " + where() + ": " + e.getMessage(), e);
    }

    /**
     * One part of a file, opened afresh for every attempt the SDK makes (a retry re-reads the part from disk
     * rather than from a buffer); the previous attempt's stream is closed when the next one opens.
     */
    private static final class FileRange implements ContentStreamProvider, Closeable {
        private final Path file;
        private final long offset;
        private final long length;
        private InputStream current;

        FileRange(Path file, long offset, long length) {
            this.file = file;
            this.offset = offset;
            this.length = length;
        }

        @Override
        public InputStream newStream() {
            try {
                close();
                FileChannel channel = FileChannel.open(file).position(offset);
                current = new BoundedInputStream(Channels.newInputStream(channel), length);
                return current;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }

    /** At most {@code remaining} bytes of the stream below. */
    private static final class BoundedInputStream extends java.io.FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
