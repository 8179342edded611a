package dev.tunewright.engine.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}) through DJL's Rust binding, plus what the
 * Python layer adds on top: special tokens from the config files and the decode space cleanup.
 * The DJL tokenizer is built from a local path only (never a hub name, which would download), with
 * truncation and padding off, because DJL's defaults silently cut inputs at 512 tokens.
 */
public final class TextTokenizer implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerSettings settings;
    private final SpecialTokens specialTokens;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, TokenizerSettings settings) throws TokenizerException {
        this.tokenizer = tokenizer;
        this.settings = settings;
        this.specialTokens = resolveSpecialTokens();
    }

    /**
     * Opens {@code tokenizer.json} in {@code dir}, with {@code tokenizer_config.json} and
     * {@code generation_config.json} from the same folder when present.
     */
    public static TextTokenizer open(Path dir) throws IOException {
        return open(dir.resolve("tokenizer.json"), readOptional(dir.resolve("tokenizer_config.json")),
                readOptional(dir.resolve("generation_config.json")));
    }

    /** Opens a tokenizer file with already-parsed config trees (either may be null). */
    public static TextTokenizer open(Path tokenizerJson, JsonNode tokenizerConfig, JsonNode generationConfig)
            throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new TokenizerException(tokenizerJson + ": tokenizer.json not found (only fast tokenizers are supported)");
        }
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (RuntimeException e) {
            throw new TokenizerException(tokenizerJson + ": cannot load tokenizer: " + e.getMessage(), e);
        }
        try {
            return new TextTokenizer(hf, new TokenizerSettings(tokenizerConfig, generationConfig));
        } catch (IOException | RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    public int[] encode(String text, boolean addSpecialTokens) {
        return toInts(tokenizer.encode(text, addSpecialTokens, false).getIds());
    }

    /** Token strings as the vocabulary spells them (byte-level BPE shows a space as {@code Ġ}). */
    public List<String> tokens(String text, boolean addSpecialTokens) {
        return List.of(tokenizer.encode(text, addSpecialTokens, false).getTokens());
    }

    /** Decodes with the clean-up rule of {@code tokenizer_config.json}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, skipSpecialTokens, settings.cleanUpTokenizationSpaces());
    }

    public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
        if (ids.length == 0) {
            return "";
        }
        String text = tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), skipSpecialTokens);
        return cleanUpTokenizationSpaces ? cleanUp(text) : text;
    }

    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    /** The id of a token that must encode to exactly one id, e.g. a chat control token. */
    public Optional<Integer> tokenId(String token) {
        long[] ids = tokenizer.encode(token, false, false).getIds();
        return ids.length == 1 ? Optional.of((int) ids[0]) : Optional.empty();
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** The space clean-up Python transformers applies after decoding (clean_up_tokenization). */
    static String cleanUp(String s) {
        return s.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    private SpecialTokens resolveSpecialTokens() throws TokenizerException {
        Optional<SpecialTokens.Token> bos = token("bos_token", "bos_token_id");
        Optional<SpecialTokens.Token> eos = token("eos_token", "eos_token_id");
        Optional<SpecialTokens.Token> pad = token("pad_token", "pad_token_id");
        // Batching needs a pad token; models without one pad with EOS (masked out anyway), as
        // transformers.js and the usual SFT recipes do.
        if (pad.isEmpty()) {
            pad = eos;
        }
        Set<Integer> eosIds = new LinkedHashSet<>(ids(settings.generation("eos_token_id")));
        eos.ifPresent(t -> eosIds.add(t.id()));
        return new SpecialTokens(bos, eos, pad, new ArrayList<>(eosIds));
    }

    private Optional<SpecialTokens.Token> token(String textField, String idField) throws TokenizerException {
        String text = settings.tokenText(textField);
        if (text != null) {
            int id = tokenId(text).orElseThrow(() -> new TokenizerException(
                    "tokenizer_config.json: " + textField + " '" + text + "' is not a single token of tokenizer.json"));
            return Optional.of(new SpecialTokens.Token(text, id));
        }
        List<Integer> ids = ids(settings.generation(idField));
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        int id = ids.get(0);
        String decoded = tokenizer.decode(new long[] {id}, false);
        return Optional.of(new SpecialTokens.Token(decoded, id));
    }

    private static List<Integer> ids(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        if (n.isInt()) {
            out.add(n.intValue());
        } else if (n.isArray()) {
            n.forEach(e -> {
                if (e.isInt()) {
                    out.add(e.intValue());
                }
            });
        }
        return out;
    }

    private static JsonNode readOptional(Path file) throws TokenizerException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new TokenizerException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }
}
