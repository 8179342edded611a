package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * The two inputs of a gated MLP, act(gate(x)) · up(x). Separate {@code gate_proj/up_proj} and Phi-3's
 * fused {@code gate_up_proj} are two implementations of the same step.
 */
public interface GateUpProjection {

    /** (B, T, H) to gate and up, each (B, T, intermediate), in {@code x}'s manager. */
    NDList project(NDArray x);

    List<AdaptableLinear> linears();

    record Separate(AdaptableLinear gate, AdaptableLinear up) implements GateUpProjection {
        @Override
        public NDList project(NDArray x) {
            return new NDList(gate.forward(x), up.forward(x));
        }

        @Override
        public List<AdaptableLinear> linears() {
            return List.of(gate, up);
        }
    }
}
