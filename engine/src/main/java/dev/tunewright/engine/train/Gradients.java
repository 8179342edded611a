package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * What happens to gradients between the backward passes and the optimizer. PyTorch adds every backward
 * pass into the same gradient buffers, which is exactly gradient accumulation; the buffers must therefore
 * be zeroed after each optimizer step, never before the first micro-batch of the next.
 */
public final class Gradients {

    private static final NDIndex ALL = new NDIndex("...");

    private Gradients() {}

    /**
     * Handles on the accumulated gradients of {@code parameters}, owned by {@code scope}: DJL creates a new
     * handle per call in the parameter's manager, which would otherwise grow by one per step.
     */
    public static List<NDArray> of(List<NDArray> parameters, NDManager scope) {
        List<NDArray> out = new ArrayList<>(parameters.size());
        for (NDArray p : parameters) {
            NDArray g = p.getGradient();
            g.attach(scope);
            out.add(g);
        }
        return out;
    }

    /**
     * Continues a backward pass through {@code output} from a gradient computed for it elsewhere (a loss computed
     * outside autograd, a later layer), as {@code torch.autograd.backward(output, outputGradient)} does. DJL's
     * collector only starts from a scalar, seeded with ones of its dtype, which it cannot create for bf16; the scalar
     * Σ output · outputGradient would give the same gradients at the price of an extra product and its backward.
     */
    static void backwardFrom(NDArray output, NDArray outputGradient) {
        JniUtils.backward((PtNDArray) output, (PtNDArray) outputGradient, false, false);
    }

    /** sqrt(Σ g²) over every element of every gradient, read back once. */
    public static double globalNorm(List<NDArray> gradients) {
        NDArray sum = null;
        for (NDArray g : gradients) {
            NDArray s = g.square().sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum == null ? 0 : Math.sqrt(sum.getFloat());
    }

    /**
     * Scales all gradients together so their global norm is at most {@code maxNorm}, keeping the update's
     * direction (clipping each array alone would not); PyTorch's clip_grad_norm_ formula, 1e-6 included.
     *
     * @param maxNorm 0 only measures
     * @return the norm before clipping, what a run logs
     */
    public static double clipByGlobalNorm(List<NDArray> gradients, double maxNorm) {
        double norm = globalNorm(gradients);
        if (!Double.isFinite(norm)) {
            throw new ArithmeticException("gradient norm is " + norm + "; the loss diverged (try a lower learning rate)");
        }
        double coefficient = maxNorm / (norm + 1e-6);
        if (maxNorm > 0 && coefficient < 1) {
            for (NDArray g : gradients) {
                g.muli((float) coefficient);
            }
        }
        return norm;
    }

    /** Zeroes the buffers in place (the next backward adds into them). */
    public static void zero(List<NDArray> gradients) {
        for (NDArray g : gradients) {
            g.set(ALL, 0f);
        }
    }
}
