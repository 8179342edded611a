package dev.tunewright.eval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the evaluation service can be tuned by ({@code tunewright.eval.*}); every limit is explicit so that
 * raising one is a decision. Defaults suit a CPU deployment of small models.
 */
@ConfigMapping(prefix = "tunewright.eval")
public interface EvalConfig {

    Worker worker();

    Generation generation();

    /** Smallest improvement of the primary metric that counts, when a request or job names none (default 0.02). */
    @WithDefault("0.02")
    double margin();

    /** Bootstrap resamples per interval (default 2000). */
    @WithDefault("2000")
    int bootstrapResamples();

    Prices prices();

    Models models();

    Chat chat();

    Reference reference();

    /** The evaluation workers: claim, heartbeat and retry of the shared work queue. */
    interface Worker {
        /** Whether this process runs evaluations at all (an API-only replica sets false). */
        @WithDefault("true")
        boolean enabled();

        /** Evaluations run at once in this process (default 1: one model pass keeps the CPU busy). */
        @WithDefault("1")
        int concurrency();

        /** How long a claim holds without a heartbeat; a crashed worker's evaluation waits this long (default 2m). */
        @WithDefault("2m")
        Duration leaseTime();

        @WithDefault("20s")
        Duration heartbeatEvery();

        /** How often an idle worker looks for work it was not woken for (default 10s). */
        @WithDefault("10s")
        Duration pollEvery();

        /** Wait before an evaluation that failed unexpectedly is tried again (default 30s). */
        @WithDefault("30s")
        Duration retryDelay();

        /** Tries before an evaluation that keeps failing unexpectedly is marked failed (default 3). */
        @WithDefault("3")
        int maxAttempts();

        /**
         * Claim one evaluation, run it and exit the process ({@code TUNEWRIGHT_EVAL_WORKER_ONCE}): a Kubernetes Job
         * that KEDA starts per queued evaluation, so a GPU is held only while it evaluates (default false).
         */
        @WithDefault("false")
        boolean once();

        /** How long a {@code once} worker waits for an evaluation to become claimable before it exits (default 2m). */
        @WithDefault("2m")
        Duration onceWait();
    }

    /** How the models generate on the held-out split. */
    interface Generation {
        /** Prompts generated together with the KV cache (default 8). */
        @WithDefault("8")
        int batchSize();

        /** Tokens allowed beyond the longest reference answer (default 16). */
        @WithDefault("16")
        int maxNewTokensMargin();

        /** Upper bound of max_new_tokens however long the references are (default 1024). */
        @WithDefault("1024")
        int maxNewTokensLimit();

        /** Most held-out rows one evaluation looks at; longer splits are cut, and the report says so (default 2000). */
        @WithDefault("2000")
        int maxExamples();

        /** Token length examples are cut to for the held-out loss, when the job names no max_seq_length (default 2048). */
        @WithDefault("2048")
        int maxSeqLength();
    }

    /** What the cost table assumes when a request names no prices. */
    interface Prices {
        @WithDefault("USD")
        String currency();

        /** Price of one hour of the device the base and fine-tuned models run on (default 1.00). */
        @WithDefault("1.0")
        double deviceHour();

        /** Reference endpoint price per 1M input tokens (default 0.15). */
        @WithDefault("0.15")
        double referenceInputPerMillion();

        /** Reference endpoint price per 1M output tokens (default 0.60). */
        @WithDefault("0.60")
        double referenceOutputPerMillion();
    }

    /** Loaded models, shared by evaluations and chat completions. */
    interface Models {
        /** {@code cpu}, {@code gpu} or {@code gpu:N} (default cpu). */
        @WithDefault("cpu")
        String device();

        /** Base models kept loaded at once; the least recently used idle one is closed first (default 2). */
        @WithDefault("2")
        int maxLoadedBases();

        /** Adapters kept loaded (detached) per base (default 8). */
        @WithDefault("8")
        int maxCachedAdapters();

        /** PyTorch intra-op threads; 0 leaves PyTorch's default (default 0). */
        @WithDefault("0")
        int torchThreads();

        /** Where adapters are unpacked from the artifact store (default .tunewright/eval-cache). */
        @WithDefault(".tunewright/eval-cache")
        String cacheDir();
    }

    /** {@code POST /v1/chat/completions}. */
    interface Chat {
        /** max_tokens when a request names none (default 256). */
        @WithDefault("256")
        int defaultMaxTokens();

        /** Largest max_tokens a request may ask for (default 4096). */
        @WithDefault("4096")
        int maxTokensLimit();

        /** Most messages in one request (default 256). */
        @WithDefault("256")
        int maxMessages();
    }

    /** The optional reference model: any OpenAI-compatible chat-completions endpoint. */
    interface Reference {
        /** One call's timeout (default 60s). */
        @WithDefault("60s")
        Duration timeout();

        /** Calls in flight at once (default 4). */
        @WithDefault("4")
        int concurrency();

        /** Retries of a call answered 429 or 5xx, or not answered (default 2). */
        @WithDefault("2")
        int retries();

        /**
         * Secret the reference API keys are encrypted with at rest (AES-GCM under a key derived from it); the
         * identity secret when unset ({@code TUNEWRIGHT_EVAL_KEY_SECRET}).
         */
        Optional<String> keySecret();

        /**
         * URL prefixes a request may point the reference at ({@code *}: any). Production lists its providers, so
         * a team cannot make the service call into the internal network.
         */
        @WithDefault("*")
        List<String> allowedUrls();

        /** A reference every job's automatic evaluation uses: its base URL; unset for none. */
        Optional<String> defaultBaseUrl();

        Optional<String> defaultModel();

        /** Its API key ({@code TUNEWRIGHT_EVAL_REFERENCE_API_KEY}); never logged. */
        Optional<String> defaultApiKey();
    }
}
