package dev.tunewright.dataset.split;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.dataset.validation.DatasetScanner;
import dev.tunewright.dataset.validation.Dedup;
import dev.tunewright.dataset.validation.RowEntry;
import dev.tunewright.dataset.validation.ScanResult;
import dev.tunewright.dataset.validation.ValidationLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitPlannerTest {

    /** Row i has label i % labels, with label sizes made unequal by skipping some rows. */
    private static List<RowEntry> rows(int n, int labels) {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = (i * 7) % 10 < 6 ? 0 : 1 + i % Math.max(1, labels - 1);
            rows.add(new RowEntry(i + 1, i * 10L, 9, i * 31L + 17, label, 9));
        }
        return rows;
    }

    @Test
    void fractionIsRespectedExactly() {
        for (int n : new int[] {2, 10, 101, 1000}) {
            for (double fraction : new double[] {0.05, 0.1, 0.25, 0.5}) {
                SplitPlan plan = SplitPlanner.plan(rows(n, 1), fraction, 7, false);
                long expected = Math.max(1, Math.min(n - 1, Math.round(n * fraction)));
                assertThat(plan.validationRows()).as("n=%d fraction=%s", n, fraction).isEqualTo(expected);
                assertThat(plan.validation().cardinality()).isEqualTo(plan.validationRows());
                assertThat(plan.trainRows()).isEqualTo(n - expected);
            }
        }
    }

    @Test
    void stratificationKeepsEveryLabelsShareWithinOneRow() {
        List<RowEntry> rows = rows(997, 4);
        double fraction = 0.2;
        SplitPlan plan = SplitPlanner.plan(rows, fraction, 42, true);
        Map<Integer, int[]> perLabel = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            int[] counts = perLabel.computeIfAbsent(rows.get(i).labelId(), k -> new int[2]);
            counts[0]++;
            if (plan.isValidation(i)) {
                counts[1]++;
            }
        }
        assertThat(perLabel).hasSize(4);
        double share = (double) plan.validationRows() / rows.size();
        perLabel.forEach((label, counts) ->
                assertThat(Math.abs(counts[1] - counts[0] * share)).as("label %d", label).isLessThanOrEqualTo(1.0));
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<RowEntry> rows = rows(500, 3);
        SplitPlan a = SplitPlanner.plan(rows, 0.1, 1234, true);
        SplitPlan b = SplitPlanner.plan(rows, 0.1, 1234, true);
        SplitPlan c = SplitPlanner.plan(rows, 0.1, 4321, true);
        assertThat(a.validation()).isEqualTo(b.validation());
        assertThat(a.validation()).isNotEqualTo(c.validation());
    }

    @Test
    void rowsSharingAnInputNeverStraddleTheSplit() {
        List<RowEntry> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new RowEntry(i + 1, i, 1, i % 100, 0, 1)); // every input appears three times
        }
        for (long seed = 0; seed < 20; seed++) {
            SplitPlan plan = SplitPlanner.plan(rows, 0.1, seed, false);
            assertThat(plan.leakageRows()).isZero();
            assertThat(plan.validationRows()).isEqualTo(30);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(plan.isValidation(i)).isEqualTo(plan.isValidation(i % 100));
            }
        }
    }

    @Test
    void autoStratifiesOnlyClassificationLikeData() {
        assertThat(SplitPlanner.looksLikeLabels(3, false, 300)).isTrue();
        assertThat(SplitPlanner.looksLikeLabels(3, false, 10)).isFalse();
        assertThat(SplitPlanner.looksLikeLabels(200, false, 10_000)).isFalse();
        assertThat(SplitPlanner.looksLikeLabels(0, true, 10_000)).isFalse();
        assertThat(SplitPlanner.looksLikeLabels(1, false, 100)).isFalse();
    }

    @Test
    void splitFilesHoldTheExactUploadedBytesAndAreReproducible(@TempDir Path dir) throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            content.append("{\"prompt\": \"question ").append(i).append(" ü\", \"completion\":\"")
                    .append(i % 2 == 0 ? "yes" : "no").append("\"}").append(i % 5 == 0 ? "\r\n" : "\n");
        }
        Path upload = dir.resolve("upload.jsonl");
        Files.writeString(upload, content, StandardCharsets.UTF_8);
        ScanResult scan;
        try (var in = Files.newInputStream(upload)) {
            scan = new DatasetScanner(ValidationLimits.DEFAULTS, Dedup.EXACT).scan(in);
        }
        SplitPlan plan = SplitPlanner.plan(scan.rows(), 0.2, 9, true);
        String[] first = write(upload, scan, plan);
        String[] second = write(upload, scan, plan);
        assertThat(first).isEqualTo(second);
        assertThat(first[1].lines()).hasSize(10);
        assertThat(first[0].lines()).hasSize(40);
        List<String> all = new ArrayList<>(first[0].lines().toList());
        all.addAll(first[1].lines().toList());
        List<String> original = content.toString().lines().toList();
        assertThat(all).containsExactlyInAnyOrderElementsOf(original);
        assertThat(first[0] + first[1]).doesNotContain("\r");
    }

    private static String[] write(Path upload, ScanResult scan, SplitPlan plan) throws IOException {
        ByteArrayOutputStream train = new ByteArrayOutputStream();
        ByteArrayOutputStream validation = new ByteArrayOutputStream();
        SplitWriter.write(upload, scan.rows(), plan, train, validation);
        return new String[] {train.toString(StandardCharsets.UTF_8), validation.toString(StandardCharsets.UTF_8)};
    }
}
