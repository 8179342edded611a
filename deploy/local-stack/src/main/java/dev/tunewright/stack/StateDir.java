package dev.tunewright.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The folder a stack lives in. Everything that must survive a restart is here, so deleting it is a full reset
 * and two state folders are two independent stacks.
 */
public final class StateDir {

    public static final String ENV = "TUNEWRIGHT_STATE_DIR";
    public static final String DEFAULT = ".tunewright";

    public static final String IDENTITY_SECRET = "identity-secret";
    public static final String ADMIN_TOKEN = "admin-token";
    public static final String DEFAULT_API_KEY = "default-api-key";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    public StateDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The --state-dir option when given, else $TUNEWRIGHT_STATE_DIR, else .tunewright in the working directory. */
    public static StateDir resolve(String option) {
        if (option != null && !option.isBlank()) {
            return new StateDir(Paths.get(option));
        }
        String env = System.getenv(ENV);
        return new StateDir(Paths.get(env != null && !env.isBlank() ? env : DEFAULT));
    }

    public Path root() {
        return root;
    }

    public Path kafka() {
        return root.resolve("kafka");
    }

    public Path postgres() {
        return root.resolve("postgres");
    }

    public Path artifacts() {
        return root.resolve("artifacts");
    }

    /** Installed base models, one folder each, named by what a request calls them ({@code tunewright.models.dir}). */
    public Path models() {
        return root.resolve("models");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path log(String component) {
        return logs().resolve(component + ".log");
    }

    public Path secrets() {
        return root.resolve("secrets");
    }

    public Path stackFile() {
        return root.resolve("stack.json");
    }

    public Path lockFile() {
        return root.resolve("stack.lock");
    }

    /** Creates the layout and proves it writable by writing, since permission bits do not tell for root or ACLs. */
    public void prepare() {
        try {
            Files.createDirectories(root);
            for (Path dir : new Path[] {kafka(), artifacts(), logs()}) {
                Files.createDirectories(dir);
            }
            Files.createDirectories(secrets());
            Files.setPosixFilePermissions(secrets(), PosixFilePermissions.fromString("rwx------"));
            Path probe = Files.createTempFile(root, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new StackException("the state dir " + root + " is not writable: " + describe(e));
        }
    }

    /** Reads a secret, creating it with fresh random content on first use. */
    public String secret(String name) {
        Optional<String> existing = readSecret(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String prefix = ADMIN_TOKEN.equals(name) ? "twa_" : "";
        String value = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        writeSecret(name, value);
        return value;
    }

    public Optional<String> readSecret(String name) {
        Path file = secrets().resolve(name);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String value = Files.readString(file).trim();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException e) {
            throw new StackException("cannot read the secret " + file + ": " + e.getMessage(), e);
        }
    }

    public void writeSecret(String name, String value) {
        Path file = secrets().resolve(name);
        try {
            AtomicFiles.write(file, value + "\n", AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new StackException("cannot write the secret " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException exists) {
            return exists.getFile() + " is a file, not a folder";
        }
        String message = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            message = fse.getFile() + ": " + fse.getReason();
        }
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied (" + message + ")" : message;
    }
}
