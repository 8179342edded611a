package dev.tunewright.engine.train;

/**
 * Loss and greedy accuracy over the trained tokens of a validation set.
 *
 * @param loss mean cross-entropy per trained token
 * @param accuracy share of trained tokens that are the argmax prediction
 * @param tokens trained tokens counted
 */
public record Evaluation(double loss, double accuracy, long tokens) {
}
