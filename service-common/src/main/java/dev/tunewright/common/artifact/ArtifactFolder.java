package dev.tunewright.common.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A folder (an adapter, a checkpoint) kept in the {@link ArtifactStore} as one artifact: every file is an artifact
 * of its own and a manifest names them with their sizes and SHA-256s. The manifest is canonical JSON (names
 * sorted), so the id of a folder is a function of its files alone, and a file shared by two folders is stored once.
 * Readers verify every byte against the manifest, so a torn copy is an error, never a silently different adapter.
 *
 * @param files relative path ({@code /}-separated) to the stored file
 */
public record ArtifactFolder(Map<String, ArtifactStore.Stored> files) {

    /** What a manifest says it is, so that a folder id is never mistaken for a plain file. */
    public static final String KIND = "tunewright.folder/v1";
    /** Names a manifest may hold: relative, no dot segments, no backslashes or control characters. */
    private static final Pattern NAME = Pattern.compile("(?!.*(^|/)\\.\\.?(/|$))[^/\\\\\\x00-\\x1f][^\\\\\\x00-\\x1f]{0,255}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public ArtifactFolder {
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        files.keySet().forEach(ArtifactFolder::checkName);
    }

    /** Stores every regular file under {@code dir} (recursively), then the manifest; returns the manifest's artifact. */
    public static ArtifactStore.Stored put(ArtifactStore store, Path dir) throws IOException {
        Map<String, ArtifactStore.Stored> files = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : paths) {
            String name = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            files.put(name, store.put(out -> Files.copy(file, out)));
        }
        if (files.isEmpty()) {
            throw new IOException("folder " + dir + " has no files to store");
        }
        byte[] manifest = new ArtifactFolder(files).manifestBytes();
        return store.put(out -> out.write(manifest));
    }

    /** Reads the manifest of a folder artifact. */
    public static ArtifactFolder read(ArtifactStore store, String id) throws IOException {
        byte[] bytes;
        try (InputStream in = store.open(id)) {
            bytes = in.readNBytes(16 << 20);
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new IOException("artifact " + id + " is not a folder manifest: " + e.getMessage(), e);
        }
        if (manifest == null || !KIND.equals(manifest.path("kind").asText())) {
            throw new IOException("artifact " + id + " is not a folder manifest (no kind " + KIND + ")");
        }
        Map<String, ArtifactStore.Stored> files = new TreeMap<>();
        var entries = manifest.path("files").fields();
        while (entries.hasNext()) {
            var entry = entries.next();
            JsonNode file = entry.getValue();
            files.put(entry.getKey(), new ArtifactStore.Stored(file.path("artifact_id").asText(),
                    file.path("bytes").asLong(), file.path("sha256").asText()));
        }
        try {
            return new ArtifactFolder(files);
        } catch (IllegalArgumentException e) {
            throw new IOException("folder manifest " + id + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the folder's files into {@code target}, which must not exist yet, checking each file's size and
     * SHA-256 as it is copied; on any failure nothing is left at {@code target}.
     */
    public void copyTo(ArtifactStore store, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, ".tmp-" + target.getFileName() + "-");
        try {
            for (Map.Entry<String, ArtifactStore.Stored> entry : files.entrySet()) {
                Path file = temp.resolve(entry.getKey()).normalize();
                if (!file.startsWith(temp)) {
                    throw new IOException("folder file name escapes the folder: " + entry.getKey());
                }
                Files.createDirectories(file.getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    copyVerified(store, entry.getKey(), entry.getValue(), out);
                }
            }
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(temp);
        }
    }

    /** The folder as a zip stream (entries in name order), each file verified against the manifest as it goes. */
    public void writeZip(ArtifactStore store, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, ArtifactStore.Stored> entry : files.entrySet()) {
            zip.putNextEntry(new ZipEntry(entry.getKey()));
            copyVerified(store, entry.getKey(), entry.getValue(), zip);
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    /** The manifest as stored: canonical, so equal folders give equal bytes. */
    public byte[] manifestBytes() {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("kind", KIND);
        ObjectNode list = manifest.putObject("files");
        files.forEach((name, stored) -> list.putObject(name).put("artifact_id", stored.id()).put("bytes", stored.bytes())
                .put("sha256", stored.sha256()));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JSON.writerWithDefaultPrettyPrinter().writeValue(out, manifest);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a folder manifest", e);
        }
    }

    /** The total size of the folder's files. */
    public long bytes() {
        return files.values().stream().mapToLong(ArtifactStore.Stored::bytes).sum();
    }

    /** Every artifact the folder consists of: its files (the manifest itself is not listed). */
    public List<String> artifactIds() {
        return new ArrayList<>(files.values().stream().map(ArtifactStore.Stored::id).toList());
    }

    private static void copyVerified(ArtifactStore store, String name, ArtifactStore.Stored stored, OutputStream out)
            throws IOException {
        MessageDigest sha256 = sha256();
        long copied;
        try (InputStream in = new DigestInputStream(store.open(stored.id()), sha256)) {
            copied = in.transferTo(out);
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (copied != stored.bytes() || !actual.equals(stored.sha256())) {
            throw new IOException("file " + name + " of the folder does not match its manifest (" + copied + " bytes, sha256 "
                    + actual + "; expected " + stored.bytes() + " bytes, sha256 " + stored.sha256() + ")");
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a relative file name: '" + name + "'");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
