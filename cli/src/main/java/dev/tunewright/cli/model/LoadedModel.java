package dev.tunewright.cli.model;

import ai.djl.Device;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.model.ComputeDtype;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code score} and {@code generate} open for a resolved {@code --model} folder: the weights on the
 * chosen device, and the tokenizer when the folder has one. The folder is closed as soon as the weights are in native memory.
 */
final class LoadedModel implements AutoCloseable {

    final Path dir;
    final LanguageModel model;
    final Optional<TextTokenizer> tokenizer;
    private final LoraAdapters adapter; // null without --adapter

    private LoadedModel(Path dir, LanguageModel model, Optional<TextTokenizer> tokenizer, LoraAdapters adapter) {
        this.dir = dir;
        this.model = model;
        this.tokenizer = tokenizer;
        this.adapter = adapter;
    }

    /**
     * In {@code dtype} ({@link ComputeDtype}); with {@code adapterDir} non-null, a PEFT LoRA adapter is applied (not
     * merged) to every forward pass.
     */
    static LoadedModel open(Path dir, String device, String dtype, Path adapterDir) throws IOException {
        LanguageModel model;
        try (ModelFolder folder = ModelFolder.open(dir)) {
            Device on = Torch.device(device);
            model = LanguageModel.load(folder, on,
                    ComputeDtype.parse(dtype).resolve(on, ModelConfig.fromJson(folder.config()).family()));
        }
        LoraAdapters adapter = null;
        try {
            adapter = adapterDir == null ? null : LoraAdapters.load(model, adapterDir);
            Optional<TextTokenizer> tokenizer = Files.isRegularFile(dir.resolve(ModelFolder.TOKENIZER))
                    ? Optional.of(TextTokenizer.open(dir)) : Optional.empty();
            return new LoadedModel(dir, model, tokenizer, adapter);
        } catch (IOException | RuntimeException e) {
            if (adapter != null) {
                adapter.close();
            }
            model.close();
            throw e;
        }
    }

    TextTokenizer requireTokenizer(String why) throws IOException {
        return tokenizer.orElseThrow(() -> new IOException(dir + ": no " + ModelFolder.TOKENIZER + ", needed " + why));
    }

    @Override
    public void close() {
        tokenizer.ifPresent(TextTokenizer::close);
        if (adapter != null) {
            adapter.close();
        }
        model.close();
    }
}
