package dev.tunewright.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployRecipeTest {

    @Test
    void aHubBaseIsServedAtItsPinnedRevisionUnderTheSmallestRankVllmAccepts() {
        DeployRecipe recipe = DeployRecipe.of("support-bot", 3, "ft:Qwen2.5-0.5B-Instruct:acme:support-bot:ftjob-1",
                "Qwen/Qwen2.5-0.5B-Instruct", "7ae557604adf67be50417f59c2c2f167def9a775", true, 4, 16);

        assertThat(recipe.vllmServe()).isEqualTo("vllm serve Qwen/Qwen2.5-0.5B-Instruct"
                + " --revision 7ae557604adf67be50417f59c2c2f167def9a775 --enable-lora --max-lora-rank 8"
                + " --lora-modules ft:Qwen2.5-0.5B-Instruct:acme:support-bot:ftjob-1=./support-bot-v3");
        assertThat(recipe.loadLoraAdapter()).isEqualTo(Map.of("lora_name",
                "ft:Qwen2.5-0.5B-Instruct:acme:support-bot:ftjob-1", "lora_path", "./support-bot-v3"));
        assertThat(recipe.download()).contains("/v1/adapters/support-bot/versions/3/download", "unzip -o support-bot-v3.zip");
        assertThat(recipe.notes()).noneMatch(n -> n.contains("not known"));
    }

    @Test
    void aLocalBaseIsQuotedAndAnUnknownRankFallsBackToTheDeploymentsLimit() {
        DeployRecipe recipe = DeployRecipe.of("my bot", 1, null, "/models/tiny llama", null, false, null, 16);

        assertThat(recipe.loraName()).isEqualTo("my bot-v1");
        assertThat(recipe.vllmServe()).isEqualTo("vllm serve '/models/tiny llama' --enable-lora --max-lora-rank 16"
                + " --lora-modules 'my bot-v1=./my bot-v1'");
        assertThat(recipe.notes()).anyMatch(n -> n.contains("not a hub id")).anyMatch(n -> n.contains("not known"));
    }
}
