package dev.tunewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ftctl evals}: what it asks the evaluation API through the gateway and what it prints. */
class EvalsCommandTest {

    static final String EVALUATION = """
            {"id": "eval-1", "object": "evaluation", "status": "succeeded", "created_at": 1, "job_id": "ftjob-1",
             "fine_tuned_model": "ft:tiny:acme:kw:ftjob-1", "base_model": "tiny", "split": "validation",
             "examples": 120, "task_type": "classification", "primary_metric": "accuracy",
             "models": {"base": {"model": "tiny", "metrics": {"accuracy": 0.325, "latency_ms_p50": 81.6},
                                 "intervals": {"accuracy": [0.242, 0.417]}},
                        "fine_tuned": {"model": "ft:tiny:acme:kw:ftjob-1", "metrics": {"accuracy": 1.0, "latency_ms_p50": 185.8},
                                       "intervals": {"accuracy": [1.0, 1.0]}}},
             "verdict": {"result": "improved", "primary_metric": "accuracy", "against": "base", "difference": 0.675,
                         "low": 0.583, "high": 0.758, "margin": 0.02},
             "cost": {"currency": "USD", "prices": {"device_hour": 1.0, "reference_input_per_million": 0.15,
                                                    "reference_output_per_million": 0.6},
                      "rows": [{"model": "base", "basis": "device_hours", "items_per_hour": 283187.3,
                                "device_hours_per_million_items": 3.53, "cost_per_million_items": 3.53},
                               {"model": "fine_tuned", "basis": "device_hours", "items_per_hour": 180298.7,
                                "device_hours_per_million_items": 5.55, "cost_per_million_items": 5.55}]},
             "notes": ["evaluated the first 120 of the split's 500 rows (max_examples)"]}""";

    @TempDir
    Path temp;

    private FakeGateway gateway;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void start() throws IOException {
        gateway = new FakeGateway();
        out = new StringWriter();
        err = new StringWriter();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--gateway-url", gateway.url(), "--state-dir", temp.resolve("state").toString(),
                "--api-key", "sk-team"));
        var commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(all.toArray(String[]::new));
    }

    @Test
    void listShowsEachEvaluationsVerdictWithItsInterval() {
        gateway.respond(200, "{\"object\": \"list\", \"data\": [" + EVALUATION + "], \"has_more\": true}");
        assertThat(run("evals", "list", "--limit", "1")).as(err.toString()).isZero();
        FakeGateway.Request request = gateway.lastRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/evaluations");
        assertThat(request.query()).isEqualTo("limit=1");
        assertThat(request.authorization()).isEqualTo("Bearer sk-team");
        assertThat(out.toString()).contains("ID", "VERDICT").contains("eval-1").contains("ft:tiny:acme:kw:ftjob-1")
                .contains("improved").contains("+0.675 [0.583, 0.758]").contains("more: ftctl evals list --after eval-1");
    }

    @Test
    void showPrintsTheModelsSideBySideTheVerdictAndTheCost() {
        gateway.route("/v1/evaluations/eval-1", 200, EVALUATION.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(run("evals", "show", "eval-1")).as(err.toString()).isZero();
        String printed = out.toString();
        assertThat(printed).contains("fine-tuned vs base: improved (accuracy +0.675, 95% CI [0.583, 0.758], margin 0.020)");
        assertThat(printed.lines().filter(l -> l.startsWith("accuracy")).findFirst().orElseThrow())
                .contains("0.325 [0.242, 0.417]").contains("1.000 [1.000, 1.000]");
        assertThat(printed).contains("METRIC", "BASE", "FINE-TUNED").contains("latency_ms_p50")
                .contains("assumed 1.00 per device-hour").contains("3.53").contains("5.55")
                .contains("note: evaluated the first 120").contains("ftctl evals report eval-1");
    }

    @Test
    void examplesAskForDisagreementsAndPrintEachModelsAnswer() {
        gateway.respond(200, """
                {"object": "list", "has_more": false, "data": [{"index": 3, "line": 4,
                 "input": [{"role": "user", "content": "the apple is big"}], "expected": "red",
                 "outputs": {"base": {"text": "blue", "finish_reason": "stop", "latency_ms": 80.0},
                             "fine_tuned": {"text": "red", "finish_reason": "stop", "latency_ms": 90.0}},
                 "scores": {"base": {"accuracy": 0.0}, "fine_tuned": {"accuracy": 1.0}}}]}""");
        assertThat(run("evals", "examples", "eval-1", "--disagreements", "--after", "2")).as(err.toString()).isZero();
        assertThat(gateway.lastRequest().path()).isEqualTo("/v1/evaluations/eval-1/examples");
        assertThat(gateway.lastRequest().query()).contains("after=2").contains("disagreements=true");
        assertThat(out.toString()).contains("#3 (line 4)").contains("user: the apple is big").contains("expected:   red")
                .contains("base:       blue  [stop, accuracy 0.000]").contains("fine-tuned: red  [stop, accuracy 1.000]");
    }

    @Test
    void reportWritesThePageAndPrintsItsPath() throws IOException {
        byte[] page = "<!DOCTYPE html><html><body>report</body></html>".getBytes(StandardCharsets.UTF_8);
        gateway.route("/v1/evaluations/eval-1/report.html", 200, page, "text/html");
        Path target = temp.resolve("reports/eval-1.html");
        assertThat(run("evals", "report", "eval-1", "--out", target.toString())).as(err.toString()).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(page);
        assertThat(out.toString().strip()).isEqualTo(target.toAbsolutePath().toString());
    }

    @Test
    void anotherTeamsEvaluationIsTheApisNotFound() {
        gateway.respond(404, "{\"error\": {\"message\": \"evaluation 'eval-9' not found\", \"type\": \"invalid_request_error\","
                + " \"param\": null, \"code\": \"not_found\"}}");
        assertThat(run("evals", "show", "eval-9")).isNotZero();
        assertThat(err.toString()).contains("evaluation 'eval-9' not found").doesNotContain("Exception");
    }
}
