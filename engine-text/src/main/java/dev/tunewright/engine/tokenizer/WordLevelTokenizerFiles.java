package dev.tunewright.engine.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the tokenizer.json and tokenizer_config.json of a whitespace word-level tokenizer in the real Hugging
 * Face format, so tests get exact, readable token ids (one per word) through the same loading path as a real
 * model's tokenizer. Ids 1 to {@code specialTokens} are added special tokens; id 1 is the BOS {@code <s>}
 * and {@code </s>} the EOS.
 *
 * <p>Main code, not a test fixture: {@code ftctl quickstart} writes its tiny demo model's tokenizer with it, and the
 * modules built on the engine (the dataset service checks its accepted rows against the training encoder) write the
 * same tiny tokenizer in their tests instead of a copy of it.
 */
public final class WordLevelTokenizerFiles {

    private WordLevelTokenizerFiles() {}

    /** Writes both files into {@code dir} (which must exist); entry i of {@code vocab} gets id i. */
    public static void write(Path dir, List<String> vocab, int specialTokens) throws IOException {
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < vocab.size(); i++) {
            words.append(i == 0 ? "" : ", ").append('"').append(vocab.get(i)).append("\": ").append(i);
        }
        StringBuilder added = new StringBuilder();
        for (int i = 1; i <= specialTokens; i++) {
            added.append(i == 1 ? "" : ", ").append("{\"id\": ").append(i).append(", \"content\": \"").append(vocab.get(i))
                    .append("\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false,"
                            + " \"special\": true}");
        }
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [%s],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": {"type": "TemplateProcessing",
                   "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                   "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                            {"Sequence": {"id": "B", "type_id": 1}}],
                   "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
                 "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}}
                """.formatted(added, words));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}");
    }
}
