package dev.tunewright.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How "auto" resolves against the size of the training split (documented in JobSettings and the README). */
class JobSettingsTest {

    @Test
    void autoEpochsSeeBetweenOneHundredAndTwentyFiveThousandExamples() {
        assertThat(JobSettings.autoEpochs(10)).isEqualTo(10);
        assertThat(JobSettings.autoEpochs(3)).isEqualTo(25);
        assertThat(JobSettings.autoEpochs(1000)).isEqualTo(3);
        assertThat(JobSettings.autoEpochs(20_000)).isEqualTo(1);
        assertThat(JobSettings.autoEpochs(10_000)).isEqualTo(2);
    }

    @Test
    void autoBatchIsAPowerOfTwoNearTwoPerMille() {
        assertThat(JobSettings.autoBatch(100, 32)).isEqualTo(1);
        assertThat(JobSettings.autoBatch(1500, 32)).isEqualTo(4);
        assertThat(JobSettings.autoBatch(1_000_000, 32)).isEqualTo(32);
    }

    @Test
    void resolvesEveryAutoAndSplitsTheBatchIntoMicroBatches() {
        JobRequest request = new JobRequest("m", "ds-1", null, 1L, null, Map.of(), new Hyperparameters(null, 16, null),
                LoraSettings.none(), null);
        JobSettings settings = JobSettings.resolve(request, 1000, JobRequestReaderTest.CONFIG.defaults());
        assertThat(settings.nEpochs()).isEqualTo(3);
        assertThat(settings.batchSize()).isEqualTo(16);
        assertThat(settings.microBatchSize()).isEqualTo(4);
        assertThat(settings.lora().gradientAccumulationSteps()).isEqualTo(4);
        assertThat(settings.learningRateMultiplier()).isEqualTo(1.0);
        assertThat(settings.learningRate()).isEqualTo(2e-4);
        assertThat(settings.estimatedSteps()).isEqualTo(3 * 63);
        assertThat(settings.lora().saveEvery()).isEqualTo(19);
        assertThat(settings.lora().evalEvery()).isEqualTo(19);
        assertThat(settings.lora().r()).isEqualTo(16);
        assertThat(settings.lora().alpha()).isEqualTo(16.0);
    }

    @Test
    void anAutoBatchBecomesAMultipleOfExplicitAccumulation() {
        LoraSettings lora = new LoraSettings(null, null, null, null, null, null, null, null, null, 1e-3, null, null, 3,
                null, null, null);
        JobSettings settings = JobSettings.resolve(new JobRequest("m", "ds-1", null, 1L, null, Map.of(),
                new Hyperparameters(null, null, 2.0), lora, null), 1500, JobRequestReaderTest.CONFIG.defaults());
        assertThat(settings.batchSize()).isEqualTo(6);
        assertThat(settings.microBatchSize()).isEqualTo(2);
        assertThat(settings.learningRate()).isEqualTo(2e-3);
    }
}
