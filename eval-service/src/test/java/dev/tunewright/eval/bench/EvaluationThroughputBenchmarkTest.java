package dev.tunewright.eval.bench;

import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.artifact.LocalArtifactStore;
import dev.tunewright.common.models.ModelCatalog;
import dev.tunewright.common.models.ModelsConfig;
import dev.tunewright.engine.train.TrainingTask;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.model.ModelPool;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation throughput, batched against one example at a time, for base and fine-tuned (adapter applied, not
 * merged), measured side by side in one run: the prompts of the keyword task's held-out rows, built by the
 * evaluator's {@link ModelPool} sessions (chat template with the generation prompt) and generated greedily with the
 * KV cache, 17 new tokens each (the task's one-token answers plus the default margin of 16), exactly as the
 * evaluation's generation pass does. Rounds alternate the four settings so load on the shared machine hits them
 * alike; the median round counts. Off unless {@code TUNEWRIGHT_BENCHMARK=1}:
 * {@code TUNEWRIGHT_BENCHMARK=1 mvn -B -pl eval-service -am verify -Dtest=EvaluationThroughputBenchmarkTest
 * -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 */
@EnabledIfEnvironmentVariable(named = "TUNEWRIGHT_BENCHMARK", matches = "1")
class EvaluationThroughputBenchmarkTest {

    static final int NEW_TOKENS = 17;
    static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void batchedEvaluationAgainstOneAtATime() throws Exception {
        ArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
        ModelPool pool = pool(dir.resolve("cache"), store);
        System.out.println("machine: " + BenchModels.machine() + "; PyTorch intra-op threads: "
                + System.getProperty("ai.djl.pytorch.num_threads", "default"));
        measure(pool, store, "tiny (Llama, hidden 64, 3 layers)", BenchModels.tiny(dir.resolve("tiny")), 64);
        measure(pool, store, "small (SmolLM2-135M shape)", BenchModels.small(dir.resolve("small")), 16);
    }

    private void measure(ModelPool pool, ArtifactStore store, String name, Path model, int examples) throws Exception {
        String adapter = BenchModels.adapter(model, dir, store);
        List<List<Map<String, Object>>> prompts = TrainingTask.rows(examples, 2).stream()
                .map(r -> List.<Map<String, Object>>of(Map.of("role", "user", "content", r.sentence()))).toList();
        String[] settings = {"base, batch 1", "base, batch 8", "fine-tuned, batch 1", "fine-tuned, batch 8"};
        double[][] rates = new double[settings.length][ROUNDS];
        run(pool, model, null, prompts.subList(0, 8), 8);
        run(pool, model, adapter, prompts.subList(0, 8), 8);
        for (int round = 0; round < ROUNDS; round++) {
            for (int s = 0; s < settings.length; s++) {
                rates[s][round] = run(pool, model, s < 2 ? null : adapter, prompts, s % 2 == 0 ? 1 : 8);
            }
        }
        double[] median = Arrays.stream(rates).mapToDouble(r -> {
            double[] sorted = r.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }).toArray();
        System.out.printf(Locale.ROOT, "%s, %d examples, %d new tokens each: examples/s base %.2f (one at a time) vs %.2f"
                        + " (batch 8) = %.2fx; fine-tuned %.2f vs %.2f = %.2fx; adapter cost at batch 8: %.1f%%%n", name,
                examples, NEW_TOKENS, median[0], median[1], median[1] / median[0], median[2], median[3],
                median[3] / median[2], 100 * (median[1] / median[3] - 1));
    }

    /** Examples per second of one pass over {@code prompts} in batches of {@code batch}. */
    private static double run(ModelPool pool, Path model, String adapter, List<List<Map<String, Object>>> prompts,
            int batch) throws Exception {
        long started = System.nanoTime();
        for (int from = 0; from < prompts.size(); from += batch) {
            List<List<Map<String, Object>>> part = prompts.subList(from, Math.min(prompts.size(), from + batch));
            pool.use(model, adapter, session -> {
                List<int[]> ids = new ArrayList<>();
                part.forEach(p -> ids.add(session.prompt(p)));
                return session.generate(ids, session.greedy(NEW_TOKENS), null);
            });
        }
        return prompts.size() / ((System.nanoTime() - started) / 1e9);
    }

    static ModelPool pool(Path cache, ArtifactStore store) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(EvalConfig.class).withMapping(ModelsConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(Map.of("tunewright.eval.models.cache-dir", cache.toString(),
                        "tunewright.models.allow-local-paths", "true"), "bench", 100))
                .build();
        return new ModelPool(new ModelCatalog(config.getConfigMapping(ModelsConfig.class)), store,
                config.getConfigMapping(EvalConfig.class));
    }
}
