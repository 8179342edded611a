package dev.tunewright.engine.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder families this engine implements, keyed by the {@code architectures} entry of
 * {@code config.json}. The family decides the Hugging Face config defaults and which blocks differ.
 */
public enum Family {
    LLAMA("LlamaForCausalLM"),
    QWEN2("Qwen2ForCausalLM"),
    PHI3("Phi3ForCausalLM"),
    GEMMA2("Gemma2ForCausalLM");

    private final String architecture;

    Family(String architecture) {
        this.architecture = architecture;
    }

    public String architecture() {
        return architecture;
    }

    /** The family for an {@code architectures} entry, refusing any other so nothing runs with silently wrong math. */
    public static Family forArchitecture(String architecture) {
        for (Family f : values()) {
            if (f.architecture.equals(architecture)) {
                return f;
            }
        }
        throw new UnsupportedModelException("config.json key 'architectures': '" + architecture
                + "' is not supported (supported: " + supported() + ")");
    }

    static String supported() {
        return Arrays.stream(values()).map(Family::architecture).collect(Collectors.joining(", "));
    }
}
