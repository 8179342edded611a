package dev.tunewright.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.engine.data.DataException;
import dev.tunewright.engine.data.DataReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad setting is refused with its name, before anything trains: a worker answers with the parameter at fault. */
class RunSettingsTest {

    @TempDir
    Path dir;

    private TinyRun tiny;

    @BeforeEach
    void write() throws IOException {
        tiny = TinyRun.write(dir);
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad(Setting.R, b -> b.lora(0, 8, 0, List.of("q_proj"), false)),
                bad(Setting.ALPHA, b -> b.lora(4, 0, 0, List.of("q_proj"), false)),
                bad(Setting.ALPHA, b -> b.lora(4, Double.NaN, 0, List.of("q_proj"), false)),
                bad(Setting.DROPOUT, b -> b.lora(4, 8, 1, List.of("q_proj"), false)),
                bad(Setting.TARGET_MODULES, b -> b.lora(4, 8, 0, List.of(), false)),
                bad(Setting.TARGET_MODULES, b -> b.lora(4, 8, 0, List.of("all-linear", "q_proj"), false)),
                bad(Setting.N_EPOCHS, b -> b.epochs(0)),
                bad(Setting.MAX_STEPS, b -> b.maxSteps(-1)),
                bad(Setting.BATCH_SIZE, b -> b.batch(0, 1)),
                bad(Setting.GRADIENT_ACCUMULATION_STEPS, b -> b.batch(1, 0)),
                bad(Setting.LEARNING_RATE, b -> b.learningRate(0)),
                bad(Setting.LEARNING_RATE, b -> b.learningRate(Double.POSITIVE_INFINITY)),
                bad(Setting.WARMUP_STEPS, b -> b.warmupSteps(-1)),
                bad(Setting.WARMUP_RATIO, b -> b.warmupSteps(0).warmupRatio(1)),
                bad(Setting.WARMUP_RATIO, b -> b.warmupSteps(2).warmupRatio(0.1)),
                bad(Setting.SCHEDULER, b -> b.scheduler("step")),
                bad(Setting.WEIGHT_DECAY, b -> b.weightDecay(-0.1)),
                bad(Setting.MAX_GRAD_NORM, b -> b.maxGradNorm(-1)),
                bad(Setting.EVAL_EVERY, b -> b.evaluation(-1, 0)),
                bad(Setting.EARLY_STOPPING_PATIENCE, b -> b.evaluation(1, -1)),
                bad(Setting.EARLY_STOPPING_PATIENCE, b -> b.validationFile(null).evaluation(1, 2)),
                bad(Setting.SAVE_EVERY, b -> b.checkpoints(-1, 0)),
                bad(Setting.SAVE_TOTAL_LIMIT, b -> b.checkpoints(1, -1)),
                bad(Setting.MAX_SEQ_LENGTH, b -> b.maxSeqLength(1)),
                bad(Setting.DEVICE, b -> b.device("tpu")),
                bad(Setting.DTYPE, b -> b.dtype("float16")),
                bad(Setting.TRAINING_FILE, b -> b.trainingFile(null)),
                bad(Setting.TRAINING_FILE, b -> b.trainingFile(Path.of("/no/such/train.jsonl"))),
                bad(Setting.VALIDATION_FILE, b -> b.validationFile(Path.of("/no/such/validation.jsonl"))),
                bad(Setting.MODEL, b -> b.model(Path.of("/no/such/model"), "org/model")),
                bad(Setting.MODEL, b -> b.model(null, "org/model")),
                bad(Setting.RUN_DIR, b -> b.runDir(null)),
                bad(Setting.RESUME, b -> b.resume(null)));
    }

    private static Arguments bad(Setting setting, Consumer<FineTuneConfigBuilder> change) {
        return Arguments.of(setting, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSettings")
    void theBuilderNamesTheSetting(Setting setting, Consumer<FineTuneConfigBuilder> change) {
        FineTuneConfigBuilder builder = tiny.settings(dir.resolve("run"));
        change.accept(builder);
        assertThatThrownBy(builder::build).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith(setting.key() + ": ")
                .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo(setting));
    }

    @Test
    void aRunFolderThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> tiny.settings(file).build()).isInstanceOf(InvalidSettingException.class)
                .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo(Setting.RUN_DIR));
    }

    @Test
    void whatOnlyTheModelOrTheDataRevealsIsNamedToo() throws IOException {
        assertRefused(Setting.TARGET_MODULES, tiny.settings(dir.resolve("a")).lora(4, 8, 0, List.of("nope_proj"), false));
        Path empty = Files.writeString(dir.resolve("data/empty.jsonl"), "\n");
        assertRefused(Setting.TRAINING_FILE, tiny.settings(dir.resolve("b")).trainingFile(empty));
        Path noTokenizer = Files.createDirectories(dir.resolve("bare-model"));
        assertRefused(Setting.MODEL, tiny.settings(dir.resolve("c")).model(noTokenizer, "bare"));
        assertRefused(Setting.RESUME, tiny.settings(dir.resolve("d")).resume(Resume.REQUIRED));
        Files.createDirectories(dir.resolve("e/checkpoints/checkpoint-00000002"));
        assertRefused(Setting.RUN_DIR, tiny.settings(dir.resolve("e")));
        assertThatThrownBy(() -> RunFolder.ofCheckpoint(dir.resolve("e"))).isInstanceOf(InvalidSettingException.class)
                .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo(Setting.RESUME));
        assertThat(RunFolder.ofCheckpoint(dir.resolve("e/checkpoints/checkpoint-00000002")).root())
                .isEqualTo(dir.resolve("e").toAbsolutePath());
    }

    @Test
    void aFileWithUnusableRowsIsReportedBeforeTheRunFails() throws IOException {
        Path bad = Files.writeString(dir.resolve("data/bad.jsonl"), Files.readString(tiny.train)
                + "{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"red\"}]}\n");
        List<DataReport> reports = new ArrayList<>();
        RunListener listener = new RunListener() {
            @Override
            public void onDataReport(DataSplit split, DataReport report) {
                reports.add(report);
            }
        };
        assertThatThrownBy(() -> new FineTuneRun(tiny.settings(dir.resolve("run")).trainingFile(bad).build(), listener,
                new RunControl()).prepare())
                .isInstanceOf(DataException.class).hasMessageContaining("bad.jsonl:25: messages[0].role: tool messages");
        assertThat(reports).singleElement().satisfies(r -> {
            assertThat(r.kept()).isEqualTo(24);
            assertThat(r.dropped()).isEqualTo(1);
        });
    }

    @Test
    void aWarmupRatioIsResolvedOnceTheStepsAreKnown() throws IOException {
        RunPlan plan = new FineTuneRun(tiny.settings(dir.resolve("run")).warmupSteps(0).warmupRatio(0.2)
                .templateKwargs(Map.of("date_string", "26 Jul 2024")).build(), RunListener.NONE, new RunControl()).prepare();
        assertThat(plan.totalSteps()).isEqualTo(8);
        assertThat(plan.training().warmupSteps()).isEqualTo(2); // ceil(0.2 · 8), as Hugging Face rounds
    }

    @Test
    void aStopBeforeTrainingLoadsNothingAndWritesNothing() throws IOException {
        RunControl control = new RunControl();
        control.cancel();
        RunResult result = FineTuneRun.run(tiny.settings(dir.resolve("run")).build(), RunListener.NONE, control);
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.CANCELLED);
        assertThat(result.steps()).isZero();
        assertThat(result.lastCheckpoint()).isNull();
        assertThat(dir.resolve("run/checkpoints")).doesNotExist();
    }

    private static void assertRefused(Setting setting, FineTuneConfigBuilder builder) {
        assertThatThrownBy(() -> FineTuneRun.run(builder.build(), RunListener.NONE, new RunControl()))
                .isInstanceOf(InvalidSettingException.class)
                .satisfies(e -> assertThat(((InvalidSettingException) e).setting()).isEqualTo(setting));
    }
}
