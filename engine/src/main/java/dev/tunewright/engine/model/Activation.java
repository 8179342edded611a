package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;

/** The MLP activations of the supported families, named as in {@code config.json}'s hidden_act. */
public enum Activation {
    /** {@code silu}: x * sigmoid(x), used by Llama, Qwen2 and Phi-3. */
    SILU("silu"),
    /** {@code gelu_pytorch_tanh}: the tanh approximation of GELU, used by Gemma 2 (not the exact erf GELU). */
    GELU_TANH("gelu_pytorch_tanh");

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Activation parse(String key, String name) {
        for (Activation a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        throw new UnsupportedModelException("config.json key '" + key + "': activation '" + name
                + "' is not supported (supported: silu, gelu_pytorch_tanh)");
    }

    /** Applies the activation; every intermediate lands in {@code x}'s manager, which the caller scopes. */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case SILU -> x.mul(ai.djl.nn.Activation.sigmoid(x));
            // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
            case GELU_TANH -> x.mul(x.pow(Torch.scalar(x, 3f)).mul(Torch.scalar(x, 0.044715f)).add(x)
                    .mul(Torch.scalar(x, (float) SQRT_2_OVER_PI)).tanh().add(Torch.scalar(x, 1f))).mul(Torch.scalar(x, 0.5f));
        };
    }
}
