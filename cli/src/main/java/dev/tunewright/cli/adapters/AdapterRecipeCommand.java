package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.TeamApi;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "recipe", mixinStandardHelpOptions = true,
        description = "Print how to serve a version with vLLM: the download, the vllm serve line and the body of"
                + " POST /v1/load_lora_adapter for a running server.")
public class AdapterRecipeCommand extends AdapterCommand {

    @Mixin
    VersionArgs args;

    @Override
    public Integer call() throws Exception {
        AdapterRef ref = args.ref();
        TeamApi teamApi = api.teamApi();
        int number = ref.resolve(teamApi).path("version").asInt();
        JsonNode recipe = teamApi.get(ref.versionPath(number) + "/recipe", Map.of());
        if (printedJson(recipe)) {
            return 0;
        }
        PrintWriter out = out();
        out.println("# " + ref.name() + " v" + number + ": fetch and unpack (TUNEWRIGHT_URL=" + teamApi.gatewayUrl()
                + ", TUNEWRIGHT_API_KEY=<team key>)");
        out.println(recipe.path("download").asText());
        out.println("# serve it with vLLM");
        out.println(recipe.path("vllm_serve").asText());
        out.println("# or load it into a running vLLM server");
        out.println("curl -X POST http://localhost:8000/v1/load_lora_adapter -H 'Content-Type: application/json' -d '"
                + recipe.path("load_lora_adapter").toString()
                + "'");
        for (JsonNode note : recipe.path("notes")) {
            out.println("# note: " + note.asText());
        }
        out.flush();
        return 0;
    }
}
