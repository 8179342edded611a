package dev.tunewright.engine.lora;

import java.util.List;
import java.util.Objects;

/**
 * The LoRA hyper-parameters as PEFT names them, so a config round-trips through
 * {@code adapter_config.json} without translation.
 *
 * @param r rank of A (r, in) and B (out, r)
 * @param alpha PEFT's {@code lora_alpha}; the update is scaled by {@link #scale()}
 * @param dropout PEFT's {@code lora_dropout}, applied to the adapter's input only, never to the base path
 * @param targetModules HF module names ({@code q_proj}, {@code self_attn.o_proj}, ...) or the single entry
 *     {@link #ALL_LINEAR}
 * @param useRslora rank-stabilised scaling, alpha/sqrt(r), so larger ranks do not shrink the update
 */
public record LoraConfig(int r, double alpha, double dropout, List<String> targetModules, boolean useRslora) {

    /** PEFT's shorthand for every linear of the decoder layers (never the LM head). */
    public static final String ALL_LINEAR = "all-linear";

    public LoraConfig {
        if (r <= 0) {
            throw new IllegalArgumentException("LoRA rank r must be positive, got " + r);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("lora_alpha must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
        }
        Objects.requireNonNull(targetModules, "targetModules");
        targetModules = List.copyOf(targetModules);
        if (targetModules.isEmpty()) {
            throw new IllegalArgumentException("target_modules is empty; name modules such as q_proj, v_proj or "
                    + ALL_LINEAR);
        }
    }

    /** PEFT's usual starting point: r 8, alpha 16, dropout 0.05 on the given modules. */
    public static LoraConfig of(List<String> targetModules) {
        return new LoraConfig(8, 16, 0.05, targetModules, false);
    }

    /** The factor on B·A: alpha/r, or alpha/sqrt(r) with rsLoRA, exactly as PEFT computes it. */
    public double scale() {
        return useRslora ? alpha / Math.sqrt(r) : alpha / r;
    }

    /** Whether the targets are the {@link #ALL_LINEAR} shorthand. */
    public boolean allLinear() {
        return targetModules.size() == 1 && targetModules.get(0).equals(ALL_LINEAR);
    }
}
