package dev.tunewright.dataset.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.dataset.split.SplitWriter;
import dev.tunewright.dataset.validation.RowEntry;
import dev.tunewright.engine.chat.ChatTemplate;
import dev.tunewright.engine.chat.ChatTemplates;
import dev.tunewright.engine.data.ExampleMessages;
import dev.tunewright.engine.tokenizer.SpecialTokens;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Example lengths in the base model's tokens, measured the way training will see them: each row rendered with
 * the model's chat template and tokenized by its tokenizer. Without a template (a base, non-chat model) the
 * prompt and response are tokenized as one text with the tokenizer's special tokens.
 *
 * @param rowsOverMaxSeqLength rows longer than {@code max_seq_length} tokens (truncated or dropped in training),
 *                             null when no maximum was given
 */
public record TokenStatistics(String baseModel, boolean chatTemplate, DatasetStatistics.Percentiles tokens,
        Integer maxSeqLength, Long rowsOverMaxSeqLength, long totalTokens) {

    public static TokenStatistics measure(String baseModel, Path modelDir, Path file, List<RowEntry> rows,
            Integer maxSeqLength) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Optional<ChatTemplate> template = ChatTemplates.load(modelDir);
        int[] lengths = new int[rows.size()];
        try (TextTokenizer tokenizer = TextTokenizer.open(modelDir)) {
            SpecialTokens special = tokenizer.specialTokens();
            Map<String, Object> variables = ChatTemplate.variables(special.bosText().orElse(null),
                    special.eosText().orElse(null), Map.of());
            SplitWriter.forEachRow(file, rows, (index, bytes, offset, length) -> {
                List<Map<String, Object>> messages = ExampleMessages.of(json.readTree(bytes, offset, length));
                if (template.isPresent()) {
                    lengths[index] = tokenizer.encode(template.get().render(messages, false, variables), false).length;
                } else {
                    StringBuilder text = new StringBuilder();
                    messages.forEach(m -> text.append(m.get("content")));
                    lengths[index] = tokenizer.encode(text.toString(), true).length;
                }
            });
        }
        long total = 0;
        long over = 0;
        for (int length : lengths) {
            total += length;
            if (maxSeqLength != null && length > maxSeqLength) {
                over++;
            }
        }
        return new TokenStatistics(baseModel, template.isPresent(), DatasetStatistics.Percentiles.of(lengths),
                maxSeqLength, maxSeqLength == null ? null : over, total);
    }
}
