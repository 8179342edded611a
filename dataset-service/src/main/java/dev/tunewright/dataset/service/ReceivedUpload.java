package dev.tunewright.dataset.service;

import dev.tunewright.dataset.validation.RowIndexBuilder;
import dev.tunewright.dataset.validation.ScanResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An upload that has been read to its end: staged in the artifact store's file system, hashed, validated and
 * indexed, but neither accepted nor published. Closing it removes the staged bytes unless they were published,
 * so a refused or failed upload leaves nothing behind.
 */
public final class ReceivedUpload implements AutoCloseable {

    private final String filename;
    private final Path staged;
    private final long bytes;
    private final String sha256;
    private final ScanResult scan;
    private final RowIndexBuilder index;

    ReceivedUpload(String filename, Path staged, long bytes, String sha256, ScanResult scan, RowIndexBuilder index) {
        this.filename = filename;
        this.staged = staged;
        this.bytes = bytes;
        this.sha256 = sha256;
        this.scan = scan;
        this.index = index;
    }

    String filename() {
        return filename;
    }

    Path staged() {
        return staged;
    }

    long bytes() {
        return bytes;
    }

    String sha256() {
        return sha256;
    }

    ScanResult scan() {
        return scan;
    }

    RowIndexBuilder index() {
        return index;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(staged);
    }
}
