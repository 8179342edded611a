package dev.tunewright.engine.run;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.data.DataException;
import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.data.ExampleEncoder;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.SequencePacker;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.data.TrainingData;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import dev.tunewright.engine.tokenizer.TokenizerException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A run's files as training sequences: encoded with the base model's tokenizer and chat template, one sequence per
 * example or packed. Each file's report reaches the listener before anything else happens, also when the file has
 * unusable rows (then a {@link DataException} names every one of them).
 */
record RunData(List<PackedSequence> train, List<PackedSequence> validation, DataReport trainReport,
               DataReport validationReport) {

    static RunData read(FineTuneConfig config, RunListener listener) throws IOException {
        Path modelDir = config.model().folder();
        try (TextTokenizer tokenizer = open(modelDir)) {
            Optional<ChatFormatter> chat = ChatFormatter.forFolder(modelDir, tokenizer);
            ExampleEncoder encoder = new ExampleEncoder(tokenizer, chat, config.data());
            TrainingData train = read(DataSplit.TRAIN, config.trainingFile(), encoder, listener);
            InvalidSettingException.require(!train.examples().isEmpty(), Setting.TRAINING_FILE,
                    config.trainingFile() + " has no examples");
            TrainingData validation = config.validationFile() == null ? null
                    : read(DataSplit.VALIDATION, config.validationFile(), encoder, listener);
            return new RunData(sequences(train, config), validation == null ? List.of() : sequences(validation, config),
                    train.report(), validation == null ? null : validation.report());
        }
    }

    private static TextTokenizer open(Path modelDir) throws IOException {
        try {
            return TextTokenizer.open(modelDir);
        } catch (TokenizerException e) {
            throw new InvalidSettingException(Setting.MODEL, e.getMessage(), e);
        }
    }

    private static TrainingData read(DataSplit split, Path file, ExampleEncoder encoder, RunListener listener)
            throws IOException {
        try {
            TrainingData data = TrainingData.read(file, encoder);
            listener.onDataReport(split, data.report());
            return data;
        } catch (DataException e) {
            listener.onDataReport(split, e.report());
            throw e;
        }
    }

    private static List<PackedSequence> sequences(TrainingData data, FineTuneConfig config) {
        List<TokenizedExample> examples = data.examples();
        return config.packing() ? SequencePacker.pack(examples, config.data().maxSeqLength())
                : examples.stream().map(PackedSequence::of).toList();
    }
}
