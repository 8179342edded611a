package dev.tunewright.engine.tokenizer;

import java.util.List;
import java.util.Optional;

/**
 * The special tokens generation and training need. {@code eosIds} is a list because instruct models
 * stop on several tokens (Llama 3.2: end of text, end of message and end of turn), and
 * {@code generation_config.json} records them that way.
 */
public record SpecialTokens(
        Optional<Token> bos,
        Optional<Token> eos,
        Optional<Token> pad,
        List<Integer> eosIds) {

    /** A token string with its id in the vocabulary. */
    public record Token(String text, int id) {
    }

    public SpecialTokens {
        eosIds = List.copyOf(eosIds);
    }

    public Optional<String> bosText() {
        return bos.map(Token::text);
    }

    public Optional<String> eosText() {
        return eos.map(Token::text);
    }
}
