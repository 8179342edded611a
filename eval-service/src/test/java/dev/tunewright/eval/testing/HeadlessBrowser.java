package dev.tunewright.eval.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs where it can), run as a user would
 * open a page: the DOM after its scripts ran, and a screenshot. Offline flags and a fresh profile each run, so
 * nothing of the machine's state or network reaches the page.
 */
public final class HeadlessBrowser {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");

    private final String executable;

    private HeadlessBrowser(String executable) {
        this.executable = executable;
    }

    /** The browser named by {@code $CHROMIUM}, else the first of the usual names on the PATH. */
    public static Optional<HeadlessBrowser> find() {
        String configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new HeadlessBrowser(configured));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(new HeadlessBrowser(candidate.toString()));
                }
            }
        }
        return Optional.empty();
    }

    /** The page's DOM once its scripts have run. */
    public String dumpDom(Path page) throws IOException, InterruptedException {
        return new String(run(page, List.of("--dump-dom")), StandardCharsets.UTF_8);
    }

    /** A PNG of the page at 1280 px wide. */
    public void screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(page, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1280," + height, "--hide-scrollbars"));
        if (!Files.isRegularFile(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private byte[] run(Path page, List<String> mode) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("tunewright-chromium-");
        List<String> command = new ArrayList<>(List.of(executable, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
        command.addAll(mode);
        command.add(page.toAbsolutePath().toUri().toString());
        Path stderr = profile.resolveSibling(profile.getFileName() + ".log");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish within 2 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException("chromium exited with " + process.exitValue() + ": " + Files.readString(stderr));
        }
        return out;
    }
}
