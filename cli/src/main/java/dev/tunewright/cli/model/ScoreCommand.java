package dev.tunewright.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.cli.JsonOption;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Per-token log-probabilities of a text or token sequence under a model, as transformers computes them. */
@Command(name = "score",
        header = "Log-probability of every token of a text under a model.",
        description = {"Prints ln p(token i | tokens before i) for each token; the first token has no context (null).",
                "Runs locally on the CPU (float32) or a CUDA GPU (bfloat16)."},
        mixinStandardHelpOptions = true)
public class ScoreCommand extends LocalModelCommand {

    @Mixin
    LoadedModelOptions model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "Text to tokenize and score.")
        String text;

        @Option(names = "--token-ids", split = ",", paramLabel = "ID", description = "Token ids to score, e.g. 1,2,3.")
        int[] tokenIds;
    }

    @Mixin
    SpecialTokensOption specialTokens;

    @Mixin
    JsonOption json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        try (LoadedModel loaded = model.open(err)) {
            int[] ids = input.tokenIds != null ? input.tokenIds
                    : loaded.requireTokenizer("to tokenize --text").encode(input.text, specialTokens.add);
            if (ids.length == 0) {
                throw new IllegalArgumentException("nothing to score: the input has no tokens");
            }
            double[] logProbs = loaded.model.logProbs(List.of(ids)).get(0);
            out.println(json.requested() ? json(ids, logProbs) : table(loaded, ids, logProbs));
            return 0;
        }
    }

    static String json(int[] ids, double[] logProbs) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode tokens = root.putArray("token_ids");
        Arrays.stream(ids).forEach(tokens::add);
        ArrayNode values = root.putArray("logprobs");
        for (double lp : logProbs) {
            if (Double.isNaN(lp)) {
                values.addNull();
            } else {
                values.add(lp);
            }
        }
        return root.toString();
    }

    private static String table(LoadedModel loaded, int[] ids, double[] logProbs) {
        StringBuilder text = new StringBuilder(String.format("%6s  %8s  %12s  %s%n", "index", "token_id", "logprob", "token"));
        double total = 0;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            String token = loaded.tokenizer.map(t -> t.decode(new int[] {id}, false)).orElse("");
            String value = Double.isNaN(logProbs[i]) ? "-" : String.format("%.6f", logProbs[i]);
            text.append(String.format("%6d  %8d  %12s  %s%n", i, ids[i], value, token.replace("\n", "\\n")));
            total += Double.isNaN(logProbs[i]) ? 0 : logProbs[i];
        }
        int scored = ids.length - 1;
        text.append(String.format("total logprob %.6f over %d tokens", total, scored));
        if (scored > 0) {
            text.append(String.format(", perplexity %.4f", Math.exp(-total / scored)));
        }
        return text.toString();
    }
}
