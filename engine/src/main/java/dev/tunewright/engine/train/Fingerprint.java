package dev.tunewright.engine.train;

import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.lora.LoraConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A hash of what decides a run's numbers: the numeric settings, the LoRA config, the model's vocabulary and
 * the token data. A checkpoint from a run that differs in any of them would "resume" into a different run,
 * so the trainer refuses it. Evaluation, saving and early-stopping settings are left out: changing them
 * on resume is legitimate.
 */
final class Fingerprint {

    private Fingerprint() {}

    static String of(TrainConfig c, LoraConfig lora, List<PackedSequence> data, int vocabSize) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String settings = String.join("|", "v1", Integer.toString(c.totalSteps(data.size())),
                    Integer.toString(c.microBatchSize()), Integer.toString(c.gradientAccumulation()),
                    Double.toString(c.learningRate()), Integer.toString(c.warmupSteps()), c.scheduler().name(),
                    Double.toString(c.weightDecay()), Double.toString(c.beta1()), Double.toString(c.beta2()),
                    Double.toString(c.epsilon()), Double.toString(c.maxGradNorm()), Long.toString(c.seed()),
                    lora.toString(), Integer.toString(vocabSize));
            digest.update(settings.getBytes(StandardCharsets.UTF_8));
            for (PackedSequence s : data) {
                update(digest, s.inputIds());
                update(digest, s.labels());
                update(digest, s.positionIds());
                update(digest, s.segmentIds());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, int[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length + 4).putInt(values.length);
        for (int v : values) {
            buffer.putInt(v);
        }
        digest.update(buffer.array());
    }
}
