package dev.tunewright.trainer.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the body of {@code POST /v1/fine_tuning/jobs} into a {@link JobRequest}: OpenAI's fields (with the deprecated
 * top-level {@code hyperparameters}), our {@code lora} block, every value checked against its type and range, and
 * a 400 naming the field for anything else. Nothing here does I/O: the model, files and limits are checked after.
 */
@ApplicationScoped
public class JobRequestReader {

    /** Longest suffix; OpenAI allows 64 characters. */
    public static final int MAX_SUFFIX = 64;
    public static final int MAX_METADATA_KEY = 64;
    public static final int MAX_METADATA_VALUE = 512;
    /** A suffix becomes a segment of the {@code ft:} model id, whose separator is ':'. */
    private static final Pattern SUFFIX = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern ID = Pattern.compile("(file|ds)-[A-Za-z0-9_-]{1,60}");
    private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final TrainerConfig.Limits limits;

    public JobRequestReader(TrainerConfig config) {
        this.limits = config.limits();
    }

    public JobRequest read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_request", null, "the request body must be a JSON object");
        }
        RequestFields request = RequestFields.of(body, "");
        String model = request.requiredString("model", 600);
        String trainingFile = fileId(request, "training_file", true);
        String validationFile = fileId(request, "validation_file", false);
        if (validationFile != null && validationFile.startsWith("ds-")) {
            throw RequestFields.invalid("validation_file", "validation_file must be a file id (file-…); a dataset has its"
                    + " own validation split");
        }
        if (validationFile != null && trainingFile.startsWith("ds-")) {
            throw RequestFields.invalid("validation_file", "training_file is a dataset, which has its validation split"
                    + " already: leave validation_file out");
        }
        Long seed = request.longValue("seed", 0, Integer.MAX_VALUE, false);
        String suffix = request.string("suffix", MAX_SUFFIX);
        if (suffix != null && !SUFFIX.matcher(suffix).matches()) {
            throw RequestFields.invalid("suffix", "suffix may hold letters, digits, '.', '_' and '-' only");
        }
        Map<String, String> metadata = metadata(request);
        Hyperparameters hyperparameters = hyperparameters(request);
        LoraSettings lora = lora(request.object("lora"), hyperparameters);
        EvaluationOptions evaluation = evaluation(request.object("evaluation"));
        integrations(request);
        request.rejectUnknown();
        return new JobRequest(model, trainingFile, validationFile, seed, suffix == null || suffix.isEmpty() ? null : suffix,
                metadata, hyperparameters, lora, evaluation);
    }

    private static String fileId(RequestFields request, String name, boolean required) {
        String id = required ? request.requiredString(name, 64) : request.string(name, 64);
        if (id != null && !ID.matcher(id).matches()) {
            throw RequestFields.invalid(name, name + " must be an uploaded file id (file-…) or a dataset id (ds-…), was '"
                    + id + "'");
        }
        return id;
    }

    private Map<String, String> metadata(RequestFields request) {
        JsonNode node = request.raw("metadata");
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            throw RequestFields.invalid("metadata", "metadata must be an object of string keys and string values");
        }
        if (node.size() > limits.maxMetadataPairs()) {
            throw RequestFields.invalid("metadata", "metadata may hold at most " + limits.maxMetadataPairs()
                    + " pairs (tunewright.trainer.limits.max-metadata-pairs), got " + node.size());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().isEmpty() || field.getKey().length() > MAX_METADATA_KEY) {
                throw RequestFields.invalid("metadata", "metadata keys must be 1 to " + MAX_METADATA_KEY
                        + " characters, got '" + abbreviate(field.getKey()) + "'");
            }
            if (!field.getValue().isTextual()) {
                throw RequestFields.invalid("metadata", "metadata values must be strings; '" + field.getKey() + "' is "
                        + field.getValue().getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (field.getValue().textValue().length() > MAX_METADATA_VALUE) {
                throw RequestFields.invalid("metadata", "metadata values must be at most " + MAX_METADATA_VALUE
                        + " characters; '" + field.getKey() + "' has " + field.getValue().textValue().length());
            }
            out.put(field.getKey(), field.getValue().textValue());
        }
        return out;
    }

    /** {@code method.supervised.hyperparameters}, or the deprecated top-level {@code hyperparameters}; not both. */
    private Hyperparameters hyperparameters(RequestFields request) {
        boolean topLevel = request.has("hyperparameters");
        RequestFields method = request.object("method");
        Hyperparameters fromMethod = null;
        if (request.has("method")) {
            String type = method.requiredString("type", 32);
            switch (type) {
                case "supervised" -> {
                    RequestFields supervised = method.object("supervised");
                    fromMethod = values(supervised.object("hyperparameters"));
                    supervised.rejectUnknown();
                }
                case "dpo", "reinforcement" -> throw ApiException.badRequest("unsupported_method", "method.type",
                        "method.type '" + type + "' is not supported yet; only 'supervised' fine-tuning is");
                default -> throw RequestFields.invalid("method.type", "method.type must be 'supervised', was '" + type + "'");
            }
            method.rejectUnknown();
        }
        if (topLevel && fromMethod != null) {
            throw RequestFields.invalid("hyperparameters", "give hyperparameters in method.supervised.hyperparameters only;"
                    + " the top-level hyperparameters field is deprecated");
        }
        if (topLevel) {
            return values(request.object("hyperparameters"));
        }
        return fromMethod == null ? Hyperparameters.auto() : fromMethod;
    }

    private Hyperparameters values(RequestFields fields) {
        Hyperparameters out = new Hyperparameters(fields.integer("n_epochs", 1, limits.maxEpochs(), true),
                fields.integer("batch_size", 1, limits.maxBatchSize(), true),
                fields.number("learning_rate_multiplier", 0, true, 10, true));
        fields.rejectUnknown();
        return out;
    }

    private LoraSettings lora(RequestFields lora, Hyperparameters hyperparameters) {
        Integer r = lora.integer("r", 1, limits.maxRank(), false);
        Double alpha = lora.number("alpha", 0, true, 4096, false);
        Double dropout = lora.number("dropout", 0, false, 0.9, false);
        List<String> targets = lora.strings("target_modules", 32, MODULE);
        Boolean rslora = lora.bool("use_rslora");
        String quantization = lora.choice("quantization", List.of("none", "nf4"));
        Boolean checkpointing = lora.bool("gradient_checkpointing");
        Integer maxSeqLength = lora.integer("max_seq_length", 8, limits.maxSeqLength(), false);
        Boolean packing = lora.bool("packing");
        Double learningRate = lora.number("learning_rate", 0, true, 1, false);
        String scheduler = lora.choice("scheduler", List.of("linear", "cosine"));
        Double warmup = lora.number("warmup_ratio", 0, false, 0.5, false);
        Integer accumulation = lora.integer("gradient_accumulation_steps", 1, limits.maxBatchSize(), true);
        Integer saveEvery = lora.integer("save_every", 1, 1_000_000, true);
        Integer evalEvery = lora.integer("eval_every", 0, 1_000_000, true);
        Integer patience = lora.integer("early_stopping_patience", 0, 1000, false);
        lora.rejectUnknown();
        if (accumulation != null && hyperparameters.batchSize() != null && hyperparameters.batchSize() % accumulation != 0) {
            throw RequestFields.invalid("lora.gradient_accumulation_steps", "lora.gradient_accumulation_steps ("
                    + accumulation + ") must divide batch_size (" + hyperparameters.batchSize() + ")");
        }
        if (targets != null && targets.size() > 1 && targets.contains(LoraSettings.ALL_LINEAR)) {
            throw RequestFields.invalid("lora.target_modules", "lora.target_modules is either all-linear or a list of"
                    + " module names");
        }
        return new LoraSettings(r, alpha, dropout, targets, rslora, quantization, checkpointing, maxSeqLength, packing,
                learningRate, scheduler, warmup, accumulation, saveEvery, evalEvery, patience);
    }

    private static EvaluationOptions evaluation(RequestFields evaluation) {
        EvaluationOptions out = new EvaluationOptions(evaluation.bool("enabled"),
                evaluation.choice("task_type", List.of("auto", "classification", "structured", "free_text")),
                evaluation.number("margin", 0, false, 1, false), evaluation.integer("max_examples", 1, 100_000, false),
                evaluation.bool("judge"), evaluation.bool("checkpoints"));
        evaluation.rejectUnknown();
        return out;
    }

    private static void integrations(RequestFields request) {
        JsonNode integrations = request.raw("integrations");
        if (integrations != null && !(integrations.isArray() && integrations.isEmpty())) {
            throw ApiException.badRequest("unsupported_integration", "integrations",
                    "integrations are not supported; leave integrations out or empty");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
