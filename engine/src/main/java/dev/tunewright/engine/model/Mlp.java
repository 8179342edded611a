package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/** The gated feed-forward block of every supported family: down(act(gate(x)) · up(x)). */
public final class Mlp {

    private final GateUpProjection gateUp;
    private final AdaptableLinear down;
    private final Activation activation;

    public Mlp(GateUpProjection gateUp, AdaptableLinear down, Activation activation) {
        this.gateUp = gateUp;
        this.down = down;
        this.activation = activation;
    }

    /** (B, T, H) to (B, T, H), returned in {@code x}'s manager; intermediates die with the step. */
    public NDArray forward(NDArray x) {
        return Scopes.step(x, in -> {
            // (B, T, I) each
            NDList gateAndUp = gateUp.project(in);
            // act(gate) · up, (B, T, I)
            NDArray gated = activation.apply(gateAndUp.get(0)).mul(gateAndUp.get(1));
            // (B, T, H)
            return down.forward(gated);
        });
    }

    public List<AdaptableLinear> linears() {
        List<AdaptableLinear> out = new ArrayList<>(gateUp.linears());
        out.add(down);
        return out;
    }
}
