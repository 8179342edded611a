package dev.tunewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ftctl adapters}: what it asks the registry through the gateway and what it makes of the answers. */
class AdaptersCommandTest {

    private static final byte[] CONFIG = "{\"r\": 4}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WEIGHTS = "not really safetensors".getBytes(StandardCharsets.UTF_8);

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
        all.addAll(List.of("--gateway-url", gateway.url(), "--state-dir", temp.resolve("state").toString()));
        CommandLine commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(all.toArray(String[]::new));
    }

    @Test
    void helpListsTheAdapterCommands() {
        CommandLine commandLine = Ftctl.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute("adapters", "--help")).isZero();
        assertThat(out.toString()).contains("list", "show", "promote", "download", "recipe");
    }

    @Test
    void listSendsTheFiltersWithTheTeamKeyAndPrintsATable() {
        gateway.respond(200, """
                {"object":"list","has_more":true,"data":[{"id":"adp-1","name":"support-bot","latest_version":3,
                 "aliases":{"production":2},"updated_at":1767225600,
                 "latest":{"verdict":"improved","readiness":"passed","base_model":"Qwen/Qwen2.5-0.5B-Instruct"}}]}""");

        assertThat(run("adapters", "list", "--alias", "production", "--metric", "accuracy", "--metric-min", "0.8",
                "--api-key", "sk-team")).isZero();

        FakeGateway.Request request = gateway.lastRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/adapters");
        assertThat(request.query()).isEqualTo("alias=production&metric=accuracy&metric_min=0.8&limit=20");
        assertThat(request.authorization()).isEqualTo("Bearer sk-team");
        assertThat(out.toString()).contains("support-bot", "v3", "production=2", "improved", "passed",
                "Qwen/Qwen2.5-0.5B-Instruct", "2026-01-01T00:00:00Z", "more: --after adp-1");
    }

    @Test
    void theLocalStacksDefaultTeamKeyIsUsedWhenNoneIsGiven() throws IOException {
        Path secrets = Files.createDirectories(temp.resolve("state/secrets"));
        Files.writeString(secrets.resolve("default-api-key"), "sk-default\n");
        gateway.respond(200, "{\"object\":\"list\",\"data\":[],\"has_more\":false}");

        assertThat(run("adapters", "list")).isZero();

        assertThat(gateway.lastRequest().authorization()).isEqualTo("Bearer sk-default");
    }

    @Test
    void promoteSendsTheMoveAndARefusalIsTheGatesOwnMessage() {
        gateway.respond(200, """
                {"object":"adapter.alias","adapter":"support-bot","alias":"production","version":3,"changed":true,
                 "move":{"from_version":2,"to_version":3,"forced":true,"overridden":["version 3 regresses"]}}""");

        assertThat(run("adapters", "promote", "support-bot", "production", "--version", "3", "--force", "--reason",
                "hotfix", "--api-key", "k")).isZero();

        assertThat(gateway.lastRequest().method()).isEqualTo("PUT");
        assertThat(gateway.lastRequest().path()).isEqualTo("/v1/adapters/support-bot/aliases/production");
        assertThat(gateway.lastRequest().body()).isEqualTo("{\"version\":3,\"reason\":\"hotfix\",\"force\":true}");
        assertThat(out.toString()).contains("support-bot@production -> v3 (was v2), forced past");

        gateway.respond(409, "{\"error\":{\"message\":\"support-bot@production cannot move to version 3: version 3 has"
                + " no evaluation\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"promotion_refused\"}}");
        assertThat(run("adapters", "promote", "support-bot", "production", "--version", "3", "--api-key", "k"))
                .isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).contains("error: support-bot@production cannot move to version 3: version 3 has no evaluation")
                .doesNotContain("at dev.tunewright");
    }

    @Test
    void downloadChecksEveryFileAgainstTheRegistryAndUnpacksIt() throws Exception {
        gateway.route("/v1/adapters/support-bot@production", 200, version(sha256(CONFIG)), "application/json");
        gateway.route("/v1/adapters/support-bot/versions/2/download", 200, zip(), "application/zip");
        Path zip = temp.resolve("bot.zip");
        Path folder = temp.resolve("bot");

        assertThat(run("adapters", "download", "support-bot@production", "-o", zip.toString(), "--extract",
                folder.toString(), "--api-key", "k")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("saved support-bot v2", "2 files, each matching the registered SHA-256");
        assertThat(Files.readAllBytes(folder.resolve("adapter_config.json"))).isEqualTo(CONFIG);
        assertThat(Files.readAllBytes(folder.resolve("adapter_model.safetensors"))).isEqualTo(WEIGHTS);

        gateway.route("/v1/adapters/support-bot@production", 200, version("0".repeat(64)), "application/json");
        assertThat(run("adapters", "download", "support-bot@production", "-o", zip.toString(), "--api-key", "k"))
                .isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).contains("adapter_config.json has SHA-256 " + sha256(CONFIG), "recorded " + "0".repeat(64));
    }

    @Test
    void recipePrintsTheServeLineAndTheRuntimeLoadBody() {
        gateway.route("/v1/adapters/support-bot/versions/2", 200,
                "{\"version\":2}".getBytes(StandardCharsets.UTF_8), "application/json");
        gateway.route("/v1/adapters/support-bot/versions/2/recipe", 200, """
                {"download":"curl ... && unzip -o support-bot-v2.zip -d ./support-bot-v2",
                 "vllm_serve":"vllm serve Qwen/Qwen2.5-0.5B-Instruct --enable-lora --max-lora-rank 8 --lora-modules bot=./support-bot-v2",
                 "load_lora_adapter":{"lora_name":"bot","lora_path":"./support-bot-v2"},"notes":["needs VLLM_ALLOW_RUNTIME_LORA_UPDATING"]}"""
                .getBytes(StandardCharsets.UTF_8), "application/json");

        assertThat(run("adapters", "recipe", "support-bot", "--version", "2", "--api-key", "k")).isZero();

        assertThat(out.toString()).contains("vllm serve Qwen/Qwen2.5-0.5B-Instruct --enable-lora --max-lora-rank 8",
                "-d '{\"lora_name\":\"bot\",\"lora_path\":\"./support-bot-v2\"}'", "# note: needs VLLM_ALLOW_RUNTIME_LORA_UPDATING");
    }

    private static byte[] version(String configSha) {
        return ("{\"adapter\":\"support-bot\",\"version\":2,\"artifact\":{\"files\":{"
                + "\"adapter_config.json\":{\"sha256\":\"" + configSha + "\"},"
                + "\"adapter_model.safetensors\":{\"sha256\":\"" + sha256(WEIGHTS) + "\"}}}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : Map.of("adapter_config.json", CONFIG, "adapter_model.safetensors", WEIGHTS)
                    .entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
