package dev.tunewright.eval.model;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One base model in memory with its tokenizer and chat template, and the adapters kept loaded (detached) over it.
 * Only one piece of work runs on it at a time ({@link #lock}): an adapter is attached for that work alone, and on
 * a CPU two generations at once would only share the same cores.
 */
final class LoadedBase implements AutoCloseable {

    final Path folder;
    final LanguageModel model;
    final TextTokenizer tokenizer;
    final Optional<ChatFormatter> formatter;
    final Set<Integer> eosIds;
    final ReentrantLock lock = new ReentrantLock(true);
    /** Least recently used first; guarded by {@link #lock}. */
    private final LinkedHashMap<String, LoraAdapters> adapters = new LinkedHashMap<>(16, 0.75f, true);
    int users;
    long lastUsed;

    private LoadedBase(Path folder, LanguageModel model, TextTokenizer tokenizer, Optional<ChatFormatter> formatter) {
        this.folder = folder;
        this.model = model;
        this.tokenizer = tokenizer;
        this.formatter = formatter;
        Set<Integer> eos = new LinkedHashSet<>();
        eos.addAll(tokenizer.specialTokens().eosIds());
        eos.addAll(model.config().eosTokenIds());
        this.eosIds = Set.copyOf(eos);
    }

    static LoadedBase load(Path folder, String device) throws IOException {
        if (!Files.isRegularFile(folder.resolve(ModelFolder.TOKENIZER))) {
            throw new ModelUnavailableException("the model has no " + ModelFolder.TOKENIZER
                    + ", so its prompts cannot be encoded");
        }
        LanguageModel model;
        try (ModelFolder files = ModelFolder.open(folder)) {
            model = LanguageModel.load(files, Torch.device(device));
        }
        TextTokenizer tokenizer = null;
        try {
            tokenizer = TextTokenizer.open(folder);
            return new LoadedBase(folder, model, tokenizer, ChatFormatter.forFolder(folder, tokenizer));
        } catch (IOException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            model.close();
            throw e;
        }
    }

    /** The adapter from {@code dir}, attached; loaded the first time, reattached after. Call with the lock held. */
    LoraAdapters attach(String key, Path dir, int capacity) throws IOException {
        LoraAdapters adapter = adapters.get(key);
        if (adapter == null) {
            adapter = LoraAdapters.load(model, dir);
            adapters.put(key, adapter);
            evictAdaptersOver(capacity, key);
        } else {
            adapter.reattach();
        }
        return adapter;
    }

    private void evictAdaptersOver(int capacity, String keep) {
        for (Iterator<Map.Entry<String, LoraAdapters>> it = adapters.entrySet().iterator();
                it.hasNext() && adapters.size() > Math.max(1, capacity); ) {
            Map.Entry<String, LoraAdapters> entry = it.next();
            if (!entry.getKey().equals(keep)) {
                entry.getValue().close();
                it.remove();
            }
        }
    }

    int adapterCount() {
        return adapters.size();
    }

    @Override
    public void close() {
        adapters.values().forEach(LoraAdapters::close);
        adapters.clear();
        tokenizer.close();
        model.close();
    }
}
