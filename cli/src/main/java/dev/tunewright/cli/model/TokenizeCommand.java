package dev.tunewright.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shows exactly which ids a model sees for a text, to debug prompts and dataset formatting. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize TEXT with the model's tokenizer and print ids and tokens.")
public class TokenizeCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOption model;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "Text to tokenize.")
    String text;

    @Option(names = "--add-special-tokens", description = "Add the tokenizer's special tokens (e.g. BOS).")
    boolean addSpecialTokens;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CliErrors.run(err, () -> {
            Path dir = model.resolve(err);
            try (TextTokenizer tok = TextTokenizer.open(dir)) {
                int[] ids = tok.encode(text, addSpecialTokens);
                List<String> tokens = tok.tokens(text, addSpecialTokens);
                if (json) {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("ids", ids);
                    result.put("tokens", tokens);
                    result.put("count", ids.length);
                    out.println(JSON.writeValueAsString(result));
                } else {
                    out.println("ids:    " + Arrays.toString(ids));
                    out.println("tokens: " + JSON.writeValueAsString(tokens));
                    out.println("count:  " + ids.length);
                }
            }
            out.flush();
            return 0;
        });
    }
}
