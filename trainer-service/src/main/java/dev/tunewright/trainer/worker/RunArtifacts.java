package dev.tunewright.trainer.worker;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.engine.train.Checkpoints;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.trainer.repository.JobCheckpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Moves a run's files between its run folder and the artifact store: checkpoints out as they are written and back
 * in on resume (the newest one whose every byte matches its manifest), the final adapter and the metrics CSV out.
 */
@ApplicationScoped
public class RunArtifacts {

    /** The files of a checkpoint folder that make its adapter in the PEFT layout. */
    static final List<String> ADAPTER_FILES = List.of("adapter_config.json", "adapter_model.safetensors");
    private static final Logger LOG = Logger.getLogger(RunArtifacts.class);

    /** A stored checkpoint: the whole folder and its adapter alone (sharing the adapter's file artifacts). */
    public record StoredCheckpoint(String checkpointArtifactId, String adapterArtifactId) {
    }

    private final ArtifactStore store;

    public RunArtifacts(ArtifactStore store) {
        this.store = store;
    }

    public ArtifactStore store() {
        return store;
    }

    public StoredCheckpoint storeCheckpoint(Path folder) throws IOException {
        ArtifactStore.Stored whole = ArtifactFolder.put(store, folder);
        Map<String, ArtifactStore.Stored> adapterFiles = new TreeMap<>(ArtifactFolder.read(store, whole.id()).files());
        adapterFiles.keySet().retainAll(ADAPTER_FILES);
        if (adapterFiles.size() != ADAPTER_FILES.size()) {
            throw new IOException("checkpoint " + folder.getFileName() + " lacks the adapter files " + ADAPTER_FILES);
        }
        byte[] manifest = new ArtifactFolder(adapterFiles).manifestBytes();
        ArtifactStore.Stored adapter = store.put(out -> out.write(manifest));
        return new StoredCheckpoint(whole.id(), adapter.id());
    }

    public String storeFolder(Path folder) throws IOException {
        return ArtifactFolder.put(store, folder).id();
    }

    /**
     * Rebuilds the run folder's checkpoints from the newest stored checkpoint that copies back intact; returns
     * its step, or 0 when none does (the run starts over, as it would have without checkpoints).
     */
    public int restoreNewest(List<JobCheckpoint> newestFirst, Path checkpointsDir) {
        for (JobCheckpoint checkpoint : newestFirst) {
            try {
                ArtifactFolder.read(store, checkpoint.checkpointArtifactId)
                        .copyTo(store, Checkpoints.pathFor(checkpointsDir, checkpoint.step));
                return checkpoint.step;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("checkpoint %s (step %d) of job %s cannot be restored (%s); trying an older one", checkpoint.id,
                        checkpoint.step, checkpoint.jobId, e.getMessage());
            }
        }
        return 0;
    }

    /** OpenAI's result file: one CSV row of metrics per step. */
    public String storeResultFile(List<StepMetrics> history, int totalSteps, int epochs) throws IOException {
        StringBuilder csv = new StringBuilder("step,epoch,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy,"
                + "learning_rate,grad_norm,tokens_per_second,trained_tokens\n");
        for (StepMetrics m : history) {
            StepReport r = StepReport.of(m, totalSteps, epochs, 0, java.time.Instant.EPOCH);
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,,%s,%s,%s,%s,%s,%d%n", r.step(), r.epoch(), r.trainLoss(),
                    r.validLoss() == null ? "" : r.validLoss(), r.validAccuracy() == null ? "" : r.validAccuracy(),
                    r.learningRate(), r.gradNorm(), r.tokensPerSecond(), r.trainedTokens()));
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        return store.put(out -> out.write(bytes)).id();
    }
}
