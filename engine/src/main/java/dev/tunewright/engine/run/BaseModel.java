package dev.tunewright.engine.run;

import dev.tunewright.engine.hub.ModelReference;
import java.nio.file.Path;

/**
 * The model a run fine-tunes: the folder it is read from, and the name and revision the adapter records as its
 * base (PEFT's {@code base_model_name_or_path} and {@code revision}), so PEFT and vLLM find the base again.
 *
 * @param folder   a Hugging Face model folder, already resolved (downloaded or local)
 * @param id       the hub id or folder path to record
 * @param revision the hub revision to record, null when none was named
 */
public record BaseModel(Path folder, String id, String revision) {

    /** {@code folder} resolved from {@code dirOrId} ({@code org/name[@revision]} or a folder path). */
    public static BaseModel of(Path folder, String dirOrId) {
        ModelReference reference = ModelReference.parse(dirOrId);
        return new BaseModel(folder, reference.id(), reference.revision());
    }
}
