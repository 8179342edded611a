package dev.tunewright.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.chat.ChatTemplate;
import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.data.ExampleEncoder;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.TrainingData;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A synthetic 3-label classification task in chat form, through the real data path (JSONL rows, ChatML-like
 * template, word-level tokenizer, reply-only labels): a sentence of filler words holds one keyword, and the
 * reply is the colour of the keyword's class. Only the keyword decides the label, so a model that beats
 * chance has learned to find it. Public, and shipped in the engine's test jar, so that service tests (the
 * evaluator's "base near chance, fine-tuned high" flow) train on the very task the engine's own tests learn.
 */
public final class TrainingTask {

    public static final String TEMPLATE = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
    public static final List<String> LABELS = List.of("red", "green", "blue");
    public static final List<List<String>> KEYWORDS = List.of(
            List.of("apple", "cherry", "tomato"), List.of("grass", "lime", "leaf"), List.of("sky", "ocean", "sapphire"));
    public static final List<String> FILLER = List.of("the", "a", "is", "was", "near", "big", "small", "old", "new", "my",
            "your", "this", "that", "very", "quite", "here", "there", "today", "again", "still");
    public static final List<String> VOCAB = vocabulary();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingTask() {}

    public static int id(String word) {
        return VOCAB.indexOf(word);
    }

    /** One labelled example: the sentence and its class. */
    public record Row(String sentence, int label) {}

    public static List<Row> rows(int count, long seed) {
        Random random = new Random(seed);
        List<Row> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(3);
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 5; w++) {
                words.add(FILLER.get(random.nextInt(FILLER.size())));
            }
            words.add(random.nextInt(words.size() + 1), KEYWORDS.get(label).get(random.nextInt(3)));
            out.add(new Row(String.join(" ", words), label));
        }
        return out;
    }

    /** The rows as chat JSONL, read back through {@link TrainingData}, one sequence per example. */
    public static List<PackedSequence> sequences(Path dir, List<Row> rows, String name) throws IOException {
        Path jsonl = jsonl(dir.resolve(name + ".jsonl"), rows);
        TextTokenizer tokenizer = tokenizer(dir);
        ExampleEncoder encoder = new ExampleEncoder(tokenizer,
                Optional.of(new ChatFormatter(ChatTemplate.of(TEMPLATE), tokenizer)), DataOptions.of(64));
        return TrainingData.read(jsonl, encoder).examples().stream().map(PackedSequence::of).toList();
    }

    /** The rows as chat JSONL: the user's sentence, the assistant's colour. */
    public static Path jsonl(Path file, List<Row> rows) throws IOException {
        Files.writeString(file, chatJsonl(rows));
        return file;
    }

    /** The text of {@link #jsonl}, for tests that upload the rows to a service rather than write a file. */
    public static String chatJsonl(List<Row> rows) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Row r : rows) {
            text.append(JSON.writeValueAsString(Map.of("messages", List.of(
                    Map.of("role", "user", "content", r.sentence()),
                    Map.of("role", "assistant", "content", LABELS.get(r.label())))))).append('\n');
        }
        return text.toString();
    }

    /** The task's tokenizer and chat template in {@code modelDir}, next to a tiny model's weights. */
    public static void writeTokenizer(Path modelDir) throws IOException {
        WordLevelTokenizerFiles.write(modelDir, VOCAB, 4);
        Files.writeString(modelDir.resolve("tokenizer_config.json"), JSON.writeValueAsString(Map.of(
                "bos_token", "<s>", "eos_token", "</s>", "chat_template", TEMPLATE)));
    }

    private static TextTokenizer tokenizer(Path dir) throws IOException {
        Path tok = dir.resolve("tokenizer");
        if (Files.exists(tok.resolve("tokenizer.json"))) {
            return TextTokenizer.open(tok);
        }
        Files.createDirectories(tok);
        WordLevelTokenizerFiles.write(tok, VOCAB, 4);
        return TextTokenizer.open(tok);
    }

    private static List<String> vocabulary() {
        List<String> v = new ArrayList<>(List.of("[UNK]", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "system", "user",
                "assistant"));
        v.addAll(LABELS);
        KEYWORDS.forEach(v::addAll);
        v.addAll(FILLER);
        return List.copyOf(v);
    }
}
