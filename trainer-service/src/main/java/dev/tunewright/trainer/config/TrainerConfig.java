package dev.tunewright.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The trainer service's settings; every default is what the embedded stack runs with. */
@ConfigMapping(prefix = "tunewright.trainer")
public interface TrainerConfig {

    /**
     * What this instance does: {@code api} serves the jobs API, {@code worker} trains queued jobs. The embedded stack
     * runs both in one process; a cluster runs API replicas and worker pods (GPU) separately.
     */
    @WithDefault("api,worker")
    Set<Role> roles();

    enum Role { API, WORKER }

    /** Base URL of the dataset service, which owns files and datasets ({@code DATASET_SERVICE_URL}). */
    @WithDefault("http://127.0.0.1:8081")
    String datasetServiceUrl();

    /** How long a call to the dataset service may take; cutting a dataset from a large file takes a while. */
    @WithDefault("120s")
    Duration datasetServiceTimeout();

    /** How often the job and queue gauges are read from PostgreSQL (the Quarkus scheduler's syntax). */
    @WithDefault("5s")
    String metricsRefresh();

    Limits limits();

    Worker worker();

    Defaults defaults();

    /** Per-team limits; each is named in the 429 that enforces it. */
    interface Limits {
        /** Jobs of one team waiting (validating files or queued) at once; more get 429. */
        @WithDefault("20")
        int maxQueuedPerTeam();

        /** Jobs of one team training at once; further jobs wait in the queue until one ends. */
        @WithDefault("4")
        int maxRunningPerTeam();

        /** Metadata pairs per job (OpenAI: 16). */
        @WithDefault("16")
        int maxMetadataPairs();

        /** Highest n_epochs a job may ask for. */
        @WithDefault("50")
        int maxEpochs();

        /** Largest batch_size (sequences per optimizer step) a job may ask for. */
        @WithDefault("256")
        int maxBatchSize();

        /** Longest max_seq_length a job may ask for (the model's own context also bounds it). */
        @WithDefault("32768")
        int maxSeqLength();

        /** Highest LoRA rank. */
        @WithDefault("256")
        int maxRank();
    }

    /** How workers claim and run jobs. */
    interface Worker {
        /** Jobs one worker process trains at once: one per device by default. */
        @WithDefault("1")
        int concurrency();

        /**
         * Claim one job, run it and exit ({@code --once}, for a Kubernetes Job); exits at once when nothing is queued
         * within {@link #onceWait()}.
         */
        @WithDefault("false")
        boolean once();

        /** How long a {@code once} worker waits for a job to become claimable. */
        @WithDefault("60s")
        Duration onceWait();

        /** How long a claim holds without a heartbeat: the time another worker waits before resuming a dead one's job. */
        @WithDefault("60s")
        Duration leaseTime();

        /** How often a running job's lease is renewed. */
        @WithDefault("15s")
        Duration heartbeatEvery();

        /** How often an idle worker looks for work without a Kafka trigger (resumed jobs, expired leases). */
        @WithDefault("5s")
        Duration pollEvery();

        /** How long a job whose worker failed unexpectedly waits before another attempt. */
        @WithDefault("10s")
        Duration retryDelay();

        /** Claims of one job after which it fails instead of being tried again (workers that keep dying on it). */
        @WithDefault("6")
        int maxAttempts();

        /** Least time between two reads of a cancel or pause request during training (at most one per step). */
        @WithDefault("100ms")
        Duration stopCheckEvery();

        /** Least time between two {@code job.progress} events of one job; evaluations and the last step always go out. */
        @WithDefault("2s")
        Duration progressEvery();

        /** Where run folders live while a job trains; each is deleted when its job ends. */
        @WithDefault(".tunewright/trainer-runs")
        String workDir();

        /** The training device: {@code cpu}, {@code gpu} or {@code gpu:N}; empty picks a GPU when there is one. */
        Optional<String> device();

        /**
         * What the frozen base computes in: {@code auto} (bfloat16 on a CPU with AMX or AVX-512 BF16, float32 on other
         * CPUs), {@code float32} or {@code bfloat16}. A machine's setting, like the device; adapters, gradients and
         * optimizer state stay float32 whatever it is.
         */
        @WithDefault("auto")
        String dtype();

        /** libtorch intra-op threads; empty leaves libtorch's default (one per core). */
        Optional<Integer> torchThreads();
    }

    /** What {@code auto} and omitted settings resolve to; documented in the README. */
    interface Defaults {
        /** LoRA peak learning rate, before learning_rate_multiplier. */
        @WithDefault("2e-4")
        double learningRate();

        /** Largest micro-batch when gradient_accumulation_steps is auto; the rest of batch_size is accumulated. */
        @WithDefault("4")
        int maxMicroBatch();

        /** Largest batch_size that auto picks. */
        @WithDefault("32")
        int maxAutoBatchSize();
    }
}
