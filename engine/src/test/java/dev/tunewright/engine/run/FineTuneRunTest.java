package dev.tunewright.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.tunewright.engine.model.ComputeDtype;
import dev.tunewright.engine.model.Family;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.run.TinyRun.Logged;
import dev.tunewright.engine.train.Evaluation;
import dev.tunewright.engine.train.StepMetrics;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run API end to end on the CPU: what it reports and in which order, and that a run paused or cancelled through
 * its control and resumed from its run folder ends with the adapter bytes and the numbers of a run never stopped.
 */
class FineTuneRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TinyRun tiny;

    @BeforeEach
    void write() throws IOException {
        tiny = TinyRun.write(dir);
    }

    /** Every event as a line, in order. */
    private static final class Recorder implements RunListener {
        final List<String> events = new ArrayList<>();
        final List<SavedCheckpoint> checkpoints = new ArrayList<>();
        RunPlan plan;
        Consumer<StepMetrics> onStep = m -> { };

        @Override
        public void onDataReport(DataSplit split, DataReport report) {
            events.add("data " + split + " " + report.kept());
        }

        @Override
        public void onStart(RunPlan start) {
            plan = start;
            events.add("start " + start.startStep() + "/" + start.totalSteps());
        }

        @Override
        public void onEvaluation(int step, Evaluation evaluation) {
            events.add("evaluation " + step);
        }

        @Override
        public void onStep(StepMetrics metrics) {
            events.add("step " + metrics.step());
            onStep.accept(metrics);
        }

        @Override
        public void onCheckpoint(SavedCheckpoint checkpoint) {
            checkpoints.add(checkpoint);
            events.add("checkpoint " + checkpoint.step());
        }

        @Override
        public void onLog(Level level, String message) {
            events.add("log " + message);
        }
    }

    @Test
    void aRunReportsItsDataPlanStepsEvaluationsAndCheckpointsInOrder() throws IOException {
        Recorder recorder = new Recorder();
        FineTuneRun run = new FineTuneRun(tiny.settings(dir.resolve("run")).build(), recorder, new RunControl());
        RunPlan plan = run.prepare();
        assertThat(plan.totalSteps()).isEqualTo(8);
        assertThat(plan.stepsPerEpoch()).isEqualTo(6);
        assertThat(plan.startStep()).isZero();
        assertThat(plan.trainReport().kept()).isEqualTo(24);
        assertThat(plan.validationReport().kept()).isEqualTo(8);
        assertThat(recorder.events).containsExactly("data TRAIN 24", "data VALIDATION 8");

        RunResult result = run.run();
        // the log names the dtype the model was loaded in, and why: it depends on this machine's CPU
        assertThat(recorder.events.get(2)).isEqualTo("log compute dtype "
                + ComputeDtype.AUTO.explain(Device.cpu(), Family.LLAMA));
        recorder.events.remove(2);
        assertThat(recorder.events).containsExactly("data TRAIN 24", "data VALIDATION 8", "start 0/8",
                "step 1", "evaluation 2", "step 2", "checkpoint 2", "step 3", "evaluation 4", "step 4", "checkpoint 4",
                "step 5", "evaluation 6", "step 6", "checkpoint 6", "step 7", "evaluation 8", "step 8", "checkpoint 8");
        assertThat(recorder.checkpoints).allSatisfy(c -> {
            assertThat(c.metrics().step()).isEqualTo(c.step());
            assertThat(c.folder().getFileName().toString()).isEqualTo(String.format("checkpoint-%08d", c.step()));
        });
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(result.steps()).isEqualTo(8);
        assertThat(result.adapter()).isEqualTo(dir.resolve("run/adapter"));
        assertThat(result.bestAdapter()).isEqualTo(dir.resolve("run/best-adapter"));
        assertThat(result.lastCheckpoint()).isEqualTo(recorder.checkpoints.get(3).folder());
        assertThat(result.resumedFrom()).isNull();
        assertThat(result.trainedTokens()).isEqualTo(result.history().get(7).trainableTokensSeen()).isPositive();
        assertThat(result.trainLoss()).isEqualTo(result.history().get(7).trainLoss());
        assertThat(result.validationLoss()).isEqualTo(result.history().get(7).validationLoss());
        assertThat(result.validationAccuracy()).isEqualTo(result.history().get(7).validationAccuracy());
        assertThat(result.bestValidationLoss()).isLessThanOrEqualTo(result.validationLoss());
        JsonNode adapterConfig = JSON.readTree(result.adapter().resolve("adapter_config.json").toFile());
        assertThat(adapterConfig.get("base_model_name_or_path").asText()).isEqualTo("org/tiny");
        assertThat(adapterConfig.get("revision").asText()).isEqualTo("rev1");
        assertThat(Files.readAllLines(dir.resolve("run/metrics.jsonl"))).hasSize(8);
    }

    @Test
    void pausedAndCancelledRunsResumeToTheBytesOfAnUninterruptedOne() throws Exception {
        RunResult whole = FineTuneRun.run(tiny.settings(dir.resolve("whole")).build(), RunListener.NONE, new RunControl());
        assertThat(whole.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);

        // pause after step 3, between two checkpoints of the cadence: the pause writes one at step 3
        RunControl pause = new RunControl();
        Recorder paused = new Recorder();
        paused.onStep = m -> {
            if (m.step() == 3) {
                pause.pause();
            }
        };
        RunResult half = FineTuneRun.run(tiny.settings(dir.resolve("paused")).build(), paused, pause);
        assertThat(half.outcome()).isEqualTo(RunResult.Outcome.PAUSED);
        assertThat(half.adapter()).isNull();
        assertThat(half.steps()).isEqualTo(3);
        assertThat(half.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-00000003");
        assertThat(paused.events).endsWith("step 3", "checkpoint 3");
        assertResumesToTheWholeRun(dir.resolve("paused"), "checkpoint-00000003", whole);

        // cancel after step 3 from another thread: nothing more is written, the run resumes from step 2
        RunControl cancel = new RunControl();
        CountDownLatch atStep3 = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Recorder stopped = new Recorder();
        stopped.onStep = m -> {
            if (m.step() == 3) {
                atStep3.countDown();
                await(cancelled);
            }
        };
        CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return FineTuneRun.run(tiny.settings(dir.resolve("cancelled")).build(), stopped, cancel);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (!atStep3.await(100, TimeUnit.MILLISECONDS)) {
            if (running.isDone()) {
                running.join(); // the run failed before step 3: show why
            }
        }
        cancel.cancel();
        cancel.pause(); // a pause after a cancel changes nothing
        cancelled.countDown();
        RunResult cut = running.get(5, TimeUnit.MINUTES);
        assertThat(cut.outcome()).isEqualTo(RunResult.Outcome.CANCELLED);
        assertThat(cut.steps()).isEqualTo(3);
        assertThat(cut.adapter()).isNull();
        assertThat(cut.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-00000002");
        assertThat(stopped.events).endsWith("checkpoint 2", "step 3");
        assertThat(Files.readAllLines(dir.resolve("cancelled/metrics.jsonl"))).hasSize(3);
        assertResumesToTheWholeRun(dir.resolve("cancelled"), "checkpoint-00000002", whole);
    }

    private void assertResumesToTheWholeRun(Path runDir, String from, RunResult whole) throws IOException {
        Recorder resumed = new Recorder();
        RunResult result = FineTuneRun.run(tiny.settings(runDir).resume(Resume.IF_ANY).build(), resumed, new RunControl());
        assertThat(resumed.plan.resumeFrom().getFileName().toString()).isEqualTo(from);
        assertThat(resumed.plan.startStep()).isEqualTo(Integer.parseInt(from.substring("checkpoint-".length())));
        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.COMPLETED);
        assertThat(result.resumedFrom().getFileName().toString()).isEqualTo(from);
        assertThat(Logged.of(result.history())).isEqualTo(Logged.of(whole.history()));
        assertThat(result.trainedTokens()).isEqualTo(whole.trainedTokens());
        assertThat(bytes(result.adapter())).isEqualTo(bytes(whole.adapter()));
        assertThat(bytes(result.bestAdapter())).isEqualTo(bytes(whole.bestAdapter()));
        // metrics.jsonl holds each step once, as the uninterrupted run's does
        List<Integer> steps = Files.readAllLines(runDir.resolve("metrics.jsonl")).stream()
                .map(line -> readTree(line).get("step").asInt()).toList();
        assertThat(steps).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.MINUTES)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path adapter) throws IOException {
        return Files.readAllBytes(adapter.resolve("adapter_model.safetensors"));
    }
}
