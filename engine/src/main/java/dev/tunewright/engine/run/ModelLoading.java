package dev.tunewright.engine.run;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.folder.ModelFolderException;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.ComputeDtype;
import dev.tunewright.engine.model.Family;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.UnsupportedModelException;
import dev.tunewright.engine.quant.QuantizedModels;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;

/** The base model of a run as LoRA trains it (float weights) or as QLoRA does (every base linear in NF4). */
final class ModelLoading {

    private ModelLoading() {
    }

    static LanguageModel load(Path dir, Device device, ComputeDtype dtype, boolean qlora, RunListener listener)
            throws IOException {
        LanguageModel lm;
        try (ModelFolder folder = ModelFolder.open(dir)) {
            Family family = ModelConfig.fromJson(folder.config()).family();
            DataType computeDtype = dtype.resolve(device, family);
            listener.onLog(Level.INFO, "compute dtype " + dtype.explain(device, family));
            // QLoRA packs each base linear to NF4 as it is read: the float model never exists as a whole
            lm = qlora
                    ? QuantizedModels.load(folder, device, computeDtype, List.of(LoraConfig.ALL_LINEAR))
                    : LanguageModel.load(folder, device, computeDtype);
        } catch (ModelFolderException | UnsupportedModelException e) {
            throw new InvalidSettingException(Setting.MODEL, e.getMessage(), e);
        }
        if (qlora) {
            long packed = lm.linears().stream().filter(l -> l.packedWeight() != null).count();
            listener.onLog(Level.INFO, "qlora: " + packed + " base linears in NF4; resident " + QuantizedModels.residentBytes(lm));
        }
        return lm;
    }
}
