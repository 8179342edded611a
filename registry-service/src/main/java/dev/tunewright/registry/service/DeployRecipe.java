package dev.tunewright.registry.service;

import dev.tunewright.registry.readiness.ServingReadiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How to serve a version with vLLM: the download, the exact {@code vllm serve} line with LoRA enabled, and the body
 * of vLLM's runtime {@code POST /v1/load_lora_adapter} for a server that is already running.
 *
 * @param loraName       what clients put in {@code model}: the {@code ft:} id, else {@code <name>-v<version>}
 * @param adapterPath    where the download is unpacked in the commands
 * @param maxLoraRank    the {@code --max-lora-rank} the line uses: the smallest value vLLM accepts that serves r
 * @param download       shell commands that fetch and unpack the adapter through the gateway
 * @param vllmServe      the server command line
 * @param loadLoraAdapter the JSON body of {@code POST /v1/load_lora_adapter}
 */
public record DeployRecipe(String loraName, String adapterPath, int maxLoraRank, String download, String vllmServe,
        Map<String, Object> loadLoraAdapter, List<String> notes) {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@=+-]+");

    /**
     * @param rank the adapter's r, null while unknown (the recipe then uses {@code fallbackRank})
     */
    public static DeployRecipe of(String name, int version, String fineTunedModel, String baseModel, String revision,
            boolean hubBase, Integer rank, int fallbackRank) {
        String loraName = fineTunedModel != null ? fineTunedModel : name + "-v" + version;
        String path = "./" + name + "-v" + version;
        Integer serving = rank == null ? null : ServingReadiness.servingRank(rank);
        int maxLoraRank = serving == null ? fallbackRank : serving;
        String url = "/v1/adapters/" + name + "/versions/" + version + "/download";
        String download = "curl -fsS -H \"Authorization: Bearer $TUNEWRIGHT_API_KEY\" -o " + name + "-v" + version
                + ".zip \"$TUNEWRIGHT_URL" + url + "\" && unzip -o " + name + "-v" + version + ".zip -d " + path;
        StringBuilder serve = new StringBuilder("vllm serve ").append(quote(baseModel));
        if (hubBase && revision != null) {
            serve.append(" --revision ").append(quote(revision));
        }
        serve.append(" --enable-lora --max-lora-rank ").append(maxLoraRank)
                .append(" --lora-modules ").append(quote(loraName + "=" + path));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lora_name", loraName);
        body.put("lora_path", path);
        List<String> notes = new ArrayList<>();
        notes.add("vLLM needs VLLM_ALLOW_RUNTIME_LORA_UPDATING=True for POST /v1/load_lora_adapter,"
                + " and a --max-lora-rank of at least " + maxLoraRank);
        if (!hubBase) {
            notes.add(baseModel + " is a model of this deployment, not a hub id: pass vllm serve its folder");
        }
        if (rank == null) {
            notes.add("the adapter's rank is not known until its readiness check ran; --max-lora-rank is the deployment's");
        }
        return new DeployRecipe(loraName, path, maxLoraRank, download, serve.toString(), body, List.copyOf(notes));
    }

    private static String quote(String value) {
        return SHELL_SAFE.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}
