package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.Trainer;
import dev.tunewright.engine.train.TrainingTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Denormals are flushed on every thread that uses the engine, as torch.set_flush_denormal(True) does. The probe is
 * behaviour, not a flag read back: a denormal added to itself in libtorch stays a (doubled) denormal unless the
 * thread flushes denormals, when it reads as zero.
 */
class DenormalsTest {

    private static final float DENORMAL = 1e-40f;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        Torch.engine();
    }

    /**
     * What libtorch computes for DENORMAL + DENORMAL on the calling thread. Through DJL directly, never through
     * {@link Torch#engine()}, so that the probe itself flushes nothing.
     */
    private static float probe() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray x = manager.create(new float[] {DENORMAL});
            return x.add(x).getFloat(0);
        }
    }

    private static <T> T onNewThread(Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(body);
        Thread thread = new Thread(task, "denormals-probe");
        thread.start();
        thread.join();
        return task.get();
    }

    @Test
    void aThreadThatHasNotUsedTheEngineKeepsDenormalsSoTheProbeCanTellTheDifference() throws Exception {
        assertThat(onNewThread(DenormalsTest::probe)).isEqualTo(2 * DENORMAL);
    }

    @Test
    void theEnginesThreadsFlushDenormals() throws Exception {
        Torch.engine();
        assertThat(probe()).as("the test thread").isZero();
        assertThat(onNewThread(() -> {
            Torch.engine();
            return probe();
        })).as("a new thread that asks for the engine").isZero();
        assertThat(onNewThread(() -> Torch.withoutGradients(DenormalsTest::probe))).as("a generation thread").isZero();
    }

    /**
     * With more than one intra-op thread, libgomp's workers run part of each op; a worker copies the register of the
     * thread that creates it at that thread's first parallel op, which follows the engine call that flushes.
     */
    @Test
    void intraOpWorkersFlushToo() throws Exception {
        int threads = JniUtils.getNumThreads();
        long kept = onNewThread(() -> {
            JniUtils.setNumThreads(2);
            try {
                Torch.engine();
                try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                    float[] values = new float[1 << 20];
                    java.util.Arrays.fill(values, DENORMAL);
                    NDArray x = manager.create(values);
                    return x.add(x).neq(0f).sum().getLong();
                }
            } finally {
                JniUtils.setNumThreads(threads);
            }
        });
        assertThat(kept).as("elements left denormal").isZero();
    }

    @Test
    void theSwitchLeavesDenormalsAlone() throws Exception {
        String before = System.getProperty(Denormals.SWITCH);
        System.setProperty(Denormals.SWITCH, "false");
        try {
            assertThat(onNewThread(() -> {
                Torch.engine();
                return probe();
            })).isEqualTo(2 * DENORMAL);
        } finally {
            if (before == null) {
                System.clearProperty(Denormals.SWITCH);
            } else {
                System.setProperty(Denormals.SWITCH, before);
            }
        }
    }

    /** A trainer worker runs train() on a thread of its own (trainer-service's workers do). */
    @Test
    void aTrainingWorkerThreadFlushesDenormals() throws Exception {
        var train = TrainingTask.sequences(dir, TrainingTask.rows(8, 5), "train");
        List<Float> seen = new ArrayList<>();
        try (LanguageModel model = TinyModels.load(TinyModels.qwen2(dir.resolve("model")));
                Trainer trainer = new Trainer(model, new LoraConfig(4, 8, 0.0, List.of("q_proj"), false),
                        TrainConfig.defaults().withMaxSteps(2).withBatch(4, 1), train, List.of(), dir.resolve("run"),
                        m -> seen.add(probe()))) {
            String worker = onNewThread(() -> {
                trainer.train();
                return Thread.currentThread().getName();
            });
            assertThat(worker).isEqualTo("denormals-probe");
        }
        assertThat(seen).hasSize(2).containsOnly(0f);
    }
}
