package dev.tunewright.testing.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says what a test JVM did not run and why. A test skipped (disabled, a condition not met) or aborted (an assumption
 * that failed: a fixture folder or a Python that is not there) is printed at once as {@code [skipped] test: reason},
 * the JVM ends with a line counting them by reason, and each is recorded under {@code tunewright.skips.dir} for the
 * count over the whole build ({@link SkipSummary}). A class whose set-up aborted counts as one entry.
 */
public final class SkipReporter implements TestExecutionListener {

    /** Where the records of the whole build go; unset (an IDE), nothing is recorded. */
    public static final String DIR_PROPERTY = "tunewright.skips.dir";
    /** The module the records are filed under. */
    public static final String MODULE_PROPERTY = "tunewright.skips.module";

    private final List<Skip> skips = new ArrayList<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason == null || reason.isBlank() ? "disabled, no reason given" : reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(Throwable::getMessage).orElse(null);
            record(test, reason == null ? "aborted, no reason given" : reason.replaceFirst("^Assumption failed: ", ""));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (skips.isEmpty()) {
            return;
        }
        String module = System.getProperty(MODULE_PROPERTY, "this JVM");
        System.out.println("[skipped] tests skipped in " + module + ": " + Skip.countByReason(skips));
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path file = Files.createDirectories(Path.of(dir)).resolve(module + "-" + ProcessHandle.current().pid() + ".tsv");
            List<String> lines = skips.stream().map(s -> s.withModule(module).line()).toList();
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record skipped tests in " + dir, e);
        }
    }

    private void record(TestIdentifier test, String reason) {
        Skip skip = new Skip("", name(test), reason);
        skips.add(skip);
        System.out.println("[skipped] " + skip.test() + ": " + skip.reason());
    }

    /** {@code Class#method [invocation]}, or the class alone for a whole class. */
    private String name(TestIdentifier test) {
        Optional<TestSource> source = test.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            String base = simple(m.getClassName()) + "#" + m.getMethodName();
            return test.getDisplayName().startsWith(m.getMethodName() + "(") ? base : base + " " + test.getDisplayName();
        }
        if (source.isPresent() && source.get() instanceof ClassSource c) {
            return simple(c.getClassName()) + " (whole class)";
        }
        Optional<TestIdentifier> parent = plan == null ? Optional.empty() : plan.getParent(test);
        return parent.map(p -> name(p) + " " + test.getDisplayName()).orElse(test.getDisplayName());
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
