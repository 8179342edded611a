package dev.tunewright.cli;

import dev.tunewright.stack.StackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The repository the services are built in; ./ftctl passes it, since the jar alone cannot know where it was run from. */
final class Home {

    static final String PROPERTY = "TUNEWRIGHT_HOME";

    private Home() {
    }

    static Path repoDir() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(PROPERTY);
        }
        if (value == null || value.isBlank()) {
            throw new StackException(PROPERTY + " is not set; run ftctl through the ./ftctl script at the repository root");
        }
        Path dir = Paths.get(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new StackException(PROPERTY + " points to " + dir + ", which is not a folder");
        }
        return dir;
    }
}
