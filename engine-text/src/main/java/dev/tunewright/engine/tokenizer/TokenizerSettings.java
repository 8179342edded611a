package dev.tunewright.engine.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Reads the few {@code tokenizer_config.json} / {@code generation_config.json} fields the Rust
 * tokenizer does not know about. Token fields may be a plain string or a serialised
 * {@code AddedToken} object ({@code {"content": ...}}), and both files are optional.
 */
record TokenizerSettings(JsonNode tokenizerConfig, JsonNode generationConfig) {

    TokenizerSettings {
        tokenizerConfig = tokenizerConfig == null ? MissingNode.getInstance() : tokenizerConfig;
        generationConfig = generationConfig == null ? MissingNode.getInstance() : generationConfig;
    }

    /** A token string from tokenizer_config.json, or null when absent or null. */
    String tokenText(String field) {
        JsonNode n = tokenizerConfig.path(field);
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isObject() && n.path("content").isTextual()) {
            return n.path("content").textValue();
        }
        return null;
    }

    /**
     * Python transformers cleans up spaces before punctuation on decode unless the config says
     * otherwise; the default has changed across versions, so an absent key means true, as in the
     * versions that produced the reference decodes.
     */
    boolean cleanUpTokenizationSpaces() {
        JsonNode n = tokenizerConfig.path("clean_up_tokenization_spaces");
        return !n.isBoolean() || n.booleanValue();
    }

    JsonNode generation(String field) {
        return generationConfig.path(field);
    }
}
