package dev.tunewright.registry.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.lora.LoraTargets;
import dev.tunewright.engine.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether the serving stack (vLLM, and PEFT) can load an adapter on its base, decided when the version is
 * registered instead of at deploy time, where users of other trainers meet "LoRA rank 32 is greater than
 * max_lora_rank 16" or "vLLM only supports modules_to_save being None". Every check is always listed with its
 * reason; one that could not run (the base unavailable, the config unreadable) fails and says why.
 */
public final class ServingReadiness {

    /** The values vLLM accepts for {@code --max-lora-rank}; an adapter is served under the smallest one at least its r. */
    public static final List<Integer> VLLM_MAX_LORA_RANKS = List.of(1, 8, 16, 32, 64, 128, 256, 320, 512);

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern EMBEDDING_KEY = Pattern.compile(".*(embed_tokens|lm_head|lora_embedding|modules_to_save).*");

    private ServingReadiness() {
    }

    /** One check: a stable name, its verdict and the reason a person reads. */
    public record Check(String check, boolean passed, String reason) {
    }

    /** All checks, and the adapter's {@code r} where its config gave one. */
    public record Result(List<Check> checks, Integer rank) {
        public boolean passed() {
            return checks.stream().allMatch(Check::passed);
        }

        public List<String> failures() {
            return ServingReadiness.failures(checks);
        }
    }

    /**
     * The base as the job's lineage names it.
     *
     * @param hub           whether it is a Hugging Face hub model (else an installed model or a local folder)
     * @param folder        its folder where the registry could resolve it, else null
     * @param unavailable   why {@code folder} is null
     */
    public record Base(String id, String revision, String weightsSha256, boolean hub, Path folder, String unavailable) {
    }

    /** The smallest {@code --max-lora-rank} vLLM accepts that serves rank {@code r}; null above the largest. */
    public static Integer servingRank(int r) {
        return VLLM_MAX_LORA_RANKS.stream().filter(v -> v >= r).findFirst().orElse(null);
    }

    /** The result for an adapter folder that could not be fetched at all. */
    public static Result unreadable(String reason) {
        return new Result(List.of(fail("peft_layout", "the adapter folder cannot be read: " + reason)), null);
    }

    /** Runs every check on the adapter folder {@code adapterDir} against {@code base}. */
    public static Result check(Path adapterDir, Base base, int maxLoraRank) {
        PeftFolder adapter = PeftFolder.read(adapterDir);
        ModelConfig baseConfig = null;
        String baseProblem = base.unavailable();
        if (base.folder() != null) {
            try {
                baseConfig = ModelConfig.read(base.folder().resolve("config.json"));
            } catch (IOException | RuntimeException e) {
                baseProblem = "its config.json cannot be used: " + e.getMessage();
            }
        }
        List<Check> checks = new ArrayList<>();
        checks.add(layout(adapter));
        checks.add(baseConfig != null
                ? pass("base_model", base.id() + " is a " + baseConfig.family().architecture() + " model")
                : fail("base_model", "base model " + base.id() + " is not available here: " + baseProblem));
        checks.add(baseConfig != null ? loadable(adapterDir, baseConfig) : notChecked("loadable", "the base model"));
        checks.add(rank(adapter, maxLoraRank));
        checks.add(configValue(adapter, "modules_to_save", c -> {
            JsonNode m = c.get("modules_to_save");
            return m == null || m.isNull() || (m.isArray() && m.isEmpty()) ? null
                    : "modules_to_save " + m + " trains whole modules; vLLM only supports modules_to_save being None";
        }, "no modules_to_save"));
        checks.add(configValue(adapter, "dora", c -> c.path("use_dora").asBoolean(false)
                ? "use_dora is true; vLLM does not serve DoRA adapters" : null, "not a DoRA adapter"));
        checks.add(configValue(adapter, "bias", c -> {
            JsonNode b = c.get("bias");
            return b == null || b.isNull() || "none".equals(b.asText()) ? null
                    : "bias " + b + " trains biases; vLLM serves LoRA adapters with bias \"none\" only";
        }, "bias \"none\""));
        checks.add(embeddingWeights(adapter));
        checks.add(baseConfig != null ? addedTokens(adapterDir, base.folder(), baseConfig)
                : notChecked("added_tokens", "the base model"));
        checks.add(baseConfig != null ? targetModules(adapter, baseConfig) : notChecked("target_modules", "the base model"));
        checks.add(pinned(base));
        return new Result(List.copyOf(checks), adapter.rank());
    }

    private static Check layout(PeftFolder adapter) {
        List<String> problems = new ArrayList<>();
        if (adapter.configProblem() != null) {
            problems.add(adapter.configProblem());
        } else {
            if (!"LORA".equals(adapter.config().path("peft_type").asText())) {
                problems.add("peft_type is " + adapter.config().get("peft_type") + ", not \"LORA\"");
            }
            if (!"CAUSAL_LM".equals(adapter.config().path("task_type").asText())) {
                problems.add("task_type is " + adapter.config().get("task_type") + ", not \"CAUSAL_LM\"");
            }
        }
        if (adapter.weightsProblem() != null) {
            problems.add(adapter.weightsProblem());
        } else if (adapter.tensors().isEmpty()) {
            problems.add(PeftFolder.WEIGHTS + " holds no tensors");
        }
        return problems.isEmpty()
                ? pass("peft_layout", PeftFolder.CONFIG + " and " + PeftFolder.WEIGHTS + " (" + adapter.tensors().size()
                        + " tensors) in PEFT's layout")
                : fail("peft_layout", String.join("; ", problems));
    }

    private static Check loadable(Path adapterDir, ModelConfig base) {
        try {
            LoraConfig config = LoraAdapters.verify(adapterDir, base);
            return pass("loadable", "the engine loads it onto " + base.family().architecture() + " (r=" + config.r()
                    + ", lora_alpha=" + config.alpha() + ")");
        } catch (IOException | RuntimeException e) {
            return fail("loadable", PeftFolder.relative(e.getMessage(), adapterDir));
        }
    }

    private static Check rank(PeftFolder adapter, int maxLoraRank) {
        if (adapter.config() == null) {
            return notChecked("rank", PeftFolder.CONFIG);
        }
        Integer r = adapter.rank();
        if (r == null) {
            return fail("rank", "r is " + adapter.config().get("r") + ", not a positive integer");
        }
        int highest = r;
        for (JsonNode value : adapter.config().path("rank_pattern")) {
            highest = Math.max(highest, value.asInt());
        }
        String which = highest == r ? "r=" + r : "rank_pattern reaches " + highest;
        if (highest > maxLoraRank) {
            return fail("rank", "LoRA rank " + highest + " is greater than max_lora_rank " + maxLoraRank + " (" + which
                    + "): vLLM refuses to load it; retrain with r <= " + maxLoraRank
                    + " or raise tunewright.registry.max-lora-rank with the server's --max-lora-rank");
        }
        Integer serving = servingRank(highest);
        return serving == null
                ? fail("rank", which + " is above every --max-lora-rank vLLM accepts (" + VLLM_MAX_LORA_RANKS + ")")
                : pass("rank", which + " is within max_lora_rank " + maxLoraRank + "; served with --max-lora-rank "
                        + serving + " (vLLM accepts " + VLLM_MAX_LORA_RANKS + ")");
    }

    private interface ConfigRule {
        /** The reason the config fails, null when it passes. */
        String problem(JsonNode config);
    }

    private static Check configValue(PeftFolder adapter, String name, ConfigRule rule, String passReason) {
        if (adapter.config() == null) {
            return notChecked(name, PeftFolder.CONFIG);
        }
        String problem = rule.problem(adapter.config());
        return problem == null ? pass(name, passReason) : fail(name, problem);
    }

    private static Check embeddingWeights(PeftFolder adapter) {
        List<String> found = adapter.tensors().stream().filter(t -> EMBEDDING_KEY.matcher(t).matches()).toList();
        List<String> targeted = adapter.config() == null ? List.of() : targetEntries(adapter.config()).stream()
                .filter(t -> t.endsWith("embed_tokens") || t.endsWith("lm_head")).toList();
        if (!found.isEmpty()) {
            return fail("embedding_weights", found.size() + " embedding or lm_head tensor(s), e.g. " + found.get(0)
                    + "; vLLM serves LoRA on the decoder linears only");
        }
        if (!targeted.isEmpty()) {
            return fail("embedding_weights", "target_modules names " + targeted + "; vLLM serves LoRA on the decoder linears only");
        }
        return adapter.weightsProblem() != null ? notChecked("embedding_weights", PeftFolder.WEIGHTS)
                : pass("embedding_weights", "no embedding or lm_head weights");
    }

    private static Check addedTokens(Path adapterDir, Path baseDir, ModelConfig base) {
        Map<String, Integer> adapterTokens;
        Map<String, Integer> baseTokens;
        try {
            adapterTokens = PeftFolder.tokens(adapterDir);
            baseTokens = PeftFolder.tokens(baseDir);
        } catch (IOException e) {
            return fail("added_tokens", "a tokenizer file cannot be read: " + PeftFolder.relative(e.getMessage(), adapterDir));
        }
        if (adapterTokens.isEmpty()) {
            return pass("added_tokens", "the adapter carries no tokenizer; it uses the base's vocabulary of "
                    + base.vocabSize());
        }
        TreeSet<String> added = new TreeSet<>();
        adapterTokens.forEach((token, id) -> {
            Integer inBase = baseTokens.get(token);
            if (id >= base.vocabSize() || (!baseTokens.isEmpty() && !id.equals(inBase))) {
                added.add(token);
            }
        });
        return added.isEmpty()
                ? pass("added_tokens", "its tokenizer's " + adapterTokens.size() + " tokens are the base's")
                : fail("added_tokens", "it adds " + added.size() + " token(s) the base lacks, e.g. " + added.first()
                        + "; vLLM serves adapters on the base's vocabulary (" + base.vocabSize() + ") only");
    }

    private static Check targetModules(PeftFolder adapter, ModelConfig base) {
        if (adapter.config() == null) {
            return notChecked("target_modules", PeftFolder.CONFIG);
        }
        Map<String, long[]> linears = LoraTargets.candidateShapes(base);
        List<String> known = LoraTargets.shortNames(List.copyOf(linears.keySet()));
        String architecture = base.family().architecture();
        JsonNode targets = adapter.config().get("target_modules");
        if (targets != null && targets.isTextual() && !targets.asText().equals(LoraConfig.ALL_LINEAR)) {
            try {
                List<String> selected = LoraTargets.selectByRegex(List.copyOf(linears.keySet()), targets.asText());
                return selected.isEmpty()
                        ? fail("target_modules", "the target_modules pattern selects no linear of a " + architecture
                                + " model (" + String.join(", ", known) + ")")
                        : pass("target_modules", "the pattern selects " + selected.size() + " " + architecture
                                + " linears (" + String.join(", ", LoraTargets.shortNames(selected)) + ")");
            } catch (PatternSyntaxException e) {
                return fail("target_modules", "the target_modules pattern is not a regular expression: " + e.getDescription());
            }
        }
        List<String> entries = targetEntries(adapter.config());
        if (entries.isEmpty()) {
            return fail("target_modules", "target_modules is missing or empty");
        }
        Set<String> unknown = new TreeSet<>();
        for (String entry : entries) {
            String shortName = entry.substring(entry.lastIndexOf('.') + 1);
            if (!entry.equals(LoraConfig.ALL_LINEAR) && !known.contains(shortName)) {
                unknown.add(entry);
            }
        }
        return unknown.isEmpty()
                ? pass("target_modules", String.join(", ", entries) + ": known for " + architecture)
                : fail("target_modules", String.join(", ", unknown) + " " + (unknown.size() == 1 ? "is" : "are")
                        + " not a decoder linear of " + architecture + "; the serving stack knows "
                        + String.join(", ", known));
    }

    private static List<String> targetEntries(JsonNode config) {
        JsonNode targets = config.get("target_modules");
        List<String> out = new ArrayList<>();
        if (targets != null && targets.isArray()) {
            targets.forEach(t -> out.add(t.asText()));
        } else if (targets != null && targets.isTextual()) {
            out.add(targets.asText());
        }
        return out;
    }

    private static Check pinned(Base base) {
        if (base.hub()) {
            return base.revision() != null && COMMIT.matcher(base.revision()).matches()
                    ? pass("base_revision_pinned", base.id() + " pinned to commit " + base.revision())
                    : fail("base_revision_pinned", base.id() + " is not pinned to a commit (revision "
                            + (base.revision() == null ? "none" : "'" + base.revision() + "'")
                            + "); the served base could differ from the trained one");
        }
        return base.weightsSha256() != null && !base.weightsSha256().isBlank()
                ? pass("base_revision_pinned", base.id() + " is a local model without hub revisions, pinned by its"
                        + " weights hash " + base.weightsSha256())
                : fail("base_revision_pinned", base.id() + " is a local model and the job recorded no weights hash to pin it");
    }

    private static Check notChecked(String check, String missing) {
        return fail(check, "not checked: " + missing + " could not be read");
    }

    private static Check pass(String check, String reason) {
        return new Check(check, true, reason);
    }

    private static Check fail(String check, String reason) {
        return new Check(check, false, reason);
    }

    /** The failed checks as {@code check: reason}. */
    public static List<String> failures(List<Check> checks) {
        return checks.stream().filter(c -> !c.passed()).map(c -> c.check() + ": " + c.reason()).toList();
    }
}
