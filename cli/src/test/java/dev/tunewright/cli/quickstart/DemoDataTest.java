package dev.tunewright.cli.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.Device;
import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.data.ExampleEncoder;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.rows.Row;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.rows.RowFormat;
import dev.tunewright.engine.rows.RowProblem;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's demo tickets and demo model: deterministic, valid rows, and a tokenizer that knows every word. */
class DemoDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theTicketsAreTheSameEveryRunDistinctAndBalanced() {
        List<DemoTickets.Ticket> tickets = DemoTickets.generate(DemoTickets.ROWS, DemoTickets.SEED);
        assertThat(DemoTickets.generate(DemoTickets.ROWS, DemoTickets.SEED)).isEqualTo(tickets);
        assertThat(DemoTickets.generate(DemoTickets.ROWS, DemoTickets.SEED + 1)).isNotEqualTo(tickets);
        assertThat(new HashSet<>(tickets.stream().map(DemoTickets.Ticket::text).toList())).hasSize(DemoTickets.ROWS);
        assertThat(tickets.stream().collect(Collectors.groupingBy(DemoTickets.Ticket::label, Collectors.counting())))
                .containsOnly(Map.entry("billing", 100L), Map.entry("technical", 100L), Map.entry("other", 100L));
    }

    @Test
    void theRowsAreAlpacaRowsOfTheRowContract() throws IOException {
        Path file = DemoTickets.writeAlpaca(dir.resolve("tickets.jsonl"), DemoTickets.generate(30, 1));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(30);
        for (String line : lines) {
            List<RowProblem> problems = new ArrayList<>();
            Row row = RowContract.check(JSON.readTree(line), RowContract.UNLIMITED, problems);
            assertThat(problems).as(line).isEmpty();
            assertThat(row.format()).isEqualTo(RowFormat.ALPACA);
            assertThat(JSON.readTree(line).path("output").asText()).isIn(DemoTickets.LABELS);
        }
    }

    @Test
    void theQuickstartsFileIsTheSameBytesEveryRunAndReplacesAnOlderOneWhole() throws IOException {
        Path file = dir.resolve("demo").resolve("support-tickets.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "an older, shorter file\n");
        assertThat(DemoTickets.write(file)).isEqualTo(file);
        byte[] first = Files.readAllBytes(file);
        assertThat(Files.readAllLines(file)).hasSize(DemoTickets.ROWS);
        DemoTickets.write(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(first);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("support-tickets.jsonl");
        }
    }

    @Test
    void theDemoModelsTokenizerKnowsEveryWordAndRendersTheChatTemplate() throws IOException {
        DemoModel.Installed installed = DemoModel.install(dir.resolve("models"));
        assertThat(installed.written()).isTrue();
        assertThat(installed.folder()).isEqualTo(dir.resolve("models").resolve(DemoModel.NAME));
        assertThat(installed.folder().resolve("model.safetensors")).isRegularFile();
        JsonNode config = JSON.readTree(installed.folder().resolve("config.json").toFile());
        assertThat(config.path("vocab_size").asInt()).isEqualTo(DemoModel.vocabulary().size());

        // Every row as the trainer sees it (row contract, chat template, tokenizer, training encoder) holds known
        // words only and trains the label and the end of its turn.
        Path rows = DemoTickets.writeAlpaca(dir.resolve("tickets.jsonl"), DemoTickets.generate(DemoTickets.ROWS, DemoTickets.SEED));
        try (TextTokenizer tokenizer = TextTokenizer.open(installed.folder())) {
            Optional<ChatFormatter> chat = ChatFormatter.forFolder(installed.folder(), tokenizer);
            assertThat(chat).isPresent();
            ExampleEncoder encoder = new ExampleEncoder(tokenizer, chat, DataOptions.of(DemoModel.MAX_POSITIONS));
            long line = 0;
            for (String text : Files.readAllLines(rows)) {
                Row row = RowContract.read(JSON.readTree(text));
                int[] ids = chat.get().prompt(row.templateMessages(), false, Map.of()).ids();
                assertThat(ids).as(text).doesNotContain(0).contains(3, 4);
                TokenizedExample example = encoder.encode(row, ++line);
                assertThat(example.truncated()).as(text).isFalse();
                // The label is one word, then <|im_end|>: two trained tokens.
                assertThat(example.trainableTokens()).as(text).isEqualTo(2);
            }
            for (String label : DemoTickets.LABELS) {
                assertThat(tokenizer.encode(label, false)).as(label).hasSize(1);
            }
        }

        assertThat(DemoModel.install(dir.resolve("models")).written()).as("a current folder is kept").isFalse();
        try (var leftovers = Files.list(dir.resolve("models"))) {
            assertThat(leftovers.map(p -> p.getFileName().toString()).toList()).containsExactly(DemoModel.NAME);
        }
    }

    @Test
    void theEngineLoadsTheDemoModelAndScoresATicketWithFiniteLogProbs() throws IOException {
        Path folder = DemoModel.install(dir.resolve("models")).folder();
        int[] ids;
        try (TextTokenizer tokenizer = TextTokenizer.open(folder)) {
            ids = tokenizer.encode("I was charged twice for my Pro subscription in May .", true);
        }
        assertThat(ids).doesNotContain(0).hasSizeGreaterThan(10);
        try (ModelFolder model = ModelFolder.open(folder); LanguageModel lm = LanguageModel.load(model, Device.cpu())) {
            assertThat(lm.config().vocabSize()).isEqualTo(DemoModel.vocabulary().size());
            double[] logProbs = lm.logProbs(List.of(ids)).get(0);
            // The first token has no prediction; every other one a finite, negative log-probability.
            for (int i = 1; i < logProbs.length; i++) {
                assertThat(logProbs[i]).as("token %d", i).isFinite().isNegative();
            }
        }
    }
}
