package dev.tunewright.trainer.worker;

import dev.tunewright.common.models.ModelCatalog;
import dev.tunewright.common.models.ModelRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The base models this worker trains on, each resolved once: a hub model is downloaded into the Hugging Face cache
 * (or found there) on its first job and reused by the next, and its content hashes for lineage are computed once.
 * A failure is not remembered, so the next job tries the download again.
 */
@ApplicationScoped
public class BaseModels {

    /** A resolved base model: its folder, pinned revision and the hashes that identify its content. */
    public record Resolved(Path folder, String revision, String weightsSha256, String tokenizerSha256) {
    }

    /** The model cannot be had (unknown, download failed); the job fails naming {@code model}. */
    public static final class UnavailableException extends Exception {
        private final String code;

        UnavailableException(String code, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final ModelCatalog catalog;
    private final Map<String, Resolved> resolved = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public BaseModels(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    public Resolved resolve(String spec) throws UnavailableException {
        Resolved known = resolved.get(spec);
        if (known != null && Files.isDirectory(known.folder())) {
            return known;
        }
        synchronized (locks.computeIfAbsent(spec, key -> new Object())) {
            known = resolved.get(spec);
            if (known != null && Files.isDirectory(known.folder())) {
                return known;
            }
            ModelRef ref;
            try {
                ref = catalog.check(spec, "model");
            } catch (RuntimeException e) {
                throw new UnavailableException("model_not_found", e.getMessage(), e);
            }
            Path folder;
            try {
                folder = catalog.folder(ref);
            } catch (IOException | RuntimeException e) {
                throw new UnavailableException("model_unavailable", "model '" + spec + "' could not be fetched: "
                        + e.getMessage(), e);
            }
            try {
                Resolved fresh = new Resolved(folder, ModelCatalog.commitOf(ref, folder).orElse(ref.revision()),
                        weightsSha256(folder), tokenizerSha256(folder));
                resolved.put(spec, fresh);
                return fresh;
            } catch (IOException e) {
                throw new UnavailableException("model_unavailable", "model '" + spec + "' is not a readable model folder: "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * SHA-256 over every safetensors file's name and header (tensor names, dtypes, shapes, offsets), in file-name
     * order: it changes with the weights' files and layout without reading gigabytes of weights.
     */
    static String weightsSha256(Path folder) throws IOException {
        MessageDigest digest = sha256();
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no .safetensors weights in the model folder");
        }
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                byte[] length = in.readNBytes(8);
                if (length.length != 8) {
                    throw new IOException(file.getFileName() + " is too short for a safetensors file");
                }
                long headerBytes = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (headerBytes < 2 || headerBytes > 100_000_000) {
                    throw new IOException(file.getFileName() + " has an implausible safetensors header length " + headerBytes);
                }
                digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
                digest.update(in.readNBytes((int) headerBytes));
                digest.update((byte) '\n');
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 over tokenizer.json, tokenizer_config.json and chat_template.jinja, those that exist, in that order. */
    static String tokenizerSha256(Path folder) throws IOException {
        MessageDigest digest = sha256();
        for (String name : List.of("tokenizer.json", "tokenizer_config.json", "chat_template.jinja")) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) '\n');
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
