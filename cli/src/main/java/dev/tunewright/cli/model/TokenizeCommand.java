package dev.tunewright.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.cli.JsonOption;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shows exactly which ids a model sees for a text, to debug prompts and dataset formatting. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize TEXT with the model's tokenizer and print ids and tokens.")
public class TokenizeCommand extends LocalModelCommand {

    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOption model;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "Text to tokenize.")
    String text;

    @Mixin
    SpecialTokensOption specialTokens;

    @Mixin
    JsonOption json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        try (TextTokenizer tok = TextTokenizer.open(model.resolve(err))) {
            int[] ids = tok.encode(text, specialTokens.add);
            List<String> tokens = tok.tokens(text, specialTokens.add);
            if (json.requested()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("token_ids", ids);
                result.put("tokens", tokens);
                result.put("count", ids.length);
                out.println(JSON.writeValueAsString(result));
            } else {
                out.println("ids:    " + Arrays.toString(ids));
                out.println("tokens: " + JSON.writeValueAsString(tokens));
                out.println("count:  " + ids.length);
            }
        }
        return 0;
    }
}
