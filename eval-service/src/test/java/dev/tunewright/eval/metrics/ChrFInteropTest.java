package dev.tunewright.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chrF against sacreBLEU itself on a few hundred random pairs (mixed scripts, repeated characters, whitespace of
 * several kinds, empty sides). Needs a Python with sacrebleu: {@code TUNEWRIGHT_PYTHON}, else the project's
 * {@code .venv-interop} (which {@code scripts/interop-python} makes), else {@code python3}; skipped, saying why,
 * where none has it.
 */
class ChrFInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = """
            import json, sys
            from sacrebleu.metrics import CHRF
            pairs = json.load(open(sys.argv[1], encoding="utf-8"))
            chrf = CHRF()
            sentences = [chrf.sentence_score(h, [r]).score for h, r in pairs]
            corpus = chrf.corpus_score([h for h, _ in pairs], [[r for _, r in pairs]]).score
            print(json.dumps({"sentences": sentences, "corpus": corpus}))
            """;

    @TempDir
    Path dir;

    @Test
    void sentenceAndCorpusScoresEqualSacreBleus() throws Exception {
        String python = python();
        String why = probe(python);
        Assumptions.assumeTrue(why == null, () -> "chrF interop skipped: " + why);
        List<List<String>> pairs = pairs(300, 7);
        Path input = dir.resolve("pairs.json");
        JSON.writeValue(input.toFile(), pairs);
        Path script = Files.writeString(dir.resolve("chrf.py"), SCRIPT);
        Process p = new ProcessBuilder(python, script.toString(), input.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        JsonNode result = JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        for (int i = 0; i < pairs.size(); i++) {
            double expected = result.get("sentences").get(i).doubleValue() / 100;
            assertThat(ChrF.sentence(pairs.get(i).get(0), pairs.get(i).get(1))).as("pair %d: %s", i, pairs.get(i))
                    .isCloseTo(expected, within(1e-9));
        }
        List<String> hypotheses = pairs.stream().map(pair -> pair.get(0)).toList();
        List<String> references = pairs.stream().map(pair -> pair.get(1)).toList();
        assertThat(ChrF.corpus(hypotheses, references)).isCloseTo(result.get("corpus").doubleValue() / 100, within(1e-9));
    }

    /** Pairs that share pieces (so scores spread over [0, 1]), in several scripts and with odd whitespace. */
    static List<List<String>> pairs(int count, long seed) {
        Random random = new Random(seed);
        String[] words = {"the", "cat", "sat", "mat", "Katze", "Straße", "naïve", "日本語", "テスト", "😀ok", "a", "aa", "x.y",
                "don't", "—", "42", "3.14"};
        String[] spaces = {" ", "  ", "\t", "\n", "\u00a0", "\u2003"};
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<String> reference = new ArrayList<>();
            int n = random.nextInt(9);
            for (int w = 0; w < n; w++) {
                reference.add(words[random.nextInt(words.length)]);
            }
            List<String> hypothesis = new ArrayList<>();
            for (String w : reference) {
                int roll = random.nextInt(10);
                if (roll < 6) {
                    hypothesis.add(w);
                } else if (roll < 8) {
                    hypothesis.add(words[random.nextInt(words.length)]);
                }
            }
            if (random.nextInt(4) == 0) {
                hypothesis.add(words[random.nextInt(words.length)]);
            }
            out.add(List.of(join(hypothesis, spaces, random), join(reference, spaces, random)));
        }
        return out;
    }

    private static String join(List<String> words, String[] spaces, Random random) {
        StringBuilder s = new StringBuilder();
        for (String w : words) {
            if (!s.isEmpty()) {
                s.append(spaces[random.nextInt(spaces.length)]);
            }
            s.append(w);
        }
        return s.toString();
    }

    static String python() {
        String configured = System.getenv("TUNEWRIGHT_PYTHON");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path repo = Paths.get(System.getProperty("tunewright.repo.dir", ".."));
        for (Path venv : List.of(repo.resolve(".venv-interop/bin/python"), Paths.get("../.venv-interop/bin/python"))) {
            if (Files.isExecutable(venv)) {
                return venv.toString();
            }
        }
        return "python3";
    }

    /** Null when {@code python} can import sacrebleu, else why not. */
    private static String probe(String python) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(python, "-c", "import sacrebleu").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return python + " did not answer within a minute";
            }
            if (p.exitValue() != 0) {
                String[] lines = out.split("\n");
                return python + " cannot import sacrebleu (" + lines[lines.length - 1]
                        + "); run scripts/interop-python or set TUNEWRIGHT_PYTHON to a Python that has it";
            }
            return null;
        } catch (IOException e) {
            return "no " + python + " on this machine (" + e.getMessage() + ")";
        }
    }
}
