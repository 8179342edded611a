package dev.tunewright.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared real-tokenizer fixtures. They live outside the repository (licences forbid
 * copying Llama and Gemma files in), so tests skip with the reason when the folder is missing.
 */
public final class TokenizerFixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TokenizerFixtures() {
    }

    public static Path root() {
        String prop = System.getProperty("tunewright.shared.dir");
        Path shared = prop != null && !prop.isBlank()
                ? Path.of(prop)
                : Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
        return shared.resolve("fixtures").resolve("tokenizers");
    }

    /**
     * The family's fixture folder; aborts (skips) the calling test when absent, with a reason that is the same for
     * every test missing the same thing, so the build's count of skipped tests groups them.
     */
    public static Path family(String name) {
        Path root = root();
        Path dir = root.resolve(name);
        Assumptions.assumeTrue(Files.isDirectory(root),
                () -> "no shared tokenizer fixtures: " + root + " does not exist (real tokenizers live outside the repository)");
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("golden.json")),
                () -> "no " + name + " tokenizer fixture in " + root);
        return dir;
    }

    public static JsonNode golden(Path familyDir) throws IOException {
        return MAPPER.readTree(familyDir.resolve("golden.json").toFile());
    }
}
