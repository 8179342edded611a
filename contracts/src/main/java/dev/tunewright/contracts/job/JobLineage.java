package dev.tunewright.contracts.job;

import java.util.Map;

/**
 * Where an adapter came from, exactly enough to tell two runs apart and to rebuild one: the base model by id,
 * revision and content hashes, the dataset version by id and content hash with its split artifacts, the resolved
 * settings and the seed, and the engine that trained it. Carried by the events that announce an adapter
 * ({@link JobSucceeded}, {@link CheckpointSaved}) so the registry and the evaluator never ask the trainer.
 *
 * @param baseModel           hub id or model name as the job named it (without {@code @revision})
 * @param baseModelRevision   the pinned revision (a commit hash for hub models), null when the model is a local
 *                            folder without one
 * @param baseWeightsSha256   SHA-256 over the safetensors headers (names, dtypes, shapes, offsets) of every weight
 *                            file, in file-name order: changes whenever the weights' layout or files change
 * @param baseTokenizerSha256 SHA-256 over tokenizer.json, tokenizer_config.json and the chat template, in that order
 * @param datasetSha256       SHA-256 over the train split's SHA-256, a newline and the validation split's SHA-256
 * @param hyperparameters     every resolved setting of the run (OpenAI's and the {@code lora} extension block), after
 *                            {@code auto} was resolved
 */
public record JobLineage(
        String baseModel,
        String baseModelRevision,
        String baseWeightsSha256,
        String baseTokenizerSha256,
        String datasetId,
        String datasetSha256,
        String trainArtifactId,
        String validationArtifactId,
        Map<String, Object> hyperparameters,
        long seed,
        String engineVersion) {

    public JobLineage {
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }
}
