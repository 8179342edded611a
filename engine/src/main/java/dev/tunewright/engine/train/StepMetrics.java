package dev.tunewright.engine.train;

/**
 * What one optimizer step reports. The evaluation fields are null on steps without an evaluation.
 *
 * @param step 1-based optimizer step
 * @param epoch 1-based epoch the step's data came from
 * @param trainLoss cross-entropy per trained token of the step's whole accumulated batch
 * @param learningRate the rate the update used
 * @param gradNorm global gradient norm before clipping
 * @param tokensPerSecond non-padding tokens through forward and backward per wall-clock second
 * @param trainableTokensSeen trained tokens of all steps so far, this one included
 * @param validationLoss cross-entropy per trained token of the validation set
 * @param validationAccuracy share of trained validation tokens that are the greedy (argmax) prediction
 */
public record StepMetrics(int step, int epoch, double trainLoss, double learningRate, double gradNorm,
                          double tokensPerSecond, long trainableTokensSeen, Double validationLoss,
                          Double validationAccuracy) {

    public boolean evaluated() {
        return validationLoss != null;
    }

    StepMetrics withEvaluation(Evaluation e) {
        return new StepMetrics(step, epoch, trainLoss, learningRate, gradNorm, tokensPerSecond, trainableTokensSeen,
                e.loss(), e.accuracy());
    }
}
