package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.model.AttentionContext;
import dev.tunewright.engine.model.DecoderNetwork;
import dev.tunewright.engine.model.DecoderLayer;
import dev.tunewright.engine.model.Torch;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Forward and backward of one micro-batch that keeps only each decoder layer's input instead of every
 * intermediate of every layer. Autograd otherwise holds all of them until backward (gigabytes at batch
 * 4 × 256 on a 135M model, and for QLoRA each layer's expanded float weight too), which is what bounds the
 * batch and sequence length on a given machine. DJL cannot define a custom autograd function, so the
 * recomputation is driven from here: a forward pass without a graph records the layer inputs, then the
 * layers run again from last to first, each on its own graph, seeded with the gradient of its output
 * through {@code sum(y · dy)} (whose gradient with respect to y is exactly dy). The LoRA gradients this
 * accumulates are those of the ordinary backward: the same operations run on the same values, with
 * dropout reseeded per layer by {@code beforeLayer} so the recomputed layer draws the masks of the first.
 */
final class ActivationCheckpointing {

    private ActivationCheckpointing() {}

    /**
     * Accumulates into the adapter gradients those of {@code sum(loss) / stepTokens} for {@code batch}.
     *
     * @return the unscaled loss sum
     */
    static double accumulate(DecoderNetwork network, MicroBatch batch, int stepTokens, NDManager scope, IntConsumer beforeLayer) {
        try (NDManager micro = scope.newSubManager()) {
            AttentionContext context = network.packedContext(micro, batch.inputIds(), batch.positionIds(), batch.segmentIds());
            List<DecoderLayer> layers = network.layers();
            // forward without a graph, keeping each layer's input: (B, T, H) each
            NDArray[] inputs = Torch.withoutGradients(() -> {
                NDArray[] kept = new NDArray[layers.size() + 1];
                kept[0] = network.embed(micro, batch.inputIds());
                for (int i = 0; i < layers.size(); i++) {
                    beforeLayer.accept(i);
                    kept[i + 1] = layers.get(i).forward(kept[i], context, null);
                }
                return kept;
            });
            // head and loss on their own graphs: the loss sum and d loss / d (last hidden state)
            ChunkedLoss.Result loss = ChunkedLoss.backward(network, inputs[layers.size()], batch.labels(), stepTokens);
            if (loss.hiddenGradient() == null) {
                return 0; // nothing trained in this micro-batch: no gradient to propagate
            }
            NDArray outputGradient = loss.hiddenGradient();
            // each layer again, last to first: recompute it with a graph, backward from its output's gradient
            for (int i = layers.size() - 1; i >= 0; i--) {
                NDArray inputGradient = null;
                try (NDManager stage = micro.newSubManager();
                     GradientCollector collector = Torch.engine().newGradientCollector()) {
                    NDArray x = inputs[i];
                    x.tempAttach(stage);
                    // layer 0's input is the frozen embedding: its gradient would be computed for nothing
                    boolean needInputGradient = i > 0;
                    x.setRequiresGradient(needInputGradient);
                    beforeLayer.accept(i);
                    NDArray y = layers.get(i).forward(x, context, null);
                    // (DJL's hasGradient is false for any non-leaf, so whether there is a graph is decided here)
                    if (needInputGradient || hasAdapter(layers.get(i))) {
                        Gradients.backwardFrom(y, outputGradient);
                    }
                    if (needInputGradient) {
                        inputGradient = x.getGradient();
                        inputGradient.attach(micro);
                    }
                }
                outputGradient.close();
                inputs[i + 1].close();
                outputGradient = inputGradient;
            }
            return loss.lossSum();
        }
    }

    private static boolean hasAdapter(DecoderLayer layer) {
        return layer.linears().stream().anyMatch(l -> l.adapter() != null);
    }
}
