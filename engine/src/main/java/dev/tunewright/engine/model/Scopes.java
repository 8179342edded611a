package dev.tunewright.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;

/**
 * DJL's native-memory rule in one place: a step's temporaries live in a sub-manager that closes with the step, and
 * only its result moves out. Operands that autograd keeps for the backward pass must in addition be torch-owned
 * ({@link Torch#scalar}, {@link Torch#owned}); {@code AutogradOperandsTest} runs every layer's backward after a
 * forced GC to hold each new op to that.
 */
public final class Scopes {

    private Scopes() {}

    /**
     * {@code body} applied to {@code input} inside a sub-manager of {@code input}'s manager: the input is lent to it
     * for the step, everything else the body creates is freed when it returns, and the result is handed back in
     * {@code input}'s manager, where the caller's scope frees it.
     */
    public static NDArray step(NDArray input, Function<NDArray, NDArray> body) {
        NDManager parent = input.getManager();
        try (NDManager step = parent.newSubManager()) {
            input.tempAttach(step);
            NDArray out = body.apply(input);
            out.attach(parent);
            return out;
        }
    }

    /**
     * {@code body} run with a fresh sub-manager of {@code parent} on {@code device}, which is closed when it returns;
     * the result is handed back in {@code parent}.
     */
    public static NDArray call(NDManager parent, Device device, Function<NDManager, NDArray> body) {
        try (NDManager call = parent.newSubManager(device)) {
            NDArray out = body.apply(call);
            out.attach(parent);
            return out;
        }
    }
}
