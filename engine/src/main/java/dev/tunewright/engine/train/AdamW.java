package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), step for step the arithmetic of
 * torch.optim.AdamW: decay the parameter by lr·wd, update both moments, divide by the bias-corrected
 * second moment plus eps, step by lr over the first bias correction. Decay applies to matrices only:
 * shrinking a bias or norm vector towards 0 is not regularisation but damage. The moments live in this
 * optimizer's own manager and are keyed like the parameters, so a checkpoint stores them by PEFT key.
 */
public final class AdamW implements AutoCloseable {

    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private int steps;

    /** @param manager holds the moments; the optimizer owns it and closes it */
    public AdamW(NDManager manager, double beta1, double beta2, double epsilon, double weightDecay) {
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
    }

    public static AdamW of(NDManager manager, TrainConfig c) {
        return new AdamW(manager, c.beta1(), c.beta2(), c.epsilon(), c.weightDecay());
    }

    /** Updates taken so far, the t of the bias corrections. */
    public int steps() {
        return steps;
    }

    /**
     * One update of every parameter in place; temporaries live in {@code scope}.
     *
     * @param parameters by key; {@code gradients} in the same order
     */
    public void update(Map<String, NDArray> parameters, List<NDArray> gradients, double learningRate, NDManager scope) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        int i = 0;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = gradients.get(i++);
            NDArray m = firstMoments.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape(), p.getDataType()));
            NDArray v = secondMoments.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape(), p.getDataType()));
            // in-place ops make scalar operands in the array's manager; borrow them into the step's scope
            p.tempAttach(scope);
            m.tempAttach(scope);
            v.tempAttach(scope);
            if (weightDecay > 0 && p.getShape().dimension() >= 2) {
                p.muli((float) (1 - learningRate * weightDecay));
            }
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
            NDArray denominator = v.sqrt().div((float) Math.sqrt(correction2)).add((float) epsilon);
            p.subi(m.div(denominator).mul((float) (learningRate / correction1)));
        }
    }

    /** Moments as plain arrays by key ({@code <key>.exp_avg}, {@code <key>.exp_avg_sq}), for a checkpoint. */
    public Map<String, float[]> moments() {
        Map<String, float[]> out = new LinkedHashMap<>();
        firstMoments.forEach((k, m) -> out.put(k + ".exp_avg", m.toFloatArray()));
        secondMoments.forEach((k, v) -> out.put(k + ".exp_avg_sq", v.toFloatArray()));
        return out;
    }

    /** Restores what {@link #moments} wrote, for parameters of the given shapes. */
    public void restore(int steps, Map<String, float[]> moments, Map<String, Shape> shapes) {
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
        this.steps = steps;
        shapes.forEach((key, shape) -> {
            float[] m = moments.get(key + ".exp_avg");
            float[] v = moments.get(key + ".exp_avg_sq");
            if (m == null || v == null) {
                if (steps > 0) {
                    throw new IllegalArgumentException("optimizer state has no moments for '" + key + "'");
                }
                return;
            }
            firstMoments.put(key, manager.create(m, shape));
            secondMoments.put(key, manager.create(v, shape));
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
