package dev.tunewright.engine.model.phi3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.tunewright.engine.model.GateUpProjection;
import dev.tunewright.engine.model.AdaptableLinear;
import java.util.List;

/** Phi-3's {@code mlp.gate_up_proj}: one matmul whose first half is the gate, second half up. */
public record FusedGateUp(AdaptableLinear gateUp) implements GateUpProjection {

    @Override
    public NDList project(NDArray x) {
        // (B, T, 2·I) chunked into gate and up
        NDArray fused = gateUp.forward(x);
        return fused.split(2, fused.getShape().dimension() - 1);
    }

    @Override
    public List<AdaptableLinear> linears() {
        return List.of(gateUp);
    }
}
